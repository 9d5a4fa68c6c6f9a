//! Opening the database: SQLite tuned so that an acknowledged write survives a crash, or a
//! PostgreSQL pool; both counted statement by statement for `/metrics`.

use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, bail};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    TransactionTrait,
};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::error::AppError;

#[derive(Clone)]
pub struct Db {
    conn: DatabaseConnection,
    /// SQLite allows one writer at a time; taking turns here means writers queue in order
    /// instead of racing for the file lock and failing with "database is locked".
    write_gate: Option<Arc<Mutex<()>>>,
    statements: Arc<AtomicU64>,
}

/// A write transaction. Dropping it without `commit` rolls it back.
pub struct WriteTxn {
    txn: DatabaseTransaction,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), AppError> {
        self.txn.commit().await.map_err(AppError::from)
    }
}

impl Deref for WriteTxn {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

impl Db {
    /// Opens the pool. On PostgreSQL every statement is cancelled by the server after
    /// `statement_timeout`, so a request stopped for taking too long does not leave its SQL
    /// running.
    pub async fn connect(url: &str, statement_timeout: Duration) -> anyhow::Result<Db> {
        let backend = if url.starts_with("sqlite:") {
            DatabaseBackend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            DatabaseBackend::Postgres
        } else {
            bail!("unsupported database URL `{url}`: use sqlite://FILE?mode=rwc or postgres://…")
        };
        let mut options = ConnectOptions::new(url);
        options
            .sqlx_logging(false)
            // Without its database the server should say so within seconds, not hang.
            .connect_timeout(Duration::from_secs(3))
            .acquire_timeout(Duration::from_secs(3));
        if backend == DatabaseBackend::Sqlite {
            options.max_connections(8).map_sqlx_sqlite_opts(|opts| {
                opts.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
            });
        } else {
            let millis = statement_timeout.as_millis().to_string();
            options
                .max_connections(16)
                .map_sqlx_postgres_opts(move |opts| {
                    opts.options([("statement_timeout", millis.as_str())])
                });
        }
        let mut conn = Database::connect(options)
            .await
            .with_context(|| format!("cannot open the database at {}", redact(url)))?;
        let statements = Arc::new(AtomicU64::new(0));
        let counter = statements.clone();
        conn.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
        });
        Ok(Db {
            conn,
            write_gate: (backend == DatabaseBackend::Sqlite).then(|| Arc::new(Mutex::new(()))),
            statements,
        })
    }

    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.conn.get_database_backend()
    }

    /// How many SQL statements this process has run.
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    pub async fn begin_write(&self) -> Result<WriteTxn, AppError> {
        let turn = match &self.write_gate {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        };
        Ok(WriteTxn {
            txn: self.conn.begin().await?,
            _turn: turn,
        })
    }

    /// Whether the database answers within two seconds.
    pub async fn ping(&self) -> bool {
        matches!(
            tokio::time::timeout(Duration::from_secs(2), self.conn.ping()).await,
            Ok(Ok(()))
        )
    }

    pub async fn close(self) {
        if let Err(error) = self.conn.close().await {
            tracing::warn!(%error, "closing the database pool");
        }
    }
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_hidden_in_messages() {
        assert_eq!(
            super::redact("postgres://jiandu:secret@db:5432/jiandu"),
            "postgres://jiandu:***@db:5432/jiandu"
        );
        assert_eq!(
            super::redact("sqlite://jiandu.db?mode=rwc"),
            "sqlite://jiandu.db?mode=rwc"
        );
    }
}
