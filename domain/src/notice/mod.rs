//! Notices (docs/rules.md §5): the blue reminder (提醒), the yellow urge (催办), the red supervision
//! order (督办单) and the monthly bulletin (通报); how an order is numbered, and when a reply day
//! may be set.

use crate::field;
use chrono::NaiveDate;

use crate::deadline::DeadlineState;
use crate::status::string_enum;
use crate::validate::{Invalid, Reason};

mod names;

pub use names::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    Reminder,
    Urge,
    SupervisionOrder,
    Bulletin,
}

string_enum!(NoticeKind {
    Reminder = "REMINDER",
    Urge = "URGE",
    SupervisionOrder = "SUPERVISION_ORDER",
    Bulletin = "BULLETIN",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeLevel {
    Blue,
    Yellow,
    Red,
}

string_enum!(NoticeLevel {
    Blue = "BLUE",
    Yellow = "YELLOW",
    Red = "RED",
});

impl NoticeKind {
    /// The colour a notice of this kind is shown in.
    pub fn level(self) -> NoticeLevel {
        match self {
            NoticeKind::Reminder => NoticeLevel::Blue,
            NoticeKind::Urge => NoticeLevel::Yellow,
            NoticeKind::SupervisionOrder | NoticeKind::Bulletin => NoticeLevel::Red,
        }
    }

    /// 提醒, 催办, 督办单, 通报
    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::Reminder => "提醒",
            NoticeKind::Urge => "催办",
            NoticeKind::SupervisionOrder => "督办单",
            NoticeKind::Bulletin => "通报",
        }
    }
}

/// A supervision order's reply day: not before the day it is issued.
pub fn check_reply_due(today: NaiveDate, reply_due: NaiveDate) -> Result<(), Invalid> {
    if reply_due < today {
        Err(Invalid::because(
            field::REPLY_DUE,
            Reason::BeforeStart { start: today },
            format!("must not be before today ({today})"),
        ))
    } else {
        Ok(())
    }
}

/// Where a webhook posts: a JSON body signed per Standard Webhooks, or a group robot of one of
/// the chat tools Chinese offices use (企业微信, 钉钉, 飞书).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WebhookKind {
    Generic,
    Wecom,
    Dingtalk,
    Feishu,
}

