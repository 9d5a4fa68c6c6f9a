//! What a web page, a browser or a spreadsheet on a clerk's desk could be made to do: post to
//! `/graphql` from another site, frame or script GraphiQL, evaluate a title as a formula.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

e2e!(a_formula_typed_as_a_title_reaches_the_csv_ledger_as_text);
/// A title a spreadsheet would evaluate (`=HYPERLINK(…)`) is kept as typed, and the CSV ledger
/// writes it so that Excel and WPS show it as text.
async fn a_formula_typed_as_a_title_reaches_the_csv_ledger_as_text(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let title = "=HYPERLINK(\"http://example.invalid\";\"点击\")";
    town.milestone(&app, json!({ "title": title, "deadline": day(5) }))
        .await;
    let csv = app.text(&town.presidium, "/export/ledger.csv").await;
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://example.invalid\"\";\"\"点击\"\")\""),
        "{csv}"
    );
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
    let stored = app
        .ok(
            &town.presidium,
            "{ milestones { nodes { title } } }",
            json!({}),
        )
        .await;
    assert_eq!(stored["milestones"]["nodes"][0]["title"], title);
}

e2e!(only_bodies_a_script_must_ask_for_reach_graphql);
/// Another web site a clerk visits can make the browser post text/plain, urlencoded and
/// multipart bodies to `/graphql`, but not JSON, and not with an extra header: those are all it
/// takes. Nothing such a request asks for runs.
async fn only_bodies_a_script_must_ask_for_reach_graphql(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let create =
        r#"{"query":"mutation{ createProject(input:{title:\"跨站\", origin:OTHER}){ id } }"}"#;
    let send = |content_type: &'static str, preflight: bool, body: &'static str| {
        let mut request = app
            .client
            .post(format!("{}/graphql", app.base))
            .bearer_auth(&town.presidium)
            .header("content-type", content_type)
            .body(body);
        if preflight {
            request = request.header("graphql-preflight", "1");
        }
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (
                status,
                response.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/graphql",
    ] {
        let (status, body) = send(content_type, false, create).await;
        assert_eq!(status, 415, "{content_type}: {body}");
        assert_eq!(code(&body), "VALIDATION_FAILED");
    }
    let form = "--XYZ\r\ncontent-disposition: form-data; name=\"operations\"\r\n\r\n{\"query\":\"mutation{ createProject(input:{title:\\\"跨站\\\", origin:OTHER}){ id } }\"}\r\n--XYZ\r\ncontent-disposition: form-data; name=\"map\"\r\n\r\n{}\r\n--XYZ--\r\n";
    let (status, body) = send("multipart/form-data; boundary=XYZ", false, form).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(code(&body), "VALIDATION_FAILED");
    let projects = app
        .ok(&town.viewer, "{ projects { totalCount } }", json!({}))
        .await;
    assert_eq!(
        projects["projects"]["totalCount"], 1,
        "only the bridge: nothing ran"
    );
    // The same multipart request with the header is an ordinary GraphQL request.
    let (status, body) = send("multipart/form-data; boundary=XYZ", true, form).await;
    assert_eq!(status, 200, "{body}");
    // A cookie never stands for a sign-in: only the bearer token does.
    let cookie = jiandu_tests::answer_of(
        app.client
            .post(format!("{}/graphql", app.base))
            .header("cookie", format!("token={0}; session={0}", town.presidium))
            .json(&json!({ "query": "{ me { username } }" })),
    )
    .await;
    assert!(cookie["data"]["me"]["username"].is_null(), "{cookie}");
    // JSON, with or without a charset, is what clients send.
    let (status, body) = send(
        "application/json; charset=utf-8",
        false,
        r#"{"query":"{ __typename }"}"#,
    )
    .await;
    assert_eq!(
        (status, &body["data"]["__typename"]),
        (200, &json!("Query"))
    );
}

e2e!(graphiql_loads_nothing_from_elsewhere_and_cannot_be_framed);
/// GraphiQL's page and everything it loads come from the server itself, under a
/// Content-Security-Policy that allows nothing else and no framing.
async fn graphiql_loads_nothing_from_elsewhere_and_cannot_be_framed(app: TestApp) {
    let page = app.get(None, "/graphql").await;
    assert_eq!(page.status().as_u16(), 200);
    let headers = page.headers().clone();
    let policy = headers["content-security-policy"].to_str().unwrap();
    for rule in [
        "script-src 'self'",
        "frame-ancestors 'none'",
        "default-src 'none'",
    ] {
        assert!(policy.contains(rule), "{policy}");
    }
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{html}"
    );
    assert!(!html.contains("<script>"), "no inline script: {html}");
    let loaded: Vec<&str> = html
        .split(['"', '\''])
        .filter(|part| part.starts_with("/graphiql/"))
        .collect();
    assert_eq!(loaded.len(), 5, "{loaded:?}");
    for path in loaded {
        let asset = app.get(None, path).await;
        assert_eq!(asset.status().as_u16(), 200, "{path}");
        let kind = asset.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            kind.starts_with("text/javascript") || kind.starts_with("text/css"),
            "{path}: {kind}"
        );
        assert!(asset.bytes().await.unwrap().len() > 100, "{path}");
    }
    assert_eq!(
        app.get(None, "/graphiql/../Cargo.toml")
            .await
            .status()
            .as_u16(),
        404
    );
}

#[tokio::test]
async fn no_graphiql_serves_the_api_without_its_page() {
    let app = TestApp::spawn_with(jiandu_tests::Backend::Sqlite, |config| {
        config.no_graphiql = true;
    })
    .await;
    assert_eq!(app.get(None, "/graphql").await.status().as_u16(), 405);
    assert_eq!(
        app.get(None, "/graphiql/start.js").await.status().as_u16(),
        404
    );
    let body = app.gql(None, "{ __typename }", json!({})).await;
    assert_eq!(body["data"]["__typename"], "Query");
}
