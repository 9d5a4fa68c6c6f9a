//! Knowing when figures derived from the data are no longer current: every committed write moves
//! a number, for the organisations it changed or, when it does not say, for everything; and the
//! end of a user's sessions moves one for that user, so that who holds a session token is kept
//! no longer than the session lives.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use uuid::Uuid;

use super::Event;

/// What a write transaction changed, as far as derived figures are concerned.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Touched {
    /// Anything at all: the safe assumption for a write that does not say.
    #[default]
    Everything,
    /// Only rows of these organisations (their projects, milestones, findings …).
    Organizations(Vec<Uuid>),
    /// Nothing any figure is derived from (idempotency records, say).
    Nothing,
}

impl Touched {
    /// Narrows an undeclared write to `organization`, or adds it to those already declared.
    pub fn add(&mut self, organization: Uuid) {
        match self {
            Touched::Organizations(list) if !list.contains(&organization) => {
                list.push(organization)
            }
            Touched::Organizations(_) => {}
            Touched::Everything | Touched::Nothing => {
                *self = Touched::Organizations(vec![organization])
            }
        }
    }

    /// More organisations than this in one announcement, and it says "everything" instead
    /// (PostgreSQL limits a payload to 8000 bytes; a UUID takes 37 with its comma).
    const MOST_ANNOUNCED: usize = 100;

    /// The text `replica` announces to the others: its id, then the organisations' ids, or
    /// nothing after the id for everything.
    pub fn payload(&self, replica: Uuid) -> Option<String> {
        let organizations = match self {
            Touched::Nothing => return None,
            Touched::Organizations(list) if list.len() <= Self::MOST_ANNOUNCED => list
                .iter()
                .map(Uuid::to_string)
                .collect::<Vec<_>>()
                .join(","),
            _ => String::new(),
        };
        Some(format!("{replica};{organizations}"))
    }

    /// Reads an announcement: the replica that made it (if it says), and what it changed;
    /// anything it cannot read counts as everything.
    pub fn from_payload(payload: &str) -> (Option<Uuid>, Touched) {
        let (from, organizations) = match payload.split_once(';') {
            Some((from, rest)) => (Uuid::parse_str(from).ok(), rest),
            None => (None, payload),
        };
        if organizations.is_empty() {
            return (from, Touched::Everything);
        }
        let touched = organizations
            .split(',')
            .map(Uuid::parse_str)
            .collect::<Result<Vec<_>, _>>()
            .map_or(Touched::Everything, Touched::Organizations);
        (from, touched)
    }
}

/// Numbers that move whenever data may have changed: a write committed through this process,
/// or (PostgreSQL) announced by another replica. A value derived from some organisations' data
/// while [`Changes::current`] read `n` for them is current as long as it still reads `n`.
#[derive(Clone, Default)]
pub struct Changes(Arc<Mutex<Stamps>>);

#[derive(Default)]
struct Stamps {
    /// The number of the latest change recorded.
    latest: u64,
    /// The latest change to everything.
    everything: u64,
    /// The latest change to each organisation changed on its own since.
    by_organization: HashMap<Uuid, u64>,
    /// The latest end of each user's sessions since `everything`.
    sessions_ended: HashMap<Uuid, u64>,
}

impl Changes {
    /// The number of the latest change that touched any of `organizations`.
    pub fn current(&self, organizations: &[Uuid]) -> u64 {
        let stamps = self.0.lock().unwrap_or_else(|e| e.into_inner());
        organizations
            .iter()
            .filter_map(|org| stamps.by_organization.get(org))
            .fold(stamps.everything, |latest, &n| latest.max(n))
    }

