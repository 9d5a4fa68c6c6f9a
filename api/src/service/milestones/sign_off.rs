//! Closing the loop on a reported completion: a deputy (or the presidium) checks it (核验,
//! VERIFIED) or sends it back; the presidium signs it off (销号, CLOSED); the presidium or a
//! deputy returns it (退回重办, back to IN_PROGRESS with the reason; the deadline clock runs
//! again). Nobody checks, signs off or returns what they reported done themselves.

use jiandu_domain::field;
use jiandu_domain::status::MilestoneAction;
use jiandu_domain::{MilestoneStatus, Text};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::{save, write};
use crate::entity::{Stored, milestone, progress_report};
use crate::error::AppError;
use crate::service::kernel::audit::Action;
use crate::service::kernel::command::{self, Audit, Command, Current};
use crate::service::views::MilestoneView;
use crate::service::{Actor, Ctx, duties};

/// Loads a reported completion for `action`, refusing it to whoever reported it.
async fn reported(
    cmd: &mut Command<'_>,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    action: MilestoneAction,
) -> Result<(Current<milestone::Entity>, MilestoneStatus), AppError> {
    let current = cmd
        .load::<milestone::Entity, _>(id, Some(expected_version), |m| match action {
            MilestoneAction::SignOff => actor
                .access
                .check_manage(m.organization_id, "a milestone's sign-off"),
            _ => actor.access.check_verify(m.organization_id),
        })
        .await?;
    if let Some(completer) = current.row.completed_by {
        let what = "a milestone they reported done";
        duties::check_not_own(cmd.db(), actor, completer, what).await?;
    }
    let status = current.before.status.after(action)?;
    Ok((current, status))
}

/// A completion sent back: the item is open again at the progress last reported before the
/// completion (0 when none was), so its project's figures do not count it as nearly done; an
/// item with sub-items keeps theirs.
async fn reopened(
    cmd: &Command<'_>,
    current: &Current<milestone::Entity>,
    next: &mut milestone::ActiveModel,
) -> Result<(), AppError> {
    next.completed_at = Set(None);
    next.completed_on = Set(None);
    next.completed_by = Set(None);
    next.completion_backdated = Set(false);
    if !super::children(cmd.db(), current.row.id).await?.is_empty() {
        return Ok(());
    }
    let last = progress_report::Entity::find()
        .filter(progress_report::Column::MilestoneId.eq(current.row.id))
        .filter(progress_report::Column::Progress.lt(100))
        .order_by_desc(progress_report::Column::ReportedAt)
        .order_by_desc(progress_report::Column::Id)
        .one(cmd.db())
        .await?;
    next.progress = Set(last.map_or(0, |report| report.progress));
    Ok(())
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
    let note = Text::note(note)?;
    if !accepted && note.is_none() {
        return Err(AppError::required(
            field::NOTE,
            "say why the milestone is sent back",
        ));
    }
    let (action, audited) = if accepted {
        (MilestoneAction::Accept, Action::MilestoneAccept)
    } else {
        (MilestoneAction::Reject, Action::MilestoneReject)
    };
    let mut cmd = Command::begin(ctx, actor).await?;
    let (current, status) = reported(&mut cmd, actor, id, expected_version, action).await?;
    let mut next = current.edit();
    next.status = Set(Stored(status));
    if !accepted {
        reopened(&cmd, &current, &mut next).await?;
    }
    let audit = Audit::new(audited).with("note", note.as_ref().map(Text::as_str));
    save(cmd, &current, next, audit).await
}

/// The presidium signs off a reported (or checked) completion: 已销号.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn sign_off_milestone(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    note: Option<&str>,
) -> Result<MilestoneView, AppError> {
    let note = Text::note(note)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let after = sign_off(&mut cmd, actor, id, expected_version, note.as_ref()).await?;
    cmd.finish(after).await
}

/// The presidium signs off several reported completions at once (销号 from the list): all or
/// nothing, each by its own rules and with its own history; a refusal names the item.
#[tracing::instrument(skip_all, fields(actor = %actor.username, items = items.len()))]
pub async fn sign_off_milestones(
    ctx: &Ctx,
    actor: &Actor,
    items: &[(Uuid, i32)],
) -> Result<Vec<MilestoneView>, AppError> {
    let items = command::batch(items, |(id, _)| *id)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let mut signed = Vec::with_capacity(items.len());
    for (id, version) in items {
        let after = sign_off(&mut cmd, actor, id, version, None)
            .await
            .map_err(|e| e.about(&format!("milestone {id}")))?;
        signed.push(after);
    }
    cmd.finish(signed).await
}

async fn sign_off(
    cmd: &mut Command<'_>,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    note: Option<&Text>,
) -> Result<MilestoneView, AppError> {
    let (current, status) =
        reported(cmd, actor, id, expected_version, MilestoneAction::SignOff).await?;
    let mut next = current.edit();
    next.status = Set(Stored(status));
    next.signed_off_by = Set(Some(actor.user_id()));
    next.signed_off_at = Set(Some(cmd.now));
    let audit = Audit::new(Action::MilestoneSignOff).with("note", note.map(Text::as_str));
    write(cmd, &current, next, audit).await
}

/// The presidium or a deputy sends a reported completion back to be done again, saying why.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn return_milestone(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    reason: &str,
) -> Result<MilestoneView, AppError> {
    let reason = Text::reason(reason)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let (current, status) = reported(
        &mut cmd,
        actor,
        id,
        expected_version,
        MilestoneAction::Return,
    )
    .await?;
    let mut next = current.edit();
    next.status = Set(Stored(status));
    reopened(&cmd, &current, &mut next).await?;
    let audit = Audit::new(Action::MilestoneReturn).with("reason", reason.as_str());
    save(cmd, &current, next, audit).await
}
