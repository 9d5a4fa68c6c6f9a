//! The covered bridge, end to end: the presidium splits it, leaders report, a node slips with a
//! reason, one is done late, a deputy verifies, and everything is on record.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::json;

const MILESTONE: &str = "query($id:ID!){ milestone(id:$id){ title status progress deadline originalDeadline timesRescheduled
    deadlineState daysOverdue light version completedAt
    deadlineChanges{ from to reason changedBy{ username } }
    progressReports{ progress note reportedBy{ username } } } }";

async fn covered_bridge_story(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇人大主席团").await;
    let design = town
        .milestone(
            &app,
            json!({ "title": "方案设计", "deadline": day(-10), "startDate": day(-40) }),
        )
        .await;
    let build = town
        .milestone(
            &app,
            json!({ "title": "主体施工", "deadline": day(30), "responsiblePersonId": town.liu }),
        )
        .await;
    let piers = town
        .milestone(&app, json!({ "title": "基础及桥墩施工", "parentId": build["id"], "deadline": day(16), "weight": 3 }))
        .await;
    let deck = town
        .milestone(&app, json!({ "title": "桥体及廊亭建设", "parentId": build["id"], "deadline": day(20), "responsibleLeaderId": town.chen, "responsibleUnitId": town.jingfa }))
        .await;

    // The design was finished but entered late: back-dated to two days after its deadline. That
    // is further back than its leader may date it (seven days); the presidium enters it (补报).
    let complete = "mutation($id:ID!,$v:Int!,$on:Date){ completeMilestone(id:$id,expectedVersion:$v,note:\"方案通过评审\",completedOn:$on){ status deadlineState daysOverdue completionBackdated version } }";
    let vars = json!({ "id": design["id"], "v": design["version"], "on": day(-8) });
    let too_late = app.gql(Some(&town.liming), complete, vars.clone()).await;
    assert_eq!(too_late["errors"][0]["extensions"]["field"], "completedOn");
    let done = app.ok(&town.presidium, complete, vars).await;
    assert_eq!(done["completeMilestone"]["completionBackdated"], true);
    assert_eq!(done["completeMilestone"]["status"], "DONE");
    assert_eq!(done["completeMilestone"]["deadlineState"], "DONE_LATE");
    assert_eq!(done["completeMilestone"]["daysOverdue"], 2);

    // A deputy verifies it.
    let verified = app
        .ok(
            &town.deputy,
            "mutation($id:ID!,$v:Int!){ verifyMilestone(id:$id,expectedVersion:$v,verdict:ACCEPTED,note:\"资料齐全\"){ status deadlineState } }",
            json!({ "id": design["id"], "v": done["completeMilestone"]["version"] }),
        )
        .await;
    assert_eq!(verified["verifyMilestone"]["status"], "VERIFIED");
    assert_eq!(verified["verifyMilestone"]["deadlineState"], "DONE_LATE");

    // Leaders report on their own nodes; the parent's progress follows (weights 3:1).
    app.ok(&town.liming, "mutation($id:ID!){ reportProgress(milestoneId:$id,progress:40,note:\"桥墩浇筑过半\"){ progress } }", json!({ "id": piers["id"] }))
        .await;
    app.ok(
        &town.chengang,
        "mutation($id:ID!){ reportProgress(milestoneId:$id,progress:80){ progress } }",
        json!({ "id": deck["id"] }),
    )
    .await;
    let parent = app
        .ok(&town.viewer, MILESTONE, json!({ "id": build["id"] }))
        .await;
    assert_eq!(parent["milestone"]["progress"], 50, "(40·3 + 80·1) / 4");
    assert_eq!(parent["milestone"]["status"], "IN_PROGRESS");

    // The deck slips, with a reason; the original deadline stays visible.
    let deck_now = app
        .ok(&town.presidium, MILESTONE, json!({ "id": deck["id"] }))
        .await;
    let slipped = app
        .ok(
            &town.presidium,
            "mutation($id:ID!,$v:Int!,$d:Date!){ rescheduleMilestone(id:$id,expectedVersion:$v,newDeadline:$d,reason:\"汛期河水上涨，吊装顺延\"){ deadline originalDeadline timesRescheduled } }",
            json!({ "id": deck["id"], "v": deck_now["milestone"]["version"], "d": day(27) }),
        )
        .await;
    assert_eq!(slipped["rescheduleMilestone"]["deadline"], day(27));
    assert_eq!(slipped["rescheduleMilestone"]["originalDeadline"], day(20));
    assert_eq!(slipped["rescheduleMilestone"]["timesRescheduled"], 1);
    let deck_after = app
        .ok(&town.viewer, MILESTONE, json!({ "id": deck["id"] }))
        .await;
    let change = &deck_after["milestone"]["deadlineChanges"][0];
    assert_eq!(change["from"], day(20));
    assert_eq!(change["to"], day(27));
    assert_eq!(change["reason"], "汛期河水上涨，吊装顺延");
    assert!(
        change["changedBy"]["username"]
            .as_str()
            .unwrap()
            .starts_with("presidium-")
    );
    let reports = &deck_after["milestone"]["progressReports"];
    assert_eq!(reports[0]["progress"], 80);

    // The project rolls it all up.
    let fields = "progress light counts{ total open done doneOnTime doneLate overdue dueSoon cancelled onTimeRate pendingSignOff }
                  rootMilestones{ title children{ title } }";
    let p = &town.bridge_as(&app, &town.viewer, fields).await;
    // Three supervised items: 主体施工 only sums up its two children. The design is checked but
    // not yet signed off, so not yet 办结, and the one item due so far is not concluded.
    assert_eq!(p["counts"]["total"], 3);
    assert_eq!(p["counts"]["done"], 0);
    assert_eq!(p["counts"]["pendingSignOff"], 1);
    assert_eq!(p["counts"]["open"], 2);
    assert_eq!(p["counts"]["onTimeRate"], 0.0);
    assert_eq!(p["rootMilestones"].as_array().unwrap().len(), 2);
    assert_eq!(
        p["progress"], 75,
        "mean of 方案设计 (done, 100) and 主体施工 (50)"
    );
    assert_eq!(p["light"], "GREEN");

    // Every change is in the history, with before and after.
    let history = app.history(&town.viewer, &design["id"]).await;
    assert_eq!(
        app.actions(&town.viewer, &design["id"]).await,
        ["milestone.add", "milestone.complete", "milestone.accept"]
    );
    assert_eq!(history[1]["before"]["status"], "NOT_STARTED");
    assert_eq!(history[1]["after"]["status"], "DONE");

    // A rejected milestone goes back to work with the note on record.
    let piers_now = app
        .ok(&town.liming, MILESTONE, json!({ "id": piers["id"] }))
        .await;
    let piers_done = app
        .complete(
            &town.liming,
            &piers["id"],
            &piers_now["milestone"]["version"],
        )
        .await;
    let rejected = app
        .ok(
            &town.deputy,
            "mutation($id:ID!,$v:Int!){ verifyMilestone(id:$id,expectedVersion:$v,verdict:REJECTED,note:\"桥墩养护期不足\"){ status completedAt } }",
            json!({ "id": piers["id"], "v": piers_done["version"] }),
        )
        .await;
    assert_eq!(rejected["verifyMilestone"]["status"], "IN_PROGRESS");
    assert!(rejected["verifyMilestone"]["completedAt"].is_null());
    let history = app.history(&town.viewer, &piers["id"]).await;
    let last = history.last().unwrap();
    assert_eq!(last["action"], "milestone.reject");
    assert_eq!(last["after"]["note"], "桥墩养护期不足");
}
e2e!(covered_bridge_story);

