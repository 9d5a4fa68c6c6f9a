//! Looking after accounts: a forgotten password reset by the presidium must be replaced at the
//! next sign-in; a departed leader's account is disabled with its sessions and calendar feed; a
//! user sees and ends their own sessions; the first admin's password never reaches the log.

use jiandu_tests::process::Server;
use jiandu_tests::town::Town;
use jiandu_tests::{PASSWORD, TestApp, code, current_session, e2e};
use serde_json::{Value, json};

const ME: &str = "{ me { id username disabled mustChangePassword } }";
const CHANGE: &str =
    "mutation($c:String!,$n:String!){ changePassword(currentPassword:$c, newPassword:$n) }";

async fn me(app: &TestApp, token: &str) -> Value {
    app.ok(token, ME, json!({})).await["me"].clone()
}

async fn login(app: &TestApp, username: &str, password: &str) -> Value {
    app.gql(
        None,
        "mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token user{ mustChangePassword } } }",
        json!({ "u": username, "p": password }),
    )
    .await
}

async fn a_reset_password_must_be_replaced_before_anything_else(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let liming = me(&app, &town.liming).await;
    let username = liming["username"].as_str().unwrap();
    let reset = app
        .ok(
            &town.presidium,
            "mutation($u:ID!){ resetPassword(userId:$u) }",
            json!({ "u": liming["id"] }),
        )
        .await;
    let one_time = reset["resetPassword"].as_str().unwrap().to_string();
    assert!(one_time.len() >= 12, "{one_time}");

    // His sessions ended, and his old password no longer works.
    let old = app.gql(Some(&town.liming), ME, json!({})).await;
    assert_eq!(code(&old), "UNAUTHENTICATED");
    assert_eq!(
        code(&login(&app, username, PASSWORD).await),
        "UNAUTHENTICATED"
    );

    let signed = login(&app, username, &one_time).await;
    assert_eq!(signed["data"]["login"]["user"]["mustChangePassword"], true);
    let token = signed["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    // He may see who he is, but nothing else until he chooses a password.
    assert_eq!(me(&app, &token).await["mustChangePassword"], true);
    let refused = app
        .refused(
            &token,
            "{ projects { totalCount } }",
            json!({}),
            "FORBIDDEN",
        )
        .await;
    assert!(refused["data"].is_null() || refused["data"]["projects"].is_null());
    let ledger = app.get(Some(&token), "/export/ledger.csv").await;
    assert_eq!(ledger.status(), 403);

    let wrong = app
        .refused(
            &token,
            CHANGE,
            json!({ "c": "not-it-at-all", "n": "新的密码-2026" }),
            "VALIDATION_FAILED",
        )
        .await;
    assert_eq!(wrong["errors"][0]["extensions"]["field"], "currentPassword");
    let same = app
        .gql(
            Some(&token),
            CHANGE,
            json!({ "c": one_time, "n": one_time }),
        )
        .await;
    assert_eq!(same["errors"][0]["extensions"]["field"], "newPassword");
    let short = app
        .gql(Some(&token), CHANGE, json!({ "c": one_time, "n": "short" }))
        .await;
    assert_eq!(short["errors"][0]["extensions"]["field"], "newPassword");

    app.ok(
        &token,
        CHANGE,
        json!({ "c": one_time, "n": "新的密码-2026" }),
    )
    .await;
    assert_eq!(me(&app, &token).await["mustChangePassword"], false);
    let projects = app
        .ok(&token, "{ projects { totalCount } }", json!({}))
        .await;
    assert_eq!(projects["projects"]["totalCount"], 1);
    assert_eq!(
        code(&login(&app, username, &one_time).await),
        "UNAUTHENTICATED"
    );
    assert!(login(&app, username, "新的密码-2026").await["errors"].is_null());

    // Only the presidium resets, and only in its own organisation.
    app.refused(
        &town.deputy,
        "mutation($u:ID!){ resetPassword(userId:$u) }",
        json!({ "u": liming["id"] }),
        "FORBIDDEN",
    )
    .await;
}
e2e!(a_reset_password_must_be_replaced_before_anything_else);

/// A password the presidium chose for a new account is someone else's: it must be replaced at
/// the first sign-in, as a reset one is.
async fn a_password_given_with_a_new_account_must_be_replaced_first(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let made = app
        .ok(
            &town.presidium,
            "mutation{ createUser(input:{username:\"wang.clerk\", password:\"chosen-by-presidium\", role:VIEWER}){ mustChangePassword } }",
            json!({}),
        )
        .await;
    assert_eq!(made["createUser"]["mustChangePassword"], true);
    let signed = login(&app, "wang.clerk", "chosen-by-presidium").await;
    assert_eq!(signed["data"]["login"]["user"]["mustChangePassword"], true);
    let token = signed["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let refused = app
        .gql(Some(&token), "{ projects { totalCount } }", json!({}))
        .await;
    assert_eq!(code(&refused), "FORBIDDEN", "{refused}");
    app.ok(
        &token,
        CHANGE,
        json!({ "c": "chosen-by-presidium", "n": "wang-chooses-this-one" }),
    )
    .await;
    assert_eq!(me(&app, &token).await["mustChangePassword"], false);
    app.ok(&token, "{ projects { totalCount } }", json!({}))
        .await;
}
e2e!(a_password_given_with_a_new_account_must_be_replaced_first);

async fn a_disabled_account_loses_its_sessions_and_feed_and_cannot_sign_in(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let liming = me(&app, &town.liming).await;
    let username = liming["username"].as_str().unwrap().to_string();
    let feed = app
        .ok(&town.liming, "mutation { rotateCalendarFeed }", json!({}))
        .await["rotateCalendarFeed"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(app.get(None, &feed).await.status(), 200);

    let disabled = app
        .ok(
            &town.presidium,
            "mutation($u:ID!){ disableUser(id:$u){ disabled } }",
            json!({ "u": liming["id"] }),
        )
        .await;
    assert_eq!(disabled["disableUser"]["disabled"], true);
    assert_eq!(
        code(&app.gql(Some(&town.liming), ME, json!({})).await),
        "UNAUTHENTICATED"
    );
    assert_eq!(app.get(None, &feed).await.status(), 404);
    let refused = login(&app, &username, PASSWORD).await;
    assert_eq!(code(&refused), "UNAUTHENTICATED");
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("disabled"),
        "{refused}"
    );
    let listed = app
        .ok(
            &town.presidium,
            "{ users { username disabled } }",
            json!({}),
        )
        .await;
    let row = listed["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username.as_str())
        .cloned()
        .unwrap();
    assert_eq!(row["disabled"], true);

    // Nobody locks themselves out.
    let presidium = me(&app, &town.presidium).await;
    app.refused(
        &town.presidium,
        "mutation($u:ID!){ disableUser(id:$u){ disabled } }",
        json!({ "u": presidium["id"] }),
        "VALIDATION_FAILED",
    )
    .await;

    let enabled = app
        .ok(
            &town.presidium,
            "mutation($u:ID!){ enableUser(id:$u){ disabled } }",
            json!({ "u": liming["id"] }),
        )
        .await;
    assert_eq!(enabled["enableUser"]["disabled"], false);
    // The old session stays ended; signing in works again.
    assert_eq!(
        code(&app.gql(Some(&town.liming), ME, json!({})).await),
        "UNAUTHENTICATED"
    );
    let token = app.login(&username, PASSWORD).await;
    assert_eq!(me(&app, &token).await["disabled"], false);
}
e2e!(a_disabled_account_loses_its_sessions_and_feed_and_cannot_sign_in);

const SESSIONS: &str = "{ sessions { id createdAt expiresAt lastUsedAt current } }";

async fn a_user_sees_and_ends_their_own_sessions_only(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let username = me(&app, &town.liming).await["username"]
        .as_str()
        .unwrap()
        .to_string();
    let phone = app.login(&username, PASSWORD).await;
    let laptop = app.login(&username, PASSWORD).await;

    let seen = app.ok(&phone, SESSIONS, json!({})).await;
    let sessions = seen["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 3, "{seen}");
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    assert!(sessions.iter().all(|s| !s["lastUsedAt"].is_null()));
    let laptop_id = current_session(&app.ok(&laptop, SESSIONS, json!({})).await);

    // Someone else's session is not there to end.
    app.refused(
        &town.chengang,
        "mutation($s:ID!){ revokeSession(id:$s) }",
        json!({ "s": laptop_id }),
        "NOT_FOUND",
    )
    .await;
    assert!(app.gql(Some(&laptop), ME, json!({})).await["errors"].is_null());

    let revoked = app
        .ok(
            &phone,
            "mutation($s:ID!){ revokeSession(id:$s) }",
            json!({ "s": laptop_id }),
        )
        .await;
    assert_eq!(revoked["revokeSession"], true);
    assert_eq!(
        code(&app.gql(Some(&laptop), ME, json!({})).await),
        "UNAUTHENTICATED"
    );
    let again = app
        .ok(
            &phone,
            "mutation($s:ID!){ revokeSession(id:$s) }",
            json!({ "s": laptop_id }),
        )
        .await;
    assert_eq!(again["revokeSession"], false);
    assert_eq!(
        app.ok(&phone, SESSIONS, json!({})).await["sessions"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Changing the password ends every other session, and keeps this one.
    app.ok(
        &phone,
        CHANGE,
        json!({ "c": PASSWORD, "n": "换一个密码-2026" }),
    )
    .await;
    assert_eq!(
        code(&app.gql(Some(&town.liming), ME, json!({})).await),
        "UNAUTHENTICATED"
    );
    let left = app.ok(&phone, SESSIONS, json!({})).await;
    assert_eq!(left["sessions"].as_array().unwrap().len(), 1, "{left}");
}
e2e!(a_user_sees_and_ends_their_own_sessions_only);

async fn only_the_presidium_lists_its_own_organisations_accounts(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let listed = app
        .ok(
            &town.presidium,
            "{ users { username role disabled mustChangePassword organization { id } } }",
            json!({}),
        )
        .await;
    let users = listed["users"].as_array().unwrap();
    // The presidium, three leaders, a deputy and a viewer; none of the other township's.
    assert_eq!(users.len(), 6, "{listed}");
    assert!(
        users
            .iter()
            .all(|u| u["organization"]["id"] == town.org.as_str())
    );
    let names: Vec<&str> = users
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    let sorted = {
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted
    };
    assert_eq!(names, sorted, "by username");
    for token in [&town.deputy, &town.liming, &town.viewer] {
        app.refused(token, "{ users { username } }", json!({}), "FORBIDDEN")
            .await;
    }
    let theirs = app
        .ok(&other.presidium, "{ users { username } }", json!({}))
        .await;
    assert_eq!(theirs["users"].as_array().unwrap().len(), 6);
}
e2e!(only_the_presidium_lists_its_own_organisations_accounts);

/// The server binary: `api/src/main.rs`, built by this package as `jiandu-server`.
const SERVER: &str = env!("CARGO_BIN_EXE_jiandu-server");

#[tokio::test]
async fn the_first_admin_password_is_in_a_private_file_and_must_be_changed() {
    let id = uuid::Uuid::now_v7();
    let data_dir = std::env::temp_dir().join(format!("jiandu-first-{id}"));
    let file = std::env::temp_dir().join(format!("jiandu-first-{id}.db"));
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let server = Server::launch(
        SERVER,
        &["serve", "--bind", "127.0.0.1:0"],
        &url,
        &data_dir,
        &[("RUST_LOG", "debug")],
    );
    let secret = data_dir.join("first-admin-password");
    let password = std::fs::read_to_string(&secret)
        .expect("the password file is written")
        .trim()
        .to_string();
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only the server's user reads it");
    }
    let client = reqwest::Client::new();
    let post = |token: Option<String>, query: &str, variables: Value| {
        let mut request = client
            .post(format!("{}/graphql", server.base))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        jiandu_tests::answer_of(request)
    };
    let signed = post(
        None,
        "mutation($p:String!){ login(username:\"admin\",password:$p){ token user{ mustChangePassword } } }",
        json!({ "p": password }),
    )
    .await;
    assert_eq!(
        signed["data"]["login"]["user"]["mustChangePassword"], true,
        "{signed}"
    );
    let token = signed["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let refused = post(Some(token.clone()), "{ organizations { name } }", json!({})).await;
    assert_eq!(code(&refused), "FORBIDDEN");
    let changed = post(
        Some(token.clone()),
        CHANGE,
        json!({ "c": password, "n": "主席团的新密码-2026" }),
    )
    .await;
    assert_eq!(changed["data"]["changePassword"], true, "{changed}");
    let orgs = post(Some(token), "{ organizations { name } }", json!({})).await;
    assert_eq!(orgs["data"]["organizations"][0]["name"], "人大主席团");

    let output = server.output();
    assert!(
        output.contains(&secret.display().to_string()) || output.contains("first-admin-password"),
        "{output}"
    );
    assert!(
        !output.contains(&password),
        "the password reached the output: {output}"
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&data_dir);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}
