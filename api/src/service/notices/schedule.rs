//! The daily scan's clock inside `jiandu serve`: every so often each organisation whose local
//! hour has reached its `noticeHour`, on a working day, and whose scan has not run that day in
//! this process, is scanned. With PostgreSQL only the replica holding the scan's advisory lock
//! scans (another that tried would only find the day done: the scan is idempotent either way).

use std::collections::HashMap;
use std::time::Duration;

use chrono::{NaiveDate, Timelike};
use jiandu_domain::Zone;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, TransactionTrait};
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::scan;
use crate::error::AppError;
use crate::service::Ctx;
use crate::service::workdays::Rules;

/// The advisory lock key of the scan ("jiandu" in ASCII, as one number).
const SCAN_LOCK: i64 = 0x6a69_616e_6475;

/// Starts the clock; each tick comes `every` apart. The task ends with the process.
pub fn start(ctx: Ctx, every: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut done: HashMap<Uuid, NaiveDate> = HashMap::new();
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = tick(&ctx, &mut done).await {
                tracing::warn!(error = %error, "the notice scan could not run; it tries again");
            }
        }
    })
}

/// One tick: the organisations due a scan, scanned one after another.
async fn tick(ctx: &Ctx, done: &mut HashMap<Uuid, NaiveDate>) -> Result<(), AppError> {
    let now = ctx.now();
    let rules = Rules::load(ctx).await?;
    let organizations = ctx.organizations.all(&ctx.db).await?;
    let due: Vec<(Uuid, NaiveDate)> = organizations
        .iter()
        .filter_map(|org| {
            let zone = org.timezone.parse::<Zone>().unwrap_or_default();
            let local = now.with_timezone(&zone.tz());
            let day = local.date_naive();
            let hour = rules.settings_of(org.id).notice_hour;
            let ready = local.hour() >= hour && rules.calendar.is_workday(day);
            (ready && done.get(&org.id) != Some(&day)).then_some((org.id, day))
        })
        .collect();
    if due.is_empty() {
        return Ok(());
    }
    let conn = ctx.db.conn();
    // With PostgreSQL, the lock is a transaction's: it goes with the commit, or with the
    // connection if this process dies. SQLite is one process.
    let lock = if conn.get_database_backend() == DatabaseBackend::Postgres {
        let lock = conn.begin().await?;
        let held = lock
            .query_one_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT pg_try_advisory_xact_lock($1) AS held",
                [SCAN_LOCK.into()],
            ))
            .await?
            .map(|row| row.try_get::<bool>("", "held"))
            .transpose()?
            .unwrap_or(false);
        if !held {
            lock.rollback().await?;
            return Ok(());
        }
        Some(lock)
    } else {
        None
    };
    for (organization, day) in due {
        let run = scan::run(ctx, None, organization, day).await?;
        tracing::info!(%organization, %day, issued = run.issued(), copies = run.copies, "notices issued");
        done.insert(organization, day);
    }
    if let Some(lock) = lock {
        lock.rollback().await?;
    }
    Ok(())
}

/// Runs every organisation's scan (or `only` one's) for `as_of`, or for each one's own today:
/// the operator's `jiandu notices run`, which a cron job or a test may call instead of the
/// schedule. Returns the runs' sum.
pub async fn run_everywhere(
    ctx: &Ctx,
    only: Option<Uuid>,
    as_of: Option<NaiveDate>,
) -> Result<scan::NoticeRun, AppError> {
    let now = ctx.now();
    let mut total = scan::NoticeRun::default();
    for org in ctx.organizations.all(&ctx.db).await?.iter() {
        if only.is_some_and(|only| only != org.id) {
            continue;
        }
        let zone = org.timezone.parse::<Zone>().unwrap_or_default();
        let day = as_of.unwrap_or_else(|| zone.date_of(now));
        let run = scan::run(ctx, None, org.id, day).await?;
        total.as_of = day;
        total.add(&run);
        crash_for_tests(total.issued());
    }
    Ok(total)
}

/// In a build with the `test-hooks` feature, `JIANDU_TEST_CRASH_SCAN_AFTER=N` makes the process
/// abort (no unwinding, no cleanup, as a crash would) once the organisations scanned so far have
/// issued N notices or more: the crash test's "in the middle", at a place it can count on.
#[cfg(feature = "test-hooks")]
fn crash_for_tests(issued: u32) {
    let after = std::env::var("JIANDU_TEST_CRASH_SCAN_AFTER")
        .ok()
        .and_then(|n| n.parse::<u32>().ok());
    if after.is_some_and(|after| issued >= after) {
        std::process::abort();
    }
}

#[cfg(not(feature = "test-hooks"))]
fn crash_for_tests(_: u32) {}
