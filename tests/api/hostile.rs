//! Hostile input: each request below is refused with the code a client can act on, nothing it
//! carries reaches the database unchecked, and the server answers the next request as before.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e, texts};
use serde_json::{Value, json};

/// Posts raw bytes as the body; returns the status and the body as JSON (null when it is not).
async fn raw(
    app: &TestApp,
    token: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("content-type", content_type)
        .header("graphql-preflight", "1")
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn still_answers(app: &TestApp, token: &str) {
    let data = app
        .ok(token, "{ __typename me { username } }", json!({}))
        .await;
    assert_eq!(data["__typename"], "Query");
}

fn nested(depth: usize) -> String {
    let mut query = String::from("{ projects { nodes { id } } }");
    for _ in 0..depth {
        query = format!(
            "{{ projects {{ nodes {{ milestones {{ nodes {{ project {} }} }} }} }} }}",
            &query[1..query.len() - 1]
        );
    }
    query
}

e2e!(hostile_queries_are_refused_and_the_server_keeps_answering);
async fn hostile_queries_are_refused_and_the_server_keeps_answering(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let t = town.presidium.as_str();
    let theirs = other
        .milestone(&app, json!({ "title": "他们的节点", "deadline": day(5) }))
        .await;

    let aliases: String = (0..2000).map(|i| format!("a{i}: __typename ")).collect();
    let logins: String = (0..1000)
        .map(|i| format!("l{i}: login(username:\"admin\", password:\"guess{i}\"){{ token }} "))
        .collect();
    let directives: String = (0..50).map(|_| "@include(if: true) ").collect();
    // Fragments that double at every level (RUSTSEC-2022-0037): 2^20 fields if expanded.
    let mut fragments = String::from("query { ...F20 } fragment F0 on Query { __typename } ");
    for i in 1..=20 {
        fragments.push_str(&format!(
            "fragment F{i} on Query {{ ...F{} ...F{} }} ",
            i - 1,
            i - 1
        ));
    }
    let wide = format!("{{ {} }}", "__typename ".repeat(4000));
    let cases: Vec<(&str, String, Value, &str)> = vec![
        ("a query nested 20 levels deep", nested(6), json!({}), "QUERY_TOO_COMPLEX"),
        (
            "a page of 100 projects with 100 milestones each with 100 reports",
            "{ projects(first:100){ nodes{ milestones(first:100){ nodes{ children{ title } progressReports{ note } deadlineChanges{ reason } } } } } }".into(),
            json!({}),
            "QUERY_TOO_COMPLEX",
        ),
        ("2000 aliases", format!("{{ {aliases} }}"), json!({}), "QUERY_TOO_COMPLEX"),
        ("1000 aliased logins", format!("mutation {{ {logins} }}"), json!({}), "QUERY_TOO_COMPLEX"),
        (
            "two aliased logins",
            "mutation { a: login(username:\"admin\", password:\"x1\"){ token } b: login(username:\"admin\", password:\"x2\"){ token } }".into(),
            json!({}),
            "QUERY_TOO_COMPLEX",
        ),
        ("50 directives on a field", format!("{{ __typename {directives} }}"), json!({}), "QUERY_TOO_COMPLEX"),
        ("fragments that double 20 times", fragments, json!({}), "QUERY_TOO_COMPLEX"),
        ("4000 selections", wide, json!({}), "QUERY_TOO_COMPLEX"),
        (
            "a fragment cycle",
            "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }".into(),
            json!({}),
            // The engine's recursion limit stops it before validation names the cycle.
            "QUERY_TOO_COMPLEX",
        ),
        ("an unterminated query", "{ projects { nodes ".into(), json!({}), "VALIDATION_FAILED"),
        ("an unknown field", "{ projectz { nodes { id } } }".into(), json!({}), "VALIDATION_FAILED"),
        (
            "a page size of a million",
            "{ projects(first: 1000000) { nodes { id } } }".into(),
            json!({}),
            "VALIDATION_FAILED",
        ),
        ("a negative page size", "{ milestones(first: -1) { nodes { id } } }".into(), json!({}), "VALIDATION_FAILED"),
        ("a forged cursor", "{ projects(after: \"!!not-a-cursor\") { nodes { id } } }".into(), json!({}), "VALIDATION_FAILED"),
        (
            "progress of 2^31 - 1",
            "mutation($id:ID!){ reportProgress(milestoneId:$id, progress: 2147483647){ id } }".into(),
            json!({ "id": theirs["id"] }),
            "VALIDATION_FAILED",
        ),
        (
            "a float where an Int goes",
            "{ projects(first: 1e100) { nodes { id } } }".into(),
            json!({}),
            "VALIDATION_FAILED",
        ),
        (
            "the 30th of February",
            "{ overdueMilestones(asOf: \"2026-02-30\") { totalCount } }".into(),
            json!({}),
            "VALIDATION_FAILED",
        ),
        (
            "the year 99999",
            "mutation($p:ID!,$l:ID!,$u:ID!){ addMilestone(input:{projectId:$p, title:\"x\", responsibleLeaderId:$l, responsibleUnitId:$u, deadline:\"99999-01-01\"}){ id } }".into(),
            json!({ "p": town.bridge, "l": town.li, "u": town.cunjian }),
            "VALIDATION_FAILED",
        ),
        (
            "a NUL byte in a title",
            "mutation($t:String!){ createProject(input:{title:$t, origin:OTHER}){ id } }".into(),
            json!({ "t": "风雨桥\u{0}" }),
            "VALIDATION_FAILED",
        ),
        (
            "a bell character in a title",
            "mutation($t:String!){ createProject(input:{title:$t, origin:OTHER}){ id } }".into(),
            json!({ "t": "风雨\u{7}桥" }),
            "VALIDATION_FAILED",
        ),
        (
            "a title of 10 000 characters",
            "mutation($t:String!){ createProject(input:{title:$t, origin:OTHER}){ id } }".into(),
            json!({ "t": "桥".repeat(10_000) }),
            "VALIDATION_FAILED",
        ),
        (
            "another town's milestone",
            "mutation($id:ID!){ completeMilestone(id:$id, expectedVersion:1){ id } }".into(),
            json!({ "id": theirs["id"] }),
            "NOT_FOUND",
        ),
        (
            "a malformed id",
            "mutation{ completeMilestone(id:\"1 OR 1=1\", expectedVersion:1){ id } }".into(),
            json!({}),
            "NOT_FOUND",
        ),
    ];
    assert!(cases.len() >= 20);
    for (what, query, variables, expected) in cases {
        let body = app.gql(Some(t), &query, variables).await;
        assert_eq!(code(&body), expected, "{what}: {body:#}");
        let text = body.to_string();
        for leak in [
            "sqlx",
            "SQLSTATE",
            "syntax error at",
            "panicked",
            "/root/",
            "src/",
            "Did you mean",
        ] {
            assert!(!text.contains(leak), "{what} leaks `{leak}`: {text}");
        }
        still_answers(&app, t).await;
    }
}

e2e!(hostile_bodies_and_tokens_are_refused_and_the_server_keeps_answering);
async fn hostile_bodies_and_tokens_are_refused_and_the_server_keeps_answering(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let t = town.presidium.as_str();
    let json_type = "application/json";
    let huge = format!(
        "{{\"query\":\"{{ __typename }}\",\"pad\":\"{}\"}}",
        "x".repeat(300 * 1024)
    );
    let long_query =
        json!({ "query": format!("{{ __typename }} # {}", "x".repeat(40 * 1024)) }).to_string();
    let batch = json!([{ "query": "{ __typename }" }, { "query": "{ __typename }" }]).to_string();
    let cases: Vec<(&str, &str, Vec<u8>, u16, &str)> = vec![
        ("a 300 KiB body", json_type, huge.into_bytes(), 413, "QUERY_TOO_COMPLEX"),
        ("a 40 KiB query", json_type, long_query.into_bytes(), 400, "QUERY_TOO_COMPLEX"),
        ("a batch of two", json_type, batch.into_bytes(), 400, "VALIDATION_FAILED"),
        ("truncated JSON", json_type, b"{\"query\": \"{ __typ".to_vec(), 400, "VALIDATION_FAILED"),
        ("bytes that are not UTF-8", json_type, b"{\"query\": \"\xff\xfe\"}".to_vec(), 400, "VALIDATION_FAILED"),
        (
            "a lone surrogate",
            json_type,
            br#"{"query": "mutation($t:String!){ createProject(input:{title:$t, origin:OTHER}){ id } }", "variables": {"t": "\ud800"}}"#.to_vec(),
            400,
            "VALIDATION_FAILED",
        ),
        ("an empty body", json_type, Vec::new(), 400, "VALIDATION_FAILED"),
        (
            "a multipart body without its parts",
            "multipart/form-data; boundary=XYZ",
            b"--XYZ\r\ncontent-disposition: form-data; name=\"junk\"\r\n\r\nhello\r\n--XYZ--\r\n".to_vec(),
            400,
            "VALIDATION_FAILED",
        ),
    ];
    for (what, content_type, body, status, expected) in cases {
        let (got, body) = raw(&app, Some(t), content_type, body).await;
        assert_eq!(got, status, "{what}: {body:#}");
        assert_eq!(code(&body), expected, "{what}: {body:#}");
        still_answers(&app, t).await;
    }

    // Tokens: forged, revoked, expired.
    let me = "{ me { username } }";
    let body = app.gql(Some("forged.token.value"), me, json!({})).await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
    let spare = app
        .login(
            &format!("viewer-{}", &town.org[28..]),
            jiandu_tests::PASSWORD,
        )
        .await;
    app.ok(&spare, "mutation { logout }", json!({})).await;
    let body = app.gql(Some(&spare), me, json!({})).await;
    assert_eq!(code(&body), "UNAUTHENTICATED", "a token after logout");
    let expiring = app
        .login(
            &format!("viewer-{}", &town.org[28..]),
            jiandu_tests::PASSWORD,
        )
        .await;
    expire_sessions(&app).await;
    let body = app.gql(Some(&expiring), me, json!({})).await;
    assert_eq!(code(&body), "UNAUTHENTICATED", "an expired token");
    // Introspection is for signed-in users only.
    let body = app
        .gql(None, "{ __schema { types { name } } }", json!({}))
        .await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
    let body = app
        .gql(
            None,
            "{ t: __type(name: \"Project\") { fields { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
    let town_again = app
        .login(
            &format!("presidium-{}", &town.org[28..]),
            jiandu_tests::PASSWORD,
        )
        .await;
    let schema = app
        .ok(
            &town_again,
            "{ __schema { queryType { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(schema["__schema"]["queryType"]["name"], "Query");
    let anonymous = app.gql(None, "{ __typename }", json!({})).await;
    assert_eq!(anonymous["data"]["__typename"], "Query");
}

async fn expire_sessions(app: &TestApp) {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.ctx.db.backend();
    app.ctx
        .db
        .conn()
        .execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DatabaseBackend::Postgres => "UPDATE session SET expires_at = $1",
                _ => "UPDATE session SET expires_at = ?",
            },
            [chrono::Utc::now()
                .checked_sub_signed(chrono::Duration::hours(1))
                .unwrap()
                .into()],
        ))
        .await
        .unwrap();
}

