//! `Idempotency-Key`: a mutation is done once per key; a replay with the same body gets the same
//! answer, another body with the same key is refused, keys are per user and last 24 hours.

use jiandu_tests::town::Town;
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

const CREATE: &str =
    "mutation($t:String!){ createProject(input:{title:$t, origin:OTHER}){ id title } }";

async fn send(app: &TestApp, token: &str, key: &str, title: &str) -> (u16, Option<String>, Value) {
    let response = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(token)
        .header("idempotency-key", key)
        .json(&json!({ "query": CREATE, "variables": { "t": title } }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let replayed = response
        .headers()
        .get("idempotent-replayed")
        .map(|v| v.to_str().unwrap().to_string());
    (status, replayed, response.json().await.unwrap())
}

async fn project_count(app: &TestApp, town: &Town) -> i64 {
    app.ok(&town.viewer, "{ projects { totalCount } }", json!({}))
        .await["projects"]["totalCount"]
        .as_i64()
        .unwrap()
}

e2e!(a_mutation_with_an_idempotency_key_is_done_once);
async fn a_mutation_with_an_idempotency_key_is_done_once(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let before = project_count(&app, &town).await;
    let (status, replayed, first) =
        send(&app, &town.presidium, "create-square-1", "场镇广场改造").await;
    assert_eq!((status, replayed), (200, None), "{first:#}");
    let (status, replayed, second) =
        send(&app, &town.presidium, "create-square-1", "场镇广场改造").await;
    assert_eq!((status, replayed.as_deref()), (200, Some("true")));
    assert_eq!(second, first, "the same answer, the same id");
    assert_eq!(project_count(&app, &town).await, before + 1, "done once");

    // The same key with another body is refused and changes nothing.
    let (status, _, body) = send(&app, &town.presidium, "create-square-1", "另一个项目").await;
    assert_eq!(status, 422);
    assert_eq!(code(&body), "CONFLICT");
    assert_eq!(project_count(&app, &town).await, before + 1);

    // Keys are per user: another user's identical key is theirs.
    let other = Town::setup(&app, "汉阳镇").await;
    let (status, replayed, theirs) =
        send(&app, &other.presidium, "create-square-1", "场镇广场改造").await;
    assert_eq!((status, replayed), (200, None));
    assert_ne!(
        theirs["data"]["createProject"]["id"],
        first["data"]["createProject"]["id"]
    );

    // A key that is not a key.
    let (status, _, body) = send(&app, &town.presidium, "has spaces in it", "x").await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["extensions"]["field"], "Idempotency-Key");

    // After 24 hours a key is forgotten and the request runs again.
    age_keys(&app, 25).await;
    let (status, replayed, again) =
        send(&app, &town.presidium, "create-square-1", "场镇广场改造").await;
    assert_eq!((status, replayed), (200, None));
    assert_ne!(
        again["data"]["createProject"]["id"],
        first["data"]["createProject"]["id"]
    );
    assert_eq!(project_count(&app, &town).await, before + 2);
}

async fn age_keys(app: &TestApp, hours: i64) {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.ctx.db.backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => "UPDATE idempotency_key SET created_at = $1",
        _ => "UPDATE idempotency_key SET created_at = ?",
    };
    let at = chrono::Utc::now() - chrono::Duration::hours(hours);
    app.ctx
        .db
        .conn()
        .execute_raw(Statement::from_sql_and_values(backend, sql, [at.into()]))
        .await
        .unwrap();
}

