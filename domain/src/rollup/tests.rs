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
