use super::*;
use crate::workdays::{self, WorkCalendar};
use chrono::Duration;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn open(due_by: &str) -> Tracked {
    Tracked {
        start: None,
        due_by: d(due_by),
        on_time_due_by: d(due_by),
        closure: Closure::Open,
        progress: 0,
    }
}

/// `date` with a due-soon window of `days` calendar days and the default pace thresholds.
fn on(date: &str, days: i64) -> Today {
    Today {
        date: d(date),
        due_soon_until: d(date) + Duration::days(days),
        pace: Pace {
            yellow_points: 20,
            red_points: 40,
        },
        sign_off_required: true,
    }
}

fn shipped() -> WorkCalendar {
    WorkCalendar::new(workdays::parse(workdays::SHIPPED).unwrap())
}

#[test]
fn an_open_item_is_due_by_the_end_of_its_due_by_day() {
    let m = open("2026-06-30");
    assert_eq!(
        m.deadline_state(&on("2026-06-30", 3)),
        DeadlineState::DueSoon
    );
    assert_eq!(
        m.deadline_state(&on("2026-07-01", 3)),
        DeadlineState::Overdue
    );
    assert_eq!(m.days_overdue(d("2026-07-05")), 5);
    assert_eq!(m.days_left(d("2026-06-30")), Some(0));
}

#[test]
fn due_soon_counts_working_days_across_a_holiday() {
    let calendar = shipped();
    let settings = Settings::default();
    // Due 10-09: on Sunday 09-29 (a make-up working day) three working days are left
    // (09-30, 10-08, 10-09), so it is due soon although ten calendar days away.
    let m = open("2024-10-09");
    let on_sunday = Today::new(d("2024-09-29"), &settings, &calendar);
    assert_eq!(m.deadline_state(&on_sunday), DeadlineState::DueSoon);
    // Due 10-10: four working days left.
    assert_eq!(
        open("2024-10-10").deadline_state(&on_sunday),
        DeadlineState::Upcoming
    );
    // On an ordinary Friday, three working days reach Wednesday.
    let friday = Today::new(d("2026-11-27"), &settings, &calendar);
    assert_eq!(
        open("2026-12-02").deadline_state(&friday),
        DeadlineState::DueSoon
    );
    assert_eq!(
        open("2026-12-03").deadline_state(&friday),
        DeadlineState::Upcoming
    );
    let none = Settings {
        due_soon_working_days: 0,
        ..settings
    };
    let friday = Today::new(d("2026-11-27"), &none, &calendar);
    assert_eq!(
        open("2026-11-27").deadline_state(&friday),
        DeadlineState::DueSoon
    );
    assert_eq!(
        open("2026-11-30").deadline_state(&friday),
        DeadlineState::Upcoming
    );
}

#[test]
fn a_deadline_on_a_holiday_is_due_on_the_next_working_day_when_the_organisation_says_so() {
    let calendar = shipped();
    let rolling = Settings::default();
    assert_eq!(
        due_by(d("2024-10-01"), &rolling, &calendar),
        d("2024-10-08")
    );
    assert_eq!(
        due_by(d("2024-10-08"), &rolling, &calendar),
        d("2024-10-08")
    );
    let plain = Settings {
        roll_deadlines_off_rest_days: false,
        ..rolling
    };
    assert_eq!(due_by(d("2024-10-01"), &plain, &calendar), d("2024-10-01"));
}

#[test]
fn completion_decides_on_time_or_late() {
    let mut m = open("2026-06-30");
    m.closure = Closure::Done(d("2026-06-30"));
    assert_eq!(
        m.deadline_state(&on("2026-09-01", 3)),
        DeadlineState::DoneOnTime
    );
    assert_eq!(m.days_overdue(d("2026-09-01")), 0);
    m.closure = Closure::Done(d("2026-07-02"));
    assert_eq!(
        m.deadline_state(&on("2026-09-01", 3)),
        DeadlineState::DoneLate
    );
    assert_eq!(m.days_overdue(d("2026-09-01")), 2);
    assert_eq!(m.days_left(d("2026-09-01")), None);
    assert_eq!(m.light(&on("2026-09-01", 3)), Light::Grey);
}

#[test]
fn cancelled_wins_over_everything() {
    let mut m = open("2026-06-30");
    m.closure = Closure::Cancelled;
    assert_eq!(
        m.deadline_state(&on("2027-01-01", 3)),
        DeadlineState::Cancelled
    );
    assert_eq!(m.days_overdue(d("2027-01-01")), 0);
}

