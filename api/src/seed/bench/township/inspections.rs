//! A generated project's inspection: a deputies' visit with up to three findings, some of them
//! resolved, drawn from the generator in a fixed order.

use chrono::Duration;
use rand::Rng;
use uuid::Uuid;

use jiandu_domain::{FindingStatus, Rating};

use crate::entity::{Stored, finding, inspection, inspection_participant};
use crate::seed::bench::{Generator, noon};

use super::{KINDS, Rows, Town};

/// A deputies' inspection of the project with up to three findings, some resolved.
pub(super) fn inspection(g: &mut Generator, town: &Town, rows: &mut Rows, project: Uuid, p: usize) {
    let id = g.id();
    let visited_on = g.day(-200, -1);
    rows.inspections.push(inspection::Model {
        id,
        organization_id: town.id,
        kind: Stored(KINDS[p % KINDS.len()]),
        project_id: Some(project),
        topic: None,
        visited_on,
        location: None,
        summary: "代表视察项目推进情况".into(),
        rating: Some(Stored(Rating::BasicallySatisfied)),
        recorded_by: town.actor,
        recorded_at: g.now,
    });
    for deputy in town.deputies.iter().take(3) {
        rows.participants.push(inspection_participant::Model {
            inspection_id: id,
            person_id: *deputy,
        });
    }
    for _ in 0..g.rng.random_range(0..4) {
        let deadline = visited_on + Duration::days(g.rng.random_range(7..90));
        let resolved = deadline < g.today && g.rng.random_bool(0.7);
        let resolved_on =
            resolved.then(|| (deadline + Duration::days(g.rng.random_range(-5..10))).min(g.today));
        rows.findings.push(finding::Model {
            id: g.id(),
            organization_id: town.id,
            inspection_id: id,
            project_id: Some(project),
            milestone_id: None,
            description: "施工现场安全防护不到位".into(),
            responsible_leader_id: town.leaders[g.rng.random_range(0..town.leaders.len())],
            responsible_unit_id: town.units[g.rng.random_range(0..town.units.len())],
            deadline,
            original_deadline: deadline,
            on_time_deadline: deadline,
            due_by: deadline,
            on_time_due_by: deadline,
            times_rescheduled: 0,
            status: Stored(if resolved {
                FindingStatus::Resolved
            } else {
                FindingStatus::Open
            }),
            resolution: resolved.then(|| "已整改".to_string()),
            resolved_at: resolved_on.map(noon),
            resolved_on,
            resolved_by: resolved.then_some(town.actor),
            verification_note: None,
            historical: false,
            version: 1,
            created_at: g.now,
            updated_at: g.now,
        });
    }
}
