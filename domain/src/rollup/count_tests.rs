use super::*;
use crate::MilestoneStatus as M;
use crate::deadline::{Pace, Today, Tracked};
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn item(due_by: &str, done: Option<&str>, status: M) -> Counted {
    Counted {
        tracked: Tracked {
            start: None,
            due_by: d(due_by),
            on_time_due_by: d(due_by),
            closure: status.closure(done.map(d)),
            progress: 0,
        },
        status,
    }
}

fn on(date: &str, sign_off_required: bool) -> Today {
    Today {
        date: d(date),
        due_soon_until: d(date) + chrono::Duration::days(3),
        pace: Pace {
            yellow_points: 20,
            red_points: 40,
        },
        sign_off_required,
    }
}

#[test]
fn an_item_is_concluded_once_signed_off_and_the_rate_counts_what_has_come_due() {
    let items = [
        item("2026-06-10", None, M::InProgress),         // overdue
        item("2026-06-22", None, M::NotStarted),         // due soon
        item("2026-09-01", None, M::InProgress),         // upcoming
        item("2026-06-10", Some("2026-06-09"), M::Done), // reported, on time
        item("2026-06-10", Some("2026-06-12"), M::Verified), // reported late, checked
        item("2026-06-10", Some("2026-06-10"), M::Closed), // signed off on time
        item("2026-06-01", Some("2026-06-05"), M::Closed), // signed off late
        item("2026-08-01", Some("2026-06-15"), M::Closed), // early, not yet due
        item("2026-06-01", None, M::Cancelled),
    ];
    let counts = Counts::tally(&items, &on("2026-06-20", true));
    assert_eq!(counts.total, 9);
    assert_eq!((counts.open, counts.overdue, counts.due_soon), (3, 1, 1));
    assert_eq!(
        (counts.done, counts.done_on_time, counts.done_late),
        (3, 2, 1)
    );
    assert_eq!((counts.pending_sign_off, counts.closed), (2, 3));
    assert_eq!(counts.cancelled, 1);
    // Due so far: the overdue one, the two reported, the two signed off by 06-10 and 06-01.
    assert_eq!((counts.due, counts.closed_on_time), (5, 1));
    assert!((counts.on_time_rate().unwrap() - 0.2).abs() < 1e-9);
    // Without sign-off, a reported completion concludes the item.
    let loose = Counts::tally(&items, &on("2026-06-20", false));
    assert_eq!((loose.done, loose.done_on_time, loose.done_late), (5, 3, 2));
    assert_eq!((loose.due, loose.closed_on_time), (5, 2));
    assert_eq!(Counts::default().on_time_rate(), None);
    // The SQL's numbers make the same counts.
    let numbers: Vec<u64> = Tally::ALL
        .iter()
        .map(|t| {
            items
                .iter()
                .filter(|i| t.holds(i, &on("2026-06-20", true)))
                .count() as u64
        })
        .collect();
    assert_eq!(Counts::from_numbers(&numbers), counts);
}
