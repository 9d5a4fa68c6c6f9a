//! Deadline states, days overdue, pace and lights (DESIGN.md §2).
//!
//! A deadline is a calendar date in the organisation's zone and an item is due by the end of that
//! day, so every comparison here is between dates; callers turn instants into dates with
//! [`crate::Zone`] first.

use chrono::NaiveDate;

/// Days before a deadline when an open item turns DUE_SOON, unless configured otherwise.
pub const DEFAULT_DUE_SOON_DAYS: u32 = 3;

/// How far (in percentage points) reported progress may trail the straight line from start to
/// deadline before the item is behind pace (序时进度).
pub const BEHIND_PACE_POINTS: i64 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeadlineState {
    Upcoming,
    DueSoon,
    Overdue,
    DoneOnTime,
    DoneLate,
    Cancelled,
}

/// 红黄绿灯. Ordered by severity, so the worst of several is their maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Light {
    Grey,
    Green,
    Yellow,
    Red,
}

/// Whether an item is still open, and if not, how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closure {
    Open,
    /// Done (or verified) on this date in the organisation's zone.
    Done(NaiveDate),
    Cancelled,
}

impl Closure {
    pub fn is_open(self) -> bool {
        matches!(self, Closure::Open)
    }
}

/// What the time rules need to know about a milestone or a rectification item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tracked {
    pub start: Option<NaiveDate>,
    /// The deadline in force: what an open item is late against.
    pub deadline: NaiveDate,
    /// The latest deadline set before the one before it had passed: what a finished item is
    /// judged on time against. A deadline moved once it had lapsed (a late change) gives a new
    /// target but never turns a late item into an on-time one.
    pub on_time_deadline: NaiveDate,
    pub closure: Closure,
    /// Reported progress, 0–100.
    pub progress: u8,
}

impl Tracked {
    pub fn deadline_state(&self, today: NaiveDate, due_soon_days: u32) -> DeadlineState {
        match self.closure {
            Closure::Cancelled => DeadlineState::Cancelled,
            Closure::Done(on) if on <= self.on_time_deadline => DeadlineState::DoneOnTime,
            Closure::Done(_) => DeadlineState::DoneLate,
            Closure::Open if today > self.deadline => DeadlineState::Overdue,
            Closure::Open if days(today, self.deadline) <= i64::from(due_soon_days) => {
                DeadlineState::DueSoon
            }
            Closure::Open => DeadlineState::Upcoming,
        }
    }

    /// `today − deadline` while overdue, `completion − on-time deadline` when done late, else 0.
    pub fn days_overdue(&self, today: NaiveDate) -> i64 {
        match self.closure {
            Closure::Open => days(self.deadline, today).max(0),
            Closure::Done(on) => days(self.on_time_deadline, on).max(0),
            Closure::Cancelled => 0,
        }
    }

    /// Days from `today` to the deadline (negative once it has passed); `None` once closed.
    pub fn days_left(&self, today: NaiveDate) -> Option<i64> {
        self.closure.is_open().then(|| days(today, self.deadline))
    }

    /// Open, with a start date, and progress more than [`BEHIND_PACE_POINTS`] below the straight
    /// line from start (0 %) to deadline (100 %).
    pub fn behind_pace(&self, today: NaiveDate) -> bool {
        let Some(start) = self.start else {
            return false;
        };
        let span = days(start, self.deadline);
        if !self.closure.is_open() || span <= 0 {
            return false;
        }
        let elapsed = days(start, today).clamp(0, span);
        // progress + 20 < 100 · elapsed / span, kept in integers so SQL can say the same.
        (i64::from(self.progress) + BEHIND_PACE_POINTS) * span < 100 * elapsed
    }

