//! Opening the database: SQLite tuned so that an acknowledged write survives a crash, or a
//! PostgreSQL pool; both counted statement by statement for `/metrics`.

use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, bail};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, Statement, TransactionTrait,
};
use uuid::Uuid;

pub mod backup;
mod changes;
pub mod daily;
mod events;
mod foreign;
mod group_commit;

pub use self::changes::{Changes, Touched};
pub use self::events::{Event, Events};
use self::group_commit::{Batches, Commits, Turn};
use crate::error::AppError;

#[derive(Clone)]
pub struct Db {
    conn: DatabaseConnection,
    /// SQLite allows one writer at a time; taking turns here means writers queue in order
    /// instead of racing for the file lock and failing with "database is locked", and those
    /// queued together share one flush to disk (see [`group_commit`]).
    batches: Option<Batches>,
    commits: Commits,
    statements: Arc<AtomicU64>,
    changes: Changes,
    events: Events,
}

/// The PostgreSQL channel every committed write is announced on, so that replicas can drop
/// what they derived from the data before it.
const CHANGES_CHANNEL: &str = "jiandu_changes";

/// The PostgreSQL channel committed [`Event`]s are announced on, for other replicas'
/// subscribers.
const EVENTS_CHANNEL: &str = "jiandu_events";

/// A write transaction. Dropping it without `commit` rolls it back.
pub struct WriteTxn {
    /// On SQLite a savepoint within the open batch. Declared before `turn`, so that dropping
    /// the transaction rolls it back before the turn is given up.
    txn: DatabaseTransaction,
    turn: Option<Turn>,
    commits: Commits,
    changes: Changes,
    touched: Touched,
    events: Events,
    /// What subscribers hear of once the transaction commits.
    announced: Vec<Event>,
}

impl WriteTxn {
    /// Tells subscribers of `event` once (and only if) the transaction commits.
    pub fn announce(&mut self, event: Event) {
        self.announced.push(event);
    }

    /// Declares that this transaction changes only rows of `organization` (and of any other
    /// organisation declared), so that figures derived for the rest stay current. A transaction
    /// that declares nothing counts as changing everything.
    pub fn within(&mut self, organization: Uuid) {
        self.touched.add(organization);
    }

    /// Declares that this transaction changes nothing any figure is derived from.
    pub fn outside_figures(&mut self) {
        self.touched = Touched::Nothing;
    }

    pub async fn commit(self) -> Result<(), AppError> {
        if self.txn.get_database_backend() == DatabaseBackend::Postgres
            && let Some(payload) = self.touched.payload(self.events.replica())
        {
            // Delivered to the listening replicas only if the transaction commits. The payload
            // is UUIDs, a semicolon and commas only, so it needs no quoting beyond the literal's.
            self.txn
                .execute_unprepared(&format!("NOTIFY {CHANGES_CHANNEL}, '{payload}'"))
                .await?;
        }
        if self.txn.get_database_backend() == DatabaseBackend::Postgres {
            for payload in self.events.announcements(&self.announced) {
                self.txn
                    .execute_raw(Statement::from_sql_and_values(
                        DatabaseBackend::Postgres,
                        "SELECT pg_notify($1, $2)",
                        [EVENTS_CHANNEL.into(), payload.into()],
                    ))
                    .await?;
            }
        }
        let committed = match self.turn {
            Some(turn) => turn.commit(self.txn).await,
            None => {
                let committed = self.txn.commit().await;
                self.commits
                    .fetch_add(u64::from(committed.is_ok()), Ordering::Relaxed);
                committed.map_err(AppError::from)
            }
        };
        // Even a failed commit may have reached the disk; moving on costs only a recomputation.
        self.changes.record(&self.touched);
        self.changes.heard(&self.announced);
        if committed.is_ok() {
            self.events.publish(&self.announced);
        }
        committed
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
                    // Each connection's own page cache (and sorting memory): 1 MiB rather than
                    // SQLite's 2. The reads made most are answered from what the server keeps
                    // (docs/performance.md), and the operating system caches the file.
                    .pragma("cache_size", "-1024")
                    // Prepared statements kept per connection (sqlx keeps 100): each holds its
                    // compiled program, and fewer kinds of statement run now that the lists are
                    // kept.
                    .statement_cache_capacity(40)
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
        let commits = Commits::default();
        let statements = Arc::new(AtomicU64::new(0));
        let counter = statements.clone();
        conn.set_metric_callback(move |info| {
            counter.fetch_add(1, Ordering::Relaxed);
            // `RUST_LOG=jiandu::sql=trace` shows each statement's text and time (never its
            // values, which can hold password hashes and tokens).
            tracing::trace!(
                target: "jiandu::sql",
                micros = info.elapsed.as_micros() as u64,
                failed = info.failed,
                "{}",
                info.statement.sql
            );
        });
        let changes = Changes::default();
        let batches = if backend == DatabaseBackend::Sqlite {
            let foreign = foreign::Foreign::open(url, changes.clone())
                .await
                .with_context(|| format!("cannot open the database at {}", redact(url)))?;
            Some(Batches::start(commits.clone(), foreign))
        } else {
            None
        };
        Ok(Db {
            conn,
            batches,
            commits,
            statements,
            changes,
            events: Events::default(),
        })
    }

