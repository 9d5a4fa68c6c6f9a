//! What the one responsible for a milestone reports: its progress, and that it is done (已报办结,
//! possibly dated back within the organisation's limit, 补报).

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use jiandu_domain::Reason;
use jiandu_domain::field;
use jiandu_domain::status::MilestoneAction;
use jiandu_domain::validate::{self, Backdating};
use jiandu_domain::{Denied, Role, Text};
use sea_orm::{ActiveModelTrait, Set};
use uuid::Uuid;

use super::{children, no_open_children, save};
use crate::entity::{Stored, milestone, progress_report};
use crate::error::AppError;
use crate::service::kernel::audit::Action;
use crate::service::kernel::command::{Audit, Command};
use crate::service::views::MilestoneView;
use crate::service::{Actor, Ctx};
use crate::service::{extensions, settings};

/// Reporting on a milestone: its responsible leader or person, or the presidium.
fn check_report(actor: &Actor, m: &milestone::Model) -> Result<(), Denied> {
    actor.access.check_report(
        m.organization_id,
        &[Some(m.responsible_leader_id), m.responsible_person_id],
    )
}

/// Keeps a progress report (with its note) in the milestone's history.
async fn keep_report(
    cmd: &Command<'_>,
    actor: &Actor,
    id: Uuid,
    progress: u8,
    note: Option<&Text>,
) -> Result<(), AppError> {
    progress_report::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        milestone_id: Set(id),
        progress: Set(i32::from(progress)),
        note: Set(note.map(|n| n.as_str().to_string())),
        reported_by: Set(actor.user_id()),
        reported_at: Set(cmd.now),
    }
    .insert(cmd.db())
    .await?;
    Ok(())
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
    let note = Text::note(note)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    // A progress report adds to what is there rather than overwriting a state the client saw,
    // so it takes no expected version.
    let current = cmd
        .load::<milestone::Entity, _>(id, None, |m| check_report(actor, m))
        .await?;
    let status = current
        .before
        .status
        .after(MilestoneAction::ReportProgress)?;
    if !children(cmd.db(), id).await?.is_empty() {
        return Err(AppError::invalid(
            field::MILESTONE_ID,
            Reason::HasChildren,
            "a milestone with sub-milestones takes its progress from them; report on those",
        ));
    }
    // Progress that goes back says why (a setback, a mistake in the last report).
    let was = current.row.progress;
    if i32::from(progress) < was && note.is_none() {
        return Err(AppError::invalid(
            field::NOTE,
            Reason::ProgressDropped {
                was: u8::try_from(was).unwrap_or(100),
            },
            format!("progress lower than the {was}% last reported says why, in a note"),
        ));
    }
    keep_report(&cmd, actor, id, progress, note.as_ref()).await?;
    let mut next = current.edit();
    next.progress = Set(i32::from(progress));
    next.status = Set(Stored(status));
    let audit =
        Audit::new(Action::MilestoneReportProgress).with("note", note.as_ref().map(Text::as_str));
    save(cmd, &current, next, audit).await
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
    let note = Text::note(note)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load::<milestone::Entity, _>(id, Some(expected_version), |m| check_report(actor, m))
        .await?;
    let row = &current.row;
    let status = current.before.status.after(MilestoneAction::Complete)?;
    let now = cmd.now;
    let zone = actor.zone_of(row.organization_id);
    let today = zone.date_of(now);
    let (completed_on, completed_at) = match completed_on {
        Some(day) if day != today => {
            let day = validate::plausible_date(field::COMPLETED_ON, day)?;
            // Those supervised may report a completion a few days late; the presidium enters
            // what it knows happened earlier.
            let backdating = if actor.access.role == Role::Presidium {
                Backdating::Unlimited
            } else {
                let settings = settings::of(cmd.db(), row.organization_id).await?;
                Backdating::UpTo(settings.backdate_days)
            };
            validate::completion(day, today, row.start_date, backdating)?;
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
        _ => {
            // Done today is done before the start when the item starts later.
            validate::completion(today, today, row.start_date, Backdating::Unlimited)?;
            (today, now)
        }
    };
    no_open_children(cmd.db(), id, "complete or cancel them").await?;
    if note.is_some() {
        keep_report(&cmd, actor, id, 100, note.as_ref()).await?;
    }
    extensions::withdraw_when_done(&mut cmd, extensions::ItemOf::Milestone(id)).await?;
    let mut next = current.edit();
    next.status = Set(Stored(status));
    next.progress = Set(100);
    next.completed_on = Set(Some(completed_on));
    next.completed_at = Set(Some(completed_at));
    next.completed_by = Set(Some(actor.user_id()));
    let backdated = completed_on < today;
    next.completion_backdated = Set(backdated);
    let mut audit =
        Audit::new(Action::MilestoneComplete).with("note", note.as_ref().map(Text::as_str));
    if backdated {
        // 补报: the day it was reported, beside the earlier day it says it was done.
        audit = audit.with("reportedOn", today);
    }
    save(cmd, &current, next, audit).await
}
