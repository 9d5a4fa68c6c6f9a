//! Milestones (推进时间节点): the tree a project is split into, with a responsible leader, unit
//! and deadline each, and their whole life: progress reports, reschedules, completion,
//! verification and cancellation.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use jiandu_domain::status::MilestoneAction;
use jiandu_domain::validate::{self, limits};
use jiandu_domain::{DeadlineState, MilestoneStatus, Text};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
    TryIntoModel,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::audit::{self, Change};
use super::projects::check_person;
use super::views::MilestoneView;
use super::{Actor, Ctx};
use crate::entity::{deadline_change, milestone, progress_report, project, unit};
use crate::error::AppError;

/// How deep a milestone tree may grow: project → task → sub-task → step.
const MAX_DEPTH: usize = 4;

pub struct NewMilestone {
    pub project_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub title: String,
    pub description: Option<String>,
    pub responsible_leader_id: Uuid,
    pub responsible_unit_id: Uuid,
    pub responsible_person_id: Option<Uuid>,
    pub start_date: Option<NaiveDate>,
    pub deadline: NaiveDate,
    pub weight: Option<i64>,
}

/// Changes to a milestone; for clearable fields `Some(None)` clears and `None` keeps.
#[derive(Default)]
pub struct MilestoneChanges {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub responsible_leader_id: Option<Uuid>,
    pub responsible_unit_id: Option<Uuid>,
    pub responsible_person_id: Option<Option<Uuid>>,
    pub start_date: Option<Option<NaiveDate>>,
}

#[derive(Default, Clone)]
pub struct MilestoneFilter {
    pub organization_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub leader_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub status: Option<Vec<MilestoneStatus>>,
    pub deadline_state: Option<Vec<DeadlineState>>,
    pub deadline_from: Option<NaiveDate>,
    pub deadline_to: Option<NaiveDate>,
    pub as_of: Option<NaiveDate>,
}

/// The sort key of milestone lists: deadline, then title, then id.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MilestoneKey(NaiveDate, String, Uuid);

fn key(m: &MilestoneView) -> MilestoneKey {
    MilestoneKey(m.deadline, m.title.clone(), m.id)
}

pub(super) async fn check_unit(
    db: &impl ConnectionTrait,
    organization_id: Uuid,
    unit_id: Uuid,
) -> Result<(), AppError> {
    let found = unit::Entity::find_by_id(unit_id).one(db).await?;
    if found.is_some_and(|u| u.organization_id == organization_id) {
        Ok(())
    } else {
        Err(AppError::validation(
            "responsibleUnitId",
            "no such unit in this organisation",
        ))
    }
}

/// Loads a milestone the actor may read, inside a write transaction.
async fn load(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<milestone::Model, AppError> {
    milestone::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|m| actor.scope.can_read(m.organization_id))
        .ok_or_else(|| AppError::not_found("milestone"))
}

/// What a change to a milestone records besides the row itself.
struct Record<'a> {
    action: &'static str,
    /// Remarks kept with the new state in the audit event (a note, a reason).
    remarks: &'a [(&'a str, Option<&'a str>)],
    /// Whether status or progress changed, so the ancestors' progress is worked out again.
    rolls_up: bool,
}

/// Writes `next` if nobody changed the milestone since `expected_version`, refreshes the
/// ancestors' progress when it may have moved, and records the change with `before`.
#[allow(clippy::too_many_arguments)]
async fn save(
    db: &impl ConnectionTrait,
    actor: &Actor,
    before: &MilestoneView,
    mut next: milestone::ActiveModel,
    expected_version: i32,
    now: DateTime<Utc>,
    record: Record<'_>,
) -> Result<MilestoneView, AppError> {
    next.version = Set(expected_version + 1);
    let updated = milestone::Entity::update_many()
        .set(next.clone())
        .filter(milestone::Column::Id.eq(before.id))
        .filter(milestone::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::stale("the milestone"));
    }
    let after = MilestoneView::try_from(next.try_into_model()?)?;
    if record.rolls_up {
        refresh_ancestors(db, before.parent_id).await?;
    }
    audit::record(
        db,
        Some(actor.user_id()),
        now,
        Change {
            organization_id: before.organization_id,
            action: record.action,
            entity_type: "Milestone",
            entity_id: before.id,
            before: audit::snapshot(before),
            after: snapshot_with(&after, record.remarks),
        },
    )
    .await?;
    Ok(after)
}

