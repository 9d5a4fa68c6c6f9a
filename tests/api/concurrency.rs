//! Concurrent writers: many clients writing at once all succeed on SQLite (one writer at a time,
//! never "database is locked"), and racing updates of one record have exactly one winner.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{Backend, TestApp, code};
use serde_json::json;

async fn many_clients_write_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let town = Town::setup(&app, "思蒙镇").await;
    let mut nodes = Vec::new();
    for i in 0..32 {
        let node = town
            .milestone(
                &app,
                json!({ "title": format!("节点{i}"), "deadline": day(30) }),
            )
            .await;
        nodes.push(node["id"].as_str().unwrap().to_string());
    }
    let app = std::sync::Arc::new(app);
    let mut clients = Vec::new();
    for (i, node) in nodes.into_iter().enumerate() {
        let app = app.clone();
        let token = town.liming.clone();
        let presidium = town.presidium.clone();
        clients.push(tokio::spawn(async move {
            let mut errors = Vec::new();
            for round in 1..=5 {
                let body = app
                    .gql(
                        Some(&token),
                        "mutation($id:ID!,$p:Int!){ reportProgress(milestoneId:$id, progress:$p, note:\"推进中\"){ progress } }",
                        json!({ "id": node, "p": round * 10 }),
                    )
                    .await;
                if body.get("errors").is_some() {
                    errors.push(body.to_string());
                }
                let body = app
                    .gql(
                        Some(&presidium),
                        "mutation($t:String!){ createProject(input:{title:$t, origin:OTHER}){ id } }",
                        json!({ "t": format!("项目{i}-{round}") }),
                    )
                    .await;
                if body.get("errors").is_some() {
                    errors.push(body.to_string());
                }
            }
            errors
        }));
    }
    let mut errors = Vec::new();
    for client in clients {
        errors.extend(client.await.unwrap());
    }
    assert!(
        errors.is_empty(),
        "{} errors, first: {:?}",
        errors.len(),
        errors.first()
    );
    let data = app
        .ok(
            &town.viewer,
            "{ projects { totalCount } milestones(first:100) { nodes { progress } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data["projects"]["totalCount"],
        1 + 32 * 5,
        "every acknowledged write is there"
    );
    assert!(
        data["milestones"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["progress"] == 50)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_clients_write_at_once_on_sqlite_without_an_error() {
    many_clients_write_at_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_clients_write_at_once_on_postgres_without_an_error() {
    if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_some() {
        many_clients_write_at_once(Backend::Postgres).await;
    }
}

async fn racing_updates_have_one_winner(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let town = Town::setup(&app, "思蒙镇").await;
    let node = town
        .milestone(&app, json!({ "title": "桥面铺装", "deadline": day(30) }))
        .await;
    let app = std::sync::Arc::new(app);
    let mut racers = Vec::new();
    for i in 0..16 {
        let app = app.clone();
        let token = town.presidium.clone();
        let node = node.clone();
        racers.push(tokio::spawn(async move {
            app.gql(
                Some(&token),
                "mutation($id:ID!,$v:Int!,$t:String!){ updateMilestone(id:$id, expectedVersion:$v, input:{title:$t}){ version title } }",
                json!({ "id": node["id"], "v": node["version"], "t": format!("桥面铺装{i}") }),
            )
            .await
        }));
    }
    let mut winners = Vec::new();
    let mut conflicts = 0;
    for racer in racers {
        let body = racer.await.unwrap();
        if body.get("errors").is_some() {
            assert_eq!(code(&body), "CONFLICT", "{body:#}");
            conflicts += 1;
        } else {
            winners.push(body["data"]["updateMilestone"].clone());
        }
    }
    assert_eq!(winners.len(), 1, "exactly one winner: {winners:?}");
    assert_eq!(conflicts, 15);
    let stored = app
        .ok(
            &town.viewer,
            "query($id:ID!){ milestone(id:$id){ title version } }",
            json!({ "id": node["id"] }),
        )
        .await;
    assert_eq!(
        stored["milestone"], winners[0],
        "what is stored is what the winner was told"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_updates_have_one_winner_on_sqlite() {
    racing_updates_have_one_winner(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_updates_have_one_winner_on_postgres() {
    if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_some() {
        racing_updates_have_one_winner(Backend::Postgres).await;
    }
}

/// SQLite group commit, on the database layer itself: writers queued behind one another share
/// one commit; each is acknowledged only once its batch is committed (another connection sees
/// its row by then); a writer that gives up mid-way leaves the others' rows alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn queued_sqlite_writers_share_one_commit_and_a_failed_one_leaves_the_rest() {
    use jiandu_api::db::Db;
    use sea_orm::ConnectionTrait;
    use std::time::Duration;

    let file = std::env::temp_dir().join(format!("jiandu-batch-{}.db", uuid::Uuid::now_v7()));
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let db = Db::connect(&url, Duration::from_secs(5)).await.unwrap();
    let txn = db.begin_write().await.unwrap();
    txn.execute_unprepared("CREATE TABLE note (writer INTEGER PRIMARY KEY)")
        .await
        .unwrap();
    txn.commit().await.unwrap();
    // Through the pool, on another connection than the writers'.
    let count = |db: Db, filter: String| async move {
        let row = db
            .conn()
            .query_one_raw(sea_orm::Statement::from_string(
                db.backend(),
                format!("SELECT COUNT(*) AS n FROM note {filter}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    };

    const WRITERS: i64 = 16;
    const GIVES_UP: i64 = 5;
    let commits_before = db.commits();
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let db = db.clone();
        writers.push(tokio::spawn(async move {
            // Each holds its turn a while, so the others queue behind it.
            tokio::time::sleep(Duration::from_millis(writer as u64)).await;
            let txn = db.begin_write().await.unwrap();
            txn.execute_unprepared(&format!("INSERT INTO note VALUES ({writer})"))
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(5)).await;
            if writer == GIVES_UP {
                return None;
            }
            txn.commit().await.unwrap();
            Some(count(db, format!("WHERE writer = {writer}")).await)
        }));
    }
    for (writer, seen) in writers.into_iter().enumerate() {
        if let Some(seen) = seen.await.unwrap() {
            assert_eq!(
                seen, 1,
                "writer {writer} was acknowledged before its commit"
            );
        }
    }
    assert_eq!(count(db.clone(), String::new()).await, WRITERS - 1);
    let commits = db.commits() - commits_before;
    assert!(
        (1..WRITERS as u64 / 2).contains(&commits),
        "{commits} commits for {WRITERS} queued writers"
    );
    db.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}
