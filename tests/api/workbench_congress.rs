//! The congress's cycle on the workbench: the presidium records a congress session on 会议,
//! proposes, shortlists and enters the tally of livelihood candidates on 民生实事, a refused tally
//! is said at its row and keeps nothing, the passed one's project says how it was voted in, and a
//! deputy reads it all without a form.

use jiandu_tests::town::{Town, day};
use jiandu_tests::web::Visitor;
use jiandu_tests::{TestApp, e2e};
use serde_json::json;

e2e!(the_presidium_runs_a_livelihood_vote_on_the_workbench);
async fn the_presidium_runs_a_livelihood_vote_on_the_workbench(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let held = day(-2);
    let year = &held[..4];

    let refused = presidium
        .submit(
            "/meetings",
            "/meetings",
            &[
                ("kind", "CONGRESS_SESSION"),
                ("title", "第二届人民代表大会第一次会议"),
                ("held_on", &held),
                ("total", "40"),
                ("present", "41"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(
        refused.refusal().unwrap().contains("出席代表人数"),
        "{}",
        refused.html
    );
    assert!(
        refused
            .html
            .contains("value=\"第二届人民代表大会第一次会议\""),
        "kept"
    );
    let created = presidium
        .submit(
            "/meetings",
            "/meetings",
            &[
                ("kind", "CONGRESS_SESSION"),
                ("title", "第二届人民代表大会第一次会议"),
                ("held_on", &held),
                ("place", "镇政府三楼会议室"),
                ("total", "40"),
                ("present", "35"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.html);
    let meeting_page = created.location.clone().unwrap();
    let shown = presidium.get(&meeting_page).await;
    assert!(
        shown.html.contains("出席35人（代表40人，超过半数）"),
        "{}",
        shown.html
    );

    let page = format!("/livelihood?year={year}");
    for title in ["湿地公园健身步道风雨桥", "观景平台建设"] {
        let proposed = presidium
            .submit(&page, &page, &[("title", title), ("source", "GOVERNMENT")])
            .await;
        assert_eq!(proposed.status, 303, "{}", proposed.html);
    }
    let candidates = app
        .ok(
            &town.presidium,
            "query($y:Int!){ livelihoodCandidates(year:$y){ id title } }",
            json!({ "y": year.parse::<i32>().unwrap() }),
        )
        .await["livelihoodCandidates"]
        .as_array()
        .unwrap()
        .clone();
    let id_of = |title: &str| {
        candidates.iter().find(|c| c["title"] == title).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (bridge, platform) = (id_of("湿地公园健身步道风雨桥"), id_of("观景平台建设"));
    for id in [&bridge, &platform] {
        let listed = presidium
            .submit(&page, &format!("/livelihood/{id}/shortlist"), &[])
            .await;
        assert_eq!(listed.status, 303, "{}", listed.html);
    }
    let listing = presidium.get(&page).await;
    assert!(listing.html.contains("初定候选"), "{}", listing.html);
    let meeting_id = meeting_page.trim_start_matches("/meetings/");

    // More ballots than deputies present: said at the row, nothing written, the form as typed.
    let vote = format!("/livelihood/{bridge}/vote");
    let over = presidium
        .submit(
            &page,
            &vote,
            &[
                ("meeting", meeting_id),
                ("votes_for", "30"),
                ("votes_against", "5"),
                ("abstentions", "1"),
            ],
        )
        .await;
    assert_eq!(over.status, 422, "{}", over.html);
    assert_eq!(
        over.refusal().as_deref(),
        Some("各项票数合计不能超过出席代表人数（35人），请核对。"),
        "{}",
        over.html
    );
    assert!(
        over.html.contains("value=\"30\"") && over.html.contains("<details open>"),
        "the tally typed is kept in its open form"
    );
    let passed = presidium
        .submit(
            &page,
            &vote,
            &[
                ("meeting", meeting_id),
                ("votes_for", "33"),
                ("votes_against", "1"),
                ("abstentions", "1"),
            ],
        )
        .await;
    assert_eq!(passed.status, 303, "{}", passed.html);
    let rejected = presidium
        .submit(
            &page,
            &format!("/livelihood/{platform}/vote"),
            &[
                ("meeting", meeting_id),
                ("votes_for", "20"),
                ("votes_against", "10"),
                ("abstentions", "5"),
            ],
        )
        .await;
    assert_eq!(rejected.status, 303, "{}", rejected.html);

    let table = presidium.get(&page).await.html;
    assert!(
        table.contains("票决通过") && table.contains("未通过"),
        "{table}"
    );
    assert!(table.contains(&format!("思人决〔{year}〕1号")), "{table}");
    assert!(
        table.contains("赞成33票，反对1票，弃权1票（出席35人，代表40人）"),
        "{table}"
    );
    let project = app
        .ok(
            &town.presidium,
            "query($y:Int!){ livelihoodCandidates(year:$y){ title project { id } } }",
            json!({ "y": year.parse::<i32>().unwrap() }),
        )
        .await["livelihoodCandidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == "湿地公园健身步道风雨桥")
        .unwrap()["project"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let project_page = presidium.get(&format!("/projects/{project}")).await;
    assert!(
        project_page
            .html
            .contains(&format!("民生实事票决：思人决〔{year}〕1号，赞成33票")),
        "{}",
        project_page.html
    );
    // The year-end assessment: entered on its row; a failed one needs the project's lead leader.
    let assess = format!("/livelihood/{bridge}/assess");
    let failing = presidium
        .submit(
            &page,
            &assess,
            &[
                ("meeting", meeting_id),
                ("satisfied", "10"),
                ("basically", "5"),
                ("dissatisfied", "15"),
            ],
        )
        .await;
    assert_eq!(failing.status, 422, "{}", failing.html);
    assert!(failing.refusal().is_some(), "{}", failing.html);
    assert!(
        failing.html.contains(
            "name=\"dissatisfied\" min=\"0\" step=\"1\" inputmode=\"numeric\" value=\"15\""
        ),
        "the tally typed is kept in its open form: {}",
        failing.html
    );
    let assessed = presidium
        .submit(
            &page,
            &assess,
            &[
                ("meeting", meeting_id),
                ("satisfied", "20"),
                ("basically", "4"),
                ("dissatisfied", "6"),
            ],
        )
        .await;
    assert_eq!(assessed.status, 303, "{}", assessed.html);
    let said = "满意20、基本满意4、不满意6，满意率80.0%，通过";
    assert!(presidium.get(&page).await.html.contains(said));
    assert!(
        presidium
            .get(&format!("/projects/{project}"))
            .await
            .html
            .contains(said)
    );
    let meeting = presidium.get(&meeting_page).await.html;
    assert!(
        meeting.contains("湿地公园健身步道风雨桥") && meeting.contains("观景平台建设"),
        "{meeting}"
    );
    // The meeting it was assessed at says so too.
    assert!(
        meeting.contains("满意度测评") && meeting.contains(&format!("测评：{said}")),
        "{meeting}"
    );

    // A deputy reads the table and the meetings, with no form to change them.
    let deputy = Visitor::new(&app, Some(&town.deputy));
    let read = deputy.get(&page).await;
    assert_eq!(read.status, 200);
    assert!(read.html.contains("票决通过"), "{}", read.html);
    assert!(!read.html.contains("登记候选项目") && !read.html.contains("录入表决结果"));
    let meetings = deputy.get("/meetings").await;
    assert!(!meetings.html.contains("登记会议"), "{}", meetings.html);
    assert!(meetings.html.contains("第二届人民代表大会第一次会议"));

    // What a candidate's title holds is shown as text.
    let evil = "<script>alert(1)</script>";
    let proposed = presidium
        .submit(&page, &page, &[("title", evil), ("source", "OTHER")])
        .await;
    assert_eq!(proposed.status, 303, "{}", proposed.html);
    let shown = deputy.get(&page).await.html;
    assert!(
        shown.contains("&#60;script&#62;alert(1)&#60;/script&#62;") && !shown.contains(evil),
        "{shown}"
    );
}
