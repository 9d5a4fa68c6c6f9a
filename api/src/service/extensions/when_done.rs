//! A waiting request ends when its item is reported done or its finding resolved.

use jiandu_domain::ExtensionStatus;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::entity::{Stored, extension_request};
use crate::error::AppError;
use crate::service::kernel::audit::Action;
use crate::service::kernel::command::{Audit, Command, Current};
use crate::service::views::ExtensionView;

/// Said of a request that ended because its item was reported done.
pub const WITHDRAWN_WHEN_DONE: &str = "事项已报办结，延期申请随之撤回。";

/// The item a request is for.
pub enum ItemOf {
    Milestone(Uuid),
    Finding(Uuid),
}

/// A waiting request ends when its item is reported done: withdrawn, with a note saying so (the
/// deadline it asked to move no longer binds anyone), in the same command as the report.
pub(in crate::service) async fn withdraw_when_done(
    cmd: &mut Command<'_>,
    item: ItemOf,
) -> Result<(), AppError> {
    let for_item = match item {
        ItemOf::Milestone(id) => extension_request::Column::MilestoneId.eq(id),
        ItemOf::Finding(id) => extension_request::Column::FindingId.eq(id),
    };
    let waiting = extension_request::Entity::find()
        .filter(for_item)
        .filter(extension_request::Column::Status.eq(Stored(ExtensionStatus::Pending)))
        .all(cmd.db())
        .await?;
    for row in waiting {
        let current = Current::<extension_request::Entity> {
            before: ExtensionView::from(row.clone()),
            row,
        };
        let mut next = current.edit();
        next.status = Set(Stored(ExtensionStatus::Withdrawn));
        next.decision_note = Set(Some(WITHDRAWN_WHEN_DONE.into()));
        let audit = Audit::new(Action::ExtensionWithdraw).with("note", WITHDRAWN_WHEN_DONE);
        cmd.update(&current, next, audit).await?;
    }
    Ok(())
}
