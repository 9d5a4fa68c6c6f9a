//! What the presidium does to milestones: add, edit, reschedule, cancel (what the one
//! responsible reports is in `reports`, checking and signing off in `sign_off`). Each is its rule
//! around the write kernel ([`Command`]).

use chrono::NaiveDate;
use jiandu_domain::Reason;
use jiandu_domain::field;
use jiandu_domain::status::MilestoneAction;
use jiandu_domain::validate::{self};
use jiandu_domain::{MilestoneStatus, Text};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::{MAX_DEPTH, MilestoneChanges, NewMilestone, no_open_children, refresh_ancestors, save};
use crate::db::Event;
use crate::entity::{Stored, milestone, person, project, unit};
use crate::error::AppError;
use crate::service::deadlines;
use crate::service::heading;
use crate::service::kernel::audit::Action;
use crate::service::kernel::command::{Audit, Command};
use crate::service::views::MilestoneView;
use crate::service::{Actor, Ctx};

#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn add_milestone(
    ctx: &Ctx,
    actor: &Actor,
    input: NewMilestone,
) -> Result<MilestoneView, AppError> {
    let title = heading::title(&input.title)?;
    let description = heading::description(input.description.as_deref())?;
    let deadline = validate::plausible_date(field::DEADLINE, input.deadline)?;
    let start_date = input
        .start_date
        .map(|d| validate::plausible_date(field::START_DATE, d))
        .transpose()?;
    validate::schedule(start_date, deadline)?;
    let weight = validate::weight("weight", input.weight.unwrap_or(1))?;

    let mut cmd = Command::begin(ctx, actor).await?;
    let project = actor
        .readable()
        .find::<project::Entity>(cmd.db(), input.project_id)
        .await?;
    let organization_id = project.organization_id;
    actor
        .access
        .check_manage(organization_id, "this project's milestones")?;
    if project.status.0.is_closed() {
        return Err(AppError::invalid(
            field::PROJECT_ID,
            Reason::WrongState,
            "the project is closed",
        ));
    }
    if let Some(parent_id) = input.parent_id {
        let parent = cmd
            .refer::<milestone::Entity>(organization_id, parent_id, "parentId")
            .await?;
        if parent.project_id != project.id {
            return Err(AppError::invalid(
                field::PARENT_ID,
                Reason::UnknownRecord,
                "no such milestone in this project",
            ));
        }
        if !parent.status.0.is_open() {
            return Err(AppError::invalid(
                field::PARENT_ID,
                Reason::WrongState,
                "the parent milestone is closed",
            ));
        }
        let mut depth = 2;
        let mut above = parent.parent_id;
        while let Some(id) = above {
            depth += 1;
            above = milestone::Entity::find_by_id(id)
                .one(cmd.db())
                .await?
                .and_then(|m| m.parent_id);
        }
        if depth > MAX_DEPTH {
            return Err(AppError::invalid(
                field::PARENT_ID,
                Reason::TooDeep { max: MAX_DEPTH },
                format!("milestones nest at most {MAX_DEPTH} levels deep"),
            ));
        }
    }
    cmd.refer::<person::Entity>(
        organization_id,
        input.responsible_leader_id,
        "responsibleLeaderId",
    )
    .await?;
    cmd.refer::<unit::Entity>(
        organization_id,
        input.responsible_unit_id,
        "responsibleUnitId",
    )
    .await?;
    if let Some(person) = input.responsible_person_id {
        cmd.refer::<person::Entity>(organization_id, person, "responsiblePersonId")
            .await?;
    }

    let now = cmd.now;
    let due_by = cmd.rules().await?.due_by(organization_id, deadline);
    let row = milestone::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(organization_id),
        project_id: Set(project.id),
        parent_id: Set(input.parent_id),
        title: Set(title),
        description: Set(description),
        responsible_leader_id: Set(input.responsible_leader_id),
        responsible_unit_id: Set(input.responsible_unit_id),
        responsible_person_id: Set(input.responsible_person_id),
        start_date: Set(start_date),
        deadline: Set(deadline),
        original_deadline: Set(deadline),
        on_time_deadline: Set(deadline),
        due_by: Set(due_by),
        on_time_due_by: Set(due_by),
        is_item: Set(true),
        times_rescheduled: Set(0),
        status: Set(Stored(MilestoneStatus::NotStarted)),
        progress: Set(0),
        weight: Set(i32::try_from(weight).unwrap_or(1)),
        completed_at: Set(None),
        completed_on: Set(None),
        completed_by: Set(None),
        completion_backdated: Set(false),
        signed_off_by: Set(None),
        signed_off_at: Set(None),
        historical: Set(false),
        long_term: Set(false),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let row = cmd
        .create::<milestone::Entity>(row, Audit::new(Action::MilestoneAdd))
        .await?;
    if let Some(parent) = row.parent_id {
        // The parent now sums up its children and is counted no more: derived, so its version
        // stays as it is.
        milestone::Entity::update_many()
            .col_expr(milestone::Column::IsItem, Expr::value(false))
            .filter(milestone::Column::Id.eq(parent))
            .exec(cmd.db())
            .await?;
        cmd.announce(Event::MilestoneChanged {
            milestone: parent,
            organization: row.organization_id,
        });
    }
    refresh_ancestors(&mut cmd, row.parent_id).await?;
    cmd.finish(MilestoneView::from(row)).await
}

