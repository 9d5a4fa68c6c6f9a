//! Deadline states, lights and roll-ups as clients see them, with `asOf` and in other zones.

use chrono::{Duration, Utc};
use jiandu_tests::town::{Town, day};
use jiandu_tests::{PASSWORD, TestApp, e2e};
use serde_json::json;

const STATE: &str = "query($id:ID!,$d:Date){ milestone(id:$id){ deadlineState(asOf:$d) light(asOf:$d) daysOverdue(asOf:$d) daysLeft(asOf:$d) behindPace(asOf:$d) } }";

async fn every_state_and_light_follows_as_of(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(
            &app,
            json!({ "title": "招标采购", "startDate": "2026-03-01", "deadline": "2026-03-31" }),
        )
        .await;
    let at = |d: &str| {
        let vars = json!({ "id": m["id"], "d": d });
        let app = &app;
        let token = town.viewer.clone();
        async move { app.ok(&token, STATE, vars).await["milestone"].clone() }
    };
    let early = at("2026-03-02").await;
    assert_eq!(
        (early["deadlineState"].as_str(), early["light"].as_str()),
        (Some("UPCOMING"), Some("GREEN"))
    );
    assert_eq!(early["daysLeft"], 29);
    // A third of the way with no progress: 30 points behind pace, so yellow though not yet due.
    let behind = at("2026-03-10").await;
    assert_eq!(
        (behind["deadlineState"].as_str(), behind["light"].as_str()),
        (Some("UPCOMING"), Some("YELLOW"))
    );
    assert_eq!(behind["behindPace"], true);
    // Two thirds of the way, 63 points behind: beyond the red threshold (40), red before the
    // deadline has come.
    let far_behind = at("2026-03-20").await;
    assert_eq!(
        (
            far_behind["deadlineState"].as_str(),
            far_behind["light"].as_str()
        ),
        (Some("UPCOMING"), Some("RED"))
    );
    // Due soon (three working days left), and still at 0 %: the pace keeps it red.
    let soon = at("2026-03-27").await;
    assert_eq!(
        (soon["deadlineState"].as_str(), soon["light"].as_str()),
        (Some("DUE_SOON"), Some("RED"))
    );
    let last_day = at("2026-03-31").await;
    assert_eq!(last_day["deadlineState"], "DUE_SOON");
    assert_eq!(last_day["daysLeft"], 0);
    let late = at("2026-04-03").await;
    assert_eq!(
        (late["deadlineState"].as_str(), late["light"].as_str()),
        (Some("OVERDUE"), Some("RED"))
    );
    assert_eq!(late["daysOverdue"], 3);
    assert_eq!(late["daysLeft"], -3);

    // The overdue list agrees, and is empty before the deadline has passed.
    let overdue = "query($d:Date){ overdueMilestones(asOf:$d){ totalCount nodes{ title } } }";
    assert_eq!(
        app.ok(&town.viewer, overdue, json!({ "d": "2026-04-01" }))
            .await["overdueMilestones"]["totalCount"],
        1
    );
    assert_eq!(
        app.ok(&town.viewer, overdue, json!({ "d": "2026-03-31" }))
            .await["overdueMilestones"]["totalCount"],
        0
    );

    // Done on its deadline day is on time; cancelled is grey and never overdue.
    let done = town
        .milestone(&app, json!({ "title": "立项审批", "deadline": day(-3) }))
        .await;
    app.ok(
        &town.liming,
        "mutation($id:ID!,$v:Int!,$on:Date){ completeMilestone(id:$id,expectedVersion:$v,completedOn:$on){ id } }",
        json!({ "id": done["id"], "v": done["version"], "on": day(-3) }),
    )
    .await;
    let s = app
        .ok(
            &town.viewer,
            STATE,
            json!({ "id": done["id"], "d": day(100) }),
        )
        .await;
    assert_eq!(
        (
            s["milestone"]["deadlineState"].as_str(),
            s["milestone"]["light"].as_str()
        ),
        (Some("DONE_ON_TIME"), Some("GREY"))
    );
    assert!(s["milestone"]["daysLeft"].is_null());
    let cancelled = town
        .milestone(&app, json!({ "title": "二期前期", "deadline": day(-30) }))
        .await;
    app.ok(
        &town.presidium,
        "mutation($id:ID!,$v:Int!){ cancelMilestone(id:$id,expectedVersion:$v,reason:\"并入县级规划\"){ id } }",
        json!({ "id": cancelled["id"], "v": cancelled["version"] }),
    )
    .await;
    let s = app
        .ok(
            &town.viewer,
            STATE,
            json!({ "id": cancelled["id"], "d": day(0) }),
        )
        .await;
    assert_eq!(
        (
            s["milestone"]["deadlineState"].as_str(),
            s["milestone"]["daysOverdue"].as_i64()
        ),
        (Some("CANCELLED"), Some(0))
    );
}
e2e!(every_state_and_light_follows_as_of);

