//! The benchmark data generator: deterministic for a seed, every state present, and the
//! generated accounts sign in.

use chrono::NaiveDate;
use jiandu_api::seed::bench::{self as bench_data, BENCH_PASSWORD, Scale};
use jiandu_tests::{Backend, TestApp};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::json;

async fn generated(
    seed: u64,
) -> (
    TestApp,
    Vec<(
        uuid::Uuid,
        String,
        NaiveDate,
        jiandu_domain::MilestoneStatus,
    )>,
) {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let today = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    let made = bench_data::generate(&app.ctx, Scale::Town, seed, today)
        .await
        .unwrap();
    assert_eq!(made.projects, 40);
    assert!(
        (900..=1200).contains(&made.milestones),
        "{}",
        made.milestones
    );
    let rows = jiandu_api::entity::milestone::Entity::find()
        .order_by_asc(jiandu_api::entity::milestone::Column::Id)
        .all(app.ctx.db.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.id, m.title, m.deadline, m.status.0))
        .collect();
    (app, rows)
}

#[tokio::test]
async fn the_same_seed_gives_the_same_data_with_every_state() {
    let (app, first) = generated(7).await;
    let (_, again) = generated(7).await;
    assert_eq!(first, again, "deterministic for a seed");
    let (_, other) = generated(8).await;
    assert_ne!(first, other);

    let token = app.login("bench-v-0-0", BENCH_PASSWORD).await;
    let data = app
        .ok(
            &token,
            "{ projects(first:1) { totalCount } milestones(first:100, filter:{asOf:\"2026-06-30\"}) { totalCount nodes { deadlineState(asOf:\"2026-06-30\") } } findings { totalCount } inspections { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(data["projects"]["totalCount"], 40);
    let mut states = std::collections::BTreeSet::new();
    let mut after: Option<String> = None;
    loop {
        let page = app
            .ok(
                &token,
                "query($a:String){ milestones(first:100, after:$a){ pageInfo{ hasNextPage endCursor } nodes { deadlineState(asOf:\"2026-06-30\") } } }",
                json!({ "a": after }),
            )
            .await;
        for node in page["milestones"]["nodes"].as_array().unwrap() {
            states.insert(node["deadlineState"].as_str().unwrap().to_string());
        }
        if page["milestones"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["milestones"]["pageInfo"]["endCursor"]
            .as_str()
            .map(String::from);
    }
    for state in [
        "UPCOMING",
        "DUE_SOON",
        "OVERDUE",
        "DONE_ON_TIME",
        "DONE_LATE",
        "CANCELLED",
    ] {
        assert!(states.contains(state), "a {state} milestone");
    }
    assert!(data["inspections"]["totalCount"].as_i64().unwrap() >= 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_countys_ledger_exports() {
    // 33 600 milestones: more than a statement may carry parameters (the export once listed
    // them as ids and failed with 500).
    let app = TestApp::spawn(Backend::Sqlite).await;
    let today = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    let made = bench_data::generate(&app.ctx, Scale::County, 3, today)
        .await
        .unwrap();
    assert!(made.milestones > 32_766, "{}", made.milestones);
    let token = app.login("bench-county-0", BENCH_PASSWORD).await;
    let csv = app.get(Some(&token), "/export/ledger.csv").await;
    assert_eq!(csv.status().as_u16(), 200);
    let rows = csv.text().await.unwrap().lines().count();
    assert_eq!(rows, made.milestones + 1, "every milestone and the header");
}