    /// The item's own light, before any roll-up.
    pub fn light(&self, today: NaiveDate, due_soon_days: u32) -> Light {
        match self.deadline_state(today, due_soon_days) {
            DeadlineState::Overdue => Light::Red,
            DeadlineState::DueSoon => Light::Yellow,
            DeadlineState::Upcoming if self.behind_pace(today) => Light::Yellow,
            DeadlineState::Upcoming => Light::Green,
            DeadlineState::DoneOnTime | DeadlineState::DoneLate | DeadlineState::Cancelled => {
                Light::Grey
            }
        }
    }
}

fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn open(deadline: &str) -> Tracked {
        Tracked {
            start: None,
            deadline: d(deadline),
            on_time_deadline: d(deadline),
            closure: Closure::Open,
            progress: 0,
        }
    }

    #[test]
    fn an_open_item_is_due_by_the_end_of_its_deadline_day() {
        let m = open("2026-06-30");
        assert_eq!(m.deadline_state(d("2026-06-30"), 3), DeadlineState::DueSoon);
        assert_eq!(m.deadline_state(d("2026-07-01"), 3), DeadlineState::Overdue);
        assert_eq!(m.days_overdue(d("2026-07-05")), 5);
        assert_eq!(m.days_left(d("2026-06-30")), Some(0));
    }

    #[test]
    fn due_soon_window_counts_whole_days() {
        let m = open("2026-06-30");
        assert_eq!(m.deadline_state(d("2026-06-27"), 3), DeadlineState::DueSoon);
        assert_eq!(
            m.deadline_state(d("2026-06-26"), 3),
            DeadlineState::Upcoming
        );
        assert_eq!(m.deadline_state(d("2026-06-26"), 4), DeadlineState::DueSoon);
        assert_eq!(m.deadline_state(d("2026-06-30"), 0), DeadlineState::DueSoon);
    }

    #[test]
    fn completion_decides_on_time_or_late() {
        let mut m = open("2026-06-30");
        m.closure = Closure::Done(d("2026-06-30"));
        assert_eq!(
            m.deadline_state(d("2026-09-01"), 3),
            DeadlineState::DoneOnTime
        );
        assert_eq!(m.days_overdue(d("2026-09-01")), 0);
        m.closure = Closure::Done(d("2026-07-02"));
        assert_eq!(
            m.deadline_state(d("2026-09-01"), 3),
            DeadlineState::DoneLate
        );
        assert_eq!(m.days_overdue(d("2026-09-01")), 2);
        assert_eq!(m.days_left(d("2026-09-01")), None);
        assert_eq!(m.light(d("2026-09-01"), 3), Light::Grey);
    }

    #[test]
    fn cancelled_wins_over_everything() {
        let mut m = open("2026-06-30");
        m.closure = Closure::Cancelled;
        assert_eq!(
            m.deadline_state(d("2027-01-01"), 3),
            DeadlineState::Cancelled
        );
        assert_eq!(m.days_overdue(d("2027-01-01")), 0);
    }

    #[test]
    fn a_deadline_moved_after_it_lapsed_never_makes_a_late_item_on_time() {
        // Due 06-10, moved on 06-15 (a late change) to 06-30, done 06-20.
        let m = Tracked {
            deadline: d("2026-06-30"),
            on_time_deadline: d("2026-06-10"),
            closure: Closure::Done(d("2026-06-20")),
            progress: 100,
            ..open("2026-06-30")
        };
        assert_eq!(
            m.deadline_state(d("2026-07-01"), 3),
            DeadlineState::DoneLate
        );
        assert_eq!(m.days_overdue(d("2026-07-01")), 10);
        // While it was open, its light followed the new deadline.
        let open = Tracked {
            closure: Closure::Open,
            progress: 50,
            ..m
        };
        assert_eq!(
            open.deadline_state(d("2026-06-20"), 3),
            DeadlineState::Upcoming
        );
    }

    #[test]
    fn behind_pace_compares_progress_with_the_straight_line() {
        let m = Tracked {
            start: Some(d("2026-01-01")),
            deadline: d("2026-01-11"),
            on_time_deadline: d("2026-01-11"),
            closure: Closure::Open,
            progress: 30,
        };
        // Day 5 of 10: expected 50 %, 30 % is exactly 20 points behind: not yet.
        assert!(!m.behind_pace(d("2026-01-06")));
        // Day 6: expected 60 %, 30 % is 30 points behind.
        assert!(m.behind_pace(d("2026-01-07")));
        assert_eq!(m.light(d("2026-01-07"), 3), Light::Yellow);
        // Before the start nothing is expected yet.
        assert!(!m.behind_pace(d("2025-12-01")));
        let no_start = Tracked { start: None, ..m };
        assert!(!no_start.behind_pace(d("2026-01-10")));
    }

    #[test]
    fn lights_follow_the_state() {
        assert_eq!(open("2026-06-30").light(d("2026-07-01"), 3), Light::Red);
        assert_eq!(open("2026-06-30").light(d("2026-06-29"), 3), Light::Yellow);
        assert_eq!(open("2026-06-30").light(d("2026-05-01"), 3), Light::Green);
        assert!(Light::Red > Light::Yellow && Light::Yellow > Light::Green);
        assert!(Light::Green > Light::Grey);
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (0i64..20_000).prop_map(|n| d("2000-01-01") + chrono::Duration::days(n))
    }

    proptest! {
        #[test]
        fn completed_on_the_deadline_day_is_on_time_in_every_zone(
            deadline in date(),
            seconds in 0u32..86_400,
            zone_index in 0usize..chrono_tz::TZ_VARIANTS.len(),
            today in date(),
        ) {
            use chrono::TimeZone;
            let tz = chrono_tz::TZ_VARIANTS[zone_index];
            let local = deadline.and_hms_opt(0, 0, 0).unwrap() + chrono::Duration::seconds(i64::from(seconds));
            // Skip local times that a DST jump removes.
            if let Some(at) = tz.from_local_datetime(&local).earliest() {
                let zone = crate::Zone::new(tz);
                let completed_on = zone.date_of(at.with_timezone(&chrono::Utc));
                let m = Tracked { start: None, deadline, on_time_deadline: deadline, closure: Closure::Done(completed_on), progress: 100 };
                prop_assert_eq!(m.deadline_state(today, 3), DeadlineState::DoneOnTime);
                prop_assert_eq!(m.days_overdue(today), 0);
            }
        }

        #[test]
        fn exactly_one_open_state_holds(deadline in date(), today in date(), window in 0u32..30) {
            let m = open("2000-01-01");
            let m = Tracked { deadline, on_time_deadline: deadline, ..m };
            let state = m.deadline_state(today, window);
            let overdue = today > deadline;
            let soon = !overdue && (deadline - today).num_days() <= i64::from(window);
            prop_assert_eq!(state == DeadlineState::Overdue, overdue);
            prop_assert_eq!(state == DeadlineState::DueSoon, soon);
            prop_assert_eq!(state == DeadlineState::Upcoming, !overdue && !soon);
            prop_assert_eq!(m.days_overdue(today) > 0, overdue);
        }

        #[test]
        fn days_overdue_grows_one_a_day(deadline in date(), after in 1i64..5000) {
            let m = Tracked { deadline, on_time_deadline: deadline, ..open("2000-01-01") };
            let today = deadline + chrono::Duration::days(after);
            prop_assert_eq!(m.days_overdue(today), after);
            prop_assert_eq!(m.days_left(today), Some(-after));
        }

        #[test]
        fn more_progress_is_never_further_behind(
            start in date(), span in 1i64..400, offset in -50i64..500, progress in 0u8..=99,
        ) {
            let m = Tracked {
                start: Some(start),
                deadline: start + chrono::Duration::days(span),
                on_time_deadline: start + chrono::Duration::days(span),
                closure: Closure::Open,
                progress,
            };
            let today = start + chrono::Duration::days(offset);
            let ahead = Tracked { progress: progress + 1, ..m };
            prop_assert!(!ahead.behind_pace(today) || m.behind_pace(today));
        }
    }
}
