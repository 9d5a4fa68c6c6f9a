//! The benchmark: generates (or reuses) a data set, starts the real server as a child process,
//! drives it over loopback with concurrent keep-alive clients, checks every response body, and
//! reports per query the throughput (16 clients), p50/p99 latency (4 clients), errors, SQL
//! statements per request and the server's resident memory.
//!
//! `cargo run --release -p jiandu-tests --bin bench -- --scale county --backend sqlite`
//! writes a Markdown table to stdout and `target/bench/<scale>-<backend>.json`. `--ci` is a
//! seconds-long run at town scale that fails on any error or on SQL counts above their bounds.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use serde_json::{Value, json};

mod floor;
mod statements;

// The server runs inside this executable (`serve-child`), so it gets the server's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser, Debug)]
struct Args {
    /// town, county or city
    #[arg(long, default_value = "town")]
    scale: String,
    /// sqlite or postgres
    #[arg(long, default_value = "sqlite")]
    backend: String,
    /// PostgreSQL server to create the benchmark database on
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    postgres_url: String,
    /// Seconds each measurement runs
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Generate the data set again even when one is there
    #[arg(long)]
    fresh: bool,
    /// A short run that checks errors and SQL counts, not timings
    #[arg(long)]
    ci: bool,
    /// Measure only the queries with these names
    #[arg(long)]
    only: Vec<String>,
}

/// One measured query.
struct Case {
    name: &'static str,
    /// The floor's statements for it (`dashboard_uncached` is the dashboard's), if it has one.
    floor: Option<&'static str>,
    query: String,
    variables: Vec<Value>,
    /// Most SQL statements a request may run (sign-in included); checked in every run.
    sql_bound: f64,
    /// A write sent before each request, untimed, so that every measured read follows one.
    after: Option<Write>,
}

/// A mutation and the variables to send it with, by a user of its own.
struct Write {
    query: &'static str,
    variables: Vec<Value>,
    token: String,
}

#[derive(Default, Clone, serde::Serialize)]
struct Measured {
    name: String,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
    sql_per_request: f64,
    /// The same statements through sqlx behind a bare endpoint (see `floor.rs`).
    floor_rps: Option<f64>,
    floor_p50_ms: Option<f64>,
    floor_p99_ms: Option<f64>,
    floor_sql_per_request: Option<f64>,
}

fn main() -> anyhow::Result<()> {
    // The same executable is the server: `bench serve-child <jiandu arguments>`.
    // The same executable is the floor: `bench floor-child <database url>`.
    let mut argv = std::env::args();
    match argv.nth(1).as_deref() {
        Some("serve-child") => {
            let cli =
                jiandu_api::cli::Cli::parse_from(std::iter::once("jiandu".to_string()).chain(argv));
            let runtime = tokio::runtime::Runtime::new()?;
            return runtime.block_on(jiandu_api::cli::run(cli));
        }
        Some("floor-child") => {
            let url = argv.next().context("the floor needs a database URL")?;
            let runtime = tokio::runtime::Runtime::new()?;
            return runtime.block_on(floor::serve(&url));
        }
        _ => {}
    }
    let mut args = Args::parse();
    if args.ci {
        args.scale = "town".into();
        args.seconds = args.seconds.min(0.5);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(bench(args))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .join("bench")
}

fn jiandu(database_url: &str) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("the benchmark knows its path"));
    command
        .arg("serve-child")
        .args(["--database-url", database_url])
        .env("JIANDU_DATA_DIR", target_dir().join("data"))
        .env("RUST_LOG", "error");
    command
}