async fn a_stale_version_is_a_conflict_and_changes_nothing(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(&app, json!({ "title": "方案设计", "deadline": day(10) }))
        .await;
    let update = "mutation($id:ID!,$v:Int!,$t:String){ updateMilestone(id:$id,expectedVersion:$v,input:{title:$t}){ title version } }";
    let first = app
        .ok(
            &town.presidium,
            update,
            json!({ "id": m["id"], "v": m["version"], "t": "初步设计" }),
        )
        .await;
    assert_eq!(first["updateMilestone"]["version"], 2);
    // A second editor still holding version 1.
    app.refused(
        &town.presidium,
        update,
        json!({ "id": m["id"], "v": m["version"], "t": "施工图设计" }),
        "CONFLICT",
    )
    .await;
    app
        .refused(
            &town.presidium,
            "mutation($id:ID!,$v:Int!){ rescheduleMilestone(id:$id,expectedVersion:$v,newDeadline:\"2030-01-01\",reason:\"r\"){ version } }",
            json!({ "id": m["id"], "v": m["version"] }),
            "CONFLICT",
        )
        .await;
    let now = app
        .ok(&town.viewer, MILESTONE, json!({ "id": m["id"] }))
        .await;
    assert_eq!(now["milestone"]["title"], "初步设计");
    assert_eq!(now["milestone"]["version"], 2);
    assert_eq!(now["milestone"]["timesRescheduled"], 0);
    let history = app
        .ok(
            &town.viewer,
            "query($id:ID!){ history(entityId:$id){ totalCount } }",
            json!({ "id": m["id"] }),
        )
        .await;
    assert_eq!(
        history["history"]["totalCount"], 2,
        "add and one update, nothing from the refused writes"
    );

    let update_project = "mutation($id:ID!,$v:Int!){ updateProject(id:$id,expectedVersion:$v,input:{status:IN_PROGRESS}){ version status } }";
    let v = town.bridge_as(&app, &town.presidium, "version").await["version"].clone();
    app.ok(
        &town.presidium,
        update_project,
        json!({ "id": town.bridge, "v": v }),
    )
    .await;
    assert_eq!(
        code(
            &app.gql(
                Some(&town.presidium),
                update_project,
                json!({ "id": town.bridge, "v": v })
            )
            .await
        ),
        "CONFLICT"
    );
}
e2e!(a_stale_version_is_a_conflict_and_changes_nothing);
