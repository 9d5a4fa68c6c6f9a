//! The daily notice scan over the whole data set (`jiandu notices run`, every organisation, the
//! same service the schedule runs) from a clean slate, timed; then run again, which must issue
//! nothing; and a query's latency measured while the first run works, next to its quiet figures.

use std::process::Stdio;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use sea_orm::ConnectionTrait;

use crate::Case;
use crate::drive::{Target, Timings, measure};
use crate::server::jiandu;

pub(crate) struct ScanReport {
    pub(crate) seconds: f64,
    /// What the first run said it issued.
    pub(crate) first: String,
    pub(crate) rerun_seconds: f64,
    pub(crate) rerun: String,
    /// The query's latency while the first run worked.
    pub(crate) during: Timings,
}

/// Clears every notice, so each benchmark scans the same first day.
async fn clear(url: &str) -> anyhow::Result<()> {
    let db = sea_orm::Database::connect(url).await?;
    for statement in [
        "DELETE FROM notice_copy",
        // Each notice's delivery to its recipient's inbox, from the scans of an earlier run.
        "DELETE FROM notice_delivery",
        "DELETE FROM notice",
        "DELETE FROM notice_sequence",
        "DELETE FROM audit_event WHERE action LIKE 'notice.%'",
    ] {
        db.execute_unprepared(statement).await?;
    }
    db.close().await?;
    Ok(())
}

/// After the scan's thousands of notices, what autovacuum does within a minute of a bulk write:
/// statistics for the planner (and PostgreSQL's visibility map), so that the pages measured
/// next are not planned for the empty table the data set was analysed with.
async fn settle(url: &str) -> anyhow::Result<()> {
    let db = sea_orm::Database::connect(url).await?;
    let settle = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => "VACUUM (ANALYZE) notice",
        _ => "ANALYZE notice",
    };
    db.execute_unprepared(settle).await?;
    db.close().await?;
    Ok(())
}

/// One `jiandu notices run`, timed; its report line.
fn run_scan(url: &str) -> anyhow::Result<(f64, String)> {
    let started = Instant::now();
    let output = jiandu(url)
        .args(["notices", "run"])
        .stderr(Stdio::inherit())
        .output()
        .context("running the notice scan")?;
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(output.status.success(), "the notice scan failed");
    Ok((
        seconds,
        String::from_utf8_lossy(&output.stdout).trim().to_string(),
    ))
}

pub(crate) async fn notice_scan(
    url: &str,
    client: &reqwest::Client,
    server: &Target,
    token: &str,
    case: Arc<Case>,
    seconds: f64,
) -> anyhow::Result<ScanReport> {
    clear(url).await?;
    let owned = url.to_string();
    let scan = tokio::task::spawn_blocking(move || run_scan(&owned));
    let [during] = measure(client, [server], token, &case, (4, 16), seconds).await;
    let (scan_seconds, first) = scan.await??;
    let owned = url.to_string();
    let (rerun_seconds, rerun) = tokio::task::spawn_blocking(move || run_scan(&owned)).await??;
    settle(url).await?;
    Ok(ScanReport {
        seconds: scan_seconds,
        first,
        rerun_seconds,
        rerun,
        during,
    })
}