async fn database(args: &Args) -> anyhow::Result<String> {
    let dir = target_dir();
    std::fs::create_dir_all(&dir)?;
    let (url, exists) = match args.backend.as_str() {
        "sqlite" => {
            let file = dir.join(format!("{}.db", args.scale));
            if args.fresh || args.ci {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
                }
            }
            let exists = file.exists();
            (format!("sqlite://{}?mode=rwc", file.display()), exists)
        }
        "postgres" => {
            let name = format!("jiandu_bench_{}", args.scale);
            let admin = sea_orm::Database::connect(&args.postgres_url).await?;
            use sea_orm::ConnectionTrait;
            let found = admin
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DatabaseBackend::Postgres,
                    format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
                ))
                .await?
                .is_some();
            if found && (args.fresh || args.ci) {
                admin
                    .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
                    .await?;
            }
            let exists = found && !(args.fresh || args.ci);
            if !exists {
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await?;
            }
            let server = args
                .postgres_url
                .rsplit_once('/')
                .map_or(args.postgres_url.as_str(), |(s, _)| s);
            (format!("{server}/{name}"), exists)
        }
        other => bail!("`{other}` is not a backend: sqlite or postgres"),
    };
    if !exists {
        eprintln!(
            "generating the {} data set on {}…",
            args.scale, args.backend
        );
        let status = jiandu(&url)
            .args(["bench-data", "--scale", &args.scale, "--seed", "2021"])
            .status()?;
        if !status.success() {
            bail!("generating the data set failed");
        }
    }
    Ok(url)
}

