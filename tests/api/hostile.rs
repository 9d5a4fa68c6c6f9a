//! Hostile input: each request below is refused with the code a client can act on, nothing it
//! carries reaches the database unchecked, and the server answers the next request as before.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e};
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
        let titles: Vec<&str> = found["projects"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["title"].as_str().unwrap())
            .collect();
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

e2e!(a_stored_status_the_code_does_not_know_is_internal_on_every_path);
/// A status written behind the server's back (a hand edit, a downgrade) is a fault of the
/// installation, not of the request: every path that meets it answers INTERNAL without the
/// stored text, never VALIDATION_FAILED, and leaves the rest of the data usable.
async fn a_stored_status_the_code_does_not_know_is_internal_on_every_path(app: TestApp) {
    use jiandu_api::entity::milestone;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let town = Town::setup(&app, "思蒙镇").await;
    let parent = town
        .milestone(&app, json!({ "title": "主体施工", "deadline": day(20) }))
        .await;
    let id = parent["id"].as_str().unwrap();
    milestone::Entity::update_many()
        .col_expr(milestone::Column::Status, Expr::value("PAUSED_BY_HAND"))
        .filter(milestone::Column::Id.eq(uuid::Uuid::parse_str(id).unwrap()))
        .exec(app.ctx.db.conn())
        .await
        .unwrap();

    let paths = [
        (
            "query($id:ID!){ milestone(id:$id){ status } }",
            json!({ "id": id }),
        ),
        ("{ milestones { nodes { id } } }", json!({})),
        (
            "query($p:ID!){ project(id:$p){ milestones { nodes { id } } } }",
            json!({ "p": town.bridge }),
        ),
        (
            "mutation($id:ID!){ reportProgress(milestoneId:$id, progress:10){ id } }",
            json!({ "id": id }),
        ),
        (
            "mutation($id:ID!,$v:Int!){ cancelMilestone(id:$id, expectedVersion:$v, reason:\"撤销\"){ id } }",
            json!({ "id": id, "v": parent["version"] }),
        ),
        (
            "mutation($i:AddMilestoneInput!){ addMilestone(input:$i){ id } }",
            json!({ "i": {
                "projectId": town.bridge, "parentId": id, "title": "桥面铺装",
                "responsibleLeaderId": town.li, "responsibleUnitId": town.cunjian,
                "deadline": day(10),
            } }),
        ),
    ];
    for (query, variables) in paths {
        let body = app.gql(Some(&town.presidium), query, variables).await;
        assert_eq!(code(&body), "INTERNAL", "{query}: {body}");
        assert!(
            !body.to_string().contains("PAUSED_BY_HAND"),
            "the stored text stays in the log: {body}"
        );
    }
    still_answers(&app, &town.presidium).await;
    let data = app
        .ok(&town.presidium, "{ projects { totalCount } }", json!({}))
        .await;
    assert_eq!(data["projects"]["totalCount"], 1);
}

e2e!(a_formula_typed_as_a_title_reaches_the_csv_ledger_as_text);
/// A title a spreadsheet would evaluate (`=HYPERLINK(…)`) is kept as typed, and the CSV ledger
/// writes it so that Excel and WPS show it as text.
async fn a_formula_typed_as_a_title_reaches_the_csv_ledger_as_text(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let title = "=HYPERLINK(\"http://example.invalid\";\"点击\")";
    town.milestone(&app, json!({ "title": title, "deadline": day(5) }))
        .await;
    let csv = app
        .get(Some(&town.presidium), "/export/ledger.csv")
        .await
        .text()
        .await
        .unwrap();
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

#[tokio::test]
async fn a_client_behind_the_proxy_cannot_choose_its_own_address() {
    // One reverse proxy in front, appending the address it was reached from.
    let app = TestApp::spawn_with(jiandu_tests::Backend::Sqlite, |config| {
        config.trusted_proxies = 1;
    })
    .await;
    let login = |username: String, forwarded: String| {
        let app = &app;
        async move {
            let response = app
                .client
                .post(format!("{}/graphql", app.base))
                .header("x-forwarded-for", forwarded)
                .json(&json!({
                    "query": "mutation($u:String!){ login(username:$u, password:\"wrong-password\"){ token } }",
                    "variables": { "u": username },
                }))
                .send()
                .await
                .unwrap();
            let body: Value = response.json().await.unwrap();
            code(&body).to_string()
        }
    };
    // Thirty guesses, each across another username and each with another address of the
    // client's own making in front of the one the proxy appended.
    for i in 0..30 {
        let forged = format!("198.51.100.{i}, 203.0.113.9");
        assert_eq!(login(format!("guess{i}"), forged).await, "UNAUTHENTICATED");
    }
    assert_eq!(
        login("guess-more".into(), "198.51.100.200, 203.0.113.9".into()).await,
        "RATE_LIMITED",
        "the client behind the proxy is one client"
    );
    assert_eq!(
        login("someone".into(), "203.0.113.10".into()).await,
        "UNAUTHENTICATED",
        "another client is not held back"
    );
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
    let cookie = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("cookie", format!("token={0}; session={0}", town.presidium))
        .json(&json!({ "query": "{ me { username } }" }))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
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

e2e!(figures_are_a_few_per_request);
/// A dashboard or a year's figures costs a quarter of a request's complexity: thirty of them on
/// different days in one request (each computed afresh) are refused before anything runs.
async fn figures_are_a_few_per_request(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let many: String = (1..=30)
        .map(|i| format!("d{i}: dashboard(asOf:\"{}\"){{ projectCount }} ", day(i)))
        .collect();
    let body = app
        .gql(Some(&town.viewer), &format!("{{ {many} }}"), json!({}))
        .await;
    assert_eq!(code(&body), "QUERY_TOO_COMPLEX", "{body}");
    let years: String = (2000..2010)
        .map(|y| format!("y{y}: annualReport(year:{y}){{ inspections }} "))
        .collect();
    let body = app
        .gql(Some(&town.viewer), &format!("{{ {years} }}"), json!({}))
        .await;
    assert_eq!(code(&body), "QUERY_TOO_COMPLEX", "{body}");
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
