//! What subscribers are told, once a write commits: a notice issued to a person, a milestone
//! changed. Published in this process at once, and (PostgreSQL) announced to the other replicas
//! in the committing transaction, so a subscriber on any replica hears of a write on any other.

use std::fmt::Write as _;

use tokio::sync::broadcast;
use uuid::Uuid;

/// Something a subscription may want to hear of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// `notice` was addressed to `person` (as its recipient, or in a copy).
    NoticeIssued {
        notice: Uuid,
        person: Uuid,
        organization: Uuid,
    },
    /// `milestone` was created or changed.
    MilestoneChanged { milestone: Uuid, organization: Uuid },
    /// Sessions of `user` ended (disabled, a password changed or reset, a session revoked):
    /// their open connections check theirs at once.
    SessionsEnded { user: Uuid, organization: Uuid },
}

impl Event {
    pub fn organization(&self) -> Uuid {
        match *self {
            Event::NoticeIssued { organization, .. }
            | Event::MilestoneChanged { organization, .. }
            | Event::SessionsEnded { organization, .. } => organization,
        }
    }

    fn write(&self, out: &mut String) {
        let _ = match self {
            Event::NoticeIssued {
                notice,
                person,
                organization,
            } => write!(out, "n:{notice}:{person}:{organization}"),
            Event::MilestoneChanged {
                milestone,
                organization,
            } => write!(out, "m:{milestone}:{organization}"),
            Event::SessionsEnded { user, organization } => {
                write!(out, "s:{user}:{organization}")
            }
        };
    }

    fn read(text: &str) -> Option<Event> {
        let mut parts = text.split(':');
        let kind = parts.next()?;
        let mut id = || parts.next().and_then(|p| Uuid::parse_str(p).ok());
        let event = match kind {
            "n" => Event::NoticeIssued {
                notice: id()?,
                person: id()?,
                organization: id()?,
            },
            "m" => Event::MilestoneChanged {
                milestone: id()?,
                organization: id()?,
            },
            "s" => Event::SessionsEnded {
                user: id()?,
                organization: id()?,
            },
            _ => return None,
        };
        parts.next().is_none().then_some(event)
    }
}

/// Events published in this process, to every subscriber of it.
#[derive(Clone)]
pub struct Events {
    sender: broadcast::Sender<Event>,
    /// The users whose sessions ended, apart: heard by every open connection, not counted as
    /// subscriptions.
    ended: broadcast::Sender<Uuid>,
    /// This process among the replicas: its own announcements come back to it through
    /// `LISTEN` and are not published twice.
    replica: Uuid,
}

/// Events a subscriber may fall behind by before it misses some (it is told how many).
const BACKLOG: usize = 16 * 1024;

/// PostgreSQL refuses a `NOTIFY` payload of 8000 bytes or more.
const MOST_PAYLOAD_BYTES: usize = 7900;

impl Default for Events {
    fn default() -> Self {
        Events {
            sender: broadcast::channel(BACKLOG).0,
            ended: broadcast::channel(BACKLOG).0,
            replica: jiandu_domain::new_id(),
        }
    }
}

impl Events {
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }

    /// This process among the replicas.
    pub fn replica(&self) -> Uuid {
        self.replica
    }

    /// How many subscriptions are listening.
    pub fn subscribers(&self) -> usize {
        self.sender.receiver_count()
    }

    /// The users whose sessions end from now on (see [`Event::SessionsEnded`]).
    pub fn sessions_ended(&self) -> broadcast::Receiver<Uuid> {
        self.ended.subscribe()
    }

    pub fn publish(&self, events: &[Event]) {
        for event in events {
            // An error only says nobody is subscribed.
            let _ = match *event {
                Event::SessionsEnded { user, .. } => self.ended.send(user).is_ok(),
                _ => self.sender.send(*event).is_ok(),
            };
        }
    }

    /// `events` as announcements of this replica, each within PostgreSQL's payload limit:
    /// the replica's id, then the events, separated by spaces.
    pub fn announcements(&self, events: &[Event]) -> Vec<String> {
        let mut payloads = Vec::new();
        let mut current = String::new();
        for event in events {
            if current.len() > MOST_PAYLOAD_BYTES - 120 {
                payloads.push(std::mem::take(&mut current));
            }
            if current.is_empty() {
                current.push_str(&self.replica.to_string());
            }
            current.push(' ');
            event.write(&mut current);
        }
        if !current.is_empty() {
            payloads.push(current);
        }
        payloads
    }

    /// What another replica announced, to publish; its own announcements and anything it cannot
    /// read are passed over.
    pub fn announced(&self, payload: &str) -> Vec<Event> {
        let mut words = payload.split(' ');
        let from = words.next().and_then(|w| Uuid::parse_str(w).ok());
        if from.is_none_or(|from| from == self.replica) {
            return Vec::new();
        }
        words.filter_map(Event::read).collect()
    }

    /// Publishes what another replica announced (see [`Events::announced`]).
    pub fn publish_announced(&self, payload: &str) {
        self.publish(&self.announced(payload));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(n: u128) -> [Event; 3] {
        [
            Event::NoticeIssued {
                notice: Uuid::from_u128(n),
                person: Uuid::from_u128(n + 1),
                organization: Uuid::from_u128(n + 2),
            },
            Event::MilestoneChanged {
                milestone: Uuid::from_u128(n + 3),
                organization: Uuid::from_u128(n + 2),
            },
            Event::SessionsEnded {
                user: Uuid::from_u128(n + 4),
                organization: Uuid::from_u128(n + 2),
            },
        ]
    }

    #[test]
    fn another_replica_hears_every_event_within_the_payload_limit() {
        let (here, there) = (Events::default(), Events::default());
        let events: Vec<Event> = (0..500).flat_map(|n| sample(n * 10)).collect();
        let payloads = here.announcements(&events);
        assert!(payloads.len() > 1, "1500 events do not fit one payload");
        assert!(payloads.iter().all(|p| p.len() < 8000));

        let (mut heard, mut ended) = (there.subscribe(), there.sessions_ended());
        for payload in &payloads {
            there.publish_announced(payload);
        }
        let received: Vec<Event> = std::iter::from_fn(|| heard.try_recv().ok()).collect();
        let (sessions, others): (Vec<Event>, Vec<Event>) = events
            .iter()
            .partition(|e| matches!(e, Event::SessionsEnded { .. }));
        assert_eq!(received, others);
        let users: Vec<Uuid> = std::iter::from_fn(|| ended.try_recv().ok()).collect();
        let expected: Vec<Uuid> = sessions
            .iter()
            .map(|e| match e {
                Event::SessionsEnded { user, .. } => *user,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(users, expected);
    }

    #[test]
    fn a_replica_passes_over_its_own_announcements_and_garbage() {
        let here = Events::default();
        let mut heard = here.subscribe();
        for payload in here.announcements(&sample(1)) {
            here.publish_announced(&payload);
        }
        here.publish_announced("not a replica");
        here.publish_announced(&format!("{} n:1:2 m:x:y", jiandu_domain::new_id()));
        assert!(heard.try_recv().is_err());
    }
}
