//! Moving a deadline, for milestones and findings alike: never silently. The old and the new day,
//! the reason, who and when go into the item's history; the original deadline stays as it was;
//! the number of moves goes up. A move made once the deadline in force had passed is a late
//! change (逾期后调整): it gives a new target but leaves the on-time deadline where it was, so it
//! never turns a late item into an on-time one. Whether a move is allowed at all is each item's
//! own rule.

use chrono::{DateTime, NaiveDate, Utc};
use jiandu_domain::Reason;
use jiandu_domain::Text;
use jiandu_domain::field;
use sea_orm::{ActiveModelBehavior, ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use uuid::Uuid;

use super::kernel::command::{Command, Current};
use super::kernel::tables::Versioned;
use crate::entity::{deadline_change, finding, finding_deadline_change, milestone};
use crate::error::AppError;

/// An item with a deadline that can move, and the table its moves are kept in.
pub trait Rescheduled: Versioned<Model: Clone> {
    /// A kept move.
    type Move: ActiveModelTrait<Entity: EntityTrait<Model: IntoActiveModel<Self::Move>>>
        + ActiveModelBehavior
        + Send;

    fn deadline(row: &Self::Model) -> NaiveDate;
    /// The day the deadline in force is due by.
    fn due_by(row: &Self::Model) -> NaiveDate;
    fn times_rescheduled(row: &Self::Model) -> i32;
    fn set_deadline(next: &mut Self::ActiveModel, deadline: Due, times_rescheduled: i32);
    fn set_on_time_deadline(next: &mut Self::ActiveModel, deadline: Due);
    fn kept(item: Uuid, change: Change<'_>) -> Self::Move;
}

/// One move of a deadline, as kept.
pub struct Change<'a> {
    from: NaiveDate,
    to: NaiveDate,
    reason: &'a Text,
    by: Uuid,
    at: DateTime<Utc>,
    /// The extension request whose approval makes the move.
    request: Option<Uuid>,
    /// Made after `from` had passed.
    late: bool,
}

/// The impl for an item table and the table its moves are kept in, whose row names the item in
/// `$item`.
macro_rules! rescheduled {
    ($($table:ident: $moves:ident, $item:ident;)+) => {$(
        impl Rescheduled for $table::Entity {
            type Move = $moves::ActiveModel;

            fn deadline(row: &$table::Model) -> NaiveDate {
                row.deadline
            }

            fn due_by(row: &$table::Model) -> NaiveDate {
                row.due_by
            }

            fn times_rescheduled(row: &$table::Model) -> i32 {
                row.times_rescheduled
            }

            fn set_deadline(next: &mut $table::ActiveModel, deadline: Due, times: i32) {
                next.deadline = Set(deadline.deadline);
                next.due_by = Set(deadline.due_by);
                next.times_rescheduled = Set(times);
            }

            fn set_on_time_deadline(next: &mut $table::ActiveModel, deadline: Due) {
                next.on_time_deadline = Set(deadline.deadline);
                next.on_time_due_by = Set(deadline.due_by);
            }

            fn kept(item: Uuid, change: Change<'_>) -> $moves::ActiveModel {
                $moves::ActiveModel {
                    id: Set(jiandu_domain::new_id()),
                    $item: Set(item),
                    from_date: Set(change.from),
                    to_date: Set(change.to),
                    reason: Set(change.reason.as_str().to_string()),
                    changed_by: Set(change.by),
                    changed_at: Set(change.at),
                    extension_request_id: Set(change.request),
                    late_change: Set(change.late),
                }
            }
        }
    )+};
}

rescheduled! {
    milestone: deadline_change, milestone_id;
    finding: finding_deadline_change, finding_id;
}

/// A deadline and the day it is due by.
#[derive(Debug, Clone, Copy)]
pub struct Due {
    pub deadline: NaiveDate,
    pub due_by: NaiveDate,
}

/// An extension request being approved: which, and the day it was asked.
pub struct Approving {
    pub request: Uuid,
    pub asked_on: NaiveDate,
}

/// The next state of `current` with its deadline moved to `to` by `by` (approving a request,
/// when it is an extension), the move kept in its history; the caller writes it (with the reason
/// in the audit event). Moving a deadline to the day it already is is VALIDATION_FAILED on
/// `newDeadline`. A move is late when the deadline in force had passed (its `dueBy` day was
/// over) on the day it was made, or, for an approved extension, on the day it was asked: an
/// extension asked for in time is not late for being decided later.
pub async fn moved<E: Rescheduled>(
    cmd: &Command<'_>,
    current: &Current<E>,
    to: NaiveDate,
    reason: &Text,
    by: Uuid,
    approving: Option<Approving>,
) -> Result<E::ActiveModel, AppError> {
    let from = E::deadline(&current.row);
    let organization = E::organization_of(&current.row);
    let judged_on = match &approving {
        Some(approving) => approving.asked_on,
        None => cmd.today_in(organization),
    };
    let late = judged_on > E::due_by(&current.row);
    if to == from {
        return Err(AppError::invalid(
            field::NEW_DEADLINE,
            Reason::Unchanged,
            "is the current deadline",
        ));
    }
    let change = Change {
        from,
        to,
        reason,
        by,
        at: cmd.now,
        request: approving.map(|a| a.request),
        late,
    };
    E::kept(E::id_of(&current.row), change)
        .insert(cmd.db())
        .await?;
    let due = Due {
        deadline: to,
        due_by: cmd.rules().await?.due_by(organization, to),
    };
    let mut next = current.edit();
    E::set_deadline(&mut next, due, E::times_rescheduled(&current.row) + 1);
    if !late {
        E::set_on_time_deadline(&mut next, due);
    }
    Ok(next)
}
