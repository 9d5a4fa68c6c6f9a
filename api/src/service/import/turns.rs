//! Reading a workbook is the costliest thing one request can ask for, and it runs on a blocking
//! thread that dropping the request does not stop. So that uploads cannot multiply it: one
//! import at a time per organisation (another is refused, not queued), at most one reader per
//! core at once in all (the rest wait their turn), and a read stops as soon as the request that
//! asked for it ends or runs out of time. What the reader holds is let go only when it has
//! really stopped.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;

use crate::error::AppError;

/// The imports under way in this process.
pub struct Imports {
    importing: Mutex<HashSet<Uuid>>,
    readers: Arc<Semaphore>,
}

impl Default for Imports {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Imports {
            importing: Mutex::default(),
            readers: Arc::new(Semaphore::new(cores)),
        }
    }
}

impl Imports {
    /// The organisation's turn to import, or CONFLICT while another import of its is under way.
    pub fn begin(self: &Arc<Self>, organization: Uuid) -> Result<Turn, AppError> {
        let mut importing = self.importing.lock().unwrap_or_else(|e| e.into_inner());
        if !importing.insert(organization) {
            return Err(AppError::Conflict(
                "another import into this organisation's ledger is under way; try again once \
                 it has finished"
                    .into(),
            ));
        }
        Ok(Turn {
            imports: self.clone(),
            organization,
        })
    }

    /// A reader's place, once one is free.
    pub async fn reader(&self) -> Result<OwnedSemaphorePermit, AppError> {
        self.readers
            .clone()
            .acquire_owned()
            .await
            .map_err(AppError::internal)
    }
}

/// An organisation's import under way; the next may begin once every holder has let it go.
pub struct Turn {
    imports: Arc<Imports>,
    organization: Uuid,
}

impl Drop for Turn {
    fn drop(&mut self) {
        let mut importing = self
            .imports
            .importing
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        importing.remove(&self.organization);
    }
}

/// Told to a reader on another thread when the request it works for has ended.
#[derive(Clone, Default)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    pub fn asked(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// A guard that asks for the stop when it is dropped: held by the request.
    pub fn on_drop(&self) -> StopOnDrop {
        StopOnDrop(self.clone())
    }

    pub fn ask(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

pub struct StopOnDrop(Stop);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.ask();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organisation_imports_one_ledger_at_a_time() {
        let imports = Arc::new(Imports::default());
        let (town, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let first = imports.begin(town).expect("the first import begins");
        assert!(matches!(imports.begin(town), Err(AppError::Conflict(_))));
        let elsewhere = imports
            .begin(other)
            .expect("another organisation's is not held up");
        drop(first);
        let again = imports
            .begin(town)
            .expect("begins once the first has ended");
        drop((again, elsewhere));
    }

    #[test]
    fn a_stop_is_asked_when_the_request_lets_go() {
        let stop = Stop::default();
        let held = stop.on_drop();
        assert!(!stop.asked());
        drop(held);
        assert!(stop.asked());
    }
}
