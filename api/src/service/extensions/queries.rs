//! Reading extension requests: the list in keyset pages (newest asked first), by id, and each
//! milestone's or finding's requests for the DataLoader.

use chrono::{DateTime, Utc};
use jiandu_domain::ExtensionStatus;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entity::{Stored, extension_request};
use crate::error::AppError;
use crate::service::kept;
use crate::service::kernel::tables;
use crate::service::page::{Page, PageRequest};
use crate::service::views::ExtensionView;
use crate::service::{Actor, Ctx};

/// Requests are listed newest first: asked, then id, both descending.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ExtensionKey(DateTime<Utc>, Uuid);

impl ExtensionKey {
    pub fn of(request: &ExtensionView) -> ExtensionKey {
        ExtensionKey(request.requested_at, request.id)
    }
}

fn key(request: &ExtensionView) -> ExtensionKey {
    ExtensionKey::of(request)
}

/// The requests the actor may read, newest first, of the given statuses (all when `None`).
pub async fn list_extensions(
    ctx: &Ctx,
    actor: &Actor,
    statuses: Option<Vec<ExtensionStatus>>,
    page: PageRequest<ExtensionKey>,
) -> Result<Page<ExtensionView>, AppError> {
    use extension_request::Column as C;
    if let Some(kept) =
        kept::extensions_page(ctx, actor.readable(), statuses.as_deref(), &page).await
    {
        return Ok(kept);
    }
    let mut condition =
        Condition::all().add(actor.readable().filter::<extension_request::Entity>());
    if let Some(statuses) = statuses {
        condition = condition.add(C::Status.is_in(statuses.into_iter().map(Stored)));
    }
    let base = extension_request::Entity::find().filter(condition);
    let total = base.clone().count(ctx.db.conn()).await?;
    let mut query = base
        .order_by_desc(C::RequestedAt)
        .order_by_desc(C::Id)
        .limit(page.first + 1);
    if let Some(ExtensionKey(at, id)) = page.after {
        let col = |c: C| Expr::col((extension_request::Entity, c));
        query = query.filter(
            Condition::any()
                .add(col(C::RequestedAt).lt(at))
                .add(col(C::RequestedAt).eq(at).and(col(C::Id).lt(id))),
        );
    }
    let rows = tables::all(query, ctx.db.conn()).await?;
    Ok(Page::from_rows(rows, page.first, total, key))
}

pub async fn extensions_by_ids(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<ExtensionView>, AppError> {
    tables::by_ids::<extension_request::Entity>(actor, ids, ctx.db.conn()).await
}

/// Every request for each of the items in `column` (a milestone's or a finding's), oldest first.
async fn extensions_of(
    ctx: &Ctx,
    actor: &Actor,
    column: extension_request::Column,
    ids: &[Uuid],
) -> Result<Vec<ExtensionView>, AppError> {
    use extension_request::Column as C;
    let query = actor
        .readable()
        .select::<extension_request::Entity>()
        .filter(column.is_in(ids.iter().copied()))
        .order_by_asc(C::RequestedAt)
        .order_by_asc(C::Id);
    tables::all(query, ctx.db.conn()).await
}

pub async fn extensions_of_milestones(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<ExtensionView>, AppError> {
    extensions_of(ctx, actor, extension_request::Column::MilestoneId, ids).await
}

pub async fn extensions_of_findings(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<ExtensionView>, AppError> {
    extensions_of(ctx, actor, extension_request::Column::FindingId, ids).await
}

/// Requests waiting for a decision in `organizations`.
pub async fn pending_count(
    ctx: &Ctx,
    actor: &Actor,
    organizations: &[Uuid],
) -> Result<u64, AppError> {
    use extension_request::Column as C;
    Ok(actor
        .readable()
        .select::<extension_request::Entity>()
        .filter(C::OrganizationId.is_in(organizations.iter().copied()))
        .filter(C::Status.eq(Stored(ExtensionStatus::Pending)))
        .count(ctx.db.conn())
        .await?)
}