string_enum!(WebhookKind {
    Generic = "GENERIC",
    Wecom = "WECOM",
    Dingtalk = "DINGTALK",
    Feishu = "FEISHU",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Failed,
}

string_enum!(DeliveryStatus {
    Pending = "PENDING",
    Delivered = "DELIVERED",
    Failed = "FAILED",
});

/// Attempts a delivery gets before it is given up as FAILED.
pub const MOST_DELIVERY_ATTEMPTS: u32 = 8;

/// How long after its `attempts`-th failure a delivery is tried again: `base` doubling each
/// time, at most an hour; `None` once it has had its attempts.
pub fn retry_after(attempts: u32, base: std::time::Duration) -> Option<std::time::Duration> {
    if attempts >= MOST_DELIVERY_ATTEMPTS {
        return None;
    }
    let doubled = base.saturating_mul(1 << attempts.saturating_sub(1).min(16));
    Some(doubled.min(std::time::Duration::from_secs(3600)))
}

/// Working days a supervision order issued by the daily scan gives for its reply.
pub const ORDER_REPLY_WORKING_DAYS: u32 = 5;

/// Calendar days between two urges of an item behind pace but not overdue (once a week).
pub const PACE_URGE_DAYS: i64 = 7;

/// The organisation's ladder, from its settings.
#[derive(Debug, Clone, Copy)]
pub struct Ladder {
    pub urge_every_working_days: u32,
    pub order_after_working_days_overdue: u32,
}

/// Where an open item stands on the scan's day, and what the ladder already issued about its
/// current due day.
#[derive(Debug, Clone, Copy, Default)]
pub struct Standing {
    pub state: Option<DeadlineState>,
    pub behind_pace: bool,
    /// Working days after the due day, up to and including the scan's day.
    pub workdays_overdue: u32,
    pub reminded: bool,
    pub ordered: bool,
    /// Since the last urge (or order, which is that day's urge) about this due day: working
    /// days and calendar days.
    pub since_last_urge: Option<(u32, i64)>,
}

/// The notices the daily scan issues about an item on a working day (docs/rules.md §5): a reminder
/// once when it turns due soon; an urge on the first working day overdue and every
/// `urge_every_working_days` while it stays overdue, or once a week while it is behind pace; a
/// supervision order once it is `order_after_working_days_overdue` working days overdue (which
/// takes the place of that day's urge). Reading what was already issued, not the day's number,
/// keeps a missed day from skipping a step.
pub fn climb(standing: &Standing, ladder: &Ladder) -> Vec<NoticeKind> {
    let mut due = Vec::new();
    match standing.state {
        Some(DeadlineState::Overdue) if standing.workdays_overdue >= 1 => {
            let order = !standing.ordered
                && standing.workdays_overdue >= ladder.order_after_working_days_overdue.max(1);
            let urge = standing
                .since_last_urge
                .is_none_or(|(workdays, _)| workdays >= ladder.urge_every_working_days.max(1));
            if order {
                due.push(NoticeKind::SupervisionOrder);
            } else if urge {
                due.push(NoticeKind::Urge);
            }
        }
        Some(DeadlineState::DueSoon | DeadlineState::Upcoming) => {
            if standing.state == Some(DeadlineState::DueSoon) && !standing.reminded {
                due.push(NoticeKind::Reminder);
            }
            let weekly = standing
                .since_last_urge
                .is_none_or(|(_, days)| days >= PACE_URGE_DAYS);
            if standing.behind_pace && weekly {
                due.push(NoticeKind::Urge);
            }
        }
        _ => {}
    }
    due
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_colour() {
        assert_eq!(NoticeKind::Reminder.level(), NoticeLevel::Blue);
        assert_eq!(NoticeKind::Urge.level(), NoticeLevel::Yellow);
        assert_eq!(NoticeKind::SupervisionOrder.level(), NoticeLevel::Red);
        assert_eq!("URGE".parse::<NoticeKind>().ok(), Some(NoticeKind::Urge));
        assert!("urge".parse::<NoticeKind>().is_err());
    }

    #[test]
    fn a_failed_delivery_waits_twice_as_long_each_time_then_is_given_up() {
        let base = std::time::Duration::from_secs(10);
        let waits: Vec<u64> = (1..MOST_DELIVERY_ATTEMPTS)
            .map(|n| retry_after(n, base).unwrap().as_secs())
            .collect();
        assert_eq!(waits, [10, 20, 40, 80, 160, 320, 640]);
        assert_eq!(retry_after(MOST_DELIVERY_ATTEMPTS, base), None);
        let slow = std::time::Duration::from_secs(600);
        assert_eq!(
            retry_after(7, slow).unwrap().as_secs(),
            3600,
            "at most an hour"
        );
    }

    #[test]
    fn a_reply_day_may_be_today_but_not_before() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert!(check_reply_due(today, today).is_ok());
        assert!(check_reply_due(today, today.pred_opt().unwrap()).is_err());
    }

    const LADDER: Ladder = Ladder {
        urge_every_working_days: 3,
        order_after_working_days_overdue: 5,
    };

    fn overdue(workdays: u32, since_last_urge: Option<u32>, ordered: bool) -> Standing {
        Standing {
            state: Some(DeadlineState::Overdue),
            workdays_overdue: workdays,
            since_last_urge: since_last_urge.map(|w| (w, i64::from(w))),
            ordered,
            ..Standing::default()
        }
    }

    #[test]
    fn an_item_is_reminded_once_when_it_turns_due_soon() {
        let due_soon = Standing {
            state: Some(DeadlineState::DueSoon),
            ..Standing::default()
        };
        assert_eq!(climb(&due_soon, &LADDER), vec![NoticeKind::Reminder]);
        let reminded = Standing {
            reminded: true,
            ..due_soon
        };
        assert!(climb(&reminded, &LADDER).is_empty());
        let upcoming = Standing {
            state: Some(DeadlineState::Upcoming),
            ..Standing::default()
        };
        assert!(climb(&upcoming, &LADDER).is_empty());
    }

    #[test]
    fn an_overdue_item_is_urged_every_few_working_days_then_ordered() {
        assert_eq!(
            climb(&overdue(1, None, false), &LADDER),
            vec![NoticeKind::Urge]
        );
        assert!(climb(&overdue(2, Some(1), false), &LADDER).is_empty());
        assert!(climb(&overdue(3, Some(2), false), &LADDER).is_empty());
        assert_eq!(
            climb(&overdue(4, Some(3), false), &LADDER),
            vec![NoticeKind::Urge]
        );
        // A missed scan does not skip the urge: it comes on the next run.
        assert_eq!(
            climb(&overdue(3, None, false), &LADDER),
            vec![NoticeKind::Urge]
        );
        assert_eq!(
            climb(&overdue(5, Some(1), false), &LADDER),
            vec![NoticeKind::SupervisionOrder]
        );
        // Once ordered, urges go on at their pace and no second order comes.
        assert!(climb(&overdue(6, Some(2), true), &LADDER).is_empty());
        assert_eq!(
            climb(&overdue(8, Some(3), true), &LADDER),
            vec![NoticeKind::Urge]
        );
        // Overdue on a rest day only (no working day yet): nothing until the first one.
        assert!(climb(&overdue(0, None, false), &LADDER).is_empty());
    }

    #[test]
    fn an_item_behind_pace_is_urged_once_a_week() {
        let behind = Standing {
            state: Some(DeadlineState::Upcoming),
            behind_pace: true,
            ..Standing::default()
        };
        assert_eq!(climb(&behind, &LADDER), vec![NoticeKind::Urge]);
        let urged = |days| Standing {
            since_last_urge: Some((days as u32, days)),
            ..behind
        };
        assert!(climb(&urged(6), &LADDER).is_empty());
        assert_eq!(climb(&urged(7), &LADDER), vec![NoticeKind::Urge]);
        let due_soon_behind = Standing {
            state: Some(DeadlineState::DueSoon),
            ..behind
        };
        assert_eq!(
            climb(&due_soon_behind, &LADDER),
            vec![NoticeKind::Reminder, NoticeKind::Urge]
        );
    }

    #[test]
    fn a_closed_item_climbs_no_further() {
        for state in [
            DeadlineState::DoneOnTime,
            DeadlineState::DoneLate,
            DeadlineState::Cancelled,
        ] {
            let closed = Standing {
                state: Some(state),
                behind_pace: true,
                workdays_overdue: 9,
                ..Standing::default()
            };
            assert!(climb(&closed, &LADDER).is_empty());
        }
    }
}