    /// Follows the writes of other replicas (PostgreSQL `LISTEN`), so [`Db::changes`] moves for
    /// them too; on SQLite there is only this process. While the listening connection is down,
    /// every reconnection attempt counts as a change, since announcements may have been missed.
    /// Returns once it listens (or after a few seconds, still trying): a figure kept before then
    /// would be dropped as soon as it does.
    pub async fn follow_other_replicas(&self, url: &str) {
        use sea_orm::sqlx::postgres::PgListener;
        if self.backend() != DatabaseBackend::Postgres {
            return;
        }
        let (url, changes, events) = (url.to_string(), self.changes.clone(), self.events.clone());
        let (listening, mut heard) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            loop {
                changes.record(&Touched::Everything);
                let mut listener = match PgListener::connect(&url).await {
                    Ok(listener) => listener,
                    Err(_) => {
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        continue;
                    }
                };
                if listener
                    .listen_all([CHANGES_CHANNEL, EVENTS_CHANNEL])
                    .await
                    .is_err()
                {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
                // What was kept between the change recorded above and now may have missed an
                // announcement made before the channel listened.
                changes.record(&Touched::Everything);
                listening.send_replace(true);
                // `Ok(None)`: the connection dropped and the next call reconnects.
                while let Ok(announced) = listener.try_recv().await {
                    match announced {
                        Some(notice) if notice.channel() == EVENTS_CHANNEL => {
                            // Recorded first: a connection that hears of an ended session
                            // finds it no longer kept.
                            let announced = events.announced(notice.payload());
                            changes.heard(&announced);
                            events.publish(&announced);
                        }
                        // This replica's own writes were recorded as they committed.
                        Some(notice) => match Touched::from_payload(notice.payload()) {
                            (Some(from), _) if from == events.replica() => {}
                            (_, touched) => changes.record(&touched),
                        },
                        None => {
                            changes.record(&Touched::Everything);
                            tokio::time::sleep(Duration::from_millis(200)).await;
                        }
                    }
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
        let first = heard.wait_for(|listening| *listening);
        if tokio::time::timeout(Duration::from_secs(5), first)
            .await
            .is_err()
        {
            tracing::warn!("not yet listening for other replicas' writes; still trying");
        }
    }

    /// SQLite plans from the statistics `ANALYZE` keeps, and has none until asked: without them
    /// it reads a township's milestones through the organisation index where a project's index
    /// is far narrower. `PRAGMA optimize` (bounded by `analysis_limit`) gathers what is missing or
    /// stale, as SQLite advises on opening a long-lived connection. PostgreSQL does its own.
    pub async fn refresh_statistics(&self) {
        if self.backend() != DatabaseBackend::Sqlite {
            return;
        }
        for pragma in ["PRAGMA analysis_limit = 1000", "PRAGMA optimize = 0x10002"] {
            if let Err(error) = self.conn.execute_unprepared(pragma).await {
                tracing::warn!(%error, "refreshing SQLite's statistics");
            }
        }
    }

    /// See [`Changes`].
    pub fn changes(&self) -> &Changes {
        &self.changes
    }

    /// See [`Events`].
    pub fn events(&self) -> &Events {
        &self.events
    }

    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.conn.get_database_backend()
    }

    /// How many write transactions this process has committed (on SQLite, batches of writes).
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// How many SQL statements this process has run.
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    pub async fn begin_write(&self) -> Result<WriteTxn, AppError> {
        let (txn, turn) = match &self.batches {
            Some(batches) => {
                let (savepoint, turn) = batches.begin(&self.conn).await?;
                (savepoint, Some(turn))
            }
            None => (self.conn.begin().await?, None),
        };
        Ok(WriteTxn {
            txn,
            turn,
            commits: self.commits.clone(),
            changes: self.changes.clone(),
            touched: Touched::Everything,
            events: self.events.clone(),
            announced: Vec::new(),
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
        if let Some(batches) = &self.batches {
            batches.flush(&self.commits).await;
        }
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
