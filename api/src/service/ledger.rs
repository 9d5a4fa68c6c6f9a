//! The supervision ledger (督办台账): every milestone with its project, leader, unit, deadlines,
//! state and latest progress note, and every finding, as of a day — the rows the spreadsheet and
//! CSV exports print.

use std::collections::HashMap;

use chrono::NaiveDate;
use jiandu_domain::{DeadlineState, InspectionKind, Light};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use uuid::Uuid;

use super::views::{FindingView, MilestoneView};
use super::{Actor, Ctx};
use crate::entity::{finding, inspection, milestone, person, progress_report, project, unit};
use crate::error::AppError;
use crate::service::views;

pub struct MilestoneRow {
    pub project: String,
    pub milestone: MilestoneView,
    pub parent: Option<String>,
    pub leader: String,
    pub unit: String,
    pub person: Option<String>,
    pub state: DeadlineState,
    pub light: Light,
    pub days_overdue: i64,
    pub last_note: Option<String>,
}

pub struct FindingRow {
    pub project: Option<String>,
    pub inspection_kind: InspectionKind,
    pub inspected_on: NaiveDate,
    pub finding: FindingView,
    pub leader: String,
    pub unit: String,
    pub state: DeadlineState,
    pub light: Light,
    pub days_overdue: i64,
}

pub struct Ledger {
    /// The day states are judged on, in the asked organisation's zone.
    pub as_of: NaiveDate,
    pub milestones: Vec<MilestoneRow>,
    pub findings: Vec<FindingRow>,
}

/// The ledger of `organization_id` (the actor's own when absent) and those below it, or of one
/// project.
#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn ledger(
    ctx: &Ctx,
    actor: &Actor,
    organization_id: Option<Uuid>,
    project_id: Option<Uuid>,
    as_of: Option<NaiveDate>,
) -> Result<Ledger, AppError> {
    let db = ctx.db.conn();
    let root = organization_id.unwrap_or(actor.organization_id());
    let readable = actor.reads(Some(root))?;
    let mut projects = readable.select::<project::Entity>();
    if let Some(id) = project_id {
        projects = projects.filter(project::Column::Id.eq(id));
    }
    let projects = projects
        .order_by_asc(project::Column::CreatedAt)
        .all(db)
        .await?;
    if project_id.is_some() && projects.is_empty() {
        return Err(AppError::not_found("project"));
    }
    let project_ids: Vec<Uuid> = projects.iter().map(|p| p.id).collect();
    let order: HashMap<Uuid, usize> = project_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();
    let titles: HashMap<Uuid, String> = projects.into_iter().map(|p| (p.id, p.title)).collect();

    // Selected by organisation (and project), never by lists of ids: a county holds more
    // milestones than a statement may carry parameters.
    let mut milestones_query = readable.select::<milestone::Entity>();
    let mut findings_query = readable.select::<finding::Entity>();
    if let Some(id) = project_id {
        milestones_query = milestones_query.filter(milestone::Column::ProjectId.eq(id));
        findings_query = findings_query.filter(finding::Column::ProjectId.eq(id));
    }
    let milestone_ids = milestones_query
        .clone()
        .select_only()
        .column(milestone::Column::Id)
        .into_query();
    let inspection_ids = findings_query
        .clone()
        .select_only()
        .column(finding::Column::InspectionId)
        .into_query();
    let milestones = views::all(
        milestones_query
            .order_by_asc(milestone::Column::Deadline)
            .order_by_asc(milestone::Column::Title),
        db,
    )
    .await?;
    let findings = views::all(findings_query.order_by_asc(finding::Column::Deadline), db).await?;

    let people: HashMap<Uuid, String> = readable
        .select::<person::Entity>()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let units: HashMap<Uuid, String> = readable
        .select::<unit::Entity>()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut notes: HashMap<Uuid, String> = HashMap::new();
    for report in progress_report::Entity::find()
        .filter(progress_report::Column::MilestoneId.in_subquery(milestone_ids))
        .filter(progress_report::Column::Note.is_not_null())
        .order_by_asc(progress_report::Column::ReportedAt)
        .order_by_asc(progress_report::Column::Id)
        .all(db)
        .await?
    {
        if let Some(note) = report.note {
            notes.insert(report.milestone_id, note);
        }
    }
    let inspections: HashMap<Uuid, (InspectionKind, NaiveDate)> = readable
        .select::<inspection::Entity>()
        .filter(inspection::Column::Id.in_subquery(inspection_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, (i.kind.0, i.visited_on)))
        .collect();
    let titles_by_id: HashMap<Uuid, String> =
        milestones.iter().map(|m| (m.id, m.title.clone())).collect();

    let now = ctx.now();
    let due_soon_days = ctx.settings.due_soon_days;
    let name =
        |names: &HashMap<Uuid, String>, id: Uuid| names.get(&id).cloned().unwrap_or_default();
    let mut milestone_rows: Vec<MilestoneRow> = milestones
        .into_iter()
        .map(|m| {
            let today = actor.today_in(m.organization_id, now, as_of);
            let tracked = m.tracked();
            MilestoneRow {
                project: name(&titles, m.project_id),
                parent: m.parent_id.and_then(|id| titles_by_id.get(&id).cloned()),
                leader: name(&people, m.responsible_leader_id),
                unit: name(&units, m.responsible_unit_id),
                person: m.responsible_person_id.map(|id| name(&people, id)),
                state: tracked.deadline_state(today, due_soon_days),
                light: tracked.light(today, due_soon_days),
                days_overdue: tracked.days_overdue(today),
                last_note: notes.remove(&m.id),
                milestone: m,
            }
        })
        .collect();
    // Project by project (in the order they were created), each by deadline.
    milestone_rows.sort_by_key(|row| order.get(&row.milestone.project_id).copied());
    let finding_rows = findings
        .into_iter()
        .filter_map(|f| {
            let today = actor.today_in(f.organization_id, now, as_of);
            let tracked = f.tracked();
            let (inspection_kind, inspected_on) = *inspections.get(&f.inspection_id)?;
            Some(FindingRow {
                project: f.project_id.map(|id| name(&titles, id)),
                inspection_kind,
                inspected_on,
                leader: name(&people, f.responsible_leader_id),
                unit: name(&units, f.responsible_unit_id),
                state: tracked.deadline_state(today, due_soon_days),
                light: tracked.light(today, due_soon_days),
                days_overdue: tracked.days_overdue(today),
                finding: f,
            })
        })
        .collect();
    Ok(Ledger {
        as_of: actor.today_in(root, now, as_of),
        milestones: milestone_rows,
        findings: finding_rows,
    })
}