e2e!(sql_metacharacters_are_stored_and_matched_literally);
async fn sql_metacharacters_are_stored_and_matched_literally(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let create =
        "mutation($t:String!){ createProject(input:{title:$t, origin:OTHER}){ id title } }";
    let sneaky = "桥'; DROP TABLE project; -- 100% _done_ \\ \"quoted\"";
    let created = app
        .ok(&town.presidium, create, json!({ "t": sneaky }))
        .await;
    assert_eq!(created["createProject"]["title"], sneaky);
    let search = "query($s:String){ projects(filter:{search:$s}){ totalCount nodes{ title } } }";
    let found = app
        .ok(
            &town.viewer,
            search,
            json!({ "s": "DROP TABLE project; --" }),
        )
        .await;
    assert_eq!(found["projects"]["nodes"], json!([{ "title": sneaky }]));
    for pattern in ["%", "_", "' OR '1'='1", "100%", "\\"] {
        let found = app.ok(&town.viewer, search, json!({ "s": pattern })).await;
        let titles = texts(&found["projects"]["nodes"], "title");
        let expected: Vec<&str> = [sneaky, "思蒙国家湿地公园健身步道风雨桥"]
            .into_iter()
            .filter(|t| t.contains(pattern))
            .collect();
        assert_eq!(titles, expected, "`{pattern}` is matched literally");
    }
    let all = app
        .ok(&town.viewer, "{ projects { totalCount } }", json!({}))
        .await;
    assert_eq!(all["projects"]["totalCount"], 2, "the table is still there");
}

