//! One way of counting (docs/rules.md §3): on one year's data, the dashboard, its league tables (by
//! leader, by unit, by organisation) and the annual report give the same 按期办结率, and each
//! agrees item by item with the formula worked out here from the items themselves: supervised
//! items (leaves, never parents) whose on-time deadline has come, CANCELLED excluded, and of
//! them those signed off with a completion on or before that deadline.

use chrono::{Duration, NaiveDate, TimeZone};
use jiandu_api::service::milestones::{self, NewMilestone};
use jiandu_tests::town::Town;
use jiandu_tests::{TestApp, e2e};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use uuid::Uuid;

fn noon(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    jiandu_domain::Zone::DEFAULT
        .tz()
        .from_local_datetime(&day.and_hms_opt(12, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc)
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

e2e!(dashboard_league_tables_and_annual_report_count_the_same_items);
async fn dashboard_league_tables_and_annual_report_count_the_same_items(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let tag = &town.org[28..];
    let presidium = app.actor(&format!("presidium-{tag}")).await;
    let leaders = [
        (
            town.li.parse::<Uuid>().unwrap(),
            town.cunjian.parse::<Uuid>().unwrap(),
            app.actor(&format!("liming-{tag}")).await,
        ),
        (
            town.chen.parse::<Uuid>().unwrap(),
            town.jingfa.parse::<Uuid>().unwrap(),
            app.actor(&format!("chengang-{tag}")).await,
        ),
    ];
    let project: Uuid = town.bridge.parse().unwrap();
    let mut rng = StdRng::seed_from_u64(2025);
    let created = app.ctx.stopped_at(noon(d("2025-01-02")));
    let new = |parent: Option<Uuid>, i: usize, deadline: NaiveDate| {
        let (leader, unit, _) = &leaders[i % 2];
        NewMilestone {
            project_id: project,
            parent_id: parent,
            title: format!("节点{i}"),
            description: None,
            responsible_leader_id: *leader,
            responsible_unit_id: *unit,
            responsible_person_id: None,
            start_date: None,
            deadline,
            weight: None,
        }
    };
    // Two parents that only sum up their children.
    let mut parents = Vec::new();
    for p in 0..2 {
        let parent =
            milestones::add_milestone(&created, &presidium, new(None, 100 + p, d("2025-09-30")))
                .await
                .unwrap();
        parents.push(parent.id);
    }
    for i in 0..40 {
        let deadline = d("2025-02-01") + Duration::days(rng.random_range(0..360));
        let parent = (i % 5 == 0).then(|| parents[i % 2]);
        let mut m = milestones::add_milestone(&created, &presidium, new(parent, i, deadline))
            .await
            .unwrap();
        let (_, _, leader) = &leaders[i % 2];
        match rng.random_range(0..6) {
            // Reported done by the leader on the day, on time or late; mostly signed off later.
            0..=3 => {
                let on = deadline + Duration::days(rng.random_range(-20..15));
                let then = app.ctx.stopped_at(noon(on));
                m = milestones::complete_milestone(&then, leader, m.id, m.version, None, None)
                    .await
                    .unwrap();
                if rng.random_bool(0.7) {
                    let later = app.ctx.stopped_at(noon(on + Duration::days(3)));
                    milestones::sign_off_milestone(&later, &presidium, m.id, m.version, None)
                        .await
                        .unwrap();
                }
            }
            // A lapsed deadline moved (a late change), then done by the new one and signed off.
            4 if deadline < d("2025-11-01") => {
                let then = app.ctx.stopped_at(noon(deadline + Duration::days(5)));
                m = milestones::reschedule_milestone(
                    &then,
                    &presidium,
                    m.id,
                    m.version,
                    deadline + Duration::days(30),
                    "逾期后调整",
                )
                .await
                .unwrap();
                let done = app.ctx.stopped_at(noon(deadline + Duration::days(20)));
                m = milestones::complete_milestone(&done, leader, m.id, m.version, None, None)
                    .await
                    .unwrap();
                milestones::sign_off_milestone(&done, &presidium, m.id, m.version, None)
                    .await
                    .unwrap();
            }
            5 => {
                milestones::cancel_milestone(&created, &presidium, m.id, m.version, "撤销")
                    .await
                    .unwrap();
            }
            _ => {}
        }
    }

    // The formula, item by item, from the items as the API lists them.
    let listed = app
        .ok(
            &town.viewer,
            "{ milestones(first:100) { nodes { id isItem onTimeDeadline completedOn status responsibleLeader { id } } } }",
            json!({}),
        )
        .await;
    let nodes = listed["milestones"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 42);
    let year_end = "2025-12-31";
    let due = |n: &&Value| {
        n["isItem"] == true
            && n["status"] != "CANCELLED"
            && n["onTimeDeadline"].as_str().unwrap() <= year_end
    };
    let closed_on_time = |n: &&Value| {
        due(n)
            && n["status"] == "CLOSED"
            && n["completedOn"].as_str().unwrap() <= n["onTimeDeadline"].as_str().unwrap()
    };
    let expected_due = nodes.iter().filter(due).count();
    let expected_closed = nodes.iter().filter(closed_on_time).count();
    assert!(
        nodes.iter().any(|n| n["isItem"] == false),
        "parents are there, and not counted"
    );
    assert!(
        expected_closed > 0 && expected_closed < expected_due,
        "{expected_closed}/{expected_due}"
    );
    assert!(
        nodes
            .iter()
            .any(|n| n["isItem"] == true && n["status"] == "DONE"),
        "some wait for sign-off, and do not count yet"
    );

    let figures = app
        .ok(
            &town.viewer,
            "query($d:Date){ dashboard(asOf:$d) {
                milestones { total due closedOnTime onTimeRate }
                byLeader { leader { id } counts { total due closedOnTime } }
                byUnit { counts { due closedOnTime } }
                byOrganization { milestones { due closedOnTime } } }
              annualReport(year:2025) { itemsDue itemsClosedOnTime onTimeClosedRate onTimeRate } }",
            json!({ "d": year_end }),
        )
        .await;
    let dashboard = &figures["dashboard"];
    let report = &figures["annualReport"];
    let rate = expected_closed as f64 / expected_due as f64;
    assert_eq!(
        dashboard["milestones"]["total"],
        nodes.iter().filter(|n| n["isItem"] == true).count()
    );
    assert_eq!(dashboard["milestones"]["due"], expected_due);
    assert_eq!(dashboard["milestones"]["closedOnTime"], expected_closed);
    assert!((dashboard["milestones"]["onTimeRate"].as_f64().unwrap() - rate).abs() < 1e-9);
    assert_eq!(report["itemsDue"], expected_due);
    assert_eq!(report["itemsClosedOnTime"], expected_closed);
    assert!((report["onTimeClosedRate"].as_f64().unwrap() - rate).abs() < 1e-9);
    assert_eq!(report["onTimeRate"], report["onTimeClosedRate"]);
    let sum = |rows: &Value, key: &str, field: &str| -> u64 {
        rows.as_array()
            .unwrap()
            .iter()
            .map(|row| row[key][field].as_u64().unwrap())
            .sum()
    };
    for (rows, key) in [
        (&dashboard["byLeader"], "counts"),
        (&dashboard["byUnit"], "counts"),
        (&dashboard["byOrganization"], "milestones"),
    ] {
        assert_eq!(sum(rows, key, "due"), expected_due as u64, "{key}");
        assert_eq!(
            sum(rows, key, "closedOnTime"),
            expected_closed as u64,
            "{key}"
        );
    }
    // And each leader's row, item by item.
    for row in dashboard["byLeader"].as_array().unwrap() {
        let theirs = |n: &&Value| n["responsibleLeader"]["id"] == row["leader"]["id"];
        let due_theirs = nodes.iter().filter(due).filter(theirs).count();
        let closed_theirs = nodes.iter().filter(closed_on_time).filter(theirs).count();
        assert_eq!(row["counts"]["due"], due_theirs);
        assert_eq!(row["counts"]["closedOnTime"], closed_theirs);
    }
}

