//! Sessions kept in memory: after its first request a session costs no statement, and every
//! end of it — signing out, a revoked session, a password reset, a disabled account, expiry —
//! is honoured at once on the replica that wrote it and within a second on the others.

use std::time::{Duration, Instant};

use jiandu_tests::town::Town;
use jiandu_tests::{PASSWORD, TestApp, code, current_session, e2e};
use serde_json::json;

const ME: &str = "{ me { id username } }";

async fn username(app: &TestApp, token: &str) -> String {
    app.ok(token, ME, json!({})).await["me"]["username"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Whether `token` is taken.
async fn signed_in(app: &TestApp, token: &str) -> bool {
    let body = app.gql(Some(token), ME, json!({})).await;
    if body["errors"].is_null() {
        return true;
    }
    assert_eq!(code(&body), "UNAUTHENTICATED", "{body}");
    false
}

/// The statements a request that reads nothing costs with `token`.
async fn statements_of_a_request(app: &TestApp, token: &str) -> u64 {
    let before = app.sql_statements().await;
    let body = app.gql(Some(token), "{ __typename }", json!({})).await;
    assert_eq!(body["data"]["__typename"], "Query", "{body}");
    app.sql_statements().await - before
}

async fn a_session_costs_a_statement_only_on_its_first_request(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let name = username(&app, &town.viewer).await;
    let token = app.login(&name, PASSWORD).await;

    assert_eq!(
        statements_of_a_request(&app, &token).await,
        1,
        "the first request looks the session up"
    );
    for _ in 0..5 {
        assert_eq!(
            statements_of_a_request(&app, &token).await,
            0,
            "a kept session spends no statement"
        );
    }

    // Expiry needs no announcement: the kept session says when it ends.
    let identify = |at: chrono::DateTime<chrono::Utc>| {
        let ctx = app.ctx.stopped_at(at);
        let token = token.clone();
        async move { jiandu_api::service::accounts::authenticate(&ctx, &token).await }
    };
    let now = chrono::Utc::now();
    assert!(identify(now).await.is_ok());
    let expired = identify(now + chrono::Duration::days(400)).await;
    assert!(
        matches!(
            expired,
            Err(jiandu_api::error::AppError::Unauthenticated(_))
        ),
        "a kept session past its expiry is refused"
    );

    // A write in the holder's organisation leaves the session kept; a change to the people list
    // (where the holder is named) has it read again, once.
    app.ok(
        &town.presidium,
        "mutation{ createProject(input:{title:\"新的项目\", origin:OTHER}){ id } }",
        json!({}),
    )
    .await;
    assert_eq!(statements_of_a_request(&app, &token).await, 0, "still kept");
    app.ok(
        &town.presidium,
        "mutation{ createPerson(input:{name:\"王新\", title:\"村干部\"}){ id } }",
        json!({}),
    )
    .await;
    assert_eq!(statements_of_a_request(&app, &token).await, 1, "read again");
    assert_eq!(statements_of_a_request(&app, &token).await, 0, "kept again");
}
e2e!(a_session_costs_a_statement_only_on_its_first_request);

/// Two servers on one PostgreSQL database: each keeps the sessions it has seen, and an end
/// written through one is refused by the other within a second (the command's event reaches it
/// through `LISTEN`).
#[tokio::test]
async fn an_ended_session_is_refused_on_another_replica_within_a_second() {
    if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_none() {
        return;
    }
    let one = TestApp::spawn(jiandu_tests::Backend::Postgres).await;
    let other = one.replica().await;
    let town = Town::setup(&one, "思蒙镇").await;
    let viewer = username(&one, &town.viewer).await;
    let leader = username(&one, &town.liming).await;

    // Each way a session ends, written through `one`, with the token kept by `other`.
    let ends: [(&str, &str); 4] = [
        ("signed out", "mutation { logout }"),
        ("revoked", "mutation($s:ID!){ revokeSession(id:$s) }"),
        (
            "password reset",
            "mutation($u:ID!){ resetPassword(userId:$u) }",
        ),
        (
            "disabled",
            "mutation($u:ID!){ disableUser(id:$u){ disabled } }",
        ),
    ];
    for (what, mutation) in ends {
        let holder = if what == "disabled" { &viewer } else { &leader };
        let token = one.login(holder, PASSWORD).await;
        assert!(signed_in(&other, &token).await, "{what}: signed in");
        assert_eq!(
            statements_of_a_request(&other, &token).await,
            0,
            "{what}: the other replica keeps the session"
        );

        let me = one.ok(&token, ME, json!({})).await["me"]["id"].clone();
        match what {
            "signed out" => one.ok(&token, mutation, json!({})).await,
            "revoked" => {
                let sessions = "{ sessions { id current } }";
                let id = current_session(&one.ok(&token, sessions, json!({})).await);
                one.ok(&token, mutation, json!({ "s": id })).await
            }
            _ => one.ok(&town.presidium, mutation, json!({ "u": me })).await,
        };
        assert!(
            !signed_in(&one, &token).await,
            "{what}: refused at once here"
        );

        let ended = Instant::now();
        while signed_in(&other, &token).await {
            assert!(
                ended.elapsed() < Duration::from_secs(1),
                "{what}: the other replica still takes the token after a second"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}
