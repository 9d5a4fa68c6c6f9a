//! Observability: `/metrics` latency histograms per GraphQL operation name, and request traces
//! over OTLP.

use jiandu_tests::town::Town;
use jiandu_tests::{TestApp, e2e};
use serde_json::{Value, json};

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

/// With `JIANDU_METRICS_TOKEN` set, `/metrics` answers only a request bearing it; and a
/// stranger's operation names never become labels (they would use up the hundred kept apart).
#[tokio::test]
async fn metrics_ask_for_their_token_and_label_only_signed_in_operations() {
    let app = TestApp::spawn_with(jiandu_tests::Backend::Sqlite, |config| {
        config.metrics_token = Some("scrape-3f9c".into());
    })
    .await;
    let town = Town::setup(&app, "思蒙镇").await;
    for stranger in ["Stranger1", "Stranger2"] {
        let query = format!("query {stranger} {{ __typename }}");
        app.gql(None, &query, json!({})).await;
    }
    app.ok(
        &town.viewer,
        "query Board { projects { totalCount } }",
        json!({}),
    )
    .await;
    let scrape = |token: Option<&'static str>| {
        let mut request = app.client.get(format!("{}/metrics", app.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move { request.send().await.unwrap() }
    };
    for refused in [None, Some("guess"), Some("scrape-3f9")] {
        let response = scrape(refused).await;
        assert_eq!(response.status(), 401, "{refused:?}");
        assert!(response.headers().contains_key("www-authenticate"));
    }
    let response = scrape(Some("scrape-3f9c")).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(text.contains("operation=\"Board\""), "{text}");
    assert!(!text.contains("Stranger"), "{text}");
}

/// A span as an OTLP/HTTP JSON export carries it; attributes as text.
#[derive(Debug, Clone)]
struct Span {
    trace: String,
    id: String,
    parent: String,
    name: String,
    attributes: Vec<(String, String)>,
}

impl Span {
    fn has(&self, key: &str, value: &str) -> bool {
        self.attributes.iter().any(|(k, v)| k == key && v == value)
    }
}

/// Every span of every export received.
fn spans_in(received: &[jiandu_tests::receiver::Received]) -> Vec<Span> {
    let mut spans = Vec::new();
    for export in received {
        assert_eq!(export.uri, "/v1/traces");
        let body = export.json();
        for resource in body["resourceSpans"].as_array().into_iter().flatten() {
            let service = resource["resource"]["attributes"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|a| a["key"] == "service.name")
                .map(|a| a["value"]["stringValue"].clone());
            assert_eq!(service, Some(json!("jiandu")));
            for scope in resource["scopeSpans"].as_array().into_iter().flatten() {
                for span in scope["spans"].as_array().into_iter().flatten() {
                    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
                    let attributes = span["attributes"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|a| {
                            let value = &a["value"];
                            let shown = value["stringValue"]
                                .as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| value["intValue"].to_string());
                            (text(&a["key"]), shown)
                        })
                        .collect();
                    spans.push(Span {
                        trace: text(&span["traceId"]),
                        id: text(&span["spanId"]),
                        parent: text(&span["parentSpanId"]),
                        name: text(&span["name"]),
                        attributes,
                    });
                }
            }
        }
    }
    spans
}

#[tokio::test]
async fn requests_are_traced_over_otlp_when_an_endpoint_is_set() {
    use jiandu_tests::process::Server;
    use jiandu_tests::receiver::Receiver;
    let collector = Receiver::start(&[]).await;
    let id = uuid::Uuid::now_v7();
    let data_dir = std::env::temp_dir().join(format!("jiandu-traces-{id}"));
    let file = std::env::temp_dir().join(format!("jiandu-traces-{id}.db"));
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let server = Server::start_with(
        env!("CARGO_BIN_EXE_jiandu-server"),
        &url,
        &data_dir,
        &[
            ("JIANDU_OTLP_ENDPOINT", collector.base.as_str()),
            // Exported every 100 ms rather than every 5 s.
            ("OTEL_BSP_SCHEDULE_DELAY", "100"),
        ],
    );
    let client = reqwest::Client::new();
    let post = |token: Option<&str>, body: Value| {
        let mut request = client.post(format!("{}/graphql", server.base)).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        jiandu_tests::answer_of(request)
    };
    let login = post(
        None,
        json!({ "query": "mutation SignIn { login(username:\"renda\", password:\"jiandu-demo\"){ token } }" }),
    )
    .await;
    let token = login["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let board = post(
        Some(&token),
        json!({ "query": "query Board { projects(first:5){ nodes{ title } } }" }),
    )
    .await;
    assert!(board.get("errors").is_none(), "{board}");

    // The request is a root span named by method and path, with its status and operation; the
    // services it called are its children in the same trace.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let (request, children) = loop {
        let spans = spans_in(&collector.received());
        let request = spans
            .iter()
            .find(|s| s.name == "POST /graphql" && s.has("graphql.operation", "Board"));
        if let Some(request) = request {
            let children: Vec<String> = spans
                .iter()
                .filter(|s| s.trace == request.trace && s.parent == request.id)
                .map(|s| s.name.clone())
                .collect();
            if !children.is_empty() {
                break (request.clone(), children);
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no trace of the request reached the collector: {:?}",
            spans_in(&collector.received())
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(request.parent.is_empty(), "the request is the trace's root");
    assert!(
        request.has("http.response.status_code", "200"),
        "{request:?}"
    );
    assert!(request.has("url.path", "/graphql"), "{request:?}");
    assert!(
        children.iter().any(|name| name == "list_projects"),
        "{children:?}"
    );
    server.terminate();
    let _ = std::fs::remove_file(&file);
}