#[test]
fn a_deadline_moved_after_it_lapsed_never_makes_a_late_item_on_time() {
    // Due 06-10, moved on 06-15 (a late change) to 06-30, done 06-20.
    let m = Tracked {
        due_by: d("2026-06-30"),
        on_time_due_by: d("2026-06-10"),
        closure: Closure::Done(d("2026-06-20")),
        progress: 100,
        ..open("2026-06-30")
    };
    assert_eq!(
        m.deadline_state(&on("2026-07-01", 3)),
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
        open.deadline_state(&on("2026-06-20", 3)),
        DeadlineState::Upcoming
    );
}

#[test]
fn behind_pace_compares_progress_with_the_straight_line() {
    let m = Tracked {
        start: Some(d("2026-01-01")),
        due_by: d("2026-01-11"),
        on_time_due_by: d("2026-01-11"),
        closure: Closure::Open,
        progress: 30,
    };
    // Day 5 of 10: expected 50 %, 30 % is exactly 20 points behind: not yet.
    assert!(!m.behind_pace(&on("2026-01-06", 0)));
    // Day 6: expected 60 %, 30 % is 30 points behind: yellow.
    assert!(m.behind_pace(&on("2026-01-07", 0)));
    assert_eq!(m.light(&on("2026-01-07", 0)), Light::Yellow);
    // Day 8: expected 80 %, 50 points behind: red, though not overdue.
    assert_eq!(m.light(&on("2026-01-09", 0)), Light::Red);
    // An organisation with looser thresholds sees yellow.
    let loose = Today {
        pace: Pace {
            yellow_points: 30,
            red_points: 60,
        },
        ..on("2026-01-09", 0)
    };
    assert_eq!(m.light(&loose), Light::Yellow);
    // Before the start nothing is expected yet.
    assert!(!m.behind_pace(&on("2025-12-01", 0)));
    let no_start = Tracked { start: None, ..m };
    assert!(!no_start.behind_pace(&on("2026-01-10", 0)));
}

#[test]
fn lights_follow_the_state() {
    assert_eq!(open("2026-06-30").light(&on("2026-07-01", 3)), Light::Red);
    assert_eq!(
        open("2026-06-30").light(&on("2026-06-29", 3)),
        Light::Yellow
    );
    assert_eq!(open("2026-06-30").light(&on("2026-05-01", 3)), Light::Green);
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
            let m = Tracked { start: None, due_by: deadline, on_time_due_by: deadline, closure: Closure::Done(completed_on), progress: 100 };
            prop_assert_eq!(m.deadline_state(&Today { date: today, ..on("2000-01-01", 3) }), DeadlineState::DoneOnTime);
            prop_assert_eq!(m.days_overdue(today), 0);
        }
    }

    #[test]
    fn exactly_one_open_state_holds(due_by in date(), today in date(), window in 0u32..30) {
        let calendar = shipped();
        let settings = Settings { due_soon_working_days: window, ..Settings::default() };
        let m = Tracked { due_by, on_time_due_by: due_by, ..open("2000-01-01") };
        let state = m.deadline_state(&Today::new(today, &settings, &calendar));
        let overdue = today > due_by;
        let soon = !overdue && calendar.workdays_between(today, due_by) <= window;
        prop_assert_eq!(state == DeadlineState::Overdue, overdue);
        prop_assert_eq!(state == DeadlineState::DueSoon, soon);
        prop_assert_eq!(state == DeadlineState::Upcoming, !overdue && !soon);
        prop_assert_eq!(m.days_overdue(today) > 0, overdue);
    }

    #[test]
    fn days_overdue_grows_one_a_day(due_by in date(), after in 1i64..5000) {
        let m = Tracked { due_by, on_time_due_by: due_by, ..open("2000-01-01") };
        let today = due_by + chrono::Duration::days(after);
        prop_assert_eq!(m.days_overdue(today), after);
        prop_assert_eq!(m.days_left(today), Some(-after));
    }

    #[test]
    fn more_progress_is_never_further_behind(
        start in date(), span in 1i64..400, offset in -50i64..500, progress in 0u8..=99,
        points in 1u32..=100,
    ) {
        let m = Tracked {
            start: Some(start),
            due_by: start + chrono::Duration::days(span),
            on_time_due_by: start + chrono::Duration::days(span),
            closure: Closure::Open,
            progress,
        };
        let today = start + chrono::Duration::days(offset);
        let ahead = Tracked { progress: progress + 1, ..m };
        prop_assert!(!ahead.behind_pace_by_more_than(today, points) || m.behind_pace_by_more_than(today, points));
    }
}
