//! On SQLite, writes committed by another process on the same file — the command line's
//! `jiandu import ledger` while the server runs — count as changes to everything, so that
//! nothing kept from before them is served (docs/performance.md).
//!
//! A connection of its own asks SQLite's `PRAGMA data_version`, which moves whenever another
//! connection commits. This process's own commits move it too, so it is asked under the batch's
//! lock, just before and just after each batch commits, and every [`Foreign::EVERY`] in between:
//! a move seen before a commit or between two of them is another process's.

use std::time::Duration;

use sea_orm::sqlx::sqlite::SqliteConnection;
use sea_orm::sqlx::{Connection, Row};
use tokio::sync::Mutex;

use super::{Changes, Touched};

pub(super) struct Foreign {
    /// The asking connection and the last `data_version` it answered.
    seen: Mutex<(SqliteConnection, i64)>,
    changes: Changes,
}

impl Foreign {
    /// How often the file is looked at while nothing is written here.
    pub(super) const EVERY: Duration = Duration::from_millis(200);

    pub(super) async fn open(url: &str, changes: Changes) -> anyhow::Result<Foreign> {
        let mut conn = SqliteConnection::connect(url).await?;
        let version = data_version(&mut conn).await?;
        Ok(Foreign {
            seen: Mutex::new((conn, version)),
            changes,
        })
    }

    /// Records a change to everything if another process committed since the last look. Called
    /// under the batch's lock (no commit of this process under way).
    pub(super) async fn look(&self) {
        let mut seen = self.seen.lock().await;
        let (conn, last) = &mut *seen;
        match data_version(conn).await {
            Ok(version) if version != *last => {
                *last = version;
                self.changes.record(&Touched::Everything);
            }
            Ok(_) => {}
            // Unable to tell: assume the worst, which costs only a recomputation.
            Err(error) => {
                tracing::warn!(%error, "asking SQLite whether another process wrote");
                self.changes.record(&Touched::Everything);
            }
        }
    }

    /// Takes in this process's own commit, just made under the batch's lock.
    pub(super) async fn settle(&self) {
        let mut seen = self.seen.lock().await;
        let (conn, last) = &mut *seen;
        if let Ok(version) = data_version(conn).await {
            *last = version;
        }
    }
}

async fn data_version(conn: &mut SqliteConnection) -> Result<i64, sea_orm::sqlx::Error> {
    let row = sea_orm::sqlx::query("PRAGMA data_version")
        .fetch_one(conn)
        .await?;
    row.try_get(0)
}
