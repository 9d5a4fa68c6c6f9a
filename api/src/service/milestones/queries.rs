//! Reading milestones: by id, by project, their history, and filtered lists as indexed SQL.

use std::collections::HashMap;

use chrono::NaiveDate;
use jiandu_domain::rollup::{self, Share};
use jiandu_domain::{MilestoneStatus, Today};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::{MilestoneFilter, MilestoneKey, key};
use crate::entity::{Stored, deadline_change, milestone, progress_report};
use crate::error::AppError;
use crate::service::filter::{self, Todays};
use crate::service::kept;
use crate::service::kernel::tables;
use crate::service::page::{Page, PageRequest};
use crate::service::views::{DeadlineChangeView, MilestoneView, ProgressReportView};
use crate::service::{Actor, Ctx};

pub async fn milestones_by_ids(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<MilestoneView>, AppError> {
    if let Some(kept) = kept::milestones(ctx, actor, ids) {
        return Ok(kept);
    }
    tables::by_ids::<milestone::Entity>(actor, ids, ctx.db.conn()).await
}

/// Every milestone of each project, in list order.
pub async fn milestones_of_projects(
    ctx: &Ctx,
    actor: &Actor,
    project_ids: &[Uuid],
) -> Result<Vec<MilestoneView>, AppError> {
    if let Some(kept) = kept::milestones_of_projects(ctx, actor, project_ids).await {
        return Ok(kept);
    }
    tables::all(
        actor
            .readable()
            .select::<milestone::Entity>()
            .filter(milestone::Column::ProjectId.is_in(project_ids.iter().copied()))
            .order_by_asc(milestone::Column::Deadline)
            .order_by(title_in_code_point_order(ctx), Order::Asc)
            .order_by_asc(milestone::Column::Id),
        ctx.db.conn(),
    )
    .await
}

/// A root milestone's project, progress, weight, status and completion day.
type RootShare = (Uuid, i32, i32, Stored<MilestoneStatus>, Option<NaiveDate>);

/// Each project's progress (what `Project.progress` answers): the weighted mean of its
/// top-level milestones', read from those alone (a parent keeps its children's mean).
pub async fn progress_of_projects(
    ctx: &Ctx,
    actor: &Actor,
    project_ids: &[Uuid],
) -> Result<HashMap<Uuid, u8>, AppError> {
    use milestone::Column as C;
    // Only what the mean needs, not whole rows: a board asks for fifty projects' roots.
    let roots: Vec<RootShare> = actor
        .readable()
        .select::<milestone::Entity>()
        .select_only()
        .columns([
            C::ProjectId,
            C::Progress,
            C::Weight,
            C::Status,
            C::CompletedOn,
        ])
        .filter(C::ProjectId.is_in(project_ids.iter().copied()))
        .filter(C::ParentId.is_null())
        .into_tuple()
        .all(ctx.db.conn())
        .await?;
    let mut by_project: HashMap<Uuid, Vec<Share>> = HashMap::new();
    for (project, progress, weight, status, completed_on) in roots {
        by_project.entry(project).or_default().push(Share {
            progress: u8::try_from(progress.clamp(0, 100)).unwrap_or(0),
            weight: u32::try_from(Ord::max(weight, 1)).unwrap_or(1),
            closure: status.0.closure(completed_on),
        });
    }
    Ok(by_project
        .into_iter()
        .map(|(project, shares)| (project, rollup::mean_progress(shares).unwrap_or(0)))
        .collect())
}

pub async fn deadline_changes_of(
    ctx: &Ctx,
    actor: &Actor,
    milestone_ids: &[Uuid],
) -> Result<Vec<(Uuid, DeadlineChangeView)>, AppError> {
    Ok(actor
        .readable()
        .hanging_off::<milestone::Entity, deadline_change::Entity>(
            deadline_change::Column::MilestoneId,
            milestone_ids,
        )
        .order_by_asc(deadline_change::Column::ChangedAt)
        .order_by_asc(deadline_change::Column::Id)
        .all(ctx.db.conn())
        .await?
        .into_iter()
        .map(|m| (m.milestone_id, DeadlineChangeView::from(m)))
        .collect())
}

pub async fn progress_reports_of(
    ctx: &Ctx,
    actor: &Actor,
    milestone_ids: &[Uuid],
) -> Result<Vec<(Uuid, ProgressReportView)>, AppError> {
    Ok(actor
        .readable()
        .hanging_off::<milestone::Entity, progress_report::Entity>(
            progress_report::Column::MilestoneId,
            milestone_ids,
        )
        .order_by_asc(progress_report::Column::ReportedAt)
        .order_by_asc(progress_report::Column::Id)
        .all(ctx.db.conn())
        .await?
        .into_iter()
        .map(|m| (m.milestone_id, ProgressReportView::from(m)))
        .collect())
}

/// Milestones matching `filter`, by deadline then title, as indexed SQL.
#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn list_milestones(
    ctx: &Ctx,
    actor: &Actor,
    filter: MilestoneFilter,
    page: PageRequest<MilestoneKey>,
) -> Result<Page<MilestoneView>, AppError> {
    use milestone::Column as C;
    let readable = actor.reads(filter.organization_id)?;
    if let Some(kept) = kept::milestones_page(ctx, actor, &readable, &filter, &page).await {
        return Ok(kept);
    }
    let mut condition = Condition::all().add(readable.filter::<milestone::Entity>());
    if let Some(project_id) = filter.project_id {
        condition = condition.add(C::ProjectId.eq(project_id));
    }
    if let Some(leader_id) = filter.leader_id {
        condition = condition.add(C::ResponsibleLeaderId.eq(leader_id));
    }
    if let Some(unit_id) = filter.unit_id {
        condition = condition.add(C::ResponsibleUnitId.eq(unit_id));
    }
    if let Some(status) = &filter.status {
        condition = condition.add(C::Status.is_in(status.iter().copied().map(Stored)));
    }
    if let Some(historical) = filter.historical {
        condition = condition.add(C::Historical.eq(historical));
    }
    if let Some(from) = filter.deadline_from {
        condition = condition.add(C::Deadline.gte(from));
    }
    if let Some(to) = filter.deadline_to {
        condition = condition.add(C::Deadline.lte(to));
    }
    if let Some(states) = &filter.deadline_state {
        let todays = Todays::new(actor, readable.organizations(), ctx.now(), filter.as_of);
        condition = condition.add(filter::milestone_states(states, &todays));
    }
    let base = milestone::Entity::find().filter(condition);
    let total = base.clone().count(ctx.db.conn()).await?;
    let mut query = base
        .order_by_asc(C::DueBy)
        .order_by(title_in_code_point_order(ctx), Order::Asc)
        .order_by_asc(C::Id)
        .limit(page.first + 1);
    if let Some(MilestoneKey(due_by, title, id)) = page.after {
        let col = |c: C| Expr::col((milestone::Entity, c));
        query = query.filter(
            Condition::any()
                .add(col(C::DueBy).gt(due_by))
                .add(
                    col(C::DueBy)
                        .eq(due_by)
                        .and(title_in_code_point_order(ctx).gt(title.clone())),
                )
                .add(
                    col(C::DueBy)
                        .eq(due_by)
                        .and(col(C::Title).eq(title))
                        .and(col(C::Id).gt(id)),
                ),
        );
    }
    let rows = tables::all(query, ctx.db.conn()).await?;
    Ok(Page::from_rows(rows, page.first, total, key))
}

