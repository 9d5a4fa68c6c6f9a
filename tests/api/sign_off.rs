//! Sign-off (销号) and return (退回重办): a reported completion is signed off by the presidium,
//! or sent back by the presidium or a deputy with the reason; never by whoever reported it.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{Backend, TestApp, e2e};
use serde_json::{Value, json};

const SIGN_OFF: &str = "mutation($id:ID!,$v:Int!,$n:String){ signOffMilestone(id:$id,expectedVersion:$v,note:$n){ id version status deadlineState signedOffAt signedOffBy { username } } }";
const RETURN: &str = "mutation($id:ID!,$v:Int!,$r:String!){ returnMilestone(id:$id,expectedVersion:$v,reason:$r){ id version status progress completedOn deadlineState } }";

async fn reported_done(app: &TestApp, town: &Town, title: &str) -> Value {
    let m = town
        .milestone(app, json!({ "title": title, "deadline": day(16) }))
        .await;
    app.complete(&town.liming, &m["id"], &m["version"]).await
}

async fn the_presidium_signs_off_a_reported_completion(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let done = reported_done(&app, &town, "桥面铺装").await;
    app.refused(
        &town.liming,
        SIGN_OFF,
        json!({ "id": done["id"], "v": done["version"] }),
        "FORBIDDEN",
    )
    .await;
    app.refused(
        &town.deputy,
        SIGN_OFF,
        json!({ "id": done["id"], "v": done["version"] }),
        "FORBIDDEN",
    )
    .await;

    let figures = "query($p:ID!){ dashboard { pendingSignOff milestones { done doneOnTime closed } } project(id:$p){ counts { pendingSignOff closed } } }";
    let waiting = app
        .ok(&town.presidium, figures, json!({ "p": town.bridge }))
        .await;
    assert_eq!(waiting["dashboard"]["pendingSignOff"], 1);
    assert_eq!(waiting["dashboard"]["milestones"]["closed"], 0);
    assert_eq!(waiting["project"]["counts"]["pendingSignOff"], 1);
    let closed = app
        .ok(
            &town.presidium,
            SIGN_OFF,
            json!({ "id": done["id"], "v": done["version"], "n": "资料齐全，同意销号" }),
        )
        .await["signOffMilestone"]
        .clone();
    assert_eq!(closed["status"], "CLOSED");
    assert_eq!(closed["deadlineState"], "DONE_ON_TIME");
    assert!(closed["signedOffAt"].is_string());
    assert!(
        closed["signedOffBy"]["username"]
            .as_str()
            .unwrap()
            .starts_with("presidium-")
    );
    // Signed off is final.
    app.refused(
        &town.presidium,
        SIGN_OFF,
        json!({ "id": closed["id"], "v": closed["version"] }),
        "VALIDATION_FAILED",
    )
    .await;
    app
        .refused(
            &town.presidium,
            "mutation($id:ID!,$v:Int!){ rescheduleMilestone(id:$id,expectedVersion:$v,newDeadline:\"2030-01-01\",reason:\"x\"){ id } }",
            json!({ "id": closed["id"], "v": closed["version"] }),
            "VALIDATION_FAILED",
        )
        .await;

    // Still counted as done, and the ledger says 已销号.
    let figures = app
        .ok(&town.presidium, figures, json!({ "p": town.bridge }))
        .await;
    assert_eq!(figures["dashboard"]["pendingSignOff"], 0);
    assert_eq!(figures["dashboard"]["milestones"]["closed"], 1);
    assert_eq!(figures["project"]["counts"]["closed"], 1);
    assert_eq!(figures["dashboard"]["milestones"]["done"], 1);
    assert_eq!(figures["dashboard"]["milestones"]["doneOnTime"], 1);
    let csv = app.text(&town.presidium, "/export/ledger.csv").await;
    let line = csv.lines().find(|l| l.contains(",桥面铺装,")).unwrap();
    assert!(line.contains(",已销号,"), "{line}");
}
e2e!(the_presidium_signs_off_a_reported_completion);

/// A completion sent back is open again, at the progress last reported before it (60, not the
/// 100 the completion set), and is done again.
async fn a_returned_completion_is_done_again(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(&app, json!({ "title": "护栏安装", "deadline": day(16) }))
        .await;
    app.ok(
        &town.liming,
        "mutation($id:ID!){ reportProgress(milestoneId:$id,progress:60,note:\"立柱已安装\"){ id } }",
        json!({ "id": m["id"] }),
    )
    .await;
    let current = app
        .ok(
            &town.liming,
            "query($id:ID!){ milestone(id:$id){ version } }",
            json!({ "id": m["id"] }),
        )
        .await;
    let done = app
        .complete(&town.liming, &m["id"], &current["milestone"]["version"])
        .await;
    let silent = app
        .gql(
            Some(&town.deputy),
            RETURN,
            json!({ "id": done["id"], "v": done["version"], "r": " " }),
        )
        .await;
    assert_eq!(silent["errors"][0]["extensions"]["field"], "reason");
    app.refused(
        &town.liming,
        RETURN,
        json!({ "id": done["id"], "v": done["version"], "r": "撤回" }),
        "FORBIDDEN",
    )
    .await;

    let returned = app
        .ok(
            &town.deputy,
            RETURN,
            json!({ "id": done["id"], "v": done["version"], "r": "护栏高度不足1.1米" }),
        )
        .await["returnMilestone"]
        .clone();
    assert_eq!(returned["status"], "IN_PROGRESS");
    assert_eq!(
        returned["progress"], 60,
        "the progress before the completion"
    );
    assert!(returned["completedOn"].is_null());
    assert_eq!(returned["deadlineState"], "UPCOMING");
    let event = app
        .event(&town.presidium, &done["id"], "milestone.return")
        .await;
    assert_eq!(event["after"]["reason"], "护栏高度不足1.1米");

    // Done again, and this time signed off.
    let again = app
        .complete(&town.liming, &returned["id"], &returned["version"])
        .await;
    assert_eq!(again["status"], "DONE");
    let closed = app
        .ok(
            &town.presidium,
            SIGN_OFF,
            json!({ "id": again["id"], "v": again["version"] }),
        )
        .await;
    assert_eq!(closed["signOffMilestone"]["status"], "CLOSED");
}
e2e!(a_returned_completion_is_done_again);

