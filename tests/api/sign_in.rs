//! Signing in under attack: a burst runs no more password checks than the limits allow and only
//! a few at once (each holds 19 MiB), and a guesser at one address cannot lock the real user out
//! from another.

use jiandu_tests::process::Server;
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

const SERVER: &str = env!("CARGO_BIN_EXE_jiandu-server");
const LOGIN: &str = "mutation($u:String!,$p:String!){ login(username:$u, password:$p){ token } }";

/// Signs in from `forwarded` (the address a trusted proxy appended); the error code, or "OK".
async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    user: &str,
    password: &str,
    forwarded: &str,
) -> String {
    let response = client
        .post(format!("{base}/graphql"))
        .header("x-forwarded-for", forwarded)
        .json(&json!({ "query": LOGIN, "variables": { "u": user, "p": password } }))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    if body["data"]["login"]["token"].is_string() {
        "OK".into()
    } else {
        code(&body).to_string()
    }
}

async fn presidium_name(app: &TestApp) -> String {
    let (_, token) = app.organization("思蒙镇", None, None).await;
    app.username(&token).await
}

e2e!(a_burst_of_guesses_runs_no_more_checks_than_the_limit);
/// Sixty sign-ins at once for one account from one address, the right password among them:
/// at most ten are checked (the limit for an account from an address); the rest are refused at
/// once, the right one too if it comes late.
async fn a_burst_of_guesses_runs_no_more_checks_than_the_limit(app: TestApp) {
    let user = presidium_name(&app).await;
    let client = reqwest::Client::new();
    let attempts = (0..60).map(|i| {
        let (client, base, user) = (client.clone(), app.base.clone(), user.clone());
        tokio::spawn(async move {
            let password = if i == 30 {
                jiandu_tests::PASSWORD
            } else {
                "wrong-password"
            };
            sign_in(&client, &base, &user, password, "203.0.113.9").await
        })
    });
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    for attempt in attempts.collect::<Vec<_>>() {
        *outcomes.entry(attempt.await.unwrap()).or_default() += 1;
    }
    let checked = outcomes.get("UNAUTHENTICATED").copied().unwrap_or(0)
        + outcomes.get("OK").copied().unwrap_or(0);
    assert!(checked <= 10, "{outcomes:?}");
    assert_eq!(
        checked + outcomes.get("RATE_LIMITED").copied().unwrap_or(0),
        60,
        "{outcomes:?}"
    );
}

e2e!(a_guesser_at_one_address_cannot_lock_the_real_user_out);
/// Twelve wrong passwords for the presidium from one address lock that address out of that
/// account; the presidium signs in from the office all the same (after a short wait), and the
/// guesser's other attempts are refused.
async fn a_guesser_at_one_address_cannot_lock_the_real_user_out(app: TestApp) {
    let user = presidium_name(&app).await;
    let client = reqwest::Client::new();
    let mut codes = Vec::new();
    for _ in 0..12 {
        codes.push(sign_in(&client, &app.base, &user, "wrong-password", "198.51.100.66").await);
    }
    assert_eq!(
        codes.iter().filter(|c| *c == "UNAUTHENTICATED").count(),
        10,
        "{codes:?}"
    );
    assert_eq!(codes[10..], ["RATE_LIMITED", "RATE_LIMITED"]);
    let rightly_from =
        |address| sign_in(&client, &app.base, &user, jiandu_tests::PASSWORD, address);
    let started = std::time::Instant::now();
    assert_eq!(rightly_from("203.0.113.20").await, "OK");
    assert!(started.elapsed() < std::time::Duration::from_secs(6));
    assert_eq!(
        rightly_from("198.51.100.66").await,
        "RATE_LIMITED",
        "the guesser's address stays locked out of the account"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_sign_ins_at_once_stay_within_200_mib() {
    let id = uuid::Uuid::now_v7();
    let file = std::env::temp_dir().join(format!("jiandu-sign-in-{id}.db"));
    let data_dir = std::env::temp_dir().join(format!("jiandu-sign-in-{id}"));
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let server = Server::start_with(SERVER, &url, &data_dir, &[("JIANDU_TRUSTED_PROXIES", "1")]);
    let client = reqwest::Client::new();
    // Two hundred guessers, each at an address and an account of its own, so no limit on
    // failures applies: only the cap on hashes running at once stands between them and memory.
    let attempts: Vec<_> = (0..200)
        .map(|i| {
            let (client, base) = (client.clone(), server.base.clone());
            tokio::spawn(async move {
                let address = format!("198.51.{}.{}", i / 200, i % 200 + 1);
                sign_in(
                    &client,
                    &base,
                    &format!("user{i}"),
                    "wrong-password",
                    &address,
                )
                .await
            })
        })
        .collect();
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    for attempt in attempts {
        *outcomes.entry(attempt.await.unwrap()).or_default() += 1;
    }
    let peak = server.peak_memory_mib();
    assert!(peak > 0 && peak < 200, "peak {peak} MiB, {outcomes:?}");
    assert!(outcomes.contains_key("RATE_LIMITED"), "{outcomes:?}");
    drop(server);
    let _ = std::fs::remove_dir_all(&data_dir);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
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