    /// The number of the latest change recorded: a value derived from data read after this
    /// call is current while what it depends on has no later number.
    pub fn latest(&self) -> u64 {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).latest
    }

    /// The number of the latest end of `user`'s sessions (or of a change to everything, which
    /// may have ended them unseen).
    pub fn sessions_ended(&self, user: Uuid) -> u64 {
        let stamps = self.0.lock().unwrap_or_else(|e| e.into_inner());
        stamps
            .sessions_ended
            .get(&user)
            .map_or(stamps.everything, |&n| n.max(stamps.everything))
    }

    /// Records that sessions of `user` ended: signed out, revoked, a password changed or reset,
    /// the account disabled.
    pub fn record_sessions_ended(&self, user: Uuid) {
        let mut stamps = self.0.lock().unwrap_or_else(|e| e.into_inner());
        stamps.latest += 1;
        let n = stamps.latest;
        stamps.sessions_ended.insert(user, n);
    }

    /// Records what `events` say ended: the sessions of a user. Called before the events are
    /// published, so that whoever hears of an end finds it recorded.
    pub fn heard(&self, events: &[Event]) {
        for event in events {
            if let Event::SessionsEnded { user, .. } = *event {
                self.record_sessions_ended(user);
            }
        }
    }

    pub fn record(&self, touched: &Touched) {
        let mut stamps = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = stamps.latest + 1;
        match touched {
            Touched::Nothing => return,
            Touched::Everything => {
                stamps.everything = n;
                // Older per-organisation numbers are all below `everything` now.
                stamps.by_organization.clear();
                stamps.sessions_ended.clear();
            }
            Touched::Organizations(list) => {
                for &org in list {
                    stamps.by_organization.insert(org, n);
                }
            }
        }
        stamps.latest = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_within_one_organisation_leaves_the_others_current() {
        let (town, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let changes = Changes::default();
        let before = (changes.current(&[town]), changes.current(&[other]));
        let county = changes.current(&[town, other]);

        let mut touched = Touched::Everything;
        touched.add(town);
        changes.record(&touched);
        assert_ne!(changes.current(&[town]), before.0);
        assert_eq!(changes.current(&[other]), before.1);
        assert_ne!(
            changes.current(&[town, other]),
            county,
            "the county holds the town"
        );

        let after = (changes.current(&[town]), changes.current(&[other]));
        changes.record(&Touched::Nothing);
        assert_eq!((changes.current(&[town]), changes.current(&[other])), after);

        changes.record(&Touched::Everything);
        assert_ne!(changes.current(&[town]), after.0);
        assert_ne!(changes.current(&[other]), after.1);
    }

    #[test]
    fn the_end_of_a_users_sessions_moves_their_number_and_no_one_elses() {
        let (user, other, town) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let changes = Changes::default();
        let read = changes.latest();
        assert!(changes.sessions_ended(user) <= read);
        changes.record_sessions_ended(user);
        assert!(changes.sessions_ended(user) > read);
        assert!(changes.sessions_ended(other) <= read);
        changes.record(&Touched::Organizations(vec![town]));
        assert!(
            changes.sessions_ended(other) <= read,
            "a write ends no session"
        );
        assert!(changes.latest() > read);

        let read = changes.latest();
        changes.record(&Touched::Everything);
        assert!(
            changes.sessions_ended(other) > read,
            "a change to everything (announcements missed) may have ended any"
        );
    }

    #[test]
    fn an_announcement_reads_back_as_the_same_organisations() {
        let mut touched = Touched::Nothing;
        touched.add(Uuid::from_u128(7));
        touched.add(Uuid::from_u128(9));
        touched.add(Uuid::from_u128(7));
        let here = Uuid::from_u128(1000);
        let payload = touched.payload(here).unwrap();
        assert_eq!(Touched::from_payload(&payload), (Some(here), touched));
        assert_eq!(Touched::Nothing.payload(here), None);
        assert_eq!(
            Touched::from_payload(&Touched::Everything.payload(here).unwrap()),
            (Some(here), Touched::Everything)
        );
        assert_eq!(
            Touched::from_payload("not-a-uuid"),
            (None, Touched::Everything)
        );
        assert_eq!(
            Touched::from_payload(&Uuid::from_u128(7).to_string()),
            (None, Touched::Organizations(vec![Uuid::from_u128(7)])),
            "an announcement without its replica (an older one) still counts"
        );
        let many = Touched::Organizations((0..500).map(Uuid::from_u128).collect());
        assert_eq!(many.payload(here), Some(format!("{here};")));
    }
}
