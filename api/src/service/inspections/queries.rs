//! Reading inspections: by id, by project, their participants and the milestones they looked
//! at, and filtered lists newest first.

use jiandu_domain::Reason;
use jiandu_domain::field;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::{InspectionFilter, InspectionKey, key};
use crate::entity::{Stored, inspection, inspection_milestone, inspection_participant};
use crate::error::AppError;
use crate::service::kernel::tables;
use crate::service::page::{Page, PageRequest};
use crate::service::views::InspectionView;
use crate::service::{Actor, Ctx};

pub async fn inspections_by_ids(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<InspectionView>, AppError> {
    tables::by_ids::<inspection::Entity>(actor, ids, ctx.db.conn()).await
}

/// Every inspection of each project, newest visit first.
pub async fn inspections_of_projects(
    ctx: &Ctx,
    actor: &Actor,
    project_ids: &[Uuid],
) -> Result<Vec<InspectionView>, AppError> {
    tables::all(
        actor
            .readable()
            .select::<inspection::Entity>()
            .filter(inspection::Column::ProjectId.is_in(project_ids.iter().copied()))
            .order_by_desc(inspection::Column::VisitedOn)
            .order_by_desc(inspection::Column::Id),
        ctx.db.conn(),
    )
    .await
}

/// The participants of each inspection, as (inspection, person) pairs.
pub async fn participants_of(
    ctx: &Ctx,
    actor: &Actor,
    inspection_ids: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, AppError> {
    tables::links::<inspection_participant::Entity>(actor, inspection_ids, ctx.db.conn()).await
}

/// The milestones each inspection looked at, as (inspection, milestone) pairs.
pub async fn milestones_looked_at(
    ctx: &Ctx,
    actor: &Actor,
    inspection_ids: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, AppError> {
    tables::links::<inspection_milestone::Entity>(actor, inspection_ids, ctx.db.conn()).await
}

/// Inspections matching `filter`, newest visit first.
pub async fn list_inspections(
    ctx: &Ctx,
    actor: &Actor,
    filter: InspectionFilter,
    page: PageRequest<InspectionKey>,
) -> Result<Page<InspectionView>, AppError> {
    use inspection::Column as C;
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from > to
    {
        return Err(AppError::invalid(
            field::TO,
            Reason::BeforeStart { start: from },
            "is before `from`",
        ));
    }
    let mut condition = Condition::all().add(actor.readable().filter::<inspection::Entity>());
    if let Some(project_id) = filter.project_id {
        condition = condition.add(C::ProjectId.eq(project_id));
    }
    if let Some(kinds) = &filter.kinds {
        condition = condition.add(C::Kind.is_in(kinds.iter().copied().map(Stored)));
    }
    if let Some(from) = filter.from {
        condition = condition.add(C::VisitedOn.gte(from));
    }
    if let Some(to) = filter.to {
        condition = condition.add(C::VisitedOn.lte(to));
    }
    let base = inspection::Entity::find().filter(condition);
    let total = base.clone().count(ctx.db.conn()).await?;
    let mut query = base
        .order_by_desc(C::VisitedOn)
        .order_by_desc(C::Id)
        .limit(page.first + 1);
    if let Some(InspectionKey(visited_on, id)) = page.after {
        let col = |c: C| Expr::col((inspection::Entity, c));
        query = query.filter(
            Condition::any()
                .add(col(C::VisitedOn).lt(visited_on))
                .add(col(C::VisitedOn).eq(visited_on).and(col(C::Id).lt(id))),
        );
    }
    let rows = tables::all(query, ctx.db.conn()).await?;
    Ok(Page::from_rows(rows, page.first, total, key))
}

/// Pages through a project's already ordered inspections with the same cursors as
/// `list_inspections`.
pub fn page_in_memory(
    items: &[InspectionView],
    page: PageRequest<InspectionKey>,
) -> Page<InspectionView> {
    let after = page.after.map(|InspectionKey(_, id)| id);
    Page::in_memory(items.to_vec(), page.first, after, |i| i.id, key)
}