/// How many of a milestone's sub-milestones are still open.
async fn open_children(db: &impl ConnectionTrait, id: Uuid) -> Result<usize, AppError> {
    Ok(children(db, id)
        .await?
        .iter()
        .filter(|c| {
            c.status
                .parse::<MilestoneStatus>()
                .is_ok_and(MilestoneStatus::is_open)
        })
        .count())
}

fn check_version(current: &milestone::Model, expected_version: i32) -> Result<(), AppError> {
    if current.version == expected_version {
        Ok(())
    } else {
        Err(AppError::stale("the milestone"))
    }
}

async fn children(
    db: &impl ConnectionTrait,
    parent_id: Uuid,
) -> Result<Vec<milestone::Model>, AppError> {
    Ok(milestone::Entity::find()
        .filter(milestone::Column::ParentId.eq(parent_id))
        .all(db)
        .await?)
}

/// Recomputes the progress of every ancestor from its children, bottom up.
async fn refresh_ancestors(
    db: &impl ConnectionTrait,
    mut parent_id: Option<Uuid>,
) -> Result<(), AppError> {
    for _ in 0..MAX_DEPTH {
        let Some(id) = parent_id else { break };
        let Some(parent) = milestone::Entity::find_by_id(id).one(db).await? else {
            break;
        };
        let shares = children(db, id)
            .await?
            .into_iter()
            .map(|c| {
                MilestoneView::try_from(c).map(|v| jiandu_domain::rollup::Share {
                    progress: v.progress,
                    weight: v.weight,
                    closure: v.status.closure(v.completed_on),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let status: MilestoneStatus = parent.status.parse()?;
        if let Some(mean) = jiandu_domain::rollup::mean_progress(shares)
            && status.is_open()
            && i32::from(mean) != parent.progress
        {
            let mut next = parent.clone().into_active_model();
            next.progress = Set(i32::from(mean));
            if status == MilestoneStatus::NotStarted && mean > 0 {
                next.status = Set(MilestoneStatus::InProgress.as_str().to_string());
            }
            next.update(db).await?;
        }
        parent_id = parent.parent_id;
    }
    Ok(())
}

fn snapshot_with(
    view: &MilestoneView,
    extra: &[(&str, Option<&str>)],
) -> Option<serde_json::Value> {
    let mut value = audit::snapshot(view)?;
    if let Some(object) = value.as_object_mut() {
        for (name, text) in extra {
            object.insert((*name).to_string(), serde_json::json!(text));
        }
    }
    Some(value)
}

#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn add_milestone(
    ctx: &Ctx,
    actor: &Actor,
    input: NewMilestone,
) -> Result<MilestoneView, AppError> {
    let title = Text::parse("title", &input.title, limits::TITLE)?;
    let description = Text::parse_optional(
        "description",
        input.description.as_deref(),
        limits::DESCRIPTION,
    )?;
    let deadline = validate::plausible_date("deadline", input.deadline)?;
    let start_date = input
        .start_date
        .map(|d| validate::plausible_date("startDate", d))
        .transpose()?;
    validate::schedule(start_date, deadline)?;
    let weight = validate::weight("weight", input.weight.unwrap_or(1))?;

    let mut txn = ctx.db.begin_write().await?;
    let project = project::Entity::find_by_id(input.project_id)
        .one(&*txn)
        .await?
        .filter(|p| actor.scope.can_read(p.organization_id))
        .ok_or_else(|| AppError::not_found("project"))?;
    let organization_id = project.organization_id;
    txn.within(organization_id);
    actor
        .scope
        .check_manage(organization_id, "this project's milestones")?;
    if project
        .status
        .parse::<jiandu_domain::ProjectStatus>()?
        .is_closed()
    {
        return Err(AppError::validation("projectId", "the project is closed"));
    }
    if let Some(parent_id) = input.parent_id {
        let parent = milestone::Entity::find_by_id(parent_id)
            .one(&*txn)
            .await?
            .filter(|p| p.project_id == project.id)
            .ok_or_else(|| AppError::validation("parentId", "no such milestone in this project"))?;
        if !parent.status.parse::<MilestoneStatus>()?.is_open() {
            return Err(AppError::validation(
                "parentId",
                "the parent milestone is closed",
            ));
        }
        let mut depth = 2;
        let mut above = parent.parent_id;
        while let Some(id) = above {
            depth += 1;
            above = milestone::Entity::find_by_id(id)
                .one(&*txn)
                .await?
                .and_then(|m| m.parent_id);
        }
        if depth > MAX_DEPTH {
            return Err(AppError::validation(
                "parentId",
                format!("milestones nest at most {MAX_DEPTH} levels deep"),
            ));
        }
    }
    check_person(
        &*txn,
        organization_id,
        input.responsible_leader_id,
        "responsibleLeaderId",
    )
    .await?;
    check_unit(&*txn, organization_id, input.responsible_unit_id).await?;
    if let Some(person) = input.responsible_person_id {
        check_person(&*txn, organization_id, person, "responsiblePersonId").await?;
    }

    let now = ctx.now();
    let model = milestone::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(organization_id),
        project_id: Set(project.id),
        parent_id: Set(input.parent_id),
        title: Set(title.into_string()),
        description: Set(description.map(Text::into_string)),
        responsible_leader_id: Set(input.responsible_leader_id),
        responsible_unit_id: Set(input.responsible_unit_id),
        responsible_person_id: Set(input.responsible_person_id),
        start_date: Set(start_date),
        deadline: Set(deadline),
        original_deadline: Set(deadline),
        times_rescheduled: Set(0),
        status: Set(MilestoneStatus::NotStarted.as_str().to_string()),
        progress: Set(0),
        weight: Set(i32::try_from(weight).unwrap_or(1)),
        completed_at: Set(None),
        completed_on: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    let view = MilestoneView::try_from(model)?;
    refresh_ancestors(&*txn, view.parent_id).await?;
    audit::record(
        &*txn,
        Some(actor.user_id()),
        now,
        Change {
            organization_id,
            action: "milestone.add",
            entity_type: "Milestone",
            entity_id: view.id,
            before: None,
            after: audit::snapshot(&view),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(view)
}

#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn update_milestone(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    changes: MilestoneChanges,
) -> Result<MilestoneView, AppError> {
    let mut txn = ctx.db.begin_write().await?;
    let current = load(&*txn, actor, id).await?;
    txn.within(current.organization_id);
    let organization_id = current.organization_id;
    actor
        .scope
        .check_manage(organization_id, "this milestone")?;
    check_version(&current, expected_version)?;
    let before = MilestoneView::try_from(current.clone())?;
    before.status.after(MilestoneAction::Edit)?;

    let mut next = current.clone().into_active_model();
    if let Some(title) = changes.title {
        next.title = Set(Text::parse("title", &title, limits::TITLE)?.into_string());
    }
    if let Some(description) = changes.description {
        let text =
            Text::parse_optional("description", description.as_deref(), limits::DESCRIPTION)?;
        next.description = Set(text.map(Text::into_string));
    }
    if let Some(leader) = changes.responsible_leader_id {
        check_person(&*txn, organization_id, leader, "responsibleLeaderId").await?;
        next.responsible_leader_id = Set(leader);
    }
    if let Some(unit) = changes.responsible_unit_id {
        check_unit(&*txn, organization_id, unit).await?;
        next.responsible_unit_id = Set(unit);
    }
    if let Some(person) = changes.responsible_person_id {
        if let Some(person) = person {
            check_person(&*txn, organization_id, person, "responsiblePersonId").await?;
        }
        next.responsible_person_id = Set(person);
    }
    if let Some(start) = changes.start_date {
        let start = start
            .map(|d| validate::plausible_date("startDate", d))
            .transpose()?;
        validate::schedule(start, current.deadline).map_err(|_| {
            AppError::validation(
                "startDate",
                format!("is after the deadline {}", current.deadline),
            )
        })?;
        next.start_date = Set(start);
    }
    let now = ctx.now();
    next.updated_at = Set(now);
    let record = Record {
        action: "milestone.update",
        remarks: &[],
        rolls_up: false,
    };
    let after = save(&*txn, actor, &before, next, expected_version, now, record).await?;
    txn.commit().await?;
    Ok(after)
}

/// Moves a deadline, keeping the original and a record of every move with its reason.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn reschedule_milestone(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    new_deadline: NaiveDate,
    reason: &str,
) -> Result<MilestoneView, AppError> {
    let reason = Text::parse("reason", reason, limits::NOTE)?;
    let new_deadline = validate::plausible_date("newDeadline", new_deadline)?;
    let mut txn = ctx.db.begin_write().await?;
    let current = load(&*txn, actor, id).await?;
    txn.within(current.organization_id);
    actor
        .scope
        .check_manage(current.organization_id, "this milestone")?;
    check_version(&current, expected_version)?;
    let before = MilestoneView::try_from(current.clone())?;
    before.status.after(MilestoneAction::Reschedule)?;
    if new_deadline == current.deadline {
        return Err(AppError::validation(
            "newDeadline",
            "is the current deadline",
        ));
    }
    validate::schedule(current.start_date, new_deadline)
        .map_err(|e| AppError::validation("newDeadline", e.message))?;

    let now = ctx.now();
    deadline_change::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        milestone_id: Set(id),
        from_date: Set(current.deadline),
        to_date: Set(new_deadline),
        reason: Set(reason.as_str().to_string()),
        changed_by: Set(actor.user_id()),
        changed_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    let mut next = current.clone().into_active_model();
    next.deadline = Set(new_deadline);
    next.times_rescheduled = Set(current.times_rescheduled + 1);
    next.updated_at = Set(now);
    let record = Record {
        action: "milestone.reschedule",
        remarks: &[("reason", Some(reason.as_str()))],
        rolls_up: false,
    };
    let after = save(&*txn, actor, &before, next, expected_version, now, record).await?;
    txn.commit().await?;
    Ok(after)
}

#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn report_progress(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    progress: i64,
    note: Option<&str>,
) -> Result<MilestoneView, AppError> {
    let progress = validate::progress("progress", progress)?;
    let note = Text::parse_optional("note", note, limits::NOTE)?;
    let mut txn = ctx.db.begin_write().await?;
    let current = load(&*txn, actor, id).await?;
    txn.within(current.organization_id);
    actor.scope.check_report(
        current.organization_id,
        &[
            Some(current.responsible_leader_id),
            current.responsible_person_id,
        ],
    )?;
    let before = MilestoneView::try_from(current.clone())?;
    let status = before.status.after(MilestoneAction::ReportProgress)?;
    if !children(&*txn, id).await?.is_empty() {
        return Err(AppError::validation(
            "milestoneId",
            "a milestone with sub-milestones takes its progress from them; report on those",
        ));
    }
    let now = ctx.now();
    progress_report::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        milestone_id: Set(id),
        progress: Set(i32::from(progress)),
        note: Set(note.as_ref().map(|n| n.as_str().to_string())),
        reported_by: Set(actor.user_id()),
        reported_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    let mut next = current.clone().into_active_model();
    next.progress = Set(i32::from(progress));
    next.status = Set(status.as_str().to_string());
    next.updated_at = Set(now);
    let record = Record {
        action: "milestone.report_progress",
        remarks: &[("note", note.as_ref().map(Text::as_str))],
        rolls_up: true,
    };
    let after = save(&*txn, actor, &before, next, current.version, now, record).await?;
    txn.commit().await?;
    Ok(after)
}

/// Marks a milestone done, today or on an earlier day when the completion is entered late.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn complete_milestone(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    note: Option<&str>,
    completed_on: Option<NaiveDate>,
) -> Result<MilestoneView, AppError> {
    let note = Text::parse_optional("note", note, limits::NOTE)?;
    let mut txn = ctx.db.begin_write().await?;
    let current = load(&*txn, actor, id).await?;
    txn.within(current.organization_id);
    actor.scope.check_report(
        current.organization_id,
        &[
            Some(current.responsible_leader_id),
            current.responsible_person_id,
        ],
    )?;
    check_version(&current, expected_version)?;
    let before = MilestoneView::try_from(current.clone())?;
    let status = before.status.after(MilestoneAction::Complete)?;
    let now = ctx.now();
    let zone = actor.zone_of(current.organization_id);
    let today = zone.date_of(now);
    let (completed_on, completed_at) = match completed_on {
        Some(day) if day != today => {
            validate::completion(day, today)?;
            let day = validate::plausible_date("completedOn", day)?;
            // A back-dated completion is placed at noon of that day in the organisation's zone:
            // its date is what counts; the audit event keeps when it was entered.
            let noon = day.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
            let at = zone
                .tz()
                .from_local_datetime(&noon)
                .earliest()
                .map_or_else(|| Utc.from_utc_datetime(&noon), |t| t.with_timezone(&Utc));
            (day, at)
        }
        _ => (today, now),
    };
    let open_children = open_children(&*txn, id).await?;
    if open_children > 0 {
        return Err(AppError::validation(
            "id",
            format!(
                "{open_children} sub-milestone(s) are still open; complete or cancel them first"
            ),
        ));
    }
    if let Some(note) = &note {
        progress_report::ActiveModel {
            id: Set(jiandu_domain::new_id()),
            milestone_id: Set(id),
            progress: Set(100),
            note: Set(Some(note.as_str().to_string())),
            reported_by: Set(actor.user_id()),
            reported_at: Set(now),
        }
        .insert(&*txn)
        .await?;
    }
    let mut next = current.clone().into_active_model();
    next.status = Set(status.as_str().to_string());
    next.progress = Set(100);
    next.completed_on = Set(Some(completed_on));
    next.completed_at = Set(Some(completed_at));
    next.updated_at = Set(now);
    let record = Record {
        action: "milestone.complete",
        remarks: &[("note", note.as_ref().map(Text::as_str))],
        rolls_up: true,
    };
    let after = save(&*txn, actor, &before, next, expected_version, now, record).await?;
    txn.commit().await?;
    Ok(after)
}

/// A deputy or the presidium accepts a completed milestone, or sends it back.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn verify_milestone(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    accepted: bool,
    note: Option<&str>,
) -> Result<MilestoneView, AppError> {
    let note = Text::parse_optional("note", note, limits::NOTE)?;
    if !accepted && note.is_none() {
        return Err(AppError::validation(
            "note",
            "say why the milestone is sent back",
        ));
    }
    let mut txn = ctx.db.begin_write().await?;
    let current = load(&*txn, actor, id).await?;
    txn.within(current.organization_id);
    actor.scope.check_verify(current.organization_id)?;
    check_version(&current, expected_version)?;
    let before = MilestoneView::try_from(current.clone())?;
    let action = if accepted {
        MilestoneAction::Accept
    } else {
        MilestoneAction::Reject
    };
    let status = before.status.after(action)?;
    let now = ctx.now();
    let mut next = current.clone().into_active_model();
    next.status = Set(status.as_str().to_string());
    if !accepted {
        next.completed_at = Set(None);
        next.completed_on = Set(None);
    }
    next.updated_at = Set(now);
    let record = Record {
        action: if accepted {
            "milestone.accept"
        } else {
            "milestone.reject"
        },
        remarks: &[("note", note.as_ref().map(Text::as_str))],
        rolls_up: true,
    };
    let after = save(&*txn, actor, &before, next, expected_version, now, record).await?;
    txn.commit().await?;
    Ok(after)
}

#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn cancel_milestone(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    reason: &str,
) -> Result<MilestoneView, AppError> {
    let reason = Text::parse("reason", reason, limits::NOTE)?;
    let mut txn = ctx.db.begin_write().await?;
    let current = load(&*txn, actor, id).await?;
    txn.within(current.organization_id);
    actor
        .scope
        .check_manage(current.organization_id, "this milestone")?;
    check_version(&current, expected_version)?;
    let before = MilestoneView::try_from(current.clone())?;
    let status = before.status.after(MilestoneAction::Cancel)?;
    let open_children = open_children(&*txn, id).await?;
    if open_children > 0 {
        return Err(AppError::validation(
            "id",
            format!("{open_children} sub-milestone(s) are still open; cancel them first"),
        ));
    }
    let now = ctx.now();
    let mut next = current.clone().into_active_model();
    next.status = Set(status.as_str().to_string());
    next.updated_at = Set(now);
    let record = Record {
        action: "milestone.cancel",
        remarks: &[("reason", Some(reason.as_str()))],
        rolls_up: true,
    };
    let after = save(&*txn, actor, &before, next, expected_version, now, record).await?;
    txn.commit().await?;
    Ok(after)
}

mod queries;

pub use queries::*;
