//! A generated township's roster of deputies (in groups of eight, each linking a village or
//! two; a few county deputies, one in twenty no longer serving) and their year of visits to
//! constituents and trainings — every tenth with none, as 代表名册 marks. Generated after the rest
//! of the township, so the rest is the same data set as before the roster was.

use chrono::Datelike;
use rand::Rng;
use uuid::Uuid;

use jiandu_domain::deputies::{DeputyLevel, DutyActivityKind};

use super::{Generator, noon};
use crate::entity::deputy_profile::Villages;
use crate::entity::{Stored, deputy_profile, duty_activity, person};

/// Deputies on each township's roster (the benchmark's 30 × 40 a county).
pub(super) const DEPUTIES_PER_TOWN: usize = 40;

const VILLAGES: [&str; 12] = [
    "思蒙村",
    "红岩村",
    "白马村",
    "石桥村",
    "青龙村",
    "双河村",
    "金鸡村",
    "柏树村",
    "桂花村",
    "龙泉村",
    "新华村",
    "永丰村",
];

#[derive(Default)]
pub(super) struct Rows {
    /// The deputies beyond those the township's other records name.
    pub people: Vec<person::Model>,
    pub profiles: Vec<deputy_profile::Model>,
    pub activities: Vec<duty_activity::Model>,
}

/// The roster of a township — its `deputies` and more, to [`DEPUTIES_PER_TOWN`], in its
/// `units` — and their duties this year, logged by the presidium's `actor`.
pub(super) fn generate(
    g: &mut Generator,
    town: Uuid,
    deputies: &[Uuid],
    units: &[Uuid],
    actor: Uuid,
) -> Rows {
    let mut rows = Rows::default();
    let mut deputies = deputies.to_vec();
    for i in deputies.len()..DEPUTIES_PER_TOWN {
        let person = person::Model {
            id: g.id(),
            organization_id: town,
            name: format!("代表{}", i + 6),
            title: Some("人大代表".into()),
            unit_id: units.get(i % units.len().max(1)).copied(),
            created_at: g.now,
        };
        deputies.push(person.id);
        rows.people.push(person);
    }
    let first = chrono::NaiveDate::from_ymd_opt(g.today.year(), 1, 1).unwrap_or(g.today);
    for (i, &person) in deputies.iter().enumerate() {
        let village = |n: usize| VILLAGES[n % VILLAGES.len()].to_string();
        let villages = if i % 3 == 0 {
            vec![village(i), village(i + 1)]
        } else {
            vec![village(i)]
        };
        rows.profiles.push(deputy_profile::Model {
            id: g.id(),
            organization_id: town,
            person_id: person,
            level: Stored(if i % 8 == 7 {
                DeputyLevel::County
            } else {
                DeputyLevel::Township
            }),
            term: "第二届".into(),
            constituency: Some(format!("第{}选区", i / 2 + 1)),
            group_name: Some(format!("第{}代表小组", i / 8 + 1)),
            villages: Villages(villages.clone()),
            active: i % 20 != 19,
            version: 1,
            updated_at: g.now,
        });
        if i % 10 == 9 {
            continue;
        }
        let visits = g.rng.random_range(1..=6);
        let trainings = g.rng.random_range(0..=2);
        for n in 0..visits + trainings {
            let visit = n < visits;
            let on = g.day(-200, 0).max(first).min(g.today);
            let (village, linked) = match (visit, g.rng.random_range(0..5)) {
                (false, _) => (None, None),
                // Now and then a village the deputy does not link.
                (true, 0) => (
                    Some(village(i + 5)),
                    Some(villages.contains(&village(i + 5))),
                ),
                (true, _) => (Some(villages[0].clone()), Some(true)),
            };
            rows.activities.push(duty_activity::Model {
                id: g.id(),
                organization_id: town,
                deputy_id: person,
                kind: Stored(if visit {
                    DutyActivityKind::ConstituentVisit
                } else {
                    DutyActivityKind::Training
                }),
                held_on: on,
                village,
                village_linked: linked,
                topic: if visit {
                    "群众反映村道破损、路灯不亮".into()
                } else {
                    "镇人大代表履职能力培训".into()
                },
                people: visit.then(|| g.rng.random_range(3..40)),
                minutes: (!visit).then(|| g.rng.random_range(2..=8) * 30),
                suggestion_id: None,
                contact_id: None,
                created_by: actor,
                created_at: noon(on),
            });
        }
    }
    rows
}
