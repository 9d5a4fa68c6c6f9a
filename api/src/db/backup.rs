//! A consistent copy of the embedded SQLite database while the server serves writes: `VACUUM
//! INTO` reads the database in one read transaction (WAL lets writers go on meanwhile) and writes
//! a compact copy holding every transaction committed before it began. The copy is written under
//! a temporary name beside the target and renamed into place once complete, so a backup file is
//! never half-written. `restore` puts a backup back in place of a database no server holds.
//! PostgreSQL is backed up and restored with its own tools (pg_dump, pg_restore; see the README).

use std::collections::BTreeSet;
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

/// The file of an embedded database URL (`sqlite://FILE?mode=rwc`), if it is one.
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// `FILE.serving` beside the database: each server holds a shared lock on it while it runs, and
/// a restore needs it exclusively.
fn lock_file(database: &Path) -> anyhow::Result<std::fs::File> {
    let mut name = database.as_os_str().to_owned();
    name.push(".serving");
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(PathBuf::from(name))
        .context("opening the database's lock file")
}

/// Held by a server for as long as it serves the embedded database at `url` (nothing on
/// PostgreSQL): a restore refuses to replace a database a server holds.
pub struct Serving {
    _lock: Option<std::fs::File>,
}

impl Serving {
    pub fn hold(url: &str) -> anyhow::Result<Serving> {
        let Some(database) = sqlite_file(url) else {
            return Ok(Serving { _lock: None });
        };
        let file = lock_file(&database)?;
        file.lock_shared()
            .context("taking the database's lock file")?;
        Ok(Serving { _lock: Some(file) })
    }
}

/// Replaces the embedded database at `url` by the backup `from`, once it is checked to be a
/// sound Jiandu database; refused while a server holds the database. Its size in bytes.
pub async fn restore(url: &str, from: &Path) -> anyhow::Result<u64> {
    let Some(database) = sqlite_file(url) else {
        bail!(
            "`jiandu restore` replaces the embedded SQLite database; restore PostgreSQL with pg_restore"
        );
    };
    let lock = lock_file(&database)?;
    if lock.try_lock().is_err() {
        bail!(
            "a server is using {}: stop it before restoring",
            database.display()
        );
    }
    if !from.is_file() {
        bail!("{} is not a file", from.display());
    }
    let name = database
        .file_name()
        .context("the database needs a file name")?
        .to_string_lossy();
    // Copied first and the copy checked: what is checked is what is restored, whatever the
    // name it came by (a database URL reads `%2E` in a name as a dot).
    let staged = database.with_file_name(format!(".{name}.restoring"));
    std::fs::copy(from, &staged)
        .with_context(|| format!("copying {} beside the database", from.display()))?;
    if let Err(refused) = check_backup(&staged).await {
        let _ = std::fs::remove_file(&staged);
        bail!(
            "{} is not a Jiandu database backup that can be restored: {refused:#}",
            from.display()
        );
    }
    // The old database's journal belongs to the old database.
    for suffix in ["-wal", "-shm"] {
        let mut journal = database.as_os_str().to_owned();
        journal.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(journal));
    }
    std::fs::rename(&staged, &database)
        .with_context(|| format!("moving the restored copy to {}", database.display()))?;
    drop(lock);
    Ok(std::fs::metadata(&database)?.len())
}

/// Refuses a file that is not an intact SQLite database with Jiandu's tables.
async fn check_backup(from: &Path) -> anyhow::Result<()> {
    use sea_orm::{Database, Statement};
    let url = format!("sqlite://{}?mode=ro", from.display());
    let not_a_backup = || format!("{} is not a Jiandu database backup", from.display());
    let backup = Database::connect(&url).await.with_context(not_a_backup)?;
    let backend = backup.get_database_backend();
    let one = |sql: &str| backup.query_one_raw(Statement::from_string(backend, sql));
    let check = one("PRAGMA integrity_check")
        .await
        .with_context(not_a_backup)?
        .and_then(|row| row.try_get_by_index::<String>(0).ok());
    if check.as_deref() != Some("ok") {
        bail!(
            "{} is damaged: {}",
            from.display(),
            check.unwrap_or_default()
        );
    }
    let ours =
        one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'")
            .await
            .with_context(not_a_backup)?;
    if ours.is_none() {
        bail!(not_a_backup());
    }
    let found = objects(&backup).await.with_context(not_a_backup)?;
    let applied: Vec<String> = backup
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT version FROM seaql_migrations ORDER BY version",
        ))
        .await
        .with_context(not_a_backup)?
        .iter()
        .filter_map(|row| row.try_get_by_index::<String>(0).ok())
        .collect();
    backup.close().await.ok();
    let made = made_by_migrations(&applied)
        .await
        .with_context(|| format!("{} was not made by this Jiandu", from.display()))?;
    let foreign: Vec<&String> = found.difference(&made).collect();
    let missing: Vec<&String> = made.difference(&found).collect();
    if !foreign.is_empty() || !missing.is_empty() {
        bail!(
            "{} holds objects Jiandu does not make {foreign:?} or lacks ones it does {missing:?}",
            from.display()
        );
    }
    Ok(())
}

/// The tables, indexes, triggers and views of `db` (SQLite's own left out), as `type name`.
async fn objects(db: &sea_orm::DatabaseConnection) -> anyhow::Result<BTreeSet<String>> {
    use sea_orm::{ConnectionTrait, Statement};
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
        ))
        .await?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let kind = row.try_get_by_index::<String>(0).ok()?;
            let name = row.try_get_by_index::<String>(1).ok()?;
            Some(format!("{kind} {name}"))
        })
        .collect())
}

/// What the migrations named `applied` (the first of Jiandu's, in order) make, built afresh in a
/// scratch file to compare a backup against; a backup with migrations this Jiandu does not know is
/// refused.
async fn made_by_migrations(applied: &[String]) -> anyhow::Result<BTreeSet<String>> {
    use jiandu_migration::{Migrator, MigratorTrait};
    let known: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    if applied.is_empty() || !known.starts_with(applied) {
        bail!("its migrations are not the first of this Jiandu's");
    }
    let file =
        std::env::temp_dir().join(format!("jiandu-reference-{}.db", jiandu_domain::new_id()));
    let made = async {
        let fresh =
            sea_orm::Database::connect(format!("sqlite://{}?mode=rwc", file.display())).await?;
        Migrator::up(&fresh, Some(u32::try_from(applied.len())?)).await?;
        let made = objects(&fresh).await;
        fresh.close().await.ok();
        made
    }
    .await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    made
}
