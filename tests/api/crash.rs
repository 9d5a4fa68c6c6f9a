//! Crashes and restarts, with the real binary as a child process: a SIGKILL in the middle of a
//! write load loses no acknowledged write, and SIGTERM lets in-flight requests finish and exits 0.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiandu_tests::process::Server;
use jiandu_tests::{Backend, fresh_postgres_database};
use serde_json::{Value, json};

/// The server binary: `api/src/main.rs`, built by this package as `jiandu-server`.
const SERVER: &str = env!("CARGO_BIN_EXE_jiandu-server");

struct Place {
    url: String,
    data_dir: std::path::PathBuf,
    file: Option<std::path::PathBuf>,
}

impl Drop for Place {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
        if let Some(file) = &self.file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
    }
}

async fn place(backend: Backend) -> Place {
    let id = uuid::Uuid::now_v7();
    let data_dir = std::env::temp_dir().join(format!("jiandu-crash-{id}"));
    match backend {
        Backend::Sqlite => {
            let file = std::env::temp_dir().join(format!("jiandu-crash-{id}.db"));
            Place {
                url: format!("sqlite://{}?mode=rwc", file.display()),
                data_dir,
                file: Some(file),
            }
        }
        Backend::Postgres => Place {
            url: fresh_postgres_database().await,
            data_dir,
            file: None,
        },
    }
}

async fn post(
    client: &reqwest::Client,
    base: &str,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> Option<Value> {
    let mut request = client
        .post(format!("{base}/graphql"))
        .timeout(Duration::from_secs(10))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    response.json().await.ok()
}

async fn sign_in(client: &reqwest::Client, base: &str) -> String {
    let body = post(
        client,
        base,
        None,
        "mutation { login(username:\"renda\", password:\"jiandu-demo\"){ token } }",
        json!({}),
    )
    .await
    .expect("sign-in answers");
    body["data"]["login"]["token"]
        .as_str()
        .expect("a token")
        .to_string()
}

/// Writers that create projects until the server stops answering; returns the titles the server
/// acknowledged.
fn start_writers(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    acknowledged: &Arc<Mutex<BTreeSet<String>>>,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..8)
        .map(|w| {
            let (client, base, token) = (client.clone(), base.to_string(), token.to_string());
            let acknowledged = acknowledged.clone();
            tokio::spawn(async move {
                for i in 0.. {
                    let title = format!("压测项目-{w}-{i}");
                    let Some(body) = post(
                        &client,
                        &base,
                        Some(&token),
                        "mutation($t:String!){ createProject(input:{title:$t, origin:OTHER}){ id } }",
                        json!({ "t": title }),
                    )
                    .await
                    else {
                        return;
                    };
                    if body["data"]["createProject"]["id"].is_string() {
                        acknowledged.lock().unwrap().insert(title);
                    } else {
                        return;
                    }
                }
            })
        })
        .collect()
}

