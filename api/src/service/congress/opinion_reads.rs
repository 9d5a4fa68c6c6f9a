//! Reading deliberation opinions (docs/congress.md): a year's, a meeting's, a leader's, and
//! who may answer one for the government.

use std::collections::HashSet;

use chrono::NaiveDate;
use jiandu_domain::Role;
use jiandu_domain::congress::OpinionStatus;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::super::kernel::tables;
use super::super::views::OpinionView;
use super::super::{Actor, Ctx};
use crate::entity::deliberation_opinion as opinion;
use crate::entity::{Stored, app_user};
use crate::error::AppError;

/// The people of `organization` who cannot answer an opinion for the government: those who
/// sign in as deputies, presidium members or readers. (A leader without an account may: the
/// presidium enters the written reply that comes on paper.)
pub async fn outside_the_government(
    db: &impl sea_orm::ConnectionTrait,
    organization: Uuid,
) -> Result<HashSet<Uuid>, AppError> {
    let people: Vec<Option<Uuid>> = app_user::Entity::find()
        .select_only()
        .column(app_user::Column::PersonId)
        .filter(app_user::Column::OrganizationId.eq(organization))
        .filter(app_user::Column::Role.ne(Stored(Role::Leader)))
        .into_tuple()
        .all(db)
        .await?;
    Ok(people.into_iter().flatten().collect())
}

/// The opinions the actor may read, sent in `year` or all, newest first.
pub async fn opinions(
    ctx: &Ctx,
    actor: &Actor,
    year: Option<i32>,
) -> Result<Vec<OpinionView>, AppError> {
    use opinion::Column as C;
    let mut query = actor.readable().select::<opinion::Entity>();
    if let Some(year) = year {
        let year = crate::service::import::ledger_year(year)?;
        let first = NaiveDate::from_ymd_opt(year, 1, 1);
        let last = NaiveDate::from_ymd_opt(year, 12, 31);
        if let (Some(first), Some(last)) = (first, last) {
            query = query.filter(C::SentOn.between(first, last));
        }
    }
    tables::all(
        query.order_by_desc(C::SentOn).order_by_desc(C::Id),
        ctx.db.conn(),
    )
    .await
}

pub async fn opinions_by_ids(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<OpinionView>, AppError> {
    tables::by_ids::<opinion::Entity>(actor, ids, ctx.db.conn()).await
}

/// The opinions made at the meetings `ids`, in the order recorded.
pub async fn opinions_of_meetings(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<OpinionView>, AppError> {
    use opinion::Column as C;
    tables::all(
        actor
            .readable()
            .select::<opinion::Entity>()
            .filter(C::MeetingId.is_in(ids.iter().copied()))
            .order_by_asc(C::CreatedAt)
            .order_by_asc(C::Id),
        ctx.db.conn(),
    )
    .await
}

/// The opinions sent to `leader` that are not yet judged (awaiting the reply, or answered), the
/// earliest due first: what a leader's 我的督办事项 lists.
pub async fn opinions_of_leader(
    ctx: &Ctx,
    actor: &Actor,
    leader: Uuid,
) -> Result<Vec<OpinionView>, AppError> {
    use opinion::Column as C;
    tables::all(
        actor
            .readable()
            .select::<opinion::Entity>()
            .filter(C::ResponsibleLeaderId.eq(leader))
            .filter(C::Status.is_in([Stored(OpinionStatus::Sent), Stored(OpinionStatus::Answered)]))
            .order_by_asc(C::DueBy)
            .order_by_asc(C::Id),
        ctx.db.conn(),
    )
    .await
}
