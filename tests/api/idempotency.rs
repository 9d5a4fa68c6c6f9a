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