async fn the_presidium_does_not_sign_off_its_own_report(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(&app, json!({ "title": "竣工验收", "deadline": day(5) }))
        .await;
    let done = app.complete(&town.presidium, &m["id"], &m["version"]).await;
    app.refused(
        &town.presidium,
        SIGN_OFF,
        json!({ "id": done["id"], "v": done["version"] }),
        "FORBIDDEN",
    )
    .await;
}
e2e!(the_presidium_does_not_sign_off_its_own_report);

/// A database of the schema before sign-off, with a milestone accepted under the old rules and
/// one reported done: migrated, the accepted one is signed off by whoever accepted it (and says
/// so in its history), the done one waits for sign-off.
async fn accepted_milestones_are_signed_off_when_migrated(backend: Backend) {
    use jiandu_migration::{Migrator, MigratorTrait};
    use jiandu_tests::{EmptyDatabase, execute_numbered};
    use sea_orm::{ConnectionTrait, Statement};
    let empty = EmptyDatabase::new(backend).await;
    let (db, old) = empty.old_town_at(12).await;
    let conn = db.conn();
    let id = || uuid::Uuid::now_v7();
    let deputy = id();
    let (accepted, reported) = (id(), id());
    let now = chrono::Utc::now();
    execute_numbered(conn, "INSERT INTO app_user (id, organization_id, username, password_hash, role, person_id, created_at) VALUES ($1, $2, 'yang', 'x', 'DEPUTY', NULL, $3)", vec![deputy.into(), old.org.into(), now.into()]).await;
    for (milestone, status) in [(accepted, "VERIFIED"), (reported, "DONE")] {
        execute_numbered(conn, &format!("INSERT INTO milestone (id, organization_id, project_id, parent_id, title, description, responsible_leader_id, responsible_unit_id, responsible_person_id, start_date, deadline, original_deadline, on_time_deadline, times_rescheduled, status, progress, weight, completed_at, completed_on, version, created_at, updated_at) VALUES ($1, $2, $3, NULL, '桥体', NULL, $4, $5, NULL, NULL, '{d}', '{d}', '{d}', 0, '{status}', 100, 1, $6, '{d}', 3, $6, $6)", d = day(-3)), vec![milestone.into(), old.org.into(), old.project.into(), old.person.into(), old.unit.into(), now.into()]).await;
    }
    execute_numbered(conn, "INSERT INTO audit_event (id, organization_id, actor_id, action, entity_type, entity_id, before, after, at) VALUES ($1, $2, $3, 'milestone.accept', 'Milestone', $4, NULL, NULL, $5)", vec![id().into(), old.org.into(), deputy.into(), accepted.into(), now.into()]).await;

    Migrator::up(conn, None).await.unwrap();
    let param = if backend == Backend::Sqlite {
        "?1"
    } else {
        "$1"
    };
    let row = |m: uuid::Uuid| {
        let sql =
            format!("SELECT status, signed_off_by, version FROM milestone WHERE id = {param}");
        async move {
            conn.query_one_raw(Statement::from_sql_and_values(
                conn.get_database_backend(),
                sql,
                vec![m.into()],
            ))
            .await
            .unwrap()
            .unwrap()
        }
    };
    let closed = row(accepted).await;
    assert_eq!(closed.try_get_by_index::<String>(0).unwrap(), "CLOSED");
    assert_eq!(
        closed.try_get_by_index::<Option<uuid::Uuid>>(1).unwrap(),
        Some(deputy)
    );
    assert_eq!(closed.try_get_by_index::<i32>(2).unwrap(), 4);
    let waiting = row(reported).await;
    assert_eq!(waiting.try_get_by_index::<String>(0).unwrap(), "DONE");
    let history = conn
        .query_one_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            format!("SELECT COUNT(*) FROM audit_event WHERE entity_id = {param} AND action = 'milestone.sign_off'"),
            vec![accepted.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(history.try_get_by_index::<i64>(0).unwrap(), 1);
    db.close().await;
}

jiandu_tests::on_both_backends!(
    accepted_milestones_are_signed_off_when_migrated =>
        accepted_milestones_are_signed_off_when_migrated_on_sqlite,
        accepted_milestones_are_signed_off_when_migrated_on_postgres
);
