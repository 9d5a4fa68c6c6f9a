//! SQLite group commit. SQLite writes one transaction at a time and, with `synchronous = FULL`,
//! waits for the disk at every commit, so writers taking turns would each pay a flush. Instead
//! the writers queued behind one another share one: each runs in a savepoint of a transaction
//! that stays open while others wait for their turn, and is acknowledged only once that
//! transaction has committed. A failed write rolls back to its savepoint and leaves the others'
//! work alone; a failed commit fails every write in it, none of them acknowledged.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait};
use tokio::sync::{Mutex, Notify, OwnedMutexGuard, oneshot};

use super::foreign::Foreign;
use crate::error::AppError;

/// The open batch of writes and the task that commits it.
#[derive(Clone)]
pub(super) struct Batches {
    open: Arc<Mutex<Batch>>,
    due: Arc<Notify>,
    /// What tells another process's commits from this one's.
    foreign: Arc<Foreign>,
}

/// Transactions committed, for `/metrics`: against the writes, it tells how many share one.
pub(super) type Commits = Arc<AtomicU64>;

#[derive(Default)]
struct Batch {
    /// The transaction this batch's writes run in, each in a savepoint of its own.
    txn: Option<DatabaseTransaction>,
    /// The writers whose savepoints are released, waiting for the commit.
    waiting: Vec<oneshot::Sender<bool>>,
}

/// A writer's turn: while it is held no other write runs. Giving it up, whichever way, asks for
/// the batch to be committed once the writers already queued have had theirs.
pub(super) struct Turn {
    batch: Option<OwnedMutexGuard<Batch>>,
    due: Arc<Notify>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.batch.take();
        self.due.notify_one();
    }
}

impl Batches {
    /// Starts the committing task; it ends with the first commit asked for after the last
    /// clone of these batches is gone.
    pub(super) fn start(commits: Commits, foreign: Foreign) -> Batches {
        let batches = Batches {
            open: Arc::default(),
            due: Arc::default(),
            foreign: Arc::new(foreign),
        };
        tokio::spawn(commit_batches(
            Arc::downgrade(&batches.open),
            batches.due.clone(),
            commits,
            Arc::downgrade(&batches.foreign),
        ));
        tokio::spawn(look_for_others(
            Arc::downgrade(&batches.open),
            Arc::downgrade(&batches.foreign),
        ));
        batches
    }

    /// Waits for the turn to write and begins a savepoint in the open batch, beginning the
    /// batch's transaction on `conn` if none is open.
    pub(super) async fn begin(
        &self,
        conn: &DatabaseConnection,
    ) -> Result<(DatabaseTransaction, Turn), DbErr> {
        let mut batch = self.open.clone().lock_owned().await;
        let savepoint = savepoint_in(&mut batch, conn).await;
        // Built before the error is returned, so that a failed begin also asks for a commit.
        let turn = Turn {
            batch: Some(batch),
            due: self.due.clone(),
        };
        Ok((savepoint?, turn))
    }

    /// Commits the open batch, if any: before the database is closed.
    pub(super) async fn flush(&self, commits: &AtomicU64) {
        commit_open(&self.open, commits, &self.foreign).await;
    }
}

impl Turn {
    /// Releases `savepoint` into the batch, gives up the turn and waits until the batch it
    /// joined has committed.
    pub(super) async fn commit(mut self, savepoint: DatabaseTransaction) -> Result<(), AppError> {
        savepoint.commit().await?;
        let (done, committed) = oneshot::channel();
        if let Some(batch) = self.batch.as_mut() {
            batch.waiting.push(done);
        }
        drop(self);
        match committed.await {
            Ok(true) => Ok(()),
            _ => Err(AppError::internal(anyhow::anyhow!(
                "the batch of writes this one joined could not be committed"
            ))),
        }
    }
}

async fn savepoint_in(
    batch: &mut Batch,
    conn: &DatabaseConnection,
) -> Result<DatabaseTransaction, DbErr> {
    let txn = match &batch.txn {
        Some(txn) => txn,
        None => batch.txn.insert(conn.begin().await?),
    };
    txn.begin().await
}

async fn commit_batches(
    open: Weak<Mutex<Batch>>,
    due: Arc<Notify>,
    commits: Commits,
    foreign: Weak<Foreign>,
) {
    loop {
        due.notified().await;
        let (Some(open), Some(foreign)) = (open.upgrade(), foreign.upgrade()) else {
            return;
        };
        commit_open(&open, &commits, &foreign).await;
    }
}

/// Looks for another process's commits while this one writes nothing, until the batches are gone.
async fn look_for_others(open: Weak<Mutex<Batch>>, foreign: Weak<Foreign>) {
    loop {
        tokio::time::sleep(Foreign::EVERY).await;
        let (Some(open), Some(foreign)) = (open.upgrade(), foreign.upgrade()) else {
            return;
        };
        let _no_commit_under_way = open.lock().await;
        foreign.look().await;
    }
}

/// Commits the open batch (taking its turn after the writers already queued) and tells its
/// writers how it went.
async fn commit_open(open: &Mutex<Batch>, commits: &AtomicU64, foreign: &Foreign) {
    let mut batch = open.lock().await;
    let waiting = std::mem::take(&mut batch.waiting);
    let committed = match batch.txn.take() {
        Some(txn) => {
            foreign.look().await;
            let committed = txn.commit().await;
            foreign.settle().await;
            commits.fetch_add(u64::from(committed.is_ok()), Ordering::Relaxed);
            committed
        }
        None => Ok(()),
    };
    drop(batch);
    if let Err(error) = &committed {
        tracing::error!(%error, writes = waiting.len(), "committing a batch of writes");
    }
    for writer in waiting {
        // A writer that stopped waiting (its request was dropped) needs no answer.
        let _ = writer.send(committed.is_ok());
    }
}