struct Server {
    child: std::process::Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(url: &str, extra: &[&str]) -> anyhow::Result<Server> {
    let mut command = jiandu(url);
    command
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args([
            "--user-requests-per-second",
            "1000000",
            "--user-request-burst",
            "1000000",
        ])
        .args(extra);
    spawn(command)
}

fn start_floor(url: &str) -> anyhow::Result<Server> {
    let mut command = Command::new(std::env::current_exe()?);
    command.args(["floor-child", url]);
    spawn(command)
}

/// Starts `command` and waits for it to say where it listens.
fn spawn(mut command: Command) -> anyhow::Result<Server> {
    use std::io::{BufRead, BufReader};
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().context("stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("listening on http://").nth(1)
                && let Some(port) = rest.split('/').next().and_then(|a| a.rsplit(':').next())
            {
                let _ = tx.send(port.to_string());
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(120))
        .context("the server starts")?;
    Ok(Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    })
}

fn rss_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

async fn post(
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
enum Target {
    Graphql(String),
    Floor(String),
}

/// What every measured answer is checked for: valid JSON with `data` and without `errors`. Read
/// without building the values, so that checking a large answer costs the load generator (which
/// shares the cores with the server) little more than checking the floor's small one.
#[derive(serde::Deserialize)]
struct Answer {
    data: Option<serde::de::IgnoredAny>,
    errors: Option<serde::de::IgnoredAny>,
}

async fn send(
    client: &reqwest::Client,
    target: &Target,
    token: &str,
    case: &Case,
    variables: &Value,
) -> anyhow::Result<()> {
    let request = match target {
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
    let answer: Option<Answer> = serde_json::from_slice(&body).ok();
    match answer {
        Some(Answer {
            data: Some(_),
            errors: None,
        }) if status.is_success() => Ok(()),
        _ => bail!("answered {status}: {}", String::from_utf8_lossy(&body)),
    }
}

async fn sign_in(client: &reqwest::Client, base: &str, username: &str) -> anyhow::Result<String> {
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

async fn sql_statements(client: &reqwest::Client, base: &str) -> u64 {
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
async fn drive(
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

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

async fn cases(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    town: &str,
) -> anyhow::Result<Vec<Case>> {
    let listed = post(client, base, token, "query($o:ID!){ projects(first:50, filter:{organizationId:$o}){ nodes{ id } } milestones(first:100, filter:{organizationId:$o, status:[IN_PROGRESS]}){ nodes{ id children{ id } } } }", &json!({ "o": town })).await?;
    let projects: Vec<Value> = listed["data"]["projects"]["nodes"]
        .as_array()
        .context("projects")?
        .iter()
        .map(|n| json!({ "id": n["id"] }))
        .collect();
    let leaves: Vec<Value> = listed["data"]["milestones"]["nodes"]
        .as_array()
        .context("milestones")?
        .iter()
        .filter(|n| n["children"].as_array().is_some_and(|c| c.is_empty()))
        .enumerate()
        .map(|(i, n)| json!({ "id": n["id"], "p": 10 + (i % 80) }))
        .collect();
    if projects.is_empty() || leaves.is_empty() {
        bail!("the data set has no projects or open leaf milestones");
    }
    let tree = "query($id:ID!){ project(id:$id){ title rootMilestones{ title deadline deadlineState light responsibleLeader{ name } responsibleUnit{ name }
        children{ title deadlineState light responsibleLeader{ name } responsibleUnit{ name }
          children{ title deadlineState light responsibleLeader{ name } responsibleUnit{ name } } } } } }";
    let dashboard = "{ dashboard{ projectCount projectsByLight{ light count } milestones{ total overdue dueSoon onTimeRate } byLeader{ counts{ overdue } } byOrganization{ projectCount } openFindings overdueFindings } }";
    let report =
        "mutation($id:ID!,$p:Int!){ reportProgress(milestoneId:$id, progress:$p){ id progress } }";
    let case = |name, floor, query: &str, variables: &[Value], sql_bound| Case {
        name,
        floor: Some(floor),
        query: query.into(),
        variables: variables.to_vec(),
        sql_bound,
        after: None,
    };
    let one = [json!({})];
    Ok(vec![
        case("typename", "typename", "{ __typename }", &one, 1.0),
        case(
            "project_by_id",
            "project_by_id",
            "query($id:ID!){ project(id:$id){ id title status origin progress light } }",
            &projects,
            4.0,
        ),
        case(
            "projects_first_20",
            "projects_first_20",
            "{ projects(first:20){ totalCount nodes{ id title light counts{ total open overdue dueSoon } } } }",
            &one,
            5.0,
        ),
        case("project_tree", "project_tree", tree, &projects, 4.0),
        case(
            "overdue_in_township",
            "overdue_in_township",
            "query($o:ID!){ milestones(first:20, filter:{organizationId:$o, deadlineState:[OVERDUE]}){ totalCount nodes{ id title daysOverdue } } }",
            &[json!({ "o": town })],
            3.0,
        ),
        case("dashboard", "dashboard", dashboard, &one, 5.0),
        case("dashboard_uncached", "dashboard", dashboard, &one, 5.0),
        // Every read follows a progress report in the first township: the server computes that
        // township's share again and keeps the others'. The write's statements are counted too.
        Case {
            floor: None,
            after: Some(Write {
                query: report,
                variables: leaves.clone(),
                token: token.to_string(),
            }),
            ..case("dashboard_after_write", "dashboard", dashboard, &one, 15.0)
        },
        case("report_progress", "report_progress", report, &leaves, 10.0),
    ])
}

/// One side's numbers for one query.
struct Timings {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
    /// Every request sent, warm-up included.
    requests: usize,
}

/// Measures `case` on each target: a warm-up, then rounds that take turns between the
/// targets (so a slow spell of a shared machine falls on both), each round a latency phase at
/// `latency_clients` and a throughput phase at `throughput_clients`.
async fn measure<const N: usize>(
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
async fn floor_statements(
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

async fn bench(args: Args) -> anyhow::Result<()> {
    let url = database(&args).await?;
    let mut server = start(&url, &[])?;
    // A second server that computes every dashboard afresh, for the figures behind the kept ones.
    let uncached = start(&url, &["--figures-cache-secs", "0"])?;
    let floor = start_floor(&url)?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()?;
    let base = server.base.clone();
    // The township the per-town queries ask about, and the user whose dashboard is measured.
    let (town_user, dashboard_user) = match args.scale.as_str() {
        "town" => ("bench-p-0-0", "bench-p-0-0"),
        _ => ("bench-p-0-0", "bench-county-0"),
    };
    let town_token = sign_in(&client, &base, town_user).await?;
    let me = post(
        &client,
        &base,
        &town_token,
        "{ me { organization { id } } }",
        &json!({}),
    )
    .await?;
    let town = me["data"]["me"]["organization"]["id"]
        .as_str()
        .context("the township")?
        .to_string();
    let county_token = sign_in(&client, &base, dashboard_user).await?;

    let concurrency = if args.ci { (2, 2) } else { (4, 16) };
    let graphql = Target::Graphql(base.clone());
    let graphql_uncached = Target::Graphql(uncached.base.clone());
    let bare = Target::Floor(floor.base.clone());
    let mut results = Vec::new();
    let mut failures = Vec::new();
    for case in cases(&client, &base, &town_token, &town).await? {
        if !args.only.is_empty() && !args.only.iter().any(|name| name == case.name) {
            continue;
        }
        let case = Arc::new(case);
        let token = if case.name.starts_with("dashboard") {
            &county_token
        } else {
            &town_token
        };
        let (server_base, server) = if case.name == "dashboard_uncached" {
            (&uncached.base, &graphql_uncached)
        } else {
            (&base, &graphql)
        };
        let sql_before = sql_statements(&client, server_base).await;
        let started = Instant::now();
        let (served, bottom) = if case.floor.is_some() {
            let [served, bottom] = measure(
                &client,
                [server, &bare],
                token,
                &case,
                concurrency,
                args.seconds,
            )
            .await;
            (served, Some(bottom))
        } else {
            let [served] =
                measure(&client, [server], token, &case, concurrency, args.seconds).await;
            (served, None)
        };
        // /metrics itself runs no SQL, and the floor is another process: the difference is
        // the GraphQL requests' alone, warm-up included.
        let sql = sql_statements(&client, server_base)
            .await
            .saturating_sub(sql_before);
        let sql_per_request = sql as f64 / served.requests.max(1) as f64;
        let measured = Measured {
            name: case.name.into(),
            rps: served.rps,
            p50_ms: served.p50_ms,
            p99_ms: served.p99_ms,
            errors: served.errors + bottom.as_ref().map_or(0, |b| b.errors),
            sql_per_request,
            floor_rps: bottom.as_ref().map(|b| b.rps),
            floor_p50_ms: bottom.as_ref().map(|b| b.p50_ms),
            floor_p99_ms: bottom.as_ref().map(|b| b.p99_ms),
            floor_sql_per_request: floor_statements(&client, &floor.base, token, &case).await,
        };
        if measured.errors > 0 {
            failures.push(format!("{}: {} errors", case.name, measured.errors));
        }
        // The cached tables (organisations, people, units) are read again every 10 s whatever
        // the load: three statements per refresh, never one more per request.
        let refreshes = 1.0 + (started.elapsed().as_secs_f64() / 10.0).ceil();
        let allowed = case.sql_bound * served.requests.max(1) as f64 + 3.0 * refreshes;
        if sql as f64 > allowed {
            failures.push(format!(
                "{}: {:.3} SQL statements per request, bound {}",
                case.name, measured.sql_per_request, case.sql_bound
            ));
        }
        results.push(measured);
    }
    let pid = server.child.id();
    let rss_mib = rss_kib(pid, "VmRSS:") as f64 / 1024.0;
    let peak_mib = rss_kib(pid, "VmHWM:") as f64 / 1024.0;
    let _ = server.child.kill();

    println!(
        "\n## {} on {} ({} s per measurement)\n",
        args.scale, args.backend, args.seconds
    );
    println!(
        "| query | rps (16 clients) | p50 ms (4) | p99 ms (4) | errors | SQL/request \
         | floor rps | floor p50 ms | rps / floor | p50 / floor |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for m in &results {
        let floor = match (m.floor_rps, m.floor_p50_ms) {
            (Some(rps), Some(p50)) => format!(
                "{rps:.0} | {p50:.2} | {:.2} | {:.2}",
                m.rps / rps.max(f64::MIN_POSITIVE),
                m.p50_ms / p50.max(f64::MIN_POSITIVE),
            ),
            _ => "– | – | – | –".into(),
        };
        println!(
            "| {} | {:.0} | {:.2} | {:.2} | {} | {:.2} | {floor} |",
            m.name, m.rps, m.p50_ms, m.p99_ms, m.errors, m.sql_per_request,
        );
    }
    println!("\nserver resident memory: {rss_mib:.0} MiB now, {peak_mib:.0} MiB at peak");
    let report = json!({ "scale": args.scale, "backend": args.backend, "queries": results,
                         "rss_mib": rss_mib, "peak_rss_mib": peak_mib });
    let file = target_dir().join(format!("{}-{}.json", args.scale, args.backend));
    std::fs::write(&file, serde_json::to_string_pretty(&report)?)?;
    eprintln!("wrote {}", file.display());
    if !failures.is_empty() {
        bail!("the benchmark found problems:\n  {}", failures.join("\n  "));
    }
    Ok(())
}