async fn simultaneous_replays_do_the_work_once(backend: jiandu_tests::Backend) {
    let app = std::sync::Arc::new(TestApp::spawn(backend).await);
    let town = Town::setup(&app, "思蒙镇").await;
    let before = project_count(&app, &town).await;
    let mut clients = Vec::new();
    for _ in 0..8 {
        let app = app.clone();
        let token = town.presidium.clone();
        clients.push(tokio::spawn(async move {
            send(&app, &token, "square-at-once", "场镇广场改造").await
        }));
    }
    let mut ids = std::collections::BTreeSet::new();
    for client in clients {
        let (status, _, body) = client.await.unwrap();
        match status {
            200 => {
                ids.insert(body["data"]["createProject"]["id"].to_string());
            }
            409 => assert_eq!(code(&body), "CONFLICT"),
            other => panic!("unexpected {other}: {body:#}"),
        }
    }
    assert_eq!(ids.len(), 1, "every answer names the one project");
    assert_eq!(project_count(&app, &town).await, before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_replays_do_the_work_once_on_sqlite() {
    simultaneous_replays_do_the_work_once(jiandu_tests::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_replays_do_the_work_once_on_postgres() {
    if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_some() {
        simultaneous_replays_do_the_work_once(jiandu_tests::Backend::Postgres).await;
    }
}

/// Sends `query` with an Idempotency-Key; the status and the body.
async fn send_keyed(
    app: &TestApp,
    token: &str,
    key: &str,
    query: &str,
    variables: Value,
) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(token)
        .header("idempotency-key", key)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn kept_keys(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    jiandu_api::entity::idempotency_key::Entity::find()
        .count(app.ctx.db.conn())
        .await
        .unwrap()
}

e2e!(keys_are_taken_on_mutations_only_and_never_keep_a_sign_in);
/// A key on a query (whose answer a read-only account could store by the megabyte) or on a
/// sign-in (whose answer is a session token) is refused before anything runs or is kept.
async fn keys_are_taken_on_mutations_only_and_never_keep_a_sign_in(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let (status, body) = send_keyed(
        &app,
        &town.viewer,
        "read-1",
        "{ projects { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "Idempotency-Key");
    let login = "mutation($u:String!,$p:String!){ login(username:$u, password:$p){ token } }";
    let username = app.username(&town.presidium).await;
    let (status, body) = send_keyed(
        &app,
        &town.presidium,
        "login-1",
        login,
        json!({ "u": username, "p": jiandu_tests::PASSWORD }),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.to_string()
            .find("token")
            .is_none_or(|_| body["data"].is_null())
    );
    assert_eq!(kept_keys(&app).await, 0, "nothing kept");
}

e2e!(a_user_holds_a_bounded_number_of_keys_and_long_answers_are_not_kept);
/// Keys are a retry aid, not a store: one user holds at most 500 at once (429 with the seconds
/// until the oldest lapses beyond that), and an answer longer than 16 KiB is kept as a CONFLICT
/// that says the request was done, so a retry still does not do it twice.
async fn a_user_holds_a_bounded_number_of_keys_and_long_answers_are_not_kept(app: TestApp) {
    use jiandu_api::entity::idempotency_key;
    use sea_orm::{EntityTrait, Set};
    let town = Town::setup(&app, "思蒙镇").await;
    let before = project_count(&app, &town).await;

    // A long answer: thirty copies of a 5 000-character description.
    let fields: String = (0..30).map(|i| format!("d{i}: description ")).collect();
    let long = format!(
        "mutation($d:String!){{ createProject(input:{{title:\"长答复\", origin:OTHER, description:$d}}){{ id {fields} }} }}"
    );
    let description = "说明".repeat(2500);
    let send_long = || {
        send_keyed(
            &app,
            &town.presidium,
            "long-1",
            &long,
            json!({ "d": description }),
        )
    };
    let (status, first) = send_long().await;
    assert_eq!(status, 200, "{first}");
    let (status, replay) = send_long().await;
    assert_eq!(status, 409);
    assert_eq!(code(&replay), "CONFLICT");
    assert_eq!(project_count(&app, &town).await, before + 1, "done once");

    // The user already holds 499 more keys (and one of them): the 500th is the last.
    let me = app.ok(&town.presidium, "{ me { id } }", json!({})).await["me"]["id"]
        .as_str()
        .unwrap()
        .parse::<uuid::Uuid>()
        .unwrap();
    let now = chrono::Utc::now();
    let held: Vec<_> = (0..498)
        .map(|i| idempotency_key::ActiveModel {
            user_id: Set(me),
            key: Set(format!("held-{i}")),
            request_hash: Set("x".into()),
            status: Set(Some(200)),
            response: Set(Some("{}".into())),
            created_at: Set(now),
        })
        .collect();
    idempotency_key::Entity::insert_many(held)
        .exec_without_returning(app.ctx.db.conn())
        .await
        .unwrap();
    assert_eq!(kept_keys(&app).await, 499);
    let (status, _, body) = send(&app, &town.presidium, "the-500th", "第500个").await;
    assert_eq!(status, 200, "{body}");
    let (status, _, body) = send(&app, &town.presidium, "the-501st", "第501个").await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(code(&body), "RATE_LIMITED");
    assert_eq!(
        project_count(&app, &town).await,
        before + 2,
        "the refused one was not done"
    );
    // A key already held is still answered, and other users are not held back.
    let (status, replayed, _) = send(&app, &town.presidium, "the-500th", "第500个").await;
    assert_eq!((status, replayed.as_deref()), (200, Some("true")));
    let other = Town::setup(&app, "汉阳镇").await;
    let (status, _, _) = send(&app, &other.presidium, "theirs-1", "他们的项目").await;
    assert_eq!(status, 200);
}
