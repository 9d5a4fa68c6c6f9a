//! Closing the loop at the workbench: a leader asks for an extension before the deadline, the
//! presidium refuses one without a reason (told in Chinese, nothing changes) and approves another
//! day; a reported item waits on the list for its check and is signed off (销号) or sent back.

use jiandu_tests::town::{Town, day};
use jiandu_tests::web::Visitor;
use jiandu_tests::{TestApp, e2e};
use serde_json::{Value, json};

async fn item(app: &TestApp, town: &Town, id: &str) -> Value {
    app.ok(
        &town.presidium,
        "query($id:ID!){ milestone(id:$id){ status deadline onTimeDeadline extensionRequests { status } } }",
        json!({ "id": id }),
    )
    .await["milestone"]
        .clone()
}

e2e!(an_extension_asked_for_on_the_items_page_is_decided_on_the_presidiums_list);
/// The leader's form is on the item's page while the deadline is ahead; the request waits on
/// the presidium's list and on the board's count; refusing needs a reason; approving with
/// another day moves the deadline through the history.
async fn an_extension_asked_for_on_the_items_page_is_decided_on_the_presidiums_list(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(&app, json!({ "title": "完成用地报批", "deadline": day(5) }))
        .await;
    let id = m["id"].as_str().unwrap();
    let page = format!("/milestones/{id}");
    let leader = Visitor::new(&app, Some(&town.liming));
    let asked = leader
        .submit(
            &page,
            &format!("{page}/extension"),
            &[("date", &day(20)), ("reason", "省厅审批窗口顺延")],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.html);
    assert!(leader.get(&page).await.html.contains("待主席团决定"));

    let presidium = Visitor::new(&app, Some(&town.presidium));
    assert!(
        presidium
            .get("/")
            .await
            .html
            .contains("待决定的延期申请 1 件")
    );
    let list = presidium.get("/extensions").await;
    assert!(list.html.contains("完成用地报批") && list.html.contains("省厅审批窗口顺延"));
    // The applicant by name and title, the item with its project.
    assert!(list.html.contains("李明（副镇长）"), "{}", list.html);
    assert!(
        list.html
            .contains("思蒙国家湿地公园健身步道风雨桥 · 完成用地报批"),
        "{}",
        list.html
    );
    let request = list.after("id=\"extension-");
    let action = format!("/extensions/{request}/decide");
    let refused = presidium
        .submit("/extensions", &action, &[("decision", "refuse")])
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.refusal().as_deref(), Some("请填写「备注」。"));
    assert_eq!(
        item(&app, &town, id).await["extensionRequests"][0]["status"],
        "PENDING"
    );

    let approved = presidium
        .submit(
            "/extensions",
            &action,
            &[("decision", "approve"), ("date", &day(15))],
        )
        .await;
    assert_eq!(approved.status, 303, "{}", approved.html);
    let after = item(&app, &town, id).await;
    assert_eq!(after["deadline"], day(15));
    assert_eq!(after["extensionRequests"][0]["status"], "APPROVED");
    let history = leader.get(&page).await;
    assert!(
        history
            .html
            .contains(&format!("截止日期 {} → {}", day(5), day(15))),
        "{}",
        history.html
    );
    assert!(
        presidium
            .get("/extensions")
            .await
            .html
            .contains("没有待决定的延期申请")
    );
}

e2e!(a_reported_item_waits_for_its_check_and_is_signed_off_or_sent_back);
/// Reported done, the item is on the list of those waiting; the deputy sends one back with a
/// reason (in progress again, the reason in its history); the presidium signs off the other,
/// which is then 已销号 and off the list.
async fn a_reported_item_waits_for_its_check_and_is_signed_off_or_sent_back(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let mut pages = Vec::new();
    for title in ["桥面铺装", "廊亭彩绘"] {
        let m = town
            .milestone(&app, json!({ "title": title, "deadline": day(5) }))
            .await;
        let id = m["id"].as_str().unwrap().to_string();
        app.ok(
            &town.liming,
            "mutation($id:ID!,$v:Int!){ completeMilestone(id:$id, expectedVersion:$v){ id } }",
            json!({ "id": id, "v": m["version"] }),
        )
        .await;
        pages.push((id.clone(), format!("/milestones/{id}")));
    }
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let waiting = presidium.get("/items?state=reported").await;
    assert!(waiting.html.contains("桥面铺装") && waiting.html.contains("廊亭彩绘"));

    let deputy = Visitor::new(&app, Some(&town.deputy));
    let (back_id, back_page) = &pages[0];
    let sent_back = deputy
        .submit(
            back_page,
            &format!("{back_page}/return"),
            &[("reason", "桥面有积水，排水坡度不足")],
        )
        .await;
    assert_eq!(sent_back.status, 303, "{}", sent_back.html);
    assert_eq!(item(&app, &town, back_id).await["status"], "IN_PROGRESS");
    assert!(deputy.get(back_page).await.html.contains("退回重办"));

    let (done_id, done_page) = &pages[1];
    let signed = presidium
        .submit(
            done_page,
            &format!("{done_page}/sign-off"),
            &[("note", "验收合格")],
        )
        .await;
    assert_eq!(signed.status, 303, "{}", signed.html);
    assert_eq!(item(&app, &town, done_id).await["status"], "CLOSED");
    assert!(presidium.get(done_page).await.html.contains("已销号"));
    let waiting = presidium.get("/items?state=reported").await;
    assert!(!waiting.html.contains("桥面铺装") && !waiting.html.contains("廊亭彩绘"));
}

