//! Who holds each session token, kept in memory after its first look-up, so that a request
//! spends no statement on its session (docs/performance.md, "Sessions").
//!
//! A kept session is served only while all of these hold, checked on every request:
//! - it has not expired (its `expires_at`, against the server's clock);
//! - no end of its user's sessions was recorded since it was read: a sign-out, a revoked
//!   session, a password changed or reset, the account disabled. This replica records them as
//!   its command commits; the others as they hear the command's event (PostgreSQL `LISTEN`), and
//!   count everything as ended whenever their listening connection drops;
//! - it was read less than [`KeptSessions::TTL`] ago, which bounds what anything unforeseen costs.
//!
//! A change to anyone on the people list (a holder's name) drops every kept session on this
//! replica ([`KeptSessions::clear`]); the others show the new name within the time to live.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::db::Changes;
use crate::service::kernel::actor::Holder;
use crate::service::views::UserView;

/// The account and person behind a live session.
#[derive(Debug, Clone)]
pub struct Identity {
    pub user: UserView,
    pub holder: Option<Holder>,
    pub expires_at: DateTime<Utc>,
}

struct Kept {
    identity: Identity,
    /// [`Changes::latest`] just before the session was read.
    changes: u64,
    at: Instant,
}

impl Kept {
    fn current(&self, changes: &Changes, now: DateTime<Utc>, ttl: Duration) -> bool {
        let user = &self.identity.user;
        self.identity.expires_at > now
            && self.at.elapsed() < ttl
            && changes.sessions_ended(user.id) <= self.changes
    }
}

/// Identities by the SHA-256 of their session token (never the token itself).
pub struct KeptSessions {
    entries: Mutex<HashMap<String, Kept>>,
    ttl: Duration,
    capacity: usize,
}

impl Default for KeptSessions {
    fn default() -> Self {
        KeptSessions::new(KeptSessions::TTL, KeptSessions::CAPACITY)
    }
}

impl KeptSessions {
    /// The longest a session is kept without being read again.
    pub const TTL: Duration = Duration::from_secs(60);
    /// Sessions kept at most; beyond, those no longer current go, or all of them.
    pub const CAPACITY: usize = 20_000;

    pub fn new(ttl: Duration, capacity: usize) -> Self {
        KeptSessions {
            entries: Mutex::default(),
            ttl,
            capacity,
        }
    }

    /// The identity behind the token whose hash is `token_hash`, if it is kept and current.
    pub fn get(&self, token_hash: &str, changes: &Changes, now: DateTime<Utc>) -> Option<Identity> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(token_hash)
            .filter(|kept| kept.current(changes, now, self.ttl))
            .map(|kept| kept.identity.clone())
    }

    /// Keeps `identity`, read from the database after [`Changes::latest`] said `changes`.
    pub fn put(&self, token_hash: String, changes: u64, identity: Identity) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.capacity {
            let now = Utc::now();
            entries
                .retain(|_, kept| kept.identity.expires_at > now && kept.at.elapsed() < self.ttl);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        let at = Instant::now();
        entries.insert(
            token_hash,
            Kept {
                identity,
                changes,
                at,
            },
        );
    }

    /// Forgets every kept session: each is read again at its next request.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// How many sessions are kept.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Touched;
    use jiandu_domain::Role;
    use uuid::Uuid;

    fn identity(user: Uuid, organization: Uuid, expires_at: DateTime<Utc>) -> Identity {
        Identity {
            user: UserView {
                id: user,
                organization_id: organization,
                username: "renda".into(),
                role: Role::Presidium,
                person_id: None,
                disabled: false,
                must_change_password: false,
                version: 1,
            },
            holder: None,
            expires_at,
        }
    }

    #[test]
    fn a_kept_session_is_served_until_it_ends_or_expires_or_everything_changed() {
        let (user, other, town, elsewhere) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(4),
        );
        let now = Utc::now();
        let later = now + chrono::Duration::hours(1);
        let changes = Changes::default();
        let kept = KeptSessions::default();
        let keep =
            |hash: &str| kept.put(hash.into(), changes.latest(), identity(user, town, later));

        keep("a");
        assert!(kept.get("a", &changes, now).is_some());
        assert!(kept.get("b", &changes, now).is_none(), "never read");
        assert!(kept.get("a", &changes, later).is_none(), "expired");

        changes.record_sessions_ended(other);
        changes.record(&Touched::Organizations(vec![elsewhere]));
        assert!(kept.get("a", &changes, now).is_some(), "someone else's end");

        changes.record_sessions_ended(user);
        assert!(
            kept.get("a", &changes, now).is_none(),
            "the user's sessions ended"
        );

        keep("a");
        changes.record(&Touched::Organizations(vec![town]));
        assert!(
            kept.get("a", &changes, now).is_some(),
            "a write in its organisation"
        );
        kept.clear();
        assert!(kept.get("a", &changes, now).is_none(), "cleared");

        keep("a");
        changes.record(&Touched::Everything);
        assert!(kept.get("a", &changes, now).is_none(), "everything changed");
    }

    #[test]
    fn a_session_read_before_its_end_was_recorded_is_not_served() {
        let (user, town) = (Uuid::from_u128(1), Uuid::from_u128(3));
        let changes = Changes::default();
        let kept = KeptSessions::default();
        let now = Utc::now();
        // Read from the database, then revoked before the reader kept what it read.
        let read_under = changes.latest();
        changes.record_sessions_ended(user);
        kept.put(
            "a".into(),
            read_under,
            identity(user, town, now + chrono::Duration::hours(1)),
        );
        assert!(kept.get("a", &changes, now).is_none());
    }

    #[test]
    fn no_more_than_the_capacity_is_kept_and_nothing_with_no_time_to_live() {
        let changes = Changes::default();
        let now = Utc::now();
        let later = now + chrono::Duration::hours(1);
        let kept = KeptSessions::new(KeptSessions::TTL, 3);
        for n in 0..10u128 {
            let who = identity(Uuid::from_u128(n), Uuid::from_u128(100), later);
            kept.put(format!("{n}"), changes.latest(), who);
            assert!(kept.len() <= 3);
        }
        assert!(kept.get("9", &changes, now).is_some(), "the newest stays");
        let off = KeptSessions::new(Duration::ZERO, 3);
        off.put(
            "a".into(),
            0,
            identity(Uuid::from_u128(1), Uuid::from_u128(2), later),
        );
        assert!(off.is_empty());
    }
}
