//! The server's own backups of the embedded database: once a day at the backup hour (or every
//! few seconds when configured so), a consistent copy into `<data dir>/backups/`, with the
//! evidence files the records point to mirrored into `backups/files/` (content-addressed, so each
//! is copied once); the newest `keep` copies are kept. What the last one did is reported on
//! `/metrics` and `/readyz`. On PostgreSQL the operator's pg_dump does this (see the README).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseBackend;
use tokio::task::JoinHandle;

use super::Db;
use super::backup::backup_to;
use jiandu_domain::Zone;

/// When and how the server backs up.
#[derive(Clone, Debug)]
pub struct Plan {
    pub dir: PathBuf,
    /// The evidence files' folder, when they are kept on this machine.
    pub files: Option<PathBuf>,
    pub keep: usize,
    pub hour: u32,
    pub zone: Zone,
    /// Every this often instead of daily.
    pub every: Option<Duration>,
}

/// The last backup, as the probes report it.
#[derive(Clone, Debug, Default)]
pub struct Last {
    pub at: Option<DateTime<Utc>>,
    pub bytes: u64,
    /// Backups taken, and those that failed, since the server started.
    pub taken: u64,
    pub failures: u64,
    /// The daily backup runs (SQLite, `keep` above 0), keeping this many, at this hour.
    pub daily: Option<(usize, u32)>,
}

pub type Status = Arc<Mutex<Last>>;

/// Starts the backups of `db` by `plan` (nothing on PostgreSQL or when `keep` is 0).
pub fn start(db: Db, plan: Plan, status: Status) -> Option<JoinHandle<()>> {
    if db.backend() != DatabaseBackend::Sqlite || plan.keep == 0 {
        return None;
    }
    status.lock().unwrap_or_else(|p| p.into_inner()).daily = Some((plan.keep, plan.hour));
    Some(tokio::spawn(async move {
        let tick = plan.every.unwrap_or(Duration::from_secs(300));
        loop {
            if plan.every.is_some() || due_today(&plan) {
                match back_up(&db, &plan).await {
                    Ok(bytes) => {
                        let mut last = status.lock().unwrap_or_else(|p| p.into_inner());
                        last.at = Some(Utc::now());
                        last.bytes = bytes;
                        last.taken += 1;
                    }
                    Err(error) => {
                        tracing::error!(error = %format!("{error:#}"), "the daily backup failed");
                        status.lock().unwrap_or_else(|p| p.into_inner()).failures += 1;
                    }
                }
            }
            tokio::time::sleep(tick).await;
        }
    }))
}

/// At the backup hour, and today's copy not yet made.
fn due_today(plan: &Plan) -> bool {
    use chrono::Timelike;
    let now = Utc::now().with_timezone(&plan.zone.tz());
    now.hour() == plan.hour
        && !plan
            .dir
            .join(format!("jiandu-{}.db", now.format("%Y-%m-%d")))
            .exists()
}

/// The backups in `dir`, oldest first (their names sort by time).
fn copies(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("jiandu-") && n.ends_with(".db"))
        })
        .collect();
    found.sort();
    found
}

/// One backup: the database, the files it points to, then the oldest copies beyond `keep`.
async fn back_up(db: &Db, plan: &Plan) -> anyhow::Result<u64> {
    std::fs::create_dir_all(&plan.dir)?;
    let now = Utc::now().with_timezone(&plan.zone.tz());
    let name = if plan.every.is_some() {
        format!("jiandu-{}.db", now.format("%Y-%m-%dT%H%M%S%.3f"))
    } else {
        format!("jiandu-{}.db", now.format("%Y-%m-%d"))
    };
    let bytes = backup_to(db, &plan.dir.join(name)).await?;
    if let Some(files) = &plan.files {
        let (from, to) = (files.clone(), plan.dir.join("files"));
        tokio::task::spawn_blocking(move || mirror(&from, &to)).await??;
    }
    let found = copies(&plan.dir);
    for old in found.iter().take(found.len().saturating_sub(plan.keep)) {
        std::fs::remove_file(old)?;
    }
    Ok(bytes)
}

/// Copies every file under `from` missing under `to` (evidence files never change: they are
/// stored by their hash).
pub fn mirror(from: &Path, to: &Path) -> std::io::Result<()> {
    let Ok(entries) = std::fs::read_dir(from) else {
        return Ok(());
    };
    std::fs::create_dir_all(to)?;
    for entry in entries {
        let entry = entry?;
        let target = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_symlink() {
            // Evidence files are plain files: a link would copy whatever it points at.
            tracing::warn!(path = %entry.path().display(), "a link among the evidence files is passed over");
            continue;
        }
        if kind.is_dir() {
            mirror(&entry.path(), &target)?;
        } else if !target.exists() {
            let partial = to.join(format!(".{}.partial", entry.file_name().to_string_lossy()));
            std::fs::copy(entry.path(), &partial)?;
            std::fs::rename(&partial, &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_link_among_the_evidence_files_is_not_followed() {
        let root = std::env::temp_dir().join(format!("jiandu-mirror-{}", uuid::Uuid::now_v7()));
        let (from, to) = (root.join("from"), root.join("to"));
        std::fs::create_dir_all(from.join("ab")).unwrap();
        std::fs::write(from.join("ab").join("abcd"), b"evidence").unwrap();
        let secret = root.join("secret");
        std::fs::write(&secret, b"not evidence").unwrap();
        std::os::unix::fs::symlink(&secret, from.join("ab").join("link")).unwrap();
        mirror(&from, &to).unwrap();
        assert_eq!(
            std::fs::read(to.join("ab").join("abcd")).unwrap(),
            b"evidence"
        );
        assert!(!to.join("ab").join("link").exists());
        let _ = std::fs::remove_dir_all(&root);
    }
}