/// A deadline ends at local midnight. Whatever the hour, some zone is a calendar day ahead of UTC
/// (Kiritimati, UTC+14, from 10:00 UTC) or behind it (Pago Pago, UTC−11, before 11:00 UTC); an
/// organisation there must be judged by its own date, not UTC's.
async fn the_deadline_day_ends_at_local_midnight_not_utc(app: TestApp) {
    let utc_today = Utc::now().date_naive();
    let (zone, local_today) =
        if Utc::now().time() >= chrono::NaiveTime::from_hms_opt(10, 30, 0).unwrap() {
            ("Pacific/Kiritimati", utc_today + Duration::days(1))
        } else {
            ("Pacific/Pago_Pago", utc_today - Duration::days(1))
        };
    let (org, presidium) = app.organization("时区镇", Some(zone), None).await;
    let _ = org;
    let q = |query: &'static str, vars: serde_json::Value| {
        let app = &app;
        let presidium = presidium.clone();
        async move { app.ok(&presidium, query, vars).await }
    };
    let unit = q(
        "mutation{ createUnit(input:{name:\"村建办\"}){ id } }",
        json!({}),
    )
    .await["createUnit"]["id"]
        .clone();
    let leader = q(
        "mutation{ createPerson(input:{name:\"李明\"}){ id } }",
        json!({}),
    )
    .await["createPerson"]["id"]
        .clone();
    let project = q(
        "mutation{ createProject(input:{title:\"风雨桥\",origin:OTHER}){ id } }",
        json!({}),
    )
    .await["createProject"]["id"]
        .clone();
    let add = "mutation($p:ID!,$l:ID!,$u:ID!,$d:Date!){ addMilestone(input:{projectId:$p,title:\"节点\",responsibleLeaderId:$l,responsibleUnitId:$u,deadline:$d}){ id version deadlineState dueBy } }";
    // Due on the UTC date: overdue if the zone is already a day ahead; if it is a day behind,
    // due tomorrow there (its first working day on or after it is never more than one working
    // day away), so due soon and not late.
    let on_utc_day = q(
        add,
        json!({ "p": project, "l": leader, "u": unit, "d": utc_today.to_string() }),
    )
    .await;
    // A UTC date on a rest day is due by the next working day (docs/rules.md §4): late only once
    // the zone's date is past that day.
    let due_by: chrono::NaiveDate = on_utc_day["addMilestone"]["dueBy"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let late = local_today > due_by;
    let expected = if late { "OVERDUE" } else { "DUE_SOON" };
    assert_eq!(
        on_utc_day["addMilestone"]["deadlineState"], expected,
        "zone {zone}"
    );
    // Due on the local date: due today, and completed now it is on time.
    let on_local_day = q(
        add,
        json!({ "p": project, "l": leader, "u": unit, "d": local_today.to_string() }),
    )
    .await;
    assert_eq!(
        on_local_day["addMilestone"]["deadlineState"], "DUE_SOON",
        "zone {zone}"
    );
    let done = q(
        "mutation($id:ID!,$v:Int!){ completeMilestone(id:$id,expectedVersion:$v){ deadlineState } }",
        json!({ "id": on_local_day["addMilestone"]["id"], "v": on_local_day["addMilestone"]["version"] }),
    )
    .await;
    assert_eq!(
        done["completeMilestone"]["deadlineState"], "DONE_ON_TIME",
        "zone {zone}"
    );
    // The SQL filter uses the organisation's date too.
    let overdue = q("{ overdueMilestones{ totalCount } }", json!({})).await;
    assert_eq!(overdue["overdueMilestones"]["totalCount"], i64::from(late));
    let _ = PASSWORD;
}
e2e!(the_deadline_day_ends_at_local_midnight_not_utc);

