//! Deliberation opinions on the workbench: the presidium records one on a report hearing's page
//! (a refusal keeps what was typed) and it is sent; the leader finds it on 我的督办事项, answers
//! every point (a refused answer keeps the feedback typed) and uploads the written reply; the
//! presidium judges every point; a deputy reads it all without a form; another township's opinion
//! does not exist.

use jiandu_tests::town::{Town, day};
use jiandu_tests::web::Visitor;
use jiandu_tests::{TestApp, e2e};
use serde_json::json;

e2e!(an_opinion_goes_from_the_hearing_to_the_leader_and_back_on_the_workbench);
async fn an_opinion_goes_from_the_hearing_to_the_leader_and_back_on_the_workbench(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let hearing = app
        .ok(
            &town.presidium,
            "mutation($d:Date!){ createMeeting(input:{kind:REPORT_HEARING, title:\"听取镇政府关于上半年工作情况的报告\", heldOn:$d, deputiesTotal:40, deputiesPresent:12}){ id } }",
            json!({ "d": day(-1) }),
        )
        .await["createMeeting"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let meeting = format!("/meetings/{hearing}");
    let action = format!("{meeting}/opinions");
    let li = town.li.as_str();
    let points = "加快二桥至思蒙路段提质改造进度\n\n  做好汛期地质灾害隐患点巡查  \n";

    let refused = presidium
        .submit(
            &meeting,
            &action,
            &[("title", "关于上半年工作的审议意见"), ("points", points)],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(
        refused.refusal().unwrap().contains("责任领导"),
        "{:?}",
        refused.refusal()
    );
    assert!(
        refused.html.contains("做好汛期地质灾害隐患点巡查"),
        "the points typed are kept"
    );
    let sent = presidium
        .submit(
            &meeting,
            &action,
            &[
                ("title", "关于上半年工作的审议意见"),
                ("points", points),
                ("leader", li),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.html);
    let page = sent.location.unwrap();
    let page = page.split('?').next().unwrap().to_string();
    assert!(page.starts_with("/opinions/"), "{page}");
    let shown = presidium.get(&page).await;
    assert!(
        shown.html.contains("审议意见（2条）") && shown.html.contains("已交办，待反馈"),
        "blank lines are no points: {}",
        shown.html
    );
    assert!(
        shown.html.contains("提交反馈"),
        "the presidium may enter a reply that came on paper"
    );
    let listed = presidium.get(&meeting).await;
    assert!(
        listed.html.contains("关于上半年工作的审议意见"),
        "{}",
        listed.html
    );
    let year = &day(0)[..4];
    let year_list = presidium.get(&format!("/meetings?year={year}")).await;
    assert!(year_list.html.contains("年审议意见"), "{}", year_list.html);

    // 李明 finds it on 我的督办事项 and answers every point there.
    let leader = Visitor::new(&app, Some(&town.liming));
    let mine = leader.get("/mine").await;
    assert!(
        mine.html.contains("交我办理的审议意见") && mine.html.contains(&page),
        "{}",
        mine.html
    );
    let answer = format!("{page}/answer");
    let half = leader
        .submit(
            &page,
            &answer,
            &[
                ("feedback", "已完成路基施工"),
                ("feedback", " "),
                ("date", &day(0)),
            ],
        )
        .await;
    assert_eq!(half.status, 422, "{}", half.html);
    assert!(
        half.html.contains("已完成路基施工"),
        "the feedback typed is kept"
    );
    let answered = leader
        .submit(
            &page,
            &answer,
            &[
                ("feedback", "已完成路基施工，12月底完工"),
                ("feedback", "已排查隐患点7处，预案已落实到村"),
                ("date", &day(0)),
            ],
        )
        .await;
    assert_eq!(answered.status, 303, "{}", answered.html);
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let uploaded = leader
        .submit_multipart(
            &page,
            &format!("{page}/attach"),
            &[("caption", "关于审议意见落实情况的报告")],
            vec![("file", "报告.pdf", pdf.to_vec())],
        )
        .await;
    assert_eq!(uploaded.status, 303, "{}", uploaded.html);
    let after = leader.get(&page).await;
    assert!(
        after.html.contains("已排查隐患点7处")
            && after.html.contains("关于审议意见落实情况的报告")
            && after.html.contains("已反馈，待评议"),
        "{}",
        after.html
    );
    assert!(!after.html.contains("提交评议"), "a leader does not judge");

    // A deputy reads it without a form; another township finds nothing.
    let deputy = Visitor::new(&app, Some(&town.deputy)).get(&page).await;
    assert_eq!(deputy.status, 200);
    assert!(
        !deputy
            .html
            .contains("<form method=\"post\" action=\"/opinions/")
    );
    let other = Town::setup(&app, "汉阳镇").await;
    assert_eq!(
        Visitor::new(&app, Some(&other.presidium))
            .get(&page)
            .await
            .status,
        404
    );

    // The presidium judges every point.
    let judged = presidium
        .submit(
            &page,
            &format!("{page}/judge"),
            &[("judgement", "IMPLEMENTED"), ("judgement", "PARTLY")],
        )
        .await;
    assert_eq!(judged.status, 303, "{}", judged.html);
    let final_page = presidium.get(&page).await;
    assert!(
        final_page
            .html
            .contains("<td data-label=\"评议\">落实</td>")
            && final_page
                .html
                .contains("<td data-label=\"评议\">部分落实</td>")
            && final_page.html.contains("已评议"),
        "{}",
        final_page.html
    );
    assert!(
        final_page.html.contains("逐条评议") && final_page.html.contains("逐条反馈落实情况"),
        "its history in words"
    );
}