async fn stored_titles(client: &reqwest::Client, base: &str, token: &str) -> BTreeSet<String> {
    let mut titles = BTreeSet::new();
    let mut after: Option<String> = None;
    loop {
        let body = post(
            client,
            base,
            Some(token),
            "query($a:String){ projects(first:100, after:$a){ pageInfo{ hasNextPage endCursor } nodes{ title } } }",
            json!({ "a": after }),
        )
        .await
        .expect("the restarted server answers");
        let page = &body["data"]["projects"];
        for node in page["nodes"].as_array().unwrap() {
            titles.insert(node["title"].as_str().unwrap().to_string());
        }
        if page["pageInfo"]["hasNextPage"] != true {
            return titles;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(String::from);
    }
}

async fn sigkill_mid_write_loses_no_acknowledged_write(backend: Backend) {
    let place = place(backend).await;
    let client = reqwest::Client::new();
    let mut server = Server::start(SERVER, &place.url, &place.data_dir);
    let token = sign_in(&client, &server.base).await;
    let acknowledged = Arc::new(Mutex::new(BTreeSet::new()));
    let writers = start_writers(&client, &server.base, &token, &acknowledged);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("the server is gone");
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 20,
        "the load was running: {}",
        acknowledged.len()
    );

    let restarted = Server::start(SERVER, &place.url, &place.data_dir);
    let token = sign_in(&client, &restarted.base).await;
    let stored = stored_titles(&client, &restarted.base, &token).await;
    let lost: Vec<&String> = acknowledged.difference(&stored).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged writes lost: {lost:?}",
        lost.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_mid_write_loses_no_acknowledged_write_on_sqlite() {
    sigkill_mid_write_loses_no_acknowledged_write(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_mid_write_loses_no_acknowledged_write_on_postgres() {
    if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_some() {
        sigkill_mid_write_loses_no_acknowledged_write(Backend::Postgres).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_finishes_in_flight_requests_and_exits_cleanly() {
    let place = place(Backend::Sqlite).await;
    let client = reqwest::Client::new();
    let mut server = Server::start(SERVER, &place.url, &place.data_dir);
    let token = sign_in(&client, &server.base).await;
    let acknowledged = Arc::new(Mutex::new(BTreeSet::new()));
    let writers = start_writers(&client, &server.base, &token, &acknowledged);
    // A request that takes two seconds is in flight when the signal comes.
    let slow = {
        let (client, base, token) = (client.clone(), server.base.clone(), token.clone());
        tokio::spawn(async move {
            post(
                &client,
                &base,
                Some(&token),
                "{ testSlow: me { username } }",
                json!({}),
            )
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(800)).await;
    server.terminate();
    assert_eq!(
        server.wait_for_exit(Duration::from_secs(30)),
        Some(0),
        "SIGTERM ends the server with exit code 0"
    );
    for writer in writers {
        writer.await.unwrap();
    }
    let slow = slow
        .await
        .unwrap()
        .expect("the request in flight is answered");
    assert_eq!(slow["data"]["testSlow"]["username"], "renda", "{slow}");
    // It no longer accepts connections.
    assert!(
        client
            .get(format!("{}/healthz", server.base))
            .timeout(Duration::from_secs(2))
            .send()
            .await
            .is_err()
    );
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(!acknowledged.is_empty());
    let restarted = Server::start(SERVER, &place.url, &place.data_dir);
    let token = sign_in(&client, &restarted.base).await;
    let stored = stored_titles(&client, &restarted.base, &token).await;
    assert!(
        acknowledged.is_subset(&stored),
        "every answered write is stored"
    );
}

/// The notice scan of a county crashing (aborting) while it runs, then run again: the second run
/// finishes what the first left, the third finds nothing to do, no item has a kind of notice
/// twice that day, every organisation's order numbers run 1, 2, 3 … without a gap, and every
/// organisation with an overdue item was reached.
async fn a_scan_killed_midway_and_run_again_issues_each_notice_once(backend: Backend) {
    use jiandu_api::entity::{milestone, notice};
    use jiandu_api::seed::bench::{self, Scale};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    let app = jiandu_tests::TestApp::spawn(backend).await;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    bench::generate(&app.ctx, Scale::County, 11, day)
        .await
        .expect("a county");
    let db = app.ctx.db.conn();
    let count = || async { notice::Entity::find().count(db).await.unwrap() };
    let scan = || {
        let mut command = std::process::Command::new(SERVER);
        command
            .args(["notices", "run", "--as-of", "2026-06-30"])
            .env("JIANDU_DATABASE_URL", app.database_url())
            .env("JIANDU_DATA_DIR", app.data_dir())
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        command
    };

    // The first run crashes (aborts) once its first organisations have committed a few hundred
    // notices: in the middle, wherever the machine's speed puts the other tests.
    let first = scan()
        .env("JIANDU_TEST_CRASH_SCAN_AFTER", "300")
        .output()
        .expect("the scan starts");
    assert!(!first.status.success(), "the first run crashed: {first:?}");
    let killed_at = count().await;
    assert!(
        killed_at >= 300,
        "what committed before the crash stays: {killed_at}"
    );

    let second = scan().output().expect("the scan runs again");
    assert!(second.status.success(), "{second:?}");
    let finished = count().await;
    assert!(
        finished > killed_at,
        "the kill came in the middle: {killed_at} of {finished}"
    );
    let third = scan().output().expect("and once more");
    assert!(third.status.success());
    assert!(
        String::from_utf8_lossy(&third.stdout).contains("issued 0 notices"),
        "{}",
        String::from_utf8_lossy(&third.stdout)
    );
    assert_eq!(count().await, finished);

    let notices = notice::Entity::find().all(db).await.unwrap();
    let mut seen = BTreeSet::new();
    let mut orders: std::collections::BTreeMap<uuid::Uuid, Vec<i32>> = Default::default();
    for n in &notices {
        assert!(
            seen.insert((n.subject_id, n.kind.0.as_str(), n.issued_on)),
            "{} issued twice",
            n.title
        );
        if let Some(sequence) = n.sequence {
            orders.entry(n.organization_id).or_default().push(sequence);
        }
    }
    assert!(!orders.is_empty(), "the county has orders to number");
    for (org, mut numbers) in orders {
        numbers.sort_unstable();
        let expected: Vec<i32> = (1..=numbers.len() as i32).collect();
        assert_eq!(numbers, expected, "organisation {org}'s orders");
    }
    let reached: BTreeSet<uuid::Uuid> = notices.iter().map(|n| n.organization_id).collect();
    let overdue: BTreeSet<uuid::Uuid> = milestone::Entity::find()
        .filter(milestone::Column::IsItem.eq(true))
        .filter(milestone::Column::CompletedOn.is_null())
        .filter(milestone::Column::DueBy.lt(day))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.status.0.is_open())
        .map(|m| m.organization_id)
        .collect();
    assert!(overdue.len() > 1, "a county's worth of organisations");
    assert!(
        overdue.is_subset(&reached),
        "{} organisations with overdue items, {} reached",
        overdue.len(),
        reached.len()
    );
}

#[tokio::test]
async fn a_scan_killed_midway_and_run_again_issues_each_notice_once_on_sqlite() {
    a_scan_killed_midway_and_run_again_issues_each_notice_once(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_scan_killed_midway_and_run_again_issues_each_notice_once_on_postgres() {
    if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_some() {
        a_scan_killed_midway_and_run_again_issues_each_notice_once(Backend::Postgres).await;
    }
}
