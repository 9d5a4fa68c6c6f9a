//! Extension requests (延期申请), for milestones and findings alike: the one responsible asks,
//! before the deadline has passed, for a later day with a reason; the presidium approves (the day
//! asked for or another) or refuses with a note; an approval moves the deadline through the
//! item's history, and that move names the request. The asker may withdraw while it waits.

mod queries;
mod when_done;

pub use queries::{
    ExtensionKey, extensions_by_ids, extensions_of_findings, extensions_of_milestones,
    list_extensions, pending_count,
};

pub(super) use when_done::withdraw_when_done;
pub use when_done::{ItemOf, WITHDRAWN_WHEN_DONE};

use chrono::NaiveDate;
use jiandu_domain::Reason;
use jiandu_domain::extension::{check_pending, check_request};
use jiandu_domain::field;
use jiandu_domain::validate::{self, limits};
use jiandu_domain::{Denied, ExtensionStatus, Text};
use sea_orm::{ActiveModelTrait, ColumnTrait, PaginatorTrait, QueryFilter, Set, TryIntoModel};
use uuid::Uuid;

use super::deadlines::{self, Rescheduled};
use super::kernel::command::{Audit, Command};
use super::views::ExtensionView;
use super::{Actor, Ctx, duties};
use crate::entity::{Stored, extension_request, finding, milestone};
use crate::error::{AppError, OnConstraint};
use crate::service::kernel::audit::Action;

/// An item whose deadline an extension can be asked for.
trait Extendable: Rescheduled<ActiveModel: TryIntoModel<Self::Model>> {
    /// The audit action of a deadline moved by an approved request.
    const EXTENDED: Action;

    fn is_open(row: &Self::Model) -> bool;
    fn start(row: &Self::Model) -> Option<NaiveDate>;
    /// Whether the actor answers for the item (or is its presidium).
    fn may_ask(actor: &Actor, row: &Self::Model) -> Result<(), Denied>;
    fn name_in(request: &mut extension_request::ActiveModel, id: Uuid);
}

impl Extendable for milestone::Entity {
    const EXTENDED: Action = Action::MilestoneExtend;

    fn is_open(row: &milestone::Model) -> bool {
        row.status.0.is_open()
    }

    fn start(row: &milestone::Model) -> Option<NaiveDate> {
        row.start_date
    }

    fn may_ask(actor: &Actor, row: &milestone::Model) -> Result<(), Denied> {
        actor.access.check_report(
            row.organization_id,
            &[Some(row.responsible_leader_id), row.responsible_person_id],
        )
    }

    fn name_in(request: &mut extension_request::ActiveModel, id: Uuid) {
        request.milestone_id = Set(Some(id));
    }
}

impl Extendable for finding::Entity {
    const EXTENDED: Action = Action::FindingExtend;

    fn is_open(row: &finding::Model) -> bool {
        row.status.0.is_open()
    }

    fn start(_: &finding::Model) -> Option<NaiveDate> {
        None
    }

    fn may_ask(actor: &Actor, row: &finding::Model) -> Result<(), Denied> {
        actor
            .access
            .check_answer(row.organization_id, row.responsible_leader_id)
    }

    fn name_in(request: &mut extension_request::ActiveModel, id: Uuid) {
        request.finding_id = Set(Some(id));
    }
}

/// The responsible leader or person (or the presidium) asks for `entity_id`'s deadline to move
/// to `proposed`, before it has passed.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %entity_id))]
pub async fn request_extension(
    ctx: &Ctx,
    actor: &Actor,
    entity_id: Uuid,
    proposed: NaiveDate,
    reason: &str,
) -> Result<ExtensionView, AppError> {
    let reason = Text::reason(reason)?;
    let proposed = validate::plausible_date(field::PROPOSED_DEADLINE, proposed)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let is_milestone = actor
        .readable()
        .select::<milestone::Entity>()
        .filter(milestone::Column::Id.eq(entity_id))
        .count(cmd.db())
        .await?
        > 0;
    let view = if is_milestone {
        ask::<milestone::Entity>(&mut cmd, actor, entity_id, proposed, &reason).await?
    } else {
        ask::<finding::Entity>(&mut cmd, actor, entity_id, proposed, &reason).await?
    };
    cmd.finish(view).await
}

