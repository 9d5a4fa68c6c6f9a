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
    let request = list
        .html
        .split("id=\"extension-")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let action = format!("/extensions/{request}/decide");
    let refused = presidium
        .submit("/extensions", &action, &[("decision", "refuse")])
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.refusal().as_deref(),
        Some("「备注」填写有误，请检查后再提交。")
    );
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

e2e!(the_presidium_sets_its_rules_and_everyone_else_reads_them);
/// The rules form saves through the same use case (the API reads the new values); a value out
/// of range is refused naming the field in Chinese and changes nothing; a leader sees the rules
/// without a form, and a post of theirs is refused.
async fn the_presidium_sets_its_rules_and_everyone_else_reads_them(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let read = || {
        let (app, token) = (&app, town.presidium.clone());
        async move {
            app.ok(&token, "{ me { organization { settings { dueSoonWorkingDays behindPaceRedPoints rollDeadlinesOffRestDays signOffRequired } } } }", json!({}))
                .await["me"]["organization"]["settings"]
                .clone()
        }
    };
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let fields = |due_soon: &'static str, red: &'static str| {
        [
            ("due_soon", due_soon),
            ("yellow", "10"),
            ("red", red),
            ("backdate", "7"),
            ("sign_off", "on"),
        ]
    };
    let saved = presidium
        .submit("/settings", "/settings", &fields("5", "30"))
        .await;
    assert_eq!(
        (saved.status, saved.location.as_deref()),
        (303, Some("/settings?saved=1"))
    );
    let after = read().await;
    assert_eq!(after["dueSoonWorkingDays"], 5);
    assert_eq!(after["behindPaceRedPoints"], 30);
    // The box left unticked turns the rule off.
    assert_eq!(after["rollDeadlinesOffRestDays"], false);
    assert_eq!(after["signOffRequired"], true);

    let refused = presidium
        .submit("/settings", "/settings", &fields("3", "0"))
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.refusal().as_deref(),
        Some("「红灯百分点」填写有误，请检查后再提交。")
    );
    assert_eq!(read().await, after);

    let leader = Visitor::new(&app, Some(&town.liming));
    let shown = leader.get("/settings").await;
    assert!(shown.html.contains("截止前 5 个工作日"));
    assert!(!shown.html.contains("action=\"/settings\""));
    let forged = leader
        .post(
            "/settings",
            &[
                ("csrf", &shown.csrf()),
                ("due_soon", "1"),
                ("yellow", "10"),
                ("red", "30"),
                ("backdate", "7"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(read().await, after);
}

e2e!(a_leader_asks_for_more_time_on_a_finding_from_the_findings_page);
/// The responsible leader's findings page offers the extension form while the deadline is
/// ahead; the request waits on the presidium's list under the finding's words, and approving it
/// moves the finding's deadline.
async fn a_leader_asks_for_more_time_on_a_finding_from_the_findings_page(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let logged = app
        .ok(
            &town.deputy,
            "mutation($i:LogInspectionInput!){ logInspection(input:$i){ findings { id } } }",
            json!({ "i": {
                "kind": "VISIT", "projectId": town.bridge, "visitedOn": day(0),
                "participantIds": [town.yang], "summary": "代表视察风雨桥",
                "findings": [{ "description": "临河一侧防护栏缺失", "responsibleLeaderId": town.li,
                               "responsibleUnitId": town.cunjian, "deadline": day(5) }]
            } }),
        )
        .await;
    let finding = logged["logInspection"]["findings"][0]["id"]
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
    let request = list
        .html
        .split("id=\"extension-")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
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
    assert_eq!(
        refused.refusal().as_deref(),
        Some("「理由」填写有误，请检查后再提交。")
    );
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

e2e!(the_work_calendar_names_holidays_and_hands_out_a_feed_address);
/// October 2024 as the shipped arrangement has it: the National Day week off, Saturday the
/// 12th worked; the feed form makes an address a phone's calendar can read (and a second one
/// ends the first).
async fn the_work_calendar_names_holidays_and_hands_out_a_feed_address(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    town.milestone(&app, json!({ "title": "完成公开招标", "deadline": day(5) }))
        .await;
    let leader = Visitor::new(&app, Some(&town.liming));
    let october = leader.get("/work-calendar?month=2024-10").await;
    assert_eq!(october.status, 200);
    let cell = |n: u32| {
        let marker = format!("<span class=\"day\">{n}</span>");
        let at = october.html.find(&marker).unwrap();
        let open = october.html[..at].rfind("<td").unwrap();
        october.html[open..at].to_string()
    };
    assert!(
        cell(1).contains("rest") && cell(7).contains("rest"),
        "{}",
        cell(1)
    );
    assert!(cell(8).contains("work"));
    assert!(
        cell(12).contains("work"),
        "the make-up Saturday: {}",
        cell(12)
    );
    assert!(cell(13).contains("rest"));
    assert!(october.html.contains("国庆节"));

    let made = leader
        .submit("/work-calendar", "/work-calendar/feed", &[])
        .await;
    assert_eq!(made.status, 200);
    let address = made
        .html
        .split("<code>")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .unwrap()
        .to_string();
    let path = address.trim_start_matches(&app.base).to_string();
    assert!(
        path.starts_with("/calendar/") && path.ends_with(".ics"),
        "{address}"
    );
    let feed = reqwest::get(format!("{}{path}", app.base)).await.unwrap();
    assert_eq!(feed.status(), 200);
    assert!(feed.text().await.unwrap().contains("完成公开招标"));
    leader
        .submit("/work-calendar", "/work-calendar/feed", &[])
        .await;
    assert_eq!(
        reqwest::get(format!("{}{path}", app.base))
            .await
            .unwrap()
            .status(),
        404
    );
}

e2e!(the_presidium_edits_an_item_and_it_moves_to_its_new_leaders_list);
/// The edit form saves the title and the responsible leader through the same use case: the item
/// leaves the old leader's 我的督办事项 for the new one's.
async fn the_presidium_edits_an_item_and_it_moves_to_its_new_leaders_list(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(&app, json!({ "title": "征地", "deadline": day(10) }))
        .await;
    let id = m["id"].as_str().unwrap();
    let page = format!("/milestones/{id}");
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let edited = presidium
        .submit(
            &page,
            &format!("{page}/edit"),
            &[
                ("title", "征地拆迁"),
                ("leader", &town.chen),
                ("unit", &town.jingfa),
                ("start", &day(-3)),
                ("description", "涉及农户12户"),
            ],
        )
        .await;
    assert_eq!(edited.status, 303, "{}", edited.html);
    let stored = app
        .ok(
            &town.presidium,
            "query($id:ID!){ milestone(id:$id){ title description startDate responsibleLeader{ name } responsibleUnit{ name } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(stored["milestone"]["title"], "征地拆迁");
    assert_eq!(stored["milestone"]["responsibleLeader"]["name"], "陈刚");
    assert_eq!(stored["milestone"]["responsibleUnit"]["name"], "经发办");
    assert_eq!(stored["milestone"]["startDate"], day(-3));
    let mine = |token: &str| {
        let visitor = Visitor::new(&app, Some(token));
        async move { visitor.get("/mine").await.html }
    };
    assert!(mine(&town.chengang).await.contains("征地拆迁"));
    assert!(!mine(&town.liming).await.contains("征地拆迁"));
}

e2e!(the_presidium_marks_a_project_completed_on_its_page);
/// The project's edit form changes its facts and its status through the same use case; a
/// project with open items cannot be marked completed (refused in Chinese, nothing changes).
async fn the_presidium_marks_a_project_completed_on_its_page(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(&app, json!({ "title": "竣工验收", "deadline": day(3) }))
        .await;
    let page = format!("/projects/{}", town.bridge);
    let action = format!("{page}/edit");
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let fields = |status: &'static str| {
        [
            ("title", "思蒙国家湿地公园健身步道风雨桥"),
            ("status", status),
            ("location", "思蒙国家湿地公园东门"),
            ("construction", "on"),
        ]
    };
    let project = || {
        let (app, token, id) = (&app, town.presidium.clone(), town.bridge.clone());
        async move {
            app.ok(
                &token,
                "query($id:ID!){ project(id:$id){ status location construction } }",
                json!({ "id": id }),
            )
            .await["project"]
                .clone()
        }
    };
    let refused = presidium.submit(&page, &action, &fields("COMPLETED")).await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(refused.refusal().is_some());
    assert_eq!(project().await["status"], "PLANNED");

    let moved = presidium
        .submit(&page, &action, &fields("IN_PROGRESS"))
        .await;
    assert_eq!(moved.status, 303, "{}", moved.html);
    let after = project().await;
    assert_eq!(after["status"], "IN_PROGRESS");
    assert_eq!(after["location"], "思蒙国家湿地公园东门");
    assert_eq!(after["construction"], true);

    app.ok(
        &town.presidium,
        "mutation($id:ID!,$v:Int!){ cancelMilestone(id:$id, expectedVersion:$v, reason:\"并入主体工程\"){ id } }",
        json!({ "id": m["id"], "v": m["version"] }),
    )
    .await;
    let done = presidium.submit(&page, &action, &fields("COMPLETED")).await;
    assert_eq!(done.status, 303, "{}", done.html);
    assert_eq!(project().await["status"], "COMPLETED");
    assert!(presidium.get(&page).await.html.contains("已完成"));
}
