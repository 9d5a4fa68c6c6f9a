//! The on-time deadline (docs/rules.md §3): a deadline moved once it had lapsed is a late change, which
//! gives a new target but never turns a late item into an on-time one; a move made in time
//! moves the target too. Every view of the state agrees: the field, the SQL filter, the figures.

use jiandu_migration::{Migrator, MigratorTrait};
use jiandu_tests::town::{Town, day, today};
use jiandu_tests::{Backend, EmptyDatabase, TestApp, e2e, execute_numbered};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

const RESCHEDULE: &str = "mutation($id:ID!,$v:Int!,$d:Date!){ rescheduleMilestone(id:$id,expectedVersion:$v,newDeadline:$d,reason:\"管线迁改滞后\"){ id version deadline onTimeDeadline deadlineState deadlineChanges { lateChange } } }";
const COMPLETE: &str = "mutation($id:ID!,$v:Int!){ completeMilestone(id:$id,expectedVersion:$v){ deadlineState daysOverdue onTimeDeadline } }";

async fn moved(app: &TestApp, town: &Town, m: &Value, to: String) -> Value {
    app.ok(
        &town.presidium,
        RESCHEDULE,
        json!({ "id": m["id"], "v": m["version"], "d": to }),
    )
    .await["rescheduleMilestone"]
        .clone()
}