async fn ask<E: Extendable>(
    cmd: &mut Command<'_>,
    actor: &Actor,
    id: Uuid,
    proposed: NaiveDate,
    reason: &Text,
) -> Result<ExtensionView, AppError> {
    let item = cmd
        .load::<E, _>(id, None, |row| E::may_ask(actor, row))
        .await?;
    let organization_id = E::organization_of(&item.row);
    let today = actor.today_in(organization_id, cmd.now, None);
    let deadline = E::deadline(&item.row);
    check_request(E::is_open(&item.row), E::due_by(&item.row), today, proposed)?;
    let now = cmd.now;
    let mut request = extension_request::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(organization_id),
        milestone_id: Set(None),
        finding_id: Set(None),
        requested_by: Set(actor.user_id()),
        requested_at: Set(now),
        current_deadline: Set(deadline),
        proposed_deadline: Set(proposed),
        reason: Set(reason.as_str().to_string()),
        status: Set(Stored(ExtensionStatus::Pending)),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_note: Set(None),
        approved_deadline: Set(None),
        version: Set(1),
        updated_at: Set(now),
    };
    E::name_in(&mut request, id);
    let row = request.insert(cmd.db()).await.on_constraint(
        "a request for this item is already waiting for the presidium",
        "entityId",
    )?;
    cmd.created::<extension_request::Entity>(&row, Audit::new(Action::ExtensionRequest))
        .await?;
    Ok(ExtensionView::from(row))
}

/// The one who asked takes a waiting request back.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn withdraw_extension(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
) -> Result<ExtensionView, AppError> {
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load::<extension_request::Entity, _>(id, None, |row| {
            if row.requested_by == actor.user_id() {
                Ok(())
            } else {
                Err(AppError::Forbidden(
                    "only the one who asked may withdraw a request".into(),
                ))
            }
        })
        .await?;
    check_pending(current.row.status.0)?;
    let mut next = current.edit();
    next.status = Set(Stored(ExtensionStatus::Withdrawn));
    cmd.finish_update(&current, next, Audit::new(Action::ExtensionWithdraw))
        .await
}

/// The presidium approves a waiting request (moving the deadline to `deadline`, or to the day
/// asked for) or refuses it with a note.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn decide_extension(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    approve: bool,
    note: Option<&str>,
    deadline: Option<NaiveDate>,
) -> Result<ExtensionView, AppError> {
    let note = Text::note(note)?;
    if !approve && note.is_none() {
        return Err(AppError::required(
            field::NOTE,
            "say why the extension is refused",
        ));
    }
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load_managed::<extension_request::Entity>(id, None, "extension requests")
        .await?;
    check_pending(current.row.status.0)?;
    duties::check_not_own(
        cmd.db(),
        actor,
        current.row.requested_by,
        "an extension they asked for",
    )
    .await?;
    let now = cmd.now;
    let mut next = current.edit();
    next.decided_by = Set(Some(actor.user_id()));
    next.decided_at = Set(Some(now));
    next.decision_note = Set(note.as_ref().map(|n| n.as_str().to_string()));
    let action = if approve {
        let to = validate::plausible_date(
            field::DEADLINE,
            deadline.unwrap_or(current.row.proposed_deadline),
        )?;
        let reason = Text::parse(field::REASON, &current.row.reason, limits::NOTE)?;
        match (current.row.milestone_id, current.row.finding_id) {
            (Some(item), _) => {
                extend::<milestone::Entity>(&mut cmd, actor, item, to, &reason, &current.row)
                    .await?;
            }
            (None, Some(item)) => {
                extend::<finding::Entity>(&mut cmd, actor, item, to, &reason, &current.row).await?;
            }
            (None, None) => {
                return Err(AppError::internal(anyhow::anyhow!(
                    "extension request {id} names no item"
                )));
            }
        }
        next.status = Set(Stored(ExtensionStatus::Approved));
        next.approved_deadline = Set(Some(to));
        Action::ExtensionApprove
    } else {
        next.status = Set(Stored(ExtensionStatus::Refused));
        Action::ExtensionRefuse
    };
    cmd.finish_update(&current, next, Audit::new(action)).await
}

/// Moves the item's deadline to `to` for the approved request, through its history.
async fn extend<E: Extendable>(
    cmd: &mut Command<'_>,
    actor: &Actor,
    id: Uuid,
    to: NaiveDate,
    reason: &Text,
    request: &extension_request::Model,
) -> Result<(), AppError> {
    let item = cmd
        .load::<E, _>(id, None, |row| {
            actor
                .access
                .check_manage(E::organization_of(row), "this deadline")
        })
        .await?;
    if !E::is_open(&item.row) {
        return Err(AppError::invalid(
            field::ID,
            Reason::WrongState,
            "the item was closed meanwhile; refuse the request instead",
        ));
    }
    if to == E::deadline(&item.row) {
        return Err(AppError::invalid(
            field::DEADLINE,
            Reason::Unchanged,
            "is the current deadline",
        ));
    }
    validate::schedule(E::start(&item.row), to)
        .map_err(|e| AppError::invalid(field::DEADLINE, e.reason, e.message))?;
    let organization = E::organization_of(&item.row);
    let approving = deadlines::Approving {
        request: request.id,
        asked_on: actor.today_in(organization, request.requested_at, None),
    };
    let next = deadlines::moved(cmd, &item, to, reason, actor.user_id(), Some(approving)).await?;
    let audit = Audit::new(E::EXTENDED)
        .with("reason", reason.as_str())
        .with("extensionRequest", request.id);
    cmd.update(&item, next, audit).await?;
    Ok(())
}
