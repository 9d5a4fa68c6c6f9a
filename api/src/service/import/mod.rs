//! Importing a 督办台账 kept in Excel (docs/rules.md §8): the sheet is read ([`workbook`]), each row
//! checked ([`jiandu_domain::import`]), matched against the organisation's records ([`plan`]),
//! and only then written, all in one command: any row that cannot be imported fails the whole
//! import, which writes nothing, and a dry run stops before writing.

mod plan;
mod workbook;

use jiandu_domain::field;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use jiandu_domain::import::{Line, Problem, Reader, parent_state};
use jiandu_domain::{MilestoneStatus, ProjectOrigin, ProjectStatus, Zone};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

pub use self::workbook::{MAX_ROWS, Unreadable};
use super::kernel::command::{Audit, Command};
use super::{Actor, Ctx};
use crate::db::Event;
use crate::entity::{Stored, milestone, organization, person, progress_report, project, unit};
use crate::error::AppError;
use crate::service::kernel::audit::Action;
use crate::service::milestones;

/// What an import did, or with `dry_run` would do.
pub struct LedgerImport {
    pub dry_run: bool,
    pub projects_created: usize,
    pub milestones_created: usize,
    pub people_created: usize,
    pub units_created: usize,
    pub rows: Vec<RowOutcome>,
}

/// One row's outcome: its milestone created (with what else it brought: a project, a leader …)
/// or already there and left as it is.
pub struct RowOutcome {
    pub row: u32,
    pub created: bool,
    pub message: String,
}

/// Problems listed in the refusal; the rest are counted.
const PROBLEMS_SHOWN: usize = 50;

fn refusal(problems: Vec<Problem>) -> AppError {
    let count = problems.len();
    let mut listed: Vec<String> = problems
        .iter()
        .take(PROBLEMS_SHOWN)
        .map(Problem::to_string)
        .collect();
    if count > PROBLEMS_SHOWN {
        listed.push(format!("……另有{}处", count - PROBLEMS_SHOWN));
    }
    AppError::validation(
        field::FILE,
        format!(
            "nothing was imported: {count} cell(s) cannot be read — {}",
            listed.join("；")
        ),
    )
}

/// Why an import wrote nothing: cells that cannot be imported, a file that cannot be read as a
/// ledger, or a refusal (not allowed, the database busy).
pub enum Failure {
    Rows(Vec<Problem>),
    File(Unreadable),
    Refused(AppError),
}

impl From<AppError> for Failure {
    fn from(error: AppError) -> Self {
        Failure::Refused(error)
    }
}

/// Imports the ledger in `bytes` (an .xlsx) into the actor's organisation; the presidium only.
pub async fn import_ledger(
    ctx: &Ctx,
    actor: &Actor,
    bytes: Vec<u8>,
    dry_run: bool,
) -> Result<LedgerImport, AppError> {
    try_import(ctx, actor, bytes, dry_run)
        .await
        .map_err(|failure| match failure {
            Failure::Rows(problems) => refusal(problems),
            Failure::File(why) => AppError::validation(field::FILE, why.english()),
            Failure::Refused(error) => error,
        })
}

