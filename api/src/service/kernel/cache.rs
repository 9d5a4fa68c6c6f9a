//! The small tables every request consults (organisations, people, units, settings), kept in
//! memory and read again at most every [`Cached::TTL`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use sea_orm::EntityTrait;
use tokio::sync::RwLock;
use uuid::Uuid;

use crate::db::Db;
use crate::error::AppError;

/// A whole small table, read at most every [`Cached::TTL`] instead of on every request. These
/// tables are small and change rarely; a row added here is seen at once (the writer invalidates),
/// one added through another replica within the TTL.
pub struct Cached<E: EntityTrait> {
    loaded: Arc<RwLock<Option<Loaded<E>>>>,
}

/// The rows and when they were read.
type Loaded<E> = (Instant, Arc<Vec<<E as EntityTrait>::Model>>);

impl<E: EntityTrait> Clone for Cached<E> {
    fn clone(&self) -> Self {
        Cached {
            loaded: self.loaded.clone(),
        }
    }
}

impl<E: EntityTrait> Default for Cached<E> {
    fn default() -> Self {
        Cached {
            loaded: Arc::new(RwLock::new(None)),
        }
    }
}

impl<E: EntityTrait> Cached<E> {
    pub const TTL: Duration = Duration::from_secs(10);

    /// The rows, when they are loaded and fresh and nobody is loading them: without waiting
    /// (what a resolver asks first, so that a name read from memory costs no task switch).
    pub fn fresh(&self) -> Option<Arc<Vec<E::Model>>> {
        let loaded = self.loaded.try_read().ok()?;
        let (at, rows) = loaded.as_ref()?;
        (at.elapsed() < Self::TTL).then(|| rows.clone())
    }

    /// The row whose primary key `key` gives `id`, when the rows are [`Cached::fresh`]: the
    /// outer `None` when they are not (ask [`Cached::find`]).
    pub fn find_fresh(&self, id: Uuid, key: impl Fn(&E::Model) -> Uuid) -> Option<Option<E::Model>>
    where
        E::Model: Clone,
    {
        let rows = self.fresh()?;
        Some(
            rows.binary_search_by_key(&id, key)
                .ok()
                .map(|i| rows[i].clone()),
        )
    }

    pub async fn all(&self, db: &Db) -> Result<Arc<Vec<E::Model>>, AppError> {
        if let Some(rows) = self.fresh() {
            return Ok(rows);
        }
        // One reader loads while the others wait for its rows, rather than every resolver of an
        // answer reading the whole table at once; an invalidation waits for the load to land.
        let mut slot = self.loaded.write().await;
        if let Some((at, rows)) = slot.as_ref()
            && at.elapsed() < Self::TTL
        {
            return Ok(rows.clone());
        }
        // By primary key, so that a row can be found by binary search (see `find`).
        let rows = Arc::new(E::find().order_by_id_asc().all(db.conn()).await?);
        *slot = Some((Instant::now(), rows.clone()));
        Ok(rows)
    }

    /// The row whose primary key `key` gives `id`, by binary search (rows are kept in key order).
    pub async fn find(
        &self,
        db: &Db,
        id: Uuid,
        key: impl Fn(&E::Model) -> Uuid,
    ) -> Result<Option<E::Model>, AppError>
    where
        E::Model: Clone,
    {
        let rows = self.all(db).await?;
        Ok(rows
            .binary_search_by_key(&id, key)
            .ok()
            .map(|i| rows[i].clone()))
    }

    /// Forgets the rows, after one was added or changed.
    pub async fn invalidate(&self) {
        *self.loaded.write().await = None;
    }
}
