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
