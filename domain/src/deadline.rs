//! Deadline states, days overdue, pace and lights (docs/rules.md §2, §4).
//!
//! A deadline is a calendar date in the organisation's zone and an item is due by the end of its
//! `dueBy` day (the deadline, moved past rest days when the organisation says so), so every
//! comparison here is between dates; callers turn instants into dates with [`crate::Zone`] and
//! judge them on a [`Today`], which carries what the organisation's settings and the working-day
//! calendar make of the day.

use chrono::NaiveDate;

use crate::settings::Settings;
use crate::status::{Closure, MilestoneStatus};
use crate::workdays::WorkCalendar;

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

/// How far (in percentage points) reported progress may trail the straight line from start to
/// `dueBy` (序时进度) before the item's light turns yellow, and red.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pace {
    pub yellow_points: u32,
    pub red_points: u32,
}

/// A day in an organisation, with what its settings and the calendar make of it: everything
/// the time rules need besides the item itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Today {
    pub date: NaiveDate,
    /// An open item due by this day, and not yet overdue, is DUE_SOON.
    pub due_soon_until: NaiveDate,
    pub pace: Pace,
    /// Whether an item counts as 办结 only once signed off (销号), or once reported done.
    pub sign_off_required: bool,
}

impl Today {
    pub fn new(date: NaiveDate, settings: &Settings, calendar: &WorkCalendar) -> Today {
        Today {
            date,
            due_soon_until: calendar.due_soon_until(date, settings.due_soon_working_days),
            pace: Pace {
                yellow_points: settings.behind_pace_yellow_points,
                red_points: settings.behind_pace_red_points,
            },
            sign_off_required: settings.sign_off_required,
        }
    }

    /// The statuses in which an item counts as 办结 here.
    pub fn concluded(&self) -> &'static [MilestoneStatus] {
        if self.sign_off_required {
            &[MilestoneStatus::Closed]
        } else {
            &MilestoneStatus::FINISHED
        }
    }
}

/// The day an item with `deadline` is due by in an organisation with `settings`.
pub fn due_by(deadline: NaiveDate, settings: &Settings, calendar: &WorkCalendar) -> NaiveDate {
    if settings.roll_deadlines_off_rest_days {
        calendar.roll(deadline)
    } else {
        deadline
    }
}

/// What the time rules need to know about a milestone or a rectification item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tracked {
    pub start: Option<NaiveDate>,
    /// The day the deadline in force is due by: what an open item is late against.
    pub due_by: NaiveDate,
    /// The day the on-time deadline is due by: what a finished item is judged on time against.
    /// The on-time deadline is the latest set before the one before it had passed, so a
    /// deadline moved once it had lapsed (a late change) gives a new target but never turns a
    /// late item into an on-time one.
    pub on_time_due_by: NaiveDate,
    pub closure: Closure,
    /// Reported progress, 0–100.
    pub progress: u8,
}

impl Tracked {
    pub fn deadline_state(&self, today: &Today) -> DeadlineState {
        match self.closure {
            Closure::Cancelled => DeadlineState::Cancelled,
            Closure::Done(on) if on <= self.on_time_due_by => DeadlineState::DoneOnTime,
            Closure::Done(_) => DeadlineState::DoneLate,
            Closure::Open if today.date > self.due_by => DeadlineState::Overdue,
            Closure::Open if self.due_by <= today.due_soon_until => DeadlineState::DueSoon,
            Closure::Open => DeadlineState::Upcoming,
        }
    }

    /// Calendar days (逾期N天): `today − dueBy` while overdue, `completion − on-time dueBy` when
    /// done late, else 0.
    pub fn days_overdue(&self, today: NaiveDate) -> i64 {
        match self.closure {
            Closure::Open => days(self.due_by, today).max(0),
            Closure::Done(on) => days(self.on_time_due_by, on).max(0),
            Closure::Cancelled => 0,
        }
    }

    /// Days from `today` to `dueBy` (negative once it has passed); `None` once closed.
    pub fn days_left(&self, today: NaiveDate) -> Option<i64> {
        self.closure.is_open().then(|| days(today, self.due_by))
    }

    /// Open, with a start date, and progress more than `points` below the straight line from
    /// start (0 %) to `dueBy` (100 %).
    pub fn behind_pace_by_more_than(&self, today: NaiveDate, points: u32) -> bool {
        let Some(start) = self.start else {
            return false;
        };
        let span = days(start, self.due_by);
        if !self.closure.is_open() || span <= 0 {
            return false;
        }
        let elapsed = days(start, today).clamp(0, span);
        // progress + points < 100 · elapsed / span, kept in integers so SQL can say the same.
        (i64::from(self.progress) + i64::from(points)) * span < 100 * elapsed
    }

    /// Behind pace enough for a yellow light.
    pub fn behind_pace(&self, today: &Today) -> bool {
        self.behind_pace_by_more_than(today.date, today.pace.yellow_points)
    }

    /// The item's own light, before any roll-up: RED overdue or far behind pace, YELLOW due
    /// soon or behind pace, GREEN other open, GREY closed.
    pub fn light(&self, today: &Today) -> Light {
        match self.deadline_state(today) {
            DeadlineState::Overdue => Light::Red,
            DeadlineState::DueSoon | DeadlineState::Upcoming
                if self.behind_pace_by_more_than(today.date, today.pace.red_points) =>
            {
                Light::Red
            }
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
mod tests;
