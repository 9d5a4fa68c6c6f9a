//! Roll-up of lights and progress up the milestone tree and to the project.

use std::collections::HashMap;
use std::hash::Hash;

use crate::deadline::Light;
use crate::status::Closure;

/// One node of a milestone tree with its own (not yet rolled-up) light.
#[derive(Debug, Clone, Copy)]
pub struct Node<K> {
    pub id: K,
    pub parent: Option<K>,
    pub light: Light,
}

/// Each node's light is the worst of its own and its descendants'. Closed descendants are GREY, the
/// best light, so only open ones can make a parent worse.
pub fn roll_up_lights<K: Copy + Eq + Hash>(nodes: &[Node<K>]) -> HashMap<K, Light> {
    let parents: HashMap<K, Option<K>> = nodes.iter().map(|n| (n.id, n.parent)).collect();
    let mut rolled: HashMap<K, Light> = nodes.iter().map(|n| (n.id, n.light)).collect();
    for node in nodes {
        let mut parent = node.parent;
        // A tree never has a path longer than its size; the bound guards against a corrupt cycle.
        for _ in 0..nodes.len() {
            let Some(id) = parent else { break };
            let Some(light) = rolled.get_mut(&id) else {
                break;
            };
            *light = (*light).max(node.light);
            parent = parents.get(&id).copied().flatten();
        }
    }
    rolled
}

/// A project's light: GREY once it is completed or cancelled, otherwise the worst of its
/// milestones' (and open findings') lights, and at least GREEN.
pub fn project_light(project_closed: bool, lights: impl IntoIterator<Item = Light>) -> Light {
    if project_closed {
        return Light::Grey;
    }
    lights.into_iter().fold(Light::Green, Light::max)
}

/// One child's share in its parent's progress.
#[derive(Debug, Clone, Copy)]
pub struct Share {
    pub progress: u8,
    pub weight: u32,
    pub closure: Closure,
}

/// The weighted mean progress of `children`, rounded half up; done counts as 100 and cancelled
/// children do not count. `None` when no child counts.
pub fn mean_progress(children: impl IntoIterator<Item = Share>) -> Option<u8> {
    let (sum, weights) = children
        .into_iter()
        .filter(|c| c.closure != Closure::Cancelled && c.weight > 0)
        .fold((0u64, 0u64), |(sum, weights), c| {
            let progress = match c.closure {
                Closure::Done(_) => 100,
                _ => u64::from(c.progress.min(100)),
            };
            (
                sum + progress * u64::from(c.weight),
                weights + u64::from(c.weight),
            )
        });
    (weights > 0).then(|| u8::try_from((sum * 2 + weights) / (weights * 2)).unwrap_or(100))
}

#[cfg(test)]
mod tests;

/// How many supervised items (leaf milestones, 督办事项) are in each state (`MilestoneCounts` in
/// the API), counted one way everywhere (docs/rules.md §3): an item is 办结 once signed off, or once
/// reported done where the organisation does not require sign-off; 按期办结率 is the items
/// concluded by their on-time due day among those whose on-time due day has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: u64,
    pub open: u64,
    /// 办结: concluded (see above).
    pub done: u64,
    pub done_on_time: u64,
    pub done_late: u64,
    pub overdue: u64,
    pub due_soon: u64,
    pub cancelled: u64,
    /// Reported done or checked, waiting for the presidium's sign-off.
    pub pending_sign_off: u64,
    /// Signed off (已销号).
    pub closed: u64,
    /// Items whose on-time due day has come (CANCELLED excluded): the rate's denominator.
    pub due: u64,
    /// Of those, concluded with a completion on or before that day: its numerator.
    pub closed_on_time: u64,
}

/// One item as counted: its time facts and status.
#[derive(Debug, Clone, Copy)]
pub struct Counted {
    pub tracked: crate::Tracked,
    pub status: crate::MilestoneStatus,
}

/// What [`Counts`] counts, one number each: the twin of the SQL aggregate's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    Total,
    Upcoming,
    DueSoon,
    Overdue,
    ConcludedOnTime,
    ConcludedLate,
    Cancelled,
    PendingSignOff,
    Closed,
    Due,
    DueConcludedOnTime,
}

