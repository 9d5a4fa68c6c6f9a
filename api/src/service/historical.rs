//! Imported findings and suggestions already past their deadline wait, quiet, for the
//! presidium's word as imported milestones do (docs/import.md, "History is not an emergency"):
//! a finding rectified on a day (verified) or still to rectify by a new deadline (a late change);
//! a suggestion concluded on a day, still awaiting its answer by a new deadline, or withdrawn.
//! A finding is never cancelled: what an inspection found stays found.

use chrono::NaiveDate;
use jiandu_domain::suggestion::SuggestionStatus;
use jiandu_domain::validate::{self, Backdating};
use jiandu_domain::{FindingStatus, Reason, Text, field};
use sea_orm::Set;
use uuid::Uuid;

use super::deadlines;
use super::kernel::audit::Action;
use super::kernel::command::{Audit, Command};
use super::milestones::Decision;
use super::views::{FindingView, SuggestionView};
use super::{Actor, Ctx};
use crate::entity::{Stored, finding, suggestion};
use crate::error::AppError;

fn not_historical() -> AppError {
    AppError::invalid(
        field::ID,
        Reason::WrongState,
        "only an imported item past its deadline awaits confirmation",
    )
}

/// The day it was done, given and not after `today`.
fn done_on(on: Option<NaiveDate>, today: NaiveDate) -> Result<NaiveDate, AppError> {
    let on = on.ok_or_else(|| AppError::required(field::COMPLETED_ON, "the day it was done"))?;
    validate::completion(on, today, None, Backdating::Unlimited)?;
    Ok(on)
}

/// The new deadline, given and not before `today`.
fn new_deadline(deadline: Option<NaiveDate>, today: NaiveDate) -> Result<NaiveDate, AppError> {
    let deadline =
        deadline.ok_or_else(|| AppError::required(field::NEW_DEADLINE, "the new deadline"))?;
    let deadline = validate::plausible_date(field::NEW_DEADLINE, deadline)?;
    if deadline < today {
        return Err(AppError::invalid(
            field::NEW_DEADLINE,
            Reason::TooEarly { date: today },
            format!("a new deadline is today ({today}) or later"),
        ));
    }
    Ok(deadline)
}

/// The presidium confirms a historical finding (`confirmHistoricalFinding`): rectified on a day
/// (verified by the presidium, `note` its rectification), or to rectify by a new deadline.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn confirm_historical_finding(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    decision: Decision,
    note: Option<&str>,
) -> Result<FindingView, AppError> {
    let note = Text::note(note)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load_managed::<finding::Entity>(id, Some(expected_version), "this finding")
        .await?;
    if !current.row.historical || !current.row.status.0.is_open() {
        return Err(not_historical());
    }
    let today = cmd.today_in(current.row.organization_id);
    let mut next = match decision {
        Decision::CloseDone { on } => {
            let on = done_on(on, today)?;
            let mut next = current.edit();
            next.status = Set(Stored(FindingStatus::Verified));
            next.resolved_on = Set(Some(on));
            next.resolved_at = Set(Some(cmd.now));
            next.resolved_by = Set(Some(actor.user_id()));
            if let Some(note) = &note {
                next.resolution = Set(Some(note.as_str().to_string()));
            }
            next
        }
        Decision::KeepOpen { deadline } => {
            let deadline = new_deadline(deadline, today)?;
            let reason = note
                .clone()
                .map_or_else(|| Text::reason("历史事项确认：继续整改"), Ok)?;
            deadlines::moved(&cmd, &current, deadline, &reason, actor.user_id(), None).await?
        }
        Decision::Cancel => {
            return Err(AppError::invalid(
                field::DECISION,
                Reason::WrongState,
                "a finding is not cancelled: confirm it rectified on a day, or keep it open",
            ));
        }
    };
    next.historical = Set(false);
    let audit = Audit::new(Action::FindingConfirmHistorical)
        .with("decision", decision.code())
        .with("note", note.as_ref().map(Text::as_str));
    cmd.finish_update(&current, next, audit).await
}

/// The presidium confirms a historical suggestion (`confirmHistoricalSuggestion`): concluded on
/// a day, awaiting its answer by a new deadline (the first deadline stays what "on time" is
/// judged against), or withdrawn (`note` the reason).
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn confirm_historical_suggestion(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    decision: Decision,
    note: Option<&str>,
) -> Result<SuggestionView, AppError> {
    let note = Text::note(note)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load_managed::<suggestion::Entity>(id, Some(expected_version), "this suggestion")
        .await?;
    if !current.row.historical || current.row.status.0 != SuggestionStatus::Assigned {
        return Err(not_historical());
    }
    let organization = current.row.organization_id;
    let today = cmd.today_in(organization);
    let mut next = current.edit();
    match decision {
        Decision::CloseDone { on } => {
            next.status = Set(Stored(SuggestionStatus::Concluded));
            next.concluded_on = Set(Some(done_on(on, today)?));
        }
        Decision::KeepOpen { deadline } => {
            let deadline = new_deadline(deadline, today)?;
            if Some(deadline) == current.row.deadline {
                return Err(AppError::invalid(
                    field::NEW_DEADLINE,
                    Reason::Unchanged,
                    "is the current deadline",
                ));
            }
            let due_by = cmd.rules().await?.due_by(organization, deadline);
            next.deadline = Set(Some(deadline));
            next.due_by = Set(Some(due_by));
        }
        Decision::Cancel => {
            let reason = note
                .clone()
                .map_or_else(|| Text::reason("历史事项确认：不再办理"), Ok)?;
            next.status = Set(Stored(SuggestionStatus::Withdrawn));
            next.withdrawn_reason = Set(Some(reason.into_string()));
        }
    }
    next.historical = Set(false);
    let audit = Audit::new(Action::SuggestionConfirmHistorical)
        .with("decision", decision.code())
        .with("note", note.as_ref().map(Text::as_str));
    cmd.finish_update(&current, next, audit).await
}