/// A database of the schema before items were marked, with a parent and its child: migrated, the
/// child is the item and the parent is not.
async fn parents_are_no_items_once_migrated(backend: jiandu_tests::Backend) {
    use jiandu_api::entity::milestone;
    use jiandu_migration::{Migrator, MigratorTrait};
    use jiandu_tests::{EmptyDatabase, execute_numbered};
    use sea_orm::EntityTrait;
    let empty = EmptyDatabase::new(backend).await;
    let (db, old) = empty.old_town_at(14).await;
    let conn = db.conn();
    let id = || Uuid::now_v7();
    let (parent, child) = (id(), id());
    let now = chrono::Utc::now();
    for (m, parent_id, title) in [(parent, None, "主体施工"), (child, Some(parent), "桥墩")] {
        execute_numbered(conn, &format!("INSERT INTO milestone (id, organization_id, project_id, parent_id, title, description, responsible_leader_id, responsible_unit_id, responsible_person_id, start_date, deadline, original_deadline, on_time_deadline, due_by, on_time_due_by, times_rescheduled, status, progress, weight, completed_at, completed_on, version, created_at, updated_at) VALUES ($1, $2, $3, $4, '{title}', NULL, $5, $6, NULL, NULL, '2026-06-30', '2026-06-30', '2026-06-30', '2026-06-30', '2026-06-30', 0, 'IN_PROGRESS', 10, 1, NULL, NULL, 1, $7, $7)"), vec![m.into(), old.org.into(), old.project.into(), parent_id.into(), old.person.into(), old.unit.into(), now.into()]).await;
    }
    Migrator::up(conn, None).await.unwrap();
    let is_item = |m: Uuid| async move {
        milestone::Entity::find_by_id(m)
            .one(conn)
            .await
            .unwrap()
            .unwrap()
            .is_item
    };
    assert!(!is_item(parent).await, "a parent only sums up its children");
    assert!(is_item(child).await);
    db.close().await;
}

jiandu_tests::on_both_backends!(
    parents_are_no_items_once_migrated =>
        parents_are_no_items_once_migrated_on_sqlite,
        parents_are_no_items_once_migrated_on_postgres
);
