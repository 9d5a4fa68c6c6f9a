//! A consistent copy of the embedded SQLite database while the server serves writes: `VACUUM
//! INTO` reads the database in one read transaction (WAL lets writers go on meanwhile) and writes
//! a compact copy holding every transaction committed before it began. The copy is written under
//! a temporary name beside the target and renamed into place once complete, so a backup file is
//! never half-written. PostgreSQL is backed up with its own tools (pg_dump; see the README).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, DatabaseBackend};

use super::Db;

/// Writes a consistent copy of `db` to `to`, which must not exist yet; its size in bytes.
pub async fn backup_to(db: &Db, to: &Path) -> anyhow::Result<u64> {
    if db.backend() != DatabaseBackend::Sqlite {
        bail!(
            "`jiandu backup` copies the embedded SQLite database; back up PostgreSQL with pg_dump"
        );
    }
    if to.exists() {
        bail!(
            "{} exists already: choose a new file for the backup",
            to.display()
        );
    }
    let partial = partial_name(to)?;
    // A partial copy left by an interrupted backup is ours to replace.
    let _ = std::fs::remove_file(&partial);
    let path = partial
        .to_str()
        .context("the backup's path is not valid UTF-8")?;
    let copied = db
        .conn()
        .execute_unprepared(&format!("VACUUM INTO '{}'", path.replace('\'', "''")))
        .await;
    if let Err(error) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(error).context("copying the database");
    }
    std::fs::rename(&partial, to)
        .with_context(|| format!("moving the finished copy to {}", to.display()))?;
    Ok(std::fs::metadata(to)?.len())
}

/// `.NAME.partial` beside `to`.
fn partial_name(to: &Path) -> anyhow::Result<PathBuf> {
    let name = to
        .file_name()
        .context("the backup needs a file name")?
        .to_string_lossy();
    Ok(to.with_file_name(format!(".{name}.partial")))
}