impl Tally {
    pub const ALL: [Tally; 11] = [
        Tally::Total,
        Tally::Upcoming,
        Tally::DueSoon,
        Tally::Overdue,
        Tally::ConcludedOnTime,
        Tally::ConcludedLate,
        Tally::Cancelled,
        Tally::PendingSignOff,
        Tally::Closed,
        Tally::Due,
        Tally::DueConcludedOnTime,
    ];

    /// Whether `item` is counted here on `today`.
    pub fn holds(self, item: &Counted, today: &crate::Today) -> bool {
        use crate::{DeadlineState as D, MilestoneStatus as M};
        let state = item.tracked.deadline_state(today);
        let concluded = today.concluded().contains(&item.status);
        let due = item.status != M::Cancelled && item.tracked.on_time_due_by <= today.date;
        match self {
            Tally::Total => true,
            Tally::Upcoming => state == D::Upcoming,
            Tally::DueSoon => state == D::DueSoon,
            Tally::Overdue => state == D::Overdue,
            Tally::ConcludedOnTime => concluded && state == D::DoneOnTime,
            Tally::ConcludedLate => concluded && state == D::DoneLate,
            Tally::Cancelled => state == D::Cancelled,
            Tally::PendingSignOff => matches!(item.status, M::Done | M::Verified),
            Tally::Closed => item.status == M::Closed,
            Tally::Due => due,
            Tally::DueConcludedOnTime => due && concluded && state == D::DoneOnTime,
        }
    }
}

impl Counts {
    /// Counts items as the organisation's rules see them on `today`.
    pub fn tally<'a>(items: impl IntoIterator<Item = &'a Counted>, today: &crate::Today) -> Counts {
        let mut numbers = [0u64; Tally::ALL.len()];
        for item in items {
            for (n, tally) in numbers.iter_mut().zip(Tally::ALL) {
                *n += u64::from(tally.holds(item, today));
            }
        }
        Counts::from_numbers(&numbers)
    }

    /// Counts from one number per [`Tally`], in [`Tally::ALL`] order (what the SQL aggregate
    /// hands over).
    pub fn from_numbers(numbers: &[u64]) -> Counts {
        let n = |tally: Tally| {
            Tally::ALL
                .iter()
                .position(|t| *t == tally)
                .and_then(|i| numbers.get(i))
                .copied()
                .unwrap_or(0)
        };
        Counts {
            total: n(Tally::Total),
            open: n(Tally::Upcoming) + n(Tally::DueSoon) + n(Tally::Overdue),
            done: n(Tally::ConcludedOnTime) + n(Tally::ConcludedLate),
            done_on_time: n(Tally::ConcludedOnTime),
            done_late: n(Tally::ConcludedLate),
            overdue: n(Tally::Overdue),
            due_soon: n(Tally::DueSoon),
            cancelled: n(Tally::Cancelled),
            pending_sign_off: n(Tally::PendingSignOff),
            closed: n(Tally::Closed),
            due: n(Tally::Due),
            closed_on_time: n(Tally::DueConcludedOnTime),
        }
    }

    /// Adds another group's counts (a township's to its county's).
    pub fn merge(&mut self, other: &Counts) {
        self.total += other.total;
        self.open += other.open;
        self.done += other.done;
        self.done_on_time += other.done_on_time;
        self.done_late += other.done_late;
        self.overdue += other.overdue;
        self.due_soon += other.due_soon;
        self.cancelled += other.cancelled;
        self.pending_sign_off += other.pending_sign_off;
        self.closed += other.closed;
        self.due += other.due;
        self.closed_on_time += other.closed_on_time;
    }

    /// 按期办结率: concluded by the on-time due day ÷ items whose on-time due day has come, 0..1;
    /// `None` while none has come.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.due > 0).then(|| self.closed_on_time as f64 / self.due as f64)
    }
}

#[cfg(test)]
mod count_tests;
