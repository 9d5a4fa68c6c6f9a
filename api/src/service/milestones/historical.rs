//! Imported items already past their deadline wait, quiet, for the presidium's word
//! (docs/import.md): closed as done on a day, kept open with a new deadline (a late change), or
//! cancelled. Until then no notice is issued for them.

use chrono::NaiveDate;
use jiandu_domain::validate::{self, Backdating};
use jiandu_domain::{MilestoneStatus, Reason, Text, field};
use sea_orm::Set;
use uuid::Uuid;

use super::save;
use crate::entity::{Stored, milestone};
use crate::error::AppError;
use crate::service::deadlines;
use crate::service::kernel::audit::Action;
use crate::service::kernel::command::{Audit, Command};
use crate::service::views::MilestoneView;
use crate::service::{Actor, Ctx};

/// What the presidium decides for a historical item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// It was done, on this day: closed (已销号), its completion recorded late (补录).
    CloseDone { on: Option<NaiveDate> },
    /// Still to do, by this new deadline: the move is kept as a late change, and the ladder
    /// acts on it from now on.
    KeepOpen { deadline: Option<NaiveDate> },
    /// No longer to be done.
    Cancel,
}

impl Decision {
    /// The decision as the API names it (kept in the audit trail).
    pub fn code(self) -> &'static str {
        match self {
            Decision::CloseDone { .. } => "CLOSE_DONE",
            Decision::KeepOpen { .. } => "KEEP_OPEN",
            Decision::Cancel => "CANCEL",
        }
    }
}

/// The presidium confirms a historical item (`confirmHistoricalItem`); `note` says why, and is
/// the reason kept with a new deadline or a cancellation.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn confirm_historical_item(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    decision: Decision,
    note: Option<&str>,
) -> Result<MilestoneView, AppError> {
    let note = Text::note(note)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load_managed::<milestone::Entity>(id, Some(expected_version), "this milestone")
        .await?;
    if !current.row.historical {
        return Err(AppError::invalid(
            field::ID,
            Reason::WrongState,
            "only an imported item past its deadline awaits confirmation",
        ));
    }
    let today = cmd.today_in(current.row.organization_id);
    let said = |fallback: &str| note.clone().map_or_else(|| Text::reason(fallback), Ok);
    let mut next = match decision {
        Decision::CloseDone { on } => {
            let on =
                on.ok_or_else(|| AppError::required(field::COMPLETED_ON, "the day it was done"))?;
            validate::completion(on, today, current.row.start_date, Backdating::Unlimited)?;
            let mut next = current.edit();
            next.status = Set(Stored(MilestoneStatus::Closed));
            next.progress = Set(100);
            next.completed_on = Set(Some(on));
            next.completed_at = Set(Some(cmd.now));
            next.completed_by = Set(Some(actor.user_id()));
            next.completion_backdated = Set(true);
            next.signed_off_by = Set(Some(actor.user_id()));
            next.signed_off_at = Set(Some(cmd.now));
            next
        }
        Decision::KeepOpen { deadline } => {
            let deadline = deadline
                .ok_or_else(|| AppError::required(field::NEW_DEADLINE, "the new deadline"))?;
            let deadline = validate::plausible_date(field::NEW_DEADLINE, deadline)?;
            if deadline < today {
                return Err(AppError::invalid(
                    field::NEW_DEADLINE,
                    Reason::TooEarly { date: today },
                    format!("a new deadline is today ({today}) or later"),
                ));
            }
            let reason = said("历史事项确认：继续办理")?;
            deadlines::moved(&cmd, &current, deadline, &reason, actor.user_id(), None).await?
        }
        Decision::Cancel => {
            let mut next = current.edit();
            next.status = Set(Stored(MilestoneStatus::Cancelled));
            next
        }
    };
    next.historical = Set(false);
    let audit = Audit::new(Action::MilestoneConfirmHistorical)
        .with("decision", decision.code())
        .with("note", note.as_ref().map(Text::as_str));
    save(cmd, &current, next, audit).await
}
