//! A finding's own page: the project page lists its inspections and what they found; the
//! finding's page tells its history and offers each role its steps — the leader rectifies and
//! reports, the deputy checks, the presidium moves the deadline with a reason — each taken
//! through the same use cases, refusals shown next to the form.

use jiandu_tests::town::{Town, day};
use jiandu_tests::web::Visitor;
use jiandu_tests::{TestApp, e2e};
use serde_json::{Value, json};

/// A deputy's visit to the bridge that found one problem, for 李明 by `deadline`; its id.
async fn found(app: &TestApp, town: &Town, deadline: &str) -> String {
    let finding = town.finding(app, "临河一侧防护栏缺失", deadline).await;
    finding["id"].as_str().unwrap().to_string()
}

async fn stored(app: &TestApp, town: &Town, id: &str) -> Value {
    app.ok(
        &town.presidium,
        "query($id:ID!){ finding(id:$id){ status deadline originalDeadline version } }",
        json!({ "id": id }),
    )
    .await["finding"]
        .clone()
}

e2e!(a_finding_is_rectified_checked_and_rescheduled_on_its_own_page);
/// The project page lists the visit and links the finding; on the finding's page the leader
/// starts and reports the rectification, the deputy sends it back with a reason, the presidium
/// moves its deadline (refused without a reason, nothing changed) — every step in its history,
/// each answer back on the same page.
async fn a_finding_is_rectified_checked_and_rescheduled_on_its_own_page(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let id = found(&app, &town, &day(5)).await;
    let page = format!("/findings/{id}");

    let presidium = Visitor::new(&app, Some(&town.presidium));
    let project = presidium.get(&format!("/projects/{}", town.bridge)).await;
    assert!(
        project.html.contains("代表视察风雨桥") && project.html.contains("发现问题 1 个"),
        "{}",
        project.html
    );
    assert!(project.html.contains(&format!("href=\"{page}\"")));

    let leader = Visitor::new(&app, Some(&town.liming));
    let started = leader.submit(&page, &format!("{page}/start"), &[]).await;
    assert_eq!(
        (started.status, started.location.as_deref()),
        (303, Some(page.as_str()))
    );
    let resolved = leader
        .submit(
            &page,
            &format!("{page}/resolve"),
            &[("resolution", "已加装临时护栏并设警示牌")],
        )
        .await;
    assert_eq!(resolved.status, 303, "{}", resolved.html);
    assert_eq!(stored(&app, &town, &id).await["status"], "RESOLVED");
    // The one who reported it has no check form; a deputy does.
    assert!(!leader.get(&page).await.html.contains("/accept\""));
    let deputy = Visitor::new(&app, Some(&town.deputy));
    let rejected = deputy
        .submit(
            &page,
            &format!("{page}/reject"),
            &[("note", "护栏高度不足1.1米")],
        )
        .await;
    assert_eq!(rejected.status, 303, "{}", rejected.html);
    assert_eq!(stored(&app, &town, &id).await["status"], "RECTIFYING");

    let before = stored(&app, &town, &id).await;
    let refused = presidium
        .submit(&page, &format!("{page}/reschedule"), &[("date", &day(15))])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    let reschedule_form = refused.html.find("id=\"reschedule\"").unwrap();
    let refusal_at = refused.html.find("class=\"refusal\"").unwrap();
    assert!(refusal_at > reschedule_form, "the reason shows at its form");
    assert_eq!(stored(&app, &town, &id).await, before);
    let moved = presidium
        .submit(
            &page,
            &format!("{page}/reschedule"),
            &[("date", &day(15)), ("reason", "护栏须按新标准定制")],
        )
        .await;
    assert_eq!(moved.status, 303, "{}", moved.html);
    let after = stored(&app, &town, &id).await;
    assert_eq!(
        (
            after["deadline"].as_str(),
            after["originalDeadline"].as_str()
        ),
        (Some(day(15).as_str()), Some(day(5).as_str()))
    );

    let history = leader.get(&page).await.html;
    let told = [
        "视察发现问题，交办整改",
        "开始整改",
        "报告已整改：已加装临时护栏并设警示牌",
        "核实：未整改到位，退回：护栏高度不足1.1米",
        &format!("截止日期 {} → {}：护栏须按新标准定制", day(5), day(15)),
    ];
    let mut at = 0;
    for line in told {
        let found = history[at..]
            .find(line)
            .unwrap_or_else(|| panic!("{line} after the earlier steps:\n{history}"));
        at += found;
    }
    assert!(history.contains(&format!("原定 {}", day(5))));
}

e2e!(a_findings_page_offers_each_role_only_its_steps);
/// Another leader and the read-only account see the finding without a form to act on it; a
/// finding of another township does not exist for them; the presidium decides a request for
/// more time on the finding's page.
async fn a_findings_page_offers_each_role_only_its_steps(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let id = found(&app, &town, &day(5)).await;
    let foreign = found(&app, &other, &day(5)).await;
    let page = format!("/findings/{id}");
    for who in [&town.chengang, &town.viewer] {
        let seen = Visitor::new(&app, Some(who)).get(&page).await;
        assert_eq!(seen.status, 200);
        assert!(seen.html.contains("临河一侧防护栏缺失"));
        assert_eq!(
            seen.html.matches("<form").count(),
            1,
            "only the sign-out form"
        );
    }
    let presidium = Visitor::new(&app, Some(&town.presidium));
    assert_eq!(
        presidium.get(&format!("/findings/{foreign}")).await.status,
        404
    );
    assert_eq!(presidium.get("/findings/not-an-id").await.status, 404);

    let leader = Visitor::new(&app, Some(&town.liming));
    let asked = leader
        .submit(
            &page,
            &format!("{page}/extension"),
            &[("date", &day(12)), ("reason", "护栏材料待采购")],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.html);
    let waiting = presidium.get(&page).await;
    assert!(waiting.html.contains("待主席团决定"));
    let request = waiting.after("name=\"extension\" value=\"");
    let approved = presidium
        .submit(
            &page,
            &format!("{page}/decide"),
            &[("extension", &request), ("decision", "approve")],
        )
        .await;
    assert_eq!(approved.status, 303, "{}", approved.html);
    assert_eq!(stored(&app, &town, &id).await["deadline"], day(12));
    let list = presidium.get("/extensions").await;
    assert!(list.html.contains("没有待决定的延期申请"), "{}", list.html);
}