/// [`import_ledger`], with the cells that cannot be imported kept apart (for a page to list).
#[tracing::instrument(skip_all, fields(actor = %actor.username, dry_run))]
pub async fn try_import(
    ctx: &Ctx,
    actor: &Actor,
    bytes: Vec<u8>,
    dry_run: bool,
) -> Result<LedgerImport, Failure> {
    let organization = actor.organization_id();
    actor
        .access
        .check_manage(organization, "the ledger")
        .map_err(AppError::from)?;
    let sheet = tokio::task::spawn_blocking(move || workbook::read(&bytes))
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("the workbook reader stopped: {e}")))?
        .map_err(Failure::File)?;
    let today = actor.today_in(organization, ctx.now(), None);
    let reader = Reader::new(sheet.header_row, &sheet.header).map_err(Failure::Rows)?;
    let mut lines = Vec::with_capacity(sheet.rows.len());
    let mut problems = Vec::new();
    for (row, cells) in &sheet.rows {
        match reader.line(*row, cells, today) {
            Ok(line) => lines.push(line),
            Err(found) => problems.extend(found),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::Rows(problems));
    }
    if lines.is_empty() {
        return Err(Failure::File(Unreadable::NoRows));
    }

    let mut cmd = Command::begin(ctx, actor).await?;
    let known = known(&cmd, organization).await?;
    let plan = plan::plan(&lines, &known).map_err(Failure::Rows)?;
    let answer = LedgerImport {
        dry_run,
        projects_created: plan.projects.len(),
        milestones_created: plan.milestones.len(),
        people_created: plan.people.len(),
        units_created: plan.units.len(),
        rows: plan
            .rows
            .iter()
            .map(|row| RowOutcome {
                row: row.row,
                created: row.created,
                message: match (row.created, row.also.is_empty()) {
                    (false, _) => "已有此节点，未改动".into(),
                    (true, true) => "新建节点".into(),
                    (true, false) => format!("新建节点；{}", row.also.join("；")),
                },
            })
            .collect(),
    };
    if dry_run {
        // Dropped unfinished, the command writes nothing.
        return Ok(answer);
    }
    let zone = actor.zone_of(organization);
    write(&mut cmd, actor, organization, zone, &lines, plan).await?;
    Ok(cmd.finish(answer).await?)
}

/// The organisation's projects, their milestones, people and units, as an import matches them.
async fn known(cmd: &Command<'_>, organization: Uuid) -> Result<plan::Known, AppError> {
    let db = cmd.db();
    // Imports into one organisation take turns, so that two at once cannot both find a project
    // missing and both create it: on PostgreSQL the organisation's row is locked until this
    // command ends; SQLite writes one command at a time anyway.
    organization::Entity::find_by_id(organization)
        .lock_exclusive()
        .one(db)
        .await?;
    let projects: Vec<(Uuid, String, Stored<ProjectStatus>)> = project::Entity::find()
        .select_only()
        .columns([
            project::Column::Id,
            project::Column::Title,
            project::Column::Status,
        ])
        .filter(project::Column::OrganizationId.eq(organization))
        .into_tuple()
        .all(db)
        .await?;
    let milestones = milestone::Entity::find()
        .filter(milestone::Column::OrganizationId.eq(organization))
        .all(db)
        .await?
        .into_iter()
        .map(|m| plan::KnownMilestone {
            id: m.id,
            project_id: m.project_id,
            parent_id: m.parent_id,
            title: m.title,
            open: m.status.0.is_open(),
            is_item: m.is_item,
        })
        .collect();
    Ok(plan::Known {
        projects: projects
            .into_iter()
            .map(|(id, title, status)| (id, title, status.0.is_closed()))
            .collect(),
        milestones,
        people: person::Entity::find()
            .select_only()
            .columns([person::Column::Id, person::Column::Name])
            .filter(person::Column::OrganizationId.eq(organization))
            .into_tuple()
            .all(db)
            .await?,
        units: unit::Entity::find()
            .select_only()
            .columns([unit::Column::Id, unit::Column::Name])
            .filter(unit::Column::OrganizationId.eq(organization))
            .into_tuple()
            .all(db)
            .await?,
    })
}

/// Noon of `day` in `zone`: when a completion entered after the fact is placed.
fn noon(zone: Zone, day: NaiveDate) -> DateTime<Utc> {
    let noon = day.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
    zone.tz()
        .from_local_datetime(&noon)
        .earliest()
        .map_or_else(|| Utc.from_utc_datetime(&noon), |t| t.with_timezone(&Utc))
}

async fn write(
    cmd: &mut Command<'_>,
    actor: &Actor,
    organization: Uuid,
    zone: Zone,
    lines: &[Line],
    plan: plan::Plan,
) -> Result<(), AppError> {
    let now = cmd.now;
    let rules = cmd.rules().await?;
    let people: Vec<person::Model> = plan
        .people
        .into_iter()
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
        .into_iter()
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
        .into_iter()
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
    for chunk in reports.chunks(super::kernel::audit::ROWS_PER_INSERT) {
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
