//! Driving the server and the floor: signing in, sending a query with many concurrent clients
//! for a while, and measuring latency and throughput taking turns between them.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};

use super::Case;

pub(crate) async fn post(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    query: &str,
    variables: &Value,
) -> anyhow::Result<Value> {
    let response = client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await?;
    let body: Value = response.json().await?;
    if body.get("errors").is_some() || body.get("data").is_none() {
        bail!("errors: {body}");
    }
    Ok(body)
}

/// Where a measured request goes: the server's GraphQL endpoint, or the floor's endpoint for
/// the same query.
#[derive(Clone)]
pub(crate) enum Target {
    Graphql(String),
    Floor(String),
}

/// What every measured answer is checked for: valid JSON with `data` and without `errors`. Read
/// without building the values, so that checking a large answer costs the load generator (which
/// shares the cores with the server) little more than checking the floor's small one.
#[derive(serde::Deserialize)]
pub(crate) struct Answer {
    data: Option<serde::de::IgnoredAny>,
    errors: Option<serde::de::IgnoredAny>,
}

/// Most a page may weigh with its assets on first load.
const PAGE_BYTES: usize = 200 * 1024;
/// The workbench's one stylesheet, loaded with the first page.
const STYLESHEET_BYTES: usize = include_bytes!("../../../../api/assets/web/style.css").len();

pub(crate) async fn send(
    client: &reqwest::Client,
    target: &Target,
    token: &str,
    case: &Case,
    variables: &Value,
) -> anyhow::Result<()> {
    let request = match target {
        Target::Graphql(base) if case.page => {
            let id = variables["id"].as_str().unwrap_or_default();
            client
                .get(format!("{base}{}", case.query.replace("{id}", id)))
                .header("cookie", format!("jiandu_session={token}"))
        }
        Target::Graphql(base) => client
            .post(format!("{base}/graphql"))
            .json(&json!({ "query": case.query, "variables": variables })),
        Target::Floor(base) => {
            let floor = case.floor.context("the query has no floor")?;
            client
                .post(format!("{base}/floor/{floor}"))
                .json(&json!({ "variables": variables }))
        }
    };
    let response = request.bearer_auth(token).send().await?;
    let status = response.status();
    let body = response.bytes().await?;
    if case.page {
        // A whole page, and light enough for a phone on first load (its stylesheet included).
        let whole = body.ends_with(b"</html>\n") || body.ends_with(b"</html>");
        if status.is_success() && whole && body.len() + STYLESHEET_BYTES <= PAGE_BYTES {
            return Ok(());
        }
        bail!("page answered {status} with {} bytes", body.len());
    }
    let answer: Option<Answer> = serde_json::from_slice(&body).ok();
    match answer {
        Some(Answer {
            data: Some(_),
            errors: None,
        }) if status.is_success() => Ok(()),
        _ => bail!("answered {status}: {}", String::from_utf8_lossy(&body)),
    }
}

pub(crate) async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    username: &str,
) -> anyhow::Result<String> {
    let body: Value = client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": "mutation($u:String!,$p:String!){ login(username:$u, password:$p){ token } }",
                       "variables": { "u": username, "p": jiandu_api::seed::bench::BENCH_PASSWORD } }))
        .send()
        .await?
        .json()
        .await?;
    body["data"]["login"]["token"]
        .as_str()
        .map(String::from)
        .with_context(|| format!("sign-in failed: {body}"))
}