e2e!(a_leader_asks_for_more_time_on_a_finding_from_the_findings_page);
/// The responsible leader's findings page offers the extension form while the deadline is
/// ahead; the request waits on the presidium's list under the finding's words, and approving it
/// moves the finding's deadline.
async fn a_leader_asks_for_more_time_on_a_finding_from_the_findings_page(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let finding = town.finding(&app, "临河一侧防护栏缺失", &day(5)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let leader = Visitor::new(&app, Some(&town.liming));
    let asked = leader
        .submit(
            "/findings",
            &format!("/findings/{finding}/extension"),
            &[("date", &day(12)), ("reason", "护栏材料待采购")],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.html);
    // Another leader's page has no such form.
    let other = Visitor::new(&app, Some(&town.chengang))
        .get("/findings")
        .await;
    assert!(!other.html.contains("/extension\""));

    let presidium = Visitor::new(&app, Some(&town.presidium));
    let list = presidium.get("/extensions").await;
    assert!(
        list.html.contains("整改问题：临河一侧防护栏缺失"),
        "{}",
        list.html
    );
    let request = list.after("id=\"extension-");
    let approved = presidium
        .submit(
            "/extensions",
            &format!("/extensions/{request}/decide"),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(approved.status, 303, "{}", approved.html);
    let stored = app
        .ok(
            &town.presidium,
            "query($id:ID!){ finding(id:$id){ deadline } }",
            json!({ "id": finding }),
        )
        .await;
    assert_eq!(stored["finding"]["deadline"], day(12));
}

e2e!(the_presidium_cancels_an_item_with_a_reason_and_it_stops_counting);
/// Cancelling needs a reason (refused in Chinese without one, nothing changes); a cancelled
/// item is 已取消 with the reason in its history, and off the overdue list.
async fn the_presidium_cancels_an_item_with_a_reason_and_it_stops_counting(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(&app, json!({ "title": "廊亭彩绘", "deadline": day(-2) }))
        .await;
    let id = m["id"].as_str().unwrap();
    let page = format!("/milestones/{id}");
    let presidium = Visitor::new(&app, Some(&town.presidium));
    assert!(
        presidium
            .get("/items?state=overdue")
            .await
            .html
            .contains("廊亭彩绘")
    );
    let refused = presidium
        .submit(&page, &format!("{page}/cancel"), &[("reason", " ")])
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.refusal().as_deref(), Some("请填写「理由」。"));
    assert_eq!(item(&app, &town, id).await["status"], "NOT_STARTED");
    let cancelled = presidium
        .submit(
            &page,
            &format!("{page}/cancel"),
            &[("reason", "设计变更，取消彩绘")],
        )
        .await;
    assert_eq!(cancelled.status, 303, "{}", cancelled.html);
    assert_eq!(item(&app, &town, id).await["status"], "CANCELLED");
    let shown = presidium.get(&page).await;
    assert!(shown.html.contains("已取消") && shown.html.contains("取消节点：设计变更，取消彩绘"));
    assert!(
        !presidium
            .get("/items?state=overdue")
            .await
            .html
            .contains("廊亭彩绘")
    );
    // A leader sees no such form.
    let other = town
        .milestone(&app, json!({ "title": "桥面铺装", "deadline": day(5) }))
        .await;
    let leader_view = Visitor::new(&app, Some(&town.liming))
        .get(&format!("/milestones/{}", other["id"].as_str().unwrap()))
        .await;
    assert!(!leader_view.html.contains("/cancel\""));
}
