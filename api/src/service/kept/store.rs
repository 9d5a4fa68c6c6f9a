//! One kind of thing kept per organisation, with the rule every kind follows: kept while no write
//! in the organisation has committed since it was read and for at most the figures' time to live,
//! read by one reader at a time, and not read again after a failure until something is written
//! there.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use uuid::Uuid;

use crate::error::AppError;
use crate::service::Ctx;
use crate::service::kernel::memo::Memo;

pub(super) struct Store<V> {
    memo: Memo<Uuid, V>,
    /// One reader at a time reads an organisation; the others wait for what it read rather
    /// than read it again each (a county's first page, asked by many at once).
    turns: Mutex<HashMap<Uuid, Arc<tokio::sync::Mutex<()>>>>,
    /// Organisations whose rows could not be read, with the change they were read under: not
    /// tried again until something is written there, so that each read goes straight to SQL.
    unreadable: Mutex<HashMap<Uuid, u64>>,
}

impl<V: Clone> Store<V> {
    pub(super) fn new(ttl: Duration, organizations: usize) -> Store<V> {
        Store {
            memo: Memo::with_capacity(ttl, organizations),
            turns: Mutex::default(),
            unreadable: Mutex::default(),
        }
    }

    /// What is kept of `organization` and current, without reading anything.
    pub(super) fn kept(&self, ctx: &Ctx, organization: Uuid) -> Option<V> {
        let changes = ctx.db.changes().current(&[organization]);
        self.memo.get(&organization, changes)
    }

    /// What is kept of `organization`, read with `read` unless it is kept and current; `None`
    /// when it cannot be read (a row the code cannot read, say), so that the caller asks SQL for
    /// only what it needs and the rest of the organisation's data stays usable.
    pub(super) async fn get<F, R>(&self, ctx: &Ctx, organization: Uuid, read: F) -> Option<V>
    where
        F: FnOnce() -> R,
        R: Future<Output = Result<V, AppError>>,
    {
        if let Some(kept) = self.kept(ctx, organization) {
            return Some(kept);
        }
        if self.unreadable(ctx, organization) {
            return None;
        }
        let turn = {
            let mut turns = self.turns.lock().unwrap_or_else(|e| e.into_inner());
            turns.entry(organization).or_default().clone()
        };
        let _reading = turn.lock().await;
        if let Some(kept) = self.kept(ctx, organization) {
            return Some(kept);
        }
        if self.unreadable(ctx, organization) {
            return None;
        }
        // Read before the rows, so that a write while they are read is not hidden by them.
        let changes = ctx.db.changes().current(&[organization]);
        // On the heap: several statements' futures at once would otherwise sit in every caller's.
        match Box::pin(read()).await {
            Ok(value) => {
                self.memo.put(organization, changes, value.clone());
                Some(value)
            }
            Err(error) => {
                tracing::warn!(%organization, %error, "an organisation's rows could not be kept");
                let mut failed = self.unreadable.lock().unwrap_or_else(|e| e.into_inner());
                failed.insert(organization, changes);
                None
            }
        }
    }

    fn unreadable(&self, ctx: &Ctx, organization: Uuid) -> bool {
        let failed = self.unreadable.lock().unwrap_or_else(|e| e.into_inner());
        let changes = ctx.db.changes().current(&[organization]);
        failed.get(&organization) == Some(&changes)
    }
}
