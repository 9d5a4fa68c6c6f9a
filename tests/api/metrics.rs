//! `/metrics`: request latency histograms per GraphQL operation name.

use jiandu_tests::town::Town;
use jiandu_tests::{TestApp, e2e};
use serde_json::json;

e2e!(metrics_count_each_operation_in_a_latency_histogram);
/// A named query counts under its name (from the document or from `operationName`), an unnamed
/// one under `anonymous`; each histogram's buckets add up to its count.
async fn metrics_count_each_operation_in_a_latency_histogram(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    for _ in 0..3 {
        app.ok(
            &town.viewer,
            "query Board { projects { totalCount } }",
            json!({}),
        )
        .await;
    }
    app.ok(&town.viewer, "{ me { username } }", json!({})).await;
    let text = app.get(None, "/metrics").await.text().await.unwrap();
    let name = "jiandu_graphql_request_duration_seconds";
    assert!(text.contains(&format!("# TYPE {name} histogram")), "{text}");
    assert!(
        text.contains(&format!("{name}_count{{operation=\"Board\"}} 3")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{name}_bucket{{operation=\"Board\",le=\"+Inf\"}} 3"
        )),
        "{text}"
    );
    let anonymous: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}_count{{operation=\"anonymous\"}} ")))
        .unwrap()
        .parse()
        .unwrap();
    assert!(anonymous >= 1, "{text}");
}