async fn lights_and_progress_roll_up_a_three_level_tree(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let root = town
        .milestone(&app, json!({ "title": "主体施工", "deadline": day(60) }))
        .await;
    let middle = town
        .milestone(
            &app,
            json!({ "title": "桥体", "deadline": day(50), "parentId": root["id"] }),
        )
        .await;
    let leaf_late = town
        .milestone(
            &app,
            json!({ "title": "廊亭吊装", "deadline": day(-1), "parentId": middle["id"] }),
        )
        .await;
    let leaf_ok = town
        .milestone(
            &app,
            json!({ "title": "桥面铺装", "deadline": day(40), "parentId": middle["id"] }),
        )
        .await;
    let sibling = town
        .milestone(
            &app,
            json!({ "title": "照明", "deadline": day(2), "parentId": root["id"] }),
        )
        .await;
    let report =
        "mutation($id:ID!,$p:Int!){ reportProgress(milestoneId:$id,progress:$p){ progress } }";
    app.ok(
        &town.liming,
        report,
        json!({ "id": leaf_late["id"], "p": 60 }),
    )
    .await;
    app.ok(
        &town.liming,
        report,
        json!({ "id": leaf_ok["id"], "p": 20 }),
    )
    .await;
    app.ok(
        &town.liming,
        report,
        json!({ "id": sibling["id"], "p": 10 }),
    )
    .await;

    let tree = "query($id:ID!,$d:Date){ milestone(id:$id){ progress light(asOf:$d) deadlineState(asOf:$d) children{ title light(asOf:$d) progress } } }";
    let r = app
        .ok(&town.viewer, tree, json!({ "id": root["id"] }))
        .await;
    assert_eq!(
        r["milestone"]["light"], "RED",
        "a red grandchild turns the root red"
    );
    assert_eq!(
        r["milestone"]["deadlineState"], "UPCOMING",
        "its own state is unchanged"
    );
    assert_eq!(
        r["milestone"]["progress"], 25,
        "mean of 桥体 (40) and 照明 (10)"
    );
    let m = app
        .ok(&town.viewer, tree, json!({ "id": middle["id"] }))
        .await;
    assert_eq!(m["milestone"]["progress"], 40);
    assert_eq!(m["milestone"]["light"], "RED");

    // Once the late leaf is done, the yellow (due-soon) sibling is the worst left.
    let late_now = app
        .ok(
            &town.liming,
            "query($id:ID!){ milestone(id:$id){ version } }",
            json!({ "id": leaf_late["id"] }),
        )
        .await;
    app.ok(
        &town.liming,
        "mutation($id:ID!,$v:Int!){ completeMilestone(id:$id,expectedVersion:$v){ id } }",
        json!({ "id": leaf_late["id"], "v": late_now["milestone"]["version"] }),
    )
    .await;
    let r = app
        .ok(&town.viewer, tree, json!({ "id": root["id"] }))
        .await;
    assert_eq!(r["milestone"]["light"], "YELLOW");
    assert_eq!(
        r["milestone"]["progress"], 35,
        "桥体 is now (100 + 20) / 2 = 60; (60 + 10) / 2"
    );
    let project = town.bridge_as(&app, &town.viewer, "light progress").await;
    assert_eq!(project["light"], "YELLOW");
    assert_eq!(project["progress"], 35);
    let filtered = app
        .ok(&town.viewer, "{ projects(filter:{light:[YELLOW]}){ totalCount } red: projects(filter:{light:[RED]}){ totalCount } }", json!({}))
        .await;
    assert_eq!(filtered["projects"]["totalCount"], 1);
    assert_eq!(filtered["red"]["totalCount"], 0);

    // Leaders cannot report on a parent: its progress comes from its children.
    let refused = app
        .gql(
            Some(&town.liming),
            report,
            json!({ "id": root["id"], "p": 90 }),
        )
        .await;
    assert_eq!(jiandu_tests::code(&refused), "VALIDATION_FAILED");
}
e2e!(lights_and_progress_roll_up_a_three_level_tree);
