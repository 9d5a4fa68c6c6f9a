//! Reading notices: by id, a page of a filtered list newest first, the people each was copied
//! to, and the dashboard's count of orders not yet signed for.

use chrono::{DateTime, Utc};
use jiandu_domain::notice::{NoticeKind, NoticeLevel};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entity::{Stored, notice, notice_copy};
use crate::error::AppError;
use crate::service::kernel::tables;
use crate::service::page::{Page, PageRequest};
use crate::service::views::NoticeView;
use crate::service::{Actor, Ctx};

#[derive(Default, Clone)]
pub struct NoticeFilter {
    pub kind: Option<Vec<NoticeKind>>,
    pub level: Option<Vec<NoticeLevel>>,
    pub recipient_id: Option<Uuid>,
    pub subject_id: Option<Uuid>,
    /// Only those addressed to the caller's person.
    pub mine: bool,
    pub unacknowledged: bool,
}

/// Notices are listed newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoticeKey(DateTime<Utc>, Uuid);

fn key(n: &NoticeView) -> NoticeKey {
    NoticeKey(n.issued_at, n.id)
}

pub async fn notices_by_ids(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<NoticeView>, AppError> {
    tables::by_ids::<notice::Entity>(actor, ids, ctx.db.conn()).await
}

/// Notices matching `filter` in what the actor may read, newest first.
pub async fn list_notices(
    ctx: &Ctx,
    actor: &Actor,
    filter: NoticeFilter,
    page: PageRequest<NoticeKey>,
) -> Result<Page<NoticeView>, AppError> {
    use notice::Column as C;
    let readable = actor.reads(None)?;
    let mut condition = Condition::all().add(readable.filter::<notice::Entity>());
    if let Some(kinds) = &filter.kind {
        condition = condition.add(C::Kind.is_in(kinds.iter().copied().map(Stored)));
    }
    if let Some(levels) = &filter.level {
        condition = condition.add(C::Level.is_in(levels.iter().copied().map(Stored)));
    }
    if let Some(recipient) = filter.recipient_id {
        condition = condition.add(C::RecipientId.eq(recipient));
    }
    if filter.mine {
        // Someone who is no person on the list has no notices of their own.
        let me = actor.access.person_id.unwrap_or_else(Uuid::nil);
        condition = condition.add(C::RecipientId.eq(me));
    }
    if let Some(subject) = filter.subject_id {
        condition = condition.add(C::SubjectId.eq(subject));
    }
    if filter.unacknowledged {
        condition = condition.add(C::AcknowledgedAt.is_null());
    }
    let base = notice::Entity::find().filter(condition);
    let total = base.clone().count(ctx.db.conn()).await?;
    let mut query = base
        .order_by_desc(C::IssuedAt)
        .order_by_desc(C::Id)
        .limit(page.first + 1);
    if let Some(NoticeKey(at, id)) = page.after {
        query = query.filter(
            Condition::any()
                .add(C::IssuedAt.lt(at))
                .add(C::IssuedAt.eq(at).and(C::Id.lt(id))),
        );
    }
    let rows = tables::all(query, ctx.db.conn()).await?;
    Ok(Page::from_rows(rows, page.first, total, key))
}

/// The people each notice was copied to, as (notice, person) pairs, first copied first.
pub async fn copies_of(
    ctx: &Ctx,
    actor: &Actor,
    notice_ids: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, AppError> {
    use notice_copy::{Column, Entity};
    let rows = actor
        .readable()
        .hanging_off::<notice::Entity, Entity>(Column::NoticeId, notice_ids)
        .order_by_asc(Column::CopiedAt)
        .all(ctx.db.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| (c.notice_id, c.person_id))
        .collect())
}

/// Supervision orders not yet acknowledged in `organizations` (the dashboard's figure).
pub async fn unacknowledged_orders(
    ctx: &Ctx,
    actor: &Actor,
    organizations: &[Uuid],
) -> Result<u64, AppError> {
    use notice::Column as C;
    Ok(actor
        .readable()
        .select::<notice::Entity>()
        .filter(C::OrganizationId.is_in(organizations.iter().copied()))
        .filter(C::Kind.eq(Stored(NoticeKind::SupervisionOrder)))
        .filter(C::AcknowledgedAt.is_null())
        .count(ctx.db.conn())
        .await?)
}
