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

/// How many items are in each deadline state (`MilestoneCounts` in the API).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: u64,
    pub open: u64,
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
}

impl Counts {
    /// Counts items by their deadline state and status.
    pub fn tally(
        items: impl IntoIterator<Item = (crate::DeadlineState, crate::MilestoneStatus)>,
    ) -> Counts {
        let mut counts = Counts::default();
        for (state, status) in items {
            counts.add(state, 1);
            counts.add_status(status, 1);
        }
        counts
    }

    /// Counts `n` more items in `status`, for the sign-off figures.
    pub fn add_status(&mut self, status: crate::MilestoneStatus, n: u64) {
        use crate::MilestoneStatus as S;
        match status {
            S::Done | S::Verified => self.pending_sign_off += n,
            S::Closed => self.closed += n,
            S::NotStarted | S::InProgress | S::Cancelled => {}
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
    }

    /// Counts `n` more items in `state` (SQL aggregates hand over one number per state).
    pub fn add(&mut self, state: crate::DeadlineState, n: u64) {
        use crate::DeadlineState as S;
        self.total += n;
        match state {
            S::Upcoming => self.open += n,
            S::DueSoon => {
                self.open += n;
                self.due_soon += n;
            }
            S::Overdue => {
                self.open += n;
                self.overdue += n;
            }
            S::DoneOnTime => {
                self.done += n;
                self.done_on_time += n;
            }
            S::DoneLate => {
                self.done += n;
                self.done_late += n;
            }
            S::Cancelled => self.cancelled += n,
        }
    }

    /// Done on time as a share of done, 0..1; `None` while nothing is done.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.done > 0).then(|| self.done_on_time as f64 / self.done as f64)
    }
}

#[cfg(test)]
mod count_tests {
    use super::*;
    use crate::DeadlineState as S;

    #[test]
    fn counts_split_open_done_and_cancelled() {
        use crate::MilestoneStatus as M;
        let counts = Counts::tally([
            (S::Overdue, M::InProgress),
            (S::DueSoon, M::NotStarted),
            (S::Upcoming, M::InProgress),
            (S::DoneOnTime, M::Done),
            (S::DoneLate, M::Verified),
            (S::DoneOnTime, M::Closed),
            (S::Cancelled, M::Cancelled),
        ]);
        assert_eq!(counts.total, 7);
        assert_eq!((counts.open, counts.overdue, counts.due_soon), (3, 1, 1));
        assert_eq!(
            (counts.done, counts.done_on_time, counts.done_late),
            (3, 2, 1)
        );
        assert_eq!(counts.cancelled, 1);
        assert_eq!((counts.pending_sign_off, counts.closed), (2, 1));
        assert!((counts.on_time_rate().unwrap() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(Counts::default().on_time_rate(), None);
    }
}
