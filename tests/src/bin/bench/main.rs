//! The benchmark: generates (or reuses) a data set, starts the real server as a child process,
//! drives it over loopback with concurrent keep-alive clients, checks every response body, and
//! reports per query the throughput (16 clients), p50/p99 latency (4 clients), errors, SQL
//! statements per request and the server's resident memory.
//!
//! `cargo run --release -p jiandu-tests --bin bench -- --scale county --backend sqlite`
//! writes a Markdown table to stdout and `target/bench/<scale>-<backend>.json`. `--ci` is a
//! seconds-long run at town scale that fails on any error or on SQL counts above their bounds.
//! `bench ledger-import [ROWS]` times importing an office's ledger (see `ledger.rs`).

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Parser;
use serde_json::{Value, json};

mod cases;
mod drive;
mod floor;
mod ledger;
mod scan;
mod server;
mod statements;

use drive::{Target, floor_statements, measure, post, sign_in, sql_statements};
use server::{database, rss_kib, start, start_floor, target_dir};

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

/// One measured query, or one workbench page.
struct Case {
    name: &'static str,
    /// The floor's statements for it (`dashboard_uncached` is the dashboard's), if it has one.
    floor: Option<&'static str>,
    /// The GraphQL document, or for a page (`page`) its path, with `{id}` standing for the
    /// variables' `id`.
    query: String,
    /// A workbench page, fetched with GET and the session cookie.
    page: bool,
    variables: Vec<Value>,
    /// Most SQL statements a request may run (sign-in included); checked in every run.
    sql_bound: f64,
    /// A write sent before each request, untimed, so that every measured read follows one.
    after: Option<Write>,
    /// The p99 latency (4 clients) it must answer within at county scale and above; not
    /// checked by `--ci`, whose runs are too short to time.
    p99_target_ms: Option<f64>,
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
        Some("ledger-import") => {
            let rows = match argv.next() {
                Some(rows) => rows.parse().context("ROWS is a number of rows")?,
                None => 10_000,
            };
            let runtime = tokio::runtime::Runtime::new()?;
            return runtime.block_on(ledger::run(rows));
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
    let all: Vec<Arc<Case>> = cases::cases(&client, &base, &town_token, &town)
        .await?
        .into_iter()
        .map(Arc::new)
        .collect();
    let server_pid = server.child.id();
    for case in all.iter().cloned() {
        if !args.only.is_empty() && !args.only.iter().any(|name| name == case.name) {
            continue;
        }
        let token = if case.name.starts_with("dashboard") || case.name.contains("_county") {
            &county_token
        } else {
            &town_token
        };
        let (server_base, server) = if case.name.ends_with("_uncached") {
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
        if let Some(target) = case
            .p99_target_ms
            .filter(|_| !args.ci && args.scale != "town")
            && measured.p99_ms > target
        {
            failures.push(format!(
                "{}: p99 {:.2} ms, target {target} ms",
                case.name, measured.p99_ms
            ));
        }
        // The cached tables (organisations, people, units, their settings and the working-day
        // calendar) are read again every 10 s whatever the load: five statements per refresh,
        // never one more per request.
        let refreshes = 1.0 + (started.elapsed().as_secs_f64() / 10.0).ceil();
        let allowed = case.sql_bound * served.requests.max(1) as f64 + 5.0 * refreshes;
        if sql as f64 > allowed {
            failures.push(format!(
                "{}: {:.3} SQL statements per request, bound {}",
                case.name, measured.sql_per_request, case.sql_bound
            ));
        }
        // Which case the server's memory grew in (the table gives only the end and the peak).
        let pid = server_pid;
        eprintln!(
            "{}: server resident {:.0} MiB, peak {:.0} MiB",
            case.name,
            rss_kib(pid, "VmRSS:") as f64 / 1024.0,
            rss_kib(pid, "VmHWM:") as f64 / 1024.0
        );
        results.push(measured);
    }
    // The daily notice scan last: it writes notices, which nothing above reads.
    let scanned = if args.only.is_empty() || args.only.iter().any(|n| n == "notice_scan") {
        let case = all
            .iter()
            .find(|c| c.name == "project_by_id")
            .context("the project_by_id case")?
            .clone();
        let report =
            scan::notice_scan(&url, &client, &graphql, &town_token, case, args.seconds).await?;
        if !report.rerun.starts_with("issued 0 notices") {
            failures.push(format!("the notice scan run again: {}", report.rerun));
        }
        if report.during.errors > 0 {
            failures.push(format!(
                "{} errors while the notice scan ran",
                report.during.errors
            ));
        }
        Some(report)
    } else {
        None
    };
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
    let scan_json = scanned.as_ref().map(|r| {
        let quiet = results.iter().find(|m| m.name == "project_by_id");
        println!("\n## The daily notice scan (every organisation, from no notices)\n");
        println!(
            "- first run: {} ({:.1} s wall clock, process start included)",
            r.first, r.seconds
        );
        println!("- run again: {} ({:.1} s)", r.rerun, r.rerun_seconds);
        println!(
            "- project_by_id while it ran: p50 {:.2} ms, p99 {:.2} ms, {} errors{}",
            r.during.p50_ms,
            r.during.p99_ms,
            r.during.errors,
            quiet.map_or(String::new(), |q| format!(
                " (quiet: p50 {:.2} ms, p99 {:.2} ms)",
                q.p50_ms, q.p99_ms
            ))
        );
        json!({ "seconds": r.seconds, "first": r.first, "rerun": r.rerun,
                "rerun_seconds": r.rerun_seconds, "during_p50_ms": r.during.p50_ms,
                "during_p99_ms": r.during.p99_ms })
    });
    let report = json!({ "scale": args.scale, "backend": args.backend, "queries": results,
                         "rss_mib": rss_mib, "peak_rss_mib": peak_mib,
                         "notice_scan": scan_json });
    let file = target_dir().join(format!("{}-{}.json", args.scale, args.backend));
    std::fs::write(&file, serde_json::to_string_pretty(&report)?)?;
    eprintln!("wrote {}", file.display());
    if !failures.is_empty() {
        bail!("the benchmark found problems:\n  {}", failures.join("\n  "));
    }
    Ok(())
}
