//! Roll-up of lights and progress up the milestone tree and to the project.

use std::collections::HashMap;
use std::hash::Hash;

use crate::deadline::{Closure, Light};

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
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn light(i: u8) -> Light {
        [Light::Grey, Light::Green, Light::Yellow, Light::Red][usize::from(i % 4)]
    }

    #[test]
    fn a_red_grandchild_turns_its_ancestors_red() {
        let nodes = [
            Node {
                id: 1,
                parent: None,
                light: Light::Green,
            },
            Node {
                id: 2,
                parent: Some(1),
                light: Light::Green,
            },
            Node {
                id: 3,
                parent: Some(2),
                light: Light::Red,
            },
            Node {
                id: 4,
                parent: Some(1),
                light: Light::Yellow,
            },
            Node {
                id: 5,
                parent: None,
                light: Light::Grey,
            },
        ];
        let rolled = roll_up_lights(&nodes);
        assert_eq!(rolled[&1], Light::Red);
        assert_eq!(rolled[&2], Light::Red);
        assert_eq!(rolled[&4], Light::Yellow);
        assert_eq!(rolled[&5], Light::Grey);
    }

    #[test]
    fn a_closed_project_is_grey_and_an_open_one_at_least_green() {
        assert_eq!(project_light(true, [Light::Red]), Light::Grey);
        assert_eq!(project_light(false, []), Light::Green);
        assert_eq!(project_light(false, [Light::Grey]), Light::Green);
        assert_eq!(project_light(false, [Light::Green, Light::Red]), Light::Red);
    }

    #[test]
    fn parent_progress_is_the_weighted_mean_with_done_as_100() {
        let open = |progress, weight| Share {
            progress,
            weight,
            closure: Closure::Open,
        };
        assert_eq!(mean_progress([open(0, 1), open(50, 1)]), Some(25));
        assert_eq!(mean_progress([open(0, 1), open(50, 3)]), Some(38));
        let done = Share {
            progress: 40,
            weight: 1,
            closure: Closure::Done("2026-01-01".parse().unwrap()),
        };
        assert_eq!(mean_progress([done, open(0, 1)]), Some(50));
        let cancelled = Share {
            closure: Closure::Cancelled,
            ..open(0, 5)
        };
        assert_eq!(mean_progress([cancelled, open(80, 1)]), Some(80));
        assert_eq!(mean_progress([cancelled]), None);
    }

    proptest! {
        #[test]
        fn a_parent_is_never_lighter_than_any_child(
            shape in proptest::collection::vec((any::<u8>(), any::<u8>()), 1..60)
        ) {
            // Node i's parent is some earlier node (or none), so the input is always a forest.
            let nodes: Vec<Node<usize>> = shape
                .iter()
                .enumerate()
                .map(|(i, &(p, l))| Node {
                    id: i,
                    parent: (i > 0 && p % 3 != 0).then(|| usize::from(p) % i),
                    light: light(l),
                })
                .collect();
            let rolled = roll_up_lights(&nodes);
            for node in &nodes {
                prop_assert!(rolled[&node.id] >= node.light);
                if let Some(parent) = node.parent {
                    prop_assert!(rolled[&parent] >= rolled[&node.id]);
                }
            }
        }

        #[test]
        fn mean_progress_stays_between_its_children(
            children in proptest::collection::vec((0u8..=100, 1u32..10), 1..20)
        ) {
            let shares = children.iter().map(|&(progress, weight)| Share { progress, weight, closure: Closure::Open });
            let mean = mean_progress(shares).unwrap();
            let min = children.iter().map(|c| c.0).min().unwrap();
            let max = children.iter().map(|c| c.0).max().unwrap();
            prop_assert!(min <= mean && mean <= max);
        }
    }
}

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
mod count_tests {
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
}
