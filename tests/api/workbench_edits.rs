//! The presidium's edits at the workbench — its rules, an item, a project and its status — and
//! the working-day calendar with a person's feed address.

use jiandu_tests::town::{Town, day};
use jiandu_tests::web::Visitor;
use jiandu_tests::{TestApp, e2e};
use serde_json::json;

e2e!(the_presidium_sets_its_rules_and_everyone_else_reads_them);
/// The rules form saves through the same use case (the API reads the new values); a value out
/// of range is refused naming the field in Chinese and changes nothing; a leader sees the rules
/// without a form, and a post of theirs is refused.
async fn the_presidium_sets_its_rules_and_everyone_else_reads_them(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let read = || {
        let (app, token) = (&app, town.presidium.clone());
        async move {
            app.ok(&token, "{ me { organization { settings { dueSoonWorkingDays behindPaceRedPoints rollDeadlinesOffRestDays signOffRequired assessmentPassRate assessmentRectifyDays opinionReplyDays } } } }", json!({}))
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
            ("pass", "75"),
            ("rectify", "20"),
            ("reply", "30"),
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
    assert_eq!(after["assessmentPassRate"], 0.75);
    assert_eq!(after["assessmentRectifyDays"], 20);
    assert_eq!(after["opinionReplyDays"], 30);

    let refused = presidium
        .submit("/settings", "/settings", &fields("3", "0"))
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.refusal().as_deref(),
        Some("「红灯百分点」应在1到100之间。")
    );
    assert_eq!(read().await, after);

    let leader = Visitor::new(&app, Some(&town.liming));
    let shown = leader.get("/settings").await;
    assert!(shown.html.contains("截止前 5 个工作日"));
    assert!(shown.html.contains("满意率 75%") && shown.html.contains("交办后 30 个工作日"));
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
                ("pass", "60"),
                ("rectify", "30"),
                ("reply", "60"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(read().await, after);
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
