//! Upgrades: a database written by the first released Jiandu (tests/fixtures/upgrade, made by
//! its make.sh with that version) is migrated by today's server when it starts, and serves the
//! same records that version served — on SQLite from the file, on PostgreSQL from a dump — and
//! takes today's steps on them.

use jiandu_tests::{Backend, EmptyDatabase, TestApp};
use serde_json::{Value, json};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/upgrade");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).expect("the fixture is in the repository")
}

/// What the first release served, as today's server should serve it: the one change in meaning
/// since is that an accepted milestone (VERIFIED, which meant done) is signed off (migration 13).
fn expected(snapshot: &str) -> Value {
    let mut expected: Value = serde_json::from_str(&fixture(snapshot)).unwrap();
    let projects = expected["projects"]["nodes"].as_array_mut().unwrap();
    for milestone in projects
        .iter_mut()
        .flat_map(|p| p["milestones"]["nodes"].as_array_mut().unwrap())
    {
        if milestone["status"] == "VERIFIED" {
            milestone["status"] = json!("CLOSED");
        }
    }
    expected
}

/// snapshot.graphql's operations, asked of `app` as the demo presidium, merged as make.sh merges them.
async fn served(app: &TestApp, token: &str) -> Value {
    let document = fixture("snapshot.graphql");
    let mut answer = serde_json::Map::new();
    for operation in ["Projects", "Inspections"] {
        let body: Value = app
            .client
            .post(format!("{}/graphql", app.base))
            .bearer_auth(token)
            .json(&json!({ "query": document, "operationName": operation }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(body.get("errors").is_none(), "{operation}: {body:#}");
        answer.extend(body["data"].as_object().unwrap().clone());
    }
    Value::Object(answer)
}

async fn served_as_before_and_takes_todays_steps(app: &TestApp, snapshot: &str) {
    let token = app.login("renda", "jiandu-demo").await;
    let now = served(app, &token).await;
    assert_eq!(
        now,
        expected(snapshot),
        "the upgraded database serves what it served"
    );
    assert!(
        now["projects"]["totalCount"].as_i64().unwrap() > 0
            && now["inspections"]["totalCount"].as_i64().unwrap() > 0,
        "the fixture holds records: {now}"
    );

    // Today's steps on yesterday's records: a reported completion is signed off (销号), an
    // Excel-era ledger export holds them, suggestions start empty.
    let done = app
        .ok(
            &token,
            "{ milestones(first:50, filter:{status:[DONE]}){ nodes{ id version title } } }",
            json!({}),
        )
        .await["milestones"]["nodes"][0]
        .clone();
    let signed = app
        .ok(
            &token,
            "mutation($id:ID!,$v:Int!){ signOffMilestone(id:$id, expectedVersion:$v){ status signedOffBy{ username } } }",
            json!({ "id": done["id"], "v": done["version"] }),
        )
        .await;
    assert_eq!(signed["signOffMilestone"]["status"], "CLOSED");
    assert_eq!(
        signed["signOffMilestone"]["signedOffBy"]["username"],
        "renda"
    );
    let ledger = app.get(Some(&token), "/export/ledger.csv").await;
    assert_eq!(ledger.status().as_u16(), 200);
    let ledger = ledger.text().await.unwrap();
    assert!(ledger.contains(done["title"].as_str().unwrap()), "{ledger}");
    let suggestions = app
        .ok(&token, "{ suggestions{ totalCount } }", json!({}))
        .await;
    assert_eq!(suggestions["suggestions"]["totalCount"], 0);
}

#[tokio::test]
async fn a_first_release_sqlite_database_is_migrated_and_served_as_before() {
    let copy = std::env::temp_dir().join(format!("jiandu-wave1-{}.db", uuid::Uuid::now_v7()));
    std::fs::copy(format!("{FIXTURES}/wave1.db"), &copy).unwrap();
    let url = format!("sqlite://{}?mode=rwc", copy.display());
    let app = TestApp::spawn_with(Backend::Sqlite, |config| config.database_url = url).await;
    served_as_before_and_takes_todays_steps(&app, "wave1.sqlite.json").await;
    drop(app);
    let _ = std::fs::remove_file(&copy);
}

#[tokio::test]
async fn a_first_release_postgres_dump_is_migrated_and_served_as_before() {
    use sea_orm::ConnectionTrait;
    if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_none() {
        return;
    }
    let empty = EmptyDatabase::new(Backend::Postgres).await;
    {
        // The dump as pg_restore would run it (it empties search_path on its own connection,
        // which goes away with this pool).
        let db = empty.open().await;
        db.conn()
            .execute_unprepared(&fixture("wave1.postgres.sql"))
            .await
            .expect("the first release's dump loads");
    }
    let url = empty.url.clone();
    let app = TestApp::spawn_with(Backend::Postgres, |config| config.database_url = url).await;
    served_as_before_and_takes_todays_steps(&app, "wave1.postgres.json").await;
}
