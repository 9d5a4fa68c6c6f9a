//! The signed-in WebSocket connections of this replica, counted by user: each one holds a
//! [`Seat`] from [`Sockets::admit`] until it closes, so one account cannot hold the shared room
//! (and the work each write fans out to its subscriptions) many times over.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use uuid::Uuid;

#[derive(Default)]
pub struct Sockets {
    open: Mutex<HashMap<Uuid, usize>>,
}

/// One open connection of a user, given back when dropped.
pub struct Seat {
    sockets: Arc<Sockets>,
    user: Uuid,
}

impl Sockets {
    /// A seat for one more connection of `user`, unless they hold `most` already.
    pub fn admit(self: &Arc<Self>, user: Uuid, most: usize) -> Option<Seat> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let held = open.entry(user).or_default();
        if *held >= most {
            return None;
        }
        *held += 1;
        Some(Seat {
            sockets: self.clone(),
            user,
        })
    }
}

impl Drop for Seat {
    fn drop(&mut self) {
        let mut open = self.sockets.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(held) = open.get_mut(&self.user) {
            *held -= 1;
            if *held == 0 {
                open.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_holds_at_most_so_many_and_a_closed_one_frees_its_seat() {
        let sockets = Arc::new(Sockets::default());
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let first = sockets.admit(a, 2).unwrap();
        let _second = sockets.admit(a, 2).unwrap();
        assert!(sockets.admit(a, 2).is_none());
        assert!(sockets.admit(b, 2).is_some(), "another user has their own");
        drop(first);
        assert!(sockets.admit(a, 2).is_some());
    }
}