#[tokio::test]
async fn one_user_cannot_flood_the_server() {
    let app = TestApp::spawn_with(jiandu_tests::Backend::Sqlite, |config| {
        config.user_requests_per_second = 2;
        config.user_request_burst = 5;
    })
    .await;
    let (_, token) = app.organization("思蒙镇", None, None).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let response = app
            .client
            .post(format!("{}/graphql", app.base))
            .bearer_auth(&token)
            .json(&json!({ "query": "{ __typename }" }))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        if status == 429 {
            assert!(response.headers().contains_key("retry-after"));
            let body: Value = response.json().await.unwrap();
            assert_eq!(code(&body), "RATE_LIMITED");
        }
        statuses.push(status);
    }
    assert_eq!(&statuses[..5], [200; 5], "the burst is served");
    assert!(statuses[5..].contains(&429), "{statuses:?}");
    // Others are not held back by one user's flood.
    let (_, other) = app.organization("汉阳镇", None, None).await;
    let data = app.ok(&other, "{ __typename }", json!({})).await;
    assert_eq!(data["__typename"], "Query");
}

/// The request rate is taken once, at the request's edge, for every route a signed-in user
/// reaches: GraphQL by bearer token, pages by the session cookie, and downloads by either (an
/// evidence file counts even when there is no such file).
#[tokio::test]
async fn one_rate_counts_a_users_requests_on_every_route() {
    let app = TestApp::spawn_with(jiandu_tests::Backend::Sqlite, |config| {
        config.user_requests_per_second = 1;
        config.user_request_burst = 4;
    })
    .await;
    let (_, token) = app.organization("思蒙镇", None, None).await;
    let page = jiandu_tests::web::Visitor::new(&app, Some(&token));
    let no_such_file = format!("/attachments/{}", uuid::Uuid::now_v7());
    let typename = app.gql(Some(&token), "{ __typename }", json!({})).await;
    assert_eq!(typename["data"]["__typename"], "Query", "{typename:#}");
    assert_eq!(page.get("/").await.status, 200, "a page, by cookie");
    let download = app.get(Some(&token), &no_such_file).await;
    assert_eq!(
        download.status().as_u16(),
        404,
        "a download, by bearer token"
    );
    assert_eq!(
        page.get("/export/ledger.csv").await.status,
        200,
        "by cookie"
    );
    // The burst is spent: the next requests on any route are refused until it refills.
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(app.get(Some(&token), &no_such_file).await.status().as_u16());
    }
    assert!(statuses.contains(&429), "downloads count: {statuses:?}");
    let refused = app.get(Some(&token), &no_such_file).await;
    assert_eq!(refused.status().as_u16(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    let body: Value = refused.json().await.unwrap();
    assert_eq!(code(&body), "RATE_LIMITED");
    assert_eq!(page.get("/").await.status, 429, "pages count");
    let graphql = app.gql(Some(&token), "{ __typename }", json!({})).await;
    assert_eq!(code(&graphql), "RATE_LIMITED", "{graphql:#}");
}

e2e!(one_client_guessing_passwords_across_accounts_is_slowed_down);
async fn one_client_guessing_passwords_across_accounts_is_slowed_down(app: TestApp) {
    let login = "mutation($u:String!){ login(username:$u, password:\"wrong-password\"){ token } }";
    let mut last = Value::Null;
    for i in 0..31 {
        last = app
            .gql(None, login, json!({ "u": format!("guess{i}") }))
            .await;
    }
    assert_eq!(code(&last), "RATE_LIMITED", "{last:#}");
    let response = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": login, "variables": { "u": "someone-else" } }))
        .send()
        .await
        .unwrap();
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after > 0 && retry_after <= 15 * 60);
    let body: Value = response.json().await.unwrap();
    assert_eq!(code(&body), "RATE_LIMITED");
    let anonymous = app.gql(None, "{ __typename }", json!({})).await;
    assert_eq!(anonymous["data"]["__typename"], "Query");
}

e2e!(a_panicking_resolver_fails_only_its_own_request);
async fn a_panicking_resolver_fails_only_its_own_request(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let response = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&town.viewer)
        .json(&json!({ "query": "{ testPanic: me { username } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 500);
    let body: Value = response.json().await.unwrap();
    assert_eq!(code(&body), "INTERNAL");
    assert_eq!(
        body["errors"][0]["message"], "internal error",
        "no panic text: {body:#}"
    );
    still_answers(&app, &town.viewer).await;
    let data = app
        .ok(&town.viewer, "{ projects { totalCount } }", json!({}))
        .await;
    assert_eq!(data["projects"]["totalCount"], 1);
}

#[tokio::test]
async fn test_hooks_stay_off_unless_asked_for() {
    let app = TestApp::spawn_with(jiandu_tests::Backend::Sqlite, |config| {
        config.test_hooks = false;
    })
    .await;
    let (_, token) = app.organization("思蒙镇", None, None).await;
    let data = app
        .ok(&token, "{ testPanic: me { username } }", json!({}))
        .await;
    assert!(data["testPanic"]["username"].is_string(), "{data:#}");
}
