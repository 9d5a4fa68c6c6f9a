//! Writing an import's plan in the command it was decided in: the people, units and projects
//! the rows name anew, then the milestones parents first, each row's progress and completion as
//! the ledger gives it, and one history event a row.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use jiandu_domain::import::{Line, parent_state};
use jiandu_domain::{MilestoneStatus, ProjectOrigin, ProjectStatus, Zone};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::db::Event;
use crate::entity::{Stored, milestone, person, progress_report, project, unit};
use crate::error::AppError;
use crate::service::Actor;
use crate::service::kernel::audit::Action;
use crate::service::kernel::command::{Audit, Command};
use crate::service::milestones;

use super::plan;

/// Noon of `day` in `zone`: when a completion entered after the fact is placed.
pub(super) fn noon(zone: Zone, day: NaiveDate) -> DateTime<Utc> {
    let noon = day.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
    zone.tz()
        .from_local_datetime(&noon)
        .earliest()
        .map_or_else(|| Utc.from_utc_datetime(&noon), |t| t.with_timezone(&Utc))
}

pub(super) async fn write(
    cmd: &mut Command<'_>,
    actor: &Actor,
    organization: Uuid,
    zone: Zone,
    lines: &[Line],
    plan: &plan::Plan,
    today: chrono::NaiveDate,
) -> Result<(), AppError> {
    let now = cmd.now;
    let rules = cmd.rules().await?;
    let people: Vec<person::Model> = plan
        .people
        .iter()
        .cloned()
        .map(|(id, name)| person::Model {
            id,
            organization_id: organization,
            name,
            title: None,
            unit_id: None,
            created_at: now,
        })
        .collect();
    cmd.create_many::<person::Entity>(&people, Audit::new(Action::PersonImport))
        .await?;
    let units: Vec<unit::Model> = plan
        .units
        .iter()
        .cloned()
        .map(|(id, name)| unit::Model {
            id,
            organization_id: organization,
            name,
            created_at: now,
            head_id: None,
        })
        .collect();
    cmd.create_many::<unit::Entity>(&units, Audit::new(Action::UnitImport))
        .await?;
    let projects: Vec<project::Model> = plan
        .projects
        .iter()
        .cloned()
        .map(|(id, title)| project::Model {
            id,
            organization_id: organization,
            title,
            description: None,
            origin: Stored(ProjectOrigin::Other),
            location: None,
            construction: false,
            status: Stored(ProjectStatus::Planned),
            lead_leader_id: None,
            planned_start: None,
            planned_end: None,
            completed_on: None,
            version: 1,
            created_at: now,
            updated_at: now,
        })
        .collect();
    cmd.create_many::<project::Entity>(&projects, Audit::new(Action::ProjectImport))
        .await?;

    // A parent only named takes its children's latest deadline, and is finished when they all are.
    let mut latest: HashMap<Uuid, NaiveDate> = HashMap::new();
    let mut children: HashMap<Uuid, Vec<(MilestoneStatus, Option<NaiveDate>)>> = HashMap::new();
    for node in &plan.milestones {
        if let (Some(parent), Some(line)) = (node.parent_id, node.line) {
            let line = &lines[line];
            latest
                .entry(parent)
                .and_modify(|d| *d = (*d).max(line.deadline))
                .or_insert(line.deadline);
            children
                .entry(parent)
                .or_default()
                .push((line.status, line.completed_on));
        }
    }
    let mut notes = Vec::new();
    // Parents whose progress comes from their children once these are in.
    let mut summed: Vec<(usize, Uuid)> = Vec::new();
    let mut rows = Vec::with_capacity(plan.milestones.len());
    for node in &plan.milestones {
        let line = node.line.map(|i| &lines[i]);
        let deadline = line
            .map(|l| l.deadline)
            .or_else(|| latest.get(&node.id).copied())
            .unwrap_or_else(|| zone.date_of(now));
        let on_time = line.map_or(deadline, |l| l.on_time_deadline);
        let (status, completed_on) = match line {
            Some(line) => (line.status, line.completed_on),
            None => parent_state(children.get(&node.id).map_or(&[][..], Vec::as_slice)),
        };
        let finished = MilestoneStatus::FINISHED.contains(&status);
        let progress = line.and_then(|l| l.progress);
        if !node.is_item && progress.is_none() && status.is_open() {
            summed.push((node.depth, node.id));
        }
        if let Some(note) = line.and_then(|l| l.note.clone()) {
            notes.push((node.id, note));
        }
        rows.push(milestone::Model {
            id: node.id,
            organization_id: organization,
            project_id: node.project_id,
            parent_id: node.parent_id,
            title: node.title.clone(),
            description: None,
            responsible_leader_id: node.leader_id,
            responsible_unit_id: node.unit_id,
            responsible_person_id: node.person_id,
            start_date: line.and_then(|l| l.start),
            deadline,
            original_deadline: line.map_or(deadline, |l| l.original_deadline),
            on_time_deadline: on_time,
            due_by: rules.due_by(organization, deadline),
            on_time_due_by: rules.due_by(organization, on_time),
            is_item: node.is_item,
            times_rescheduled: line.map_or(0, |l| i32::try_from(l.times_rescheduled).unwrap_or(0)),
            status: Stored(status),
            progress: i32::from(progress.unwrap_or(if finished { 100 } else { 0 })),
            weight: 1,
            completed_at: completed_on.map(|day| noon(zone, day)),
            completed_on,
            completed_by: finished.then(|| actor.user_id()),
            completion_backdated: line.is_some_and(|l| l.backdated),
            signed_off_by: (status == MilestoneStatus::Closed).then(|| actor.user_id()),
            signed_off_at: (status == MilestoneStatus::Closed).then_some(now),
            // History is not an emergency: quiet until the presidium confirms it.
            historical: node.is_item && status.is_open() && deadline < today,
            long_term: line.is_some_and(|l| l.long_term),
            version: 1,
            created_at: now,
            updated_at: now,
        });
    }
    cmd.create_many::<milestone::Entity>(&rows, Audit::new(Action::MilestoneImport))
        .await?;
    let progress_of: HashMap<Uuid, i32> = rows.iter().map(|m| (m.id, m.progress)).collect();
    let reports: Vec<progress_report::ActiveModel> = notes
        .into_iter()
        .map(|(id, note)| {
            sea_orm::IntoActiveModel::into_active_model(progress_report::Model {
                id: jiandu_domain::new_id(),
                milestone_id: id,
                progress: progress_of.get(&id).copied().unwrap_or(0),
                note: Some(note),
                reported_by: actor.user_id(),
                reported_at: now,
            })
        })
        .collect();
    for chunk in reports.chunks(crate::service::kernel::audit::ROWS_PER_INSERT) {
        progress_report::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(cmd.db())
            .await?;
    }
    if !plan.new_parents.is_empty() {
        // Milestones already there now sum up their new children; derived, so their versions
        // stay as they are (as when a child is added by hand).
        milestone::Entity::update_many()
            .col_expr(milestone::Column::IsItem, Expr::value(false))
            .filter(milestone::Column::Id.is_in(plan.new_parents.iter().copied()))
            .exec(cmd.db())
            .await?;
        for &id in &plan.new_parents {
            summed.push((usize::MAX, id));
            cmd.announce(Event::MilestoneChanged {
                milestone: id,
                organization,
            });
        }
    }
    // Deepest first, so that a parent sums children already summed.
    summed.sort_by_key(|(depth, _)| std::cmp::Reverse(*depth));
    let mut done = HashSet::new();
    for (_, id) in summed {
        if done.insert(id) {
            milestones::refresh_ancestors(cmd, Some(id)).await?;
        }
    }
    Ok(())
}