pub(crate) async fn sql_statements(client: &reqwest::Client, base: &str) -> u64 {
    let text = match client.get(format!("{base}/metrics")).send().await {
        Ok(response) => response.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    text.lines()
        .find_map(|l| l.strip_prefix("jiandu_sql_statements_total "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Runs `case` with `clients` concurrent clients for `seconds`; returns latencies and errors.
pub(crate) async fn drive(
    client: &reqwest::Client,
    target: &Target,
    token: &str,
    case: &Arc<Case>,
    clients: usize,
    seconds: f64,
) -> (Vec<Duration>, u64) {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let errors = Arc::new(AtomicU64::new(0));
    let counter = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::new();
    for _ in 0..clients {
        let (client, target, token) = (client.clone(), target.clone(), token.to_string());
        let case = case.clone();
        let (errors, counter) = (errors.clone(), counter.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let i = counter.fetch_add(1, Ordering::Relaxed) as usize;
                let written = match (&case.after, &target) {
                    (Some(write), Target::Graphql(base)) => {
                        let variables = &write.variables[i % write.variables.len()];
                        post(&client, base, &write.token, write.query, variables)
                            .await
                            .map(drop)
                    }
                    _ => Ok(()),
                };
                let started = Instant::now();
                let variables = &case.variables[i % case.variables.len()];
                let result = match written {
                    Ok(()) => send(&client, &target, &token, &case, variables).await,
                    Err(error) => Err(error.context("the write before the request")),
                };
                latencies.push(started.elapsed());
                if let Err(error) = result
                    && errors.fetch_add(1, Ordering::Relaxed) == 0
                {
                    eprintln!("first error: {error:#}");
                }
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for worker in workers {
        latencies.extend(worker.await.unwrap_or_default());
    }
    (latencies, errors.load(Ordering::Relaxed))
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

/// One side's numbers for one query.
pub(crate) struct Timings {
    pub(crate) rps: f64,
    pub(crate) p50_ms: f64,
    pub(crate) p99_ms: f64,
    pub(crate) errors: u64,
    /// Every request sent, warm-up included.
    pub(crate) requests: usize,
}

/// Measures `case` on each target: a warm-up, then rounds that take turns between the
/// targets (so a slow spell of a shared machine falls on both), each round a latency phase at
/// `latency_clients` and a throughput phase at `throughput_clients`.
pub(crate) async fn measure<const N: usize>(
    client: &reqwest::Client,
    targets: [&Target; N],
    token: &str,
    case: &Arc<Case>,
    (latency_clients, throughput_clients): (usize, usize),
    seconds: f64,
) -> [Timings; N] {
    const ROUNDS: usize = 3;
    let phase = seconds / ROUNDS as f64;
    let mut latencies: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::new());
    let mut served = [(0usize, 0.0f64); N];
    let mut errors = [0u64; N];
    let mut requests = [0usize; N];
    for (i, target) in targets.iter().enumerate() {
        let (warm_up, _) = drive(client, target, token, case, 2, seconds.min(0.5)).await;
        requests[i] += warm_up.len();
    }
    for _ in 0..ROUNDS {
        for (i, target) in targets.iter().enumerate() {
            let (measured, failed) =
                drive(client, target, token, case, latency_clients, phase).await;
            requests[i] += measured.len();
            latencies[i].extend(measured);
            errors[i] += failed;
            let started = Instant::now();
            let (answered, failed) =
                drive(client, target, token, case, throughput_clients, phase).await;
            served[i].0 += answered.len();
            served[i].1 += started.elapsed().as_secs_f64();
            requests[i] += answered.len();
            errors[i] += failed;
        }
    }
    std::array::from_fn(|i| {
        latencies[i].sort();
        Timings {
            rps: served[i].0 as f64 / served[i].1.max(f64::MIN_POSITIVE),
            p50_ms: percentile(&latencies[i], 0.50),
            p99_ms: percentile(&latencies[i], 0.99),
            errors: errors[i],
            requests: requests[i],
        }
    })
}

/// How many statements the floor runs for `case` (it says so in a header).
pub(crate) async fn floor_statements(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    case: &Case,
) -> Option<f64> {
    let response = client
        .post(format!("{base}/floor/{}", case.floor?))
        .bearer_auth(token)
        .json(&json!({ "variables": case.variables[0] }))
        .send()
        .await
        .ok()?;
    response
        .headers()
        .get("x-sql-statements")?
        .to_str()
        .ok()?
        .parse()
        .ok()
}