#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn update_milestone(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    changes: MilestoneChanges,
) -> Result<MilestoneView, AppError> {
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load_managed::<milestone::Entity>(id, Some(expected_version), "this milestone")
        .await?;
    let organization_id = current.row.organization_id;
    current.before.status.after(MilestoneAction::Edit)?;

    let mut next = current.edit();
    let heading = (&mut next.title, &mut next.description);
    heading::edit(heading, changes.title, changes.description)?;
    if let Some(leader) = changes.responsible_leader_id {
        cmd.refer::<person::Entity>(organization_id, leader, "responsibleLeaderId")
            .await?;
        next.responsible_leader_id = Set(leader);
    }
    if let Some(unit) = changes.responsible_unit_id {
        cmd.refer::<unit::Entity>(organization_id, unit, "responsibleUnitId")
            .await?;
        next.responsible_unit_id = Set(unit);
    }
    if let Some(person) = changes.responsible_person_id {
        if let Some(person) = person {
            cmd.refer::<person::Entity>(organization_id, person, "responsiblePersonId")
                .await?;
        }
        next.responsible_person_id = Set(person);
    }
    if let Some(start) = changes.start_date {
        let start = start
            .map(|d| validate::plausible_date(field::START_DATE, d))
            .transpose()?;
        let deadline = current.row.deadline;
        validate::schedule(start, deadline).map_err(|_| {
            AppError::invalid(
                field::START_DATE,
                Reason::AfterDeadline { deadline },
                format!("is after the deadline {deadline}"),
            )
        })?;
        next.start_date = Set(start);
    }
    save(cmd, &current, next, Audit::new(Action::MilestoneUpdate)).await
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
    let reason = Text::reason(reason)?;
    let new_deadline = validate::plausible_date(field::NEW_DEADLINE, new_deadline)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load_managed::<milestone::Entity>(id, Some(expected_version), "this milestone")
        .await?;
    current.before.status.after(MilestoneAction::Reschedule)?;
    validate::schedule(current.row.start_date, new_deadline)
        .map_err(|e| AppError::invalid(field::NEW_DEADLINE, e.reason, e.message))?;
    let next =
        deadlines::moved(&cmd, &current, new_deadline, &reason, actor.user_id(), None).await?;
    let audit = Audit::new(Action::MilestoneReschedule).with("reason", reason.as_str());
    save(cmd, &current, next, audit).await
}

#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn cancel_milestone(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    reason: &str,
) -> Result<MilestoneView, AppError> {
    let reason = Text::reason(reason)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load_managed::<milestone::Entity>(id, Some(expected_version), "this milestone")
        .await?;
    let status = current.before.status.after(MilestoneAction::Cancel)?;
    no_open_children(cmd.db(), id, "cancel them").await?;
    let mut next = current.edit();
    next.status = Set(Stored(status));
    let audit = Audit::new(Action::MilestoneCancel).with("reason", reason.as_str());
    save(cmd, &current, next, audit).await
}