/// A milestone's title as the lists order it: by code point, as SQLite compares text and as the
/// lists kept in memory sort it (`service::kept`), whatever collation a PostgreSQL database was
/// created with.
fn title_in_code_point_order(ctx: &Ctx) -> Expr {
    match ctx.db.backend() {
        sea_orm::DatabaseBackend::Postgres => Expr::cust(r#""milestone"."title" COLLATE "C""#),
        _ => Expr::col((milestone::Entity, milestone::Column::Title)),
    }
}

impl MilestoneFilter {
    /// The same filter applied to a loaded milestone (for a project's nested list), judged with
    /// the domain rules on `today`.
    pub fn matches(&self, m: &MilestoneView, today: &Today) -> bool {
        self.organization_id
            .is_none_or(|id| id == m.organization_id)
            && self.project_id.is_none_or(|id| id == m.project_id)
            && self
                .leader_id
                .is_none_or(|id| id == m.responsible_leader_id)
            && self.unit_id.is_none_or(|id| id == m.responsible_unit_id)
            && self.status.as_ref().is_none_or(|s| s.contains(&m.status))
            && self.historical.is_none_or(|h| h == m.historical)
            && self.deadline_from.is_none_or(|from| m.deadline >= from)
            && self.deadline_to.is_none_or(|to| m.deadline <= to)
            && self
                .deadline_state
                .as_ref()
                .is_none_or(|states| states.contains(&m.tracked().deadline_state(today)))
    }
}

/// Pages through an already ordered list of milestones with the same cursors as `list_milestones`.
pub fn page_in_memory(
    items: Vec<MilestoneView>,
    page: PageRequest<MilestoneKey>,
) -> Page<MilestoneView> {
    let after = page.after.map(|MilestoneKey(_, _, id)| id);
    Page::in_memory(items, page.first, after, |m| m.id, key)
}
