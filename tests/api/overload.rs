//! Requests that cost the server more than they should: many figures at once, exports in a loop,
//! every database connection busy.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

e2e!(figures_are_a_few_per_request);
/// A dashboard or a year's figures costs a quarter of a request's complexity: thirty of them on
/// different days in one request (each computed afresh) are refused before anything runs.
async fn figures_are_a_few_per_request(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let many: String = (1..=30)
        .map(|i| format!("d{i}: dashboard(asOf:\"{}\"){{ projectCount }} ", day(i)))
        .collect();
    app.refused(
        &town.viewer,
        &format!("{{ {many} }}"),
        json!({}),
        "QUERY_TOO_COMPLEX",
    )
    .await;
    let years: String = (2000..2010)
        .map(|y| format!("y{y}: annualReport(year:{y}){{ inspections }} "))
        .collect();
    app.refused(
        &town.viewer,
        &format!("{{ {years} }}"),
        json!({}),
        "QUERY_TOO_COMPLEX",
    )
    .await;
    let few = format!(
        "{{ a: dashboard {{ projectCount }} b: dashboard(asOf:\"{}\") {{ projectCount }} annualReport(year:2026) {{ inspections }} }}",
        day(30)
    );
    let data = app.ok(&town.viewer, &few, json!({})).await;
    assert_eq!(data["a"]["projectCount"], 1);
}

#[tokio::test]
async fn ledger_downloads_count_against_the_per_user_rate() {
    let app = TestApp::spawn_with(jiandu_tests::Backend::Sqlite, |config| {
        config.user_requests_per_second = 1;
        config.user_request_burst = 3;
    })
    .await;
    let (_, token) = app.organization("思蒙镇", None, None).await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let response = app.get(Some(&token), "/export/ledger.csv").await;
        statuses.push(response.status().as_u16());
        if response.status().as_u16() == 429 {
            assert!(response.headers().contains_key("retry-after"));
            let body: Value = response.json().await.unwrap();
            assert_eq!(code(&body), "RATE_LIMITED");
        }
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    assert_eq!(statuses[0], 200);
}

e2e!(a_request_that_finds_every_connection_busy_is_a_retryable_503);
/// With every database connection held (an overload, a slow disk), a request waits the acquire
/// timeout and then gets 503 UNAVAILABLE with Retry-After — not INTERNAL — and the server
/// answers again once connections are free.
async fn a_request_that_finds_every_connection_busy_is_a_retryable_503(app: TestApp) {
    use sea_orm::TransactionTrait;
    let town = Town::setup(&app, "思蒙镇").await;
    let mut held = Vec::new();
    while let Ok(Ok(txn)) =
        tokio::time::timeout(std::time::Duration::from_secs(4), app.ctx.db.conn().begin()).await
    {
        held.push(txn);
    }
    assert!(!held.is_empty());
    let response = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&town.viewer)
        .json(&json!({ "query": "{ projects { totalCount } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()["retry-after"], "1");
    let body: Value = response.json().await.unwrap();
    assert_eq!(code(&body), "UNAVAILABLE", "{body}");
    drop(held);
    let data = app
        .ok(&town.viewer, "{ projects { totalCount } }", json!({}))
        .await;
    assert_eq!(data["projects"]["totalCount"], 1);
}