async fn a_lapsed_deadline_moved_gives_a_new_target_but_not_an_on_time_completion(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    // The leader's report concludes an item here, so the dashboard's figures follow at once.
    app.ok(
        &town.presidium,
        "mutation{ updateOrganizationSettings(input:{signOffRequired:false}){ id } }",
        json!({}),
    )
    .await;
    let late = town
        .milestone(
            &app,
            json!({ "title": "沿线管网迁改", "deadline": day(-5) }),
        )
        .await;
    let late = moved(&app, &town, &late, day(16)).await;
    assert_eq!(late["deadlineChanges"][0]["lateChange"], true);
    assert_eq!(late["onTimeDeadline"], day(-5));
    // While open, it follows the deadline in force: no longer overdue.
    assert_eq!(late["deadlineState"], "UPCOMING");

    let timely = town
        .milestone(&app, json!({ "title": "路面黑化", "deadline": day(5) }))
        .await;
    let timely = moved(&app, &town, &timely, day(10)).await;
    assert_eq!(timely["deadlineChanges"][0]["lateChange"], false);
    assert_eq!(timely["onTimeDeadline"], day(10));

    let overdue = app
        .ok(
            &town.presidium,
            "{ overdueMilestones { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(overdue["overdueMilestones"]["totalCount"], 0);

    let done_late = app
        .ok(
            &town.liming,
            COMPLETE,
            json!({ "id": late["id"], "v": late["version"] }),
        )
        .await;
    assert_eq!(done_late["completeMilestone"]["deadlineState"], "DONE_LATE");
    assert_eq!(done_late["completeMilestone"]["daysOverdue"], 5);
    let done = app
        .ok(
            &town.liming,
            COMPLETE,
            json!({ "id": timely["id"], "v": timely["version"] }),
        )
        .await;
    assert_eq!(done["completeMilestone"]["deadlineState"], "DONE_ON_TIME");

    // The SQL filter and the figures say the same.
    let figures = app
        .ok(
            &town.presidium,
            "{ late: milestones(filter:{deadlineState:[DONE_LATE]}) { nodes { title } }
               onTime: milestones(filter:{deadlineState:[DONE_ON_TIME]}) { nodes { title } }
               dashboard { milestones { doneOnTime doneLate } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        figures["late"]["nodes"],
        json!([{ "title": "沿线管网迁改" }])
    );
    assert_eq!(figures["onTime"]["nodes"], json!([{ "title": "路面黑化" }]));
    assert_eq!(figures["dashboard"]["milestones"]["doneOnTime"], 1);
    assert_eq!(figures["dashboard"]["milestones"]["doneLate"], 1);
}
e2e!(a_lapsed_deadline_moved_gives_a_new_target_but_not_an_on_time_completion);

/// A database made before this change, with moves in its history, migrated: each move judged on
/// the day it was made in its organisation's zone.
async fn existing_histories_are_judged_when_migrated(backend: Backend) {
    let empty = EmptyDatabase::new(backend).await;
    let db = empty.open().await;
    let conn = db.conn();
    Migrator::up(conn, Some(10)).await.unwrap();
    let app_backend = conn.get_database_backend();
    let id = || uuid::Uuid::now_v7();
    let (org, project, person, unit, user, m) = (id(), id(), id(), id(), id(), id());
    let d = |offset: i64| (today() + chrono::Duration::days(offset)).to_string();
    // Beijing 01:00 on day 0 is 17:00 UTC on day -1: judged in the zone, the move from day -1
    // is late; judged in UTC it would not be.
    let early_today =
        (today().and_hms_opt(1, 0, 0).unwrap() - chrono::Duration::hours(8)).and_utc();
    let now = chrono::Utc::now();
    let statements: Vec<(String, Vec<sea_orm::Value>)> = vec![
        ("INSERT INTO organization (id, name, timezone, parent_id, created_at) VALUES ($1, '思蒙镇', 'Asia/Shanghai', NULL, $2)".into(), vec![org.into(), now.into()]),
        ("INSERT INTO app_user (id, organization_id, username, password_hash, role, person_id, created_at) VALUES ($1, $2, 'renda', 'x', 'PRESIDIUM', NULL, $3)".into(), vec![user.into(), org.into(), now.into()]),
        ("INSERT INTO unit (id, organization_id, name, created_at) VALUES ($1, $2, '村建办', $3)".into(), vec![unit.into(), org.into(), now.into()]),
        ("INSERT INTO person (id, organization_id, name, title, unit_id, created_at) VALUES ($1, $2, '李明', NULL, NULL, $3)".into(), vec![person.into(), org.into(), now.into()]),
        ("INSERT INTO project (id, organization_id, title, description, origin, status, lead_leader_id, location, planned_start, planned_end, completed_on, version, created_at, updated_at) VALUES ($1, $2, '风雨桥', NULL, 'OTHER', 'IN_PROGRESS', NULL, NULL, NULL, NULL, NULL, 1, $3, $3)".into(), vec![project.into(), org.into(), now.into()]),
        (format!("INSERT INTO milestone (id, organization_id, project_id, parent_id, title, description, responsible_leader_id, responsible_unit_id, responsible_person_id, start_date, deadline, original_deadline, times_rescheduled, status, progress, weight, completed_at, completed_on, version, created_at, updated_at) VALUES ($1, $2, $3, NULL, '桥体', NULL, $4, $5, NULL, NULL, '{}', '{}', 2, 'IN_PROGRESS', 10, 1, NULL, NULL, 1, $6, $6)", d(20), d(-10)), vec![m.into(), org.into(), project.into(), person.into(), unit.into(), now.into()]),
        // In time: from day -10, made on day -12, to day -1.
        (format!("INSERT INTO deadline_change (id, milestone_id, from_date, to_date, reason, changed_by, changed_at) VALUES ($1, $2, '{}', '{}', '提前申请', $3, $4)", d(-10), d(-1)), vec![id().into(), m.into(), user.into(), (now - chrono::Duration::days(12)).into()]),
        // Late: from day -1, made early on day 0 Beijing time, to day 20.
        (format!("INSERT INTO deadline_change (id, milestone_id, from_date, to_date, reason, changed_by, changed_at) VALUES ($1, $2, '{}', '{}', '逾期后调整', $3, $4)", d(-1), d(20)), vec![id().into(), m.into(), user.into(), early_today.into()]),
    ];
    for (sql, values) in statements {
        execute_numbered(conn, &sql, values).await;
    }
    Migrator::up(conn, None).await.unwrap();
    let row = |sql: &str| {
        conn.query_all_raw(Statement::from_sql_and_values(
            app_backend,
            sql,
            vec![m.into()],
        ))
    };
    let param = if backend == Backend::Sqlite {
        "?"
    } else {
        "$1"
    };
    let flags = row(&format!(
        "SELECT late_change FROM deadline_change WHERE milestone_id = {param} ORDER BY changed_at"
    ))
    .await
    .unwrap();
    let flags: Vec<bool> = flags
        .iter()
        .map(|r| r.try_get_by_index::<bool>(0).unwrap())
        .collect();
    assert_eq!(flags, [false, true]);
    let on_time = row(&format!(
        "SELECT on_time_deadline FROM milestone WHERE id = {param}"
    ))
    .await
    .unwrap();
    let on_time: chrono::NaiveDate = on_time[0].try_get_by_index(0).unwrap();
    assert_eq!(on_time.to_string(), d(-1));
    db.close().await;
}

jiandu_tests::on_both_backends!(
    existing_histories_are_judged_when_migrated =>
        existing_histories_are_judged_when_migrated_on_sqlite,
        existing_histories_are_judged_when_migrated_on_postgres
);
