//! What leaders ask: the status dashboard ("what is late, whose, by how much") and the year-end
//! figures for the work report. Every figure is an SQL aggregate over indexed columns — one
//! `SUM(CASE …)` per state — never a scan of loaded rows.

mod dashboard;

use chrono::NaiveDate;
use jiandu_domain::Reason;
use jiandu_domain::field;
use jiandu_domain::report::YearFigures;
use jiandu_domain::rollup::Tally;
use jiandu_domain::{FindingStatus, InspectionKind, MilestoneStatus};
use sea_orm::sea_query::{Alias, Expr, Func, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityName, EntityTrait, IdenStatic, PaginatorTrait,
    QueryFilter,
};
use uuid::Uuid;

pub use self::dashboard::{
    Dashboard, DashboardKey, OrganizationFigures, Share, dashboard, dashboard_list,
    share_statements,
};
use super::{Actor, Ctx};
use crate::entity::{finding, inspection, milestone, organization, project};
use crate::error::AppError;
use crate::service::filter::{self, Todays};
use crate::service::kernel::tenant::belongs_to;

/// `SUM(CASE WHEN condition THEN 1 ELSE 0 END)`.
fn count_where(condition: Condition) -> Expr {
    Func::sum(Expr::case(condition, Expr::val(1)).finally(Expr::val(0))).into()
}

/// Runs `select` with one count column per condition, grouped by the `group` columns, and returns
/// each group's key (one id per group column) with its counts.
async fn counts_by(
    ctx: &Ctx,
    select: SelectStatement,
    group: &[(&'static str, &'static str)],
    conditions: Vec<Condition>,
) -> Result<Vec<(Vec<Uuid>, Vec<u64>)>, AppError> {
    let (width, groups) = (conditions.len(), group.len());
    run_grouped(ctx, &grouped(select, group, conditions), groups, width).await
}

/// `select` with one count column `n{i}` per condition and one key column `k{i}` per `group`
/// column, grouped by them.
fn grouped(
    mut select: SelectStatement,
    group: &[(&'static str, &'static str)],
    conditions: Vec<Condition>,
) -> SelectStatement {
    for (i, condition) in conditions.into_iter().enumerate() {
        select.expr_as(count_where(condition), Alias::new(format!("n{i}")));
    }
    for (i, (table, column)) in group.iter().enumerate() {
        let key = (Alias::new(*table), Alias::new(*column));
        select.expr_as(Expr::col(key.clone()), Alias::new(format!("k{i}")));
        select.group_by_col(key);
    }
    select
}

/// Runs a [`grouped`] statement with `group` key columns and `width` counts.
async fn run_grouped(
    ctx: &Ctx,
    select: &SelectStatement,
    group: usize,
    width: usize,
) -> Result<Vec<(Vec<Uuid>, Vec<u64>)>, AppError> {
    let rows = ctx.db.conn().query_all(select).await?;
    rows.into_iter()
        .map(|row| {
            let keys = (0..group)
                .map(|i| row.try_get::<Uuid>("", &format!("k{i}")))
                .collect::<Result<Vec<_>, _>>()?;
            let counts = (0..width)
                .map(|i| {
                    row.try_get::<Option<i64>>("", &format!("n{i}"))
                        .map(|n| u64::try_from(n.unwrap_or(0)).unwrap_or(0))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok((keys, counts))
        })
        .collect()
}

fn select_from<E: EntityTrait>(entity: E, condition: Condition) -> SelectStatement {
    Query::select()
        .from(entity.table_ref())
        .cond_where(condition)
        .to_owned()
}

/// One count per [`Tally`] of the items in scope, each by its organisation's today and rules.
fn tally_conditions(todays: &Todays) -> Vec<Condition> {
    Tally::ALL
        .iter()
        .map(|&tally| filter::milestone_tallies(tally, todays))
        .collect()
}

/// Only supervised items (leaf milestones) are counted, never the parents that sum them up.
fn items_of(organizations: &[Uuid]) -> Condition {
    Condition::all()
        .add(belongs_to::<milestone::Entity>(organizations))
        .add(milestone::Column::IsItem.eq(true))
}

fn group_of<E: EntityName, C: IdenStatic>(entity: E, column: C) -> (&'static str, &'static str) {
    (entity.table_name(), column.as_str())
}

/// The year-end figures of `organization_id` (the actor's own when absent) and those below it.
#[tracing::instrument(skip_all, fields(actor = %actor.username, year))]
pub async fn annual_report(
    ctx: &Ctx,
    actor: &Actor,
    year: i32,
    organization_id: Option<Uuid>,
) -> Result<YearFigures, AppError> {
    let (root, readable) = actor.reads_year(year, organization_id)?;
    let (first, last) = match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(first), Some(last)) => (first, last),
        _ => {
            return Err(AppError::invalid(
                field::YEAR,
                Reason::Implausible,
                "is not a calendar year",
            ));
        }
    };
    let orgs = readable.organizations();

    let by_kind = counts_by(
        ctx,
        select_from(
            inspection::Entity,
            Condition::all()
                .add(belongs_to::<inspection::Entity>(orgs))
                .add(inspection::Column::VisitedOn.between(first, last)),
        ),
        &[],
        InspectionKind::ALL
            .iter()
            .map(|k| Condition::all().add(inspection::Column::Kind.eq(k.as_str())))
            .collect(),
    )
    .await?;
    let kinds = by_kind
        .into_iter()
        .next()
        .map(|(_, n)| n)
        .unwrap_or_default();
    let inspections_by_kind = InspectionKind::ALL
        .iter()
        .zip(kinds.into_iter().chain(std::iter::repeat(0)))
        .map(|(kind, n)| (*kind, n))
        .collect();

    // Items whose on-time deadline (as rolled off rest days) falls in the year, and those of
    // them concluded by it, each by its organisation's own rule for 办结.
    let todays = Todays::of(orgs.iter().map(|&org| (actor.rules.today(org, last), org)));
    let due = counts_by(
        ctx,
        select_from(
            milestone::Entity,
            items_of(orgs)
                .add(milestone::Column::OnTimeDueBy.between(first, last))
                .add(milestone::Column::Status.ne(MilestoneStatus::Cancelled.as_str())),
        ),
        &[],
        vec![
            Condition::all(),
            filter::milestone_tallies(Tally::ConcludedOnTime, &todays),
        ],
    )
    .await?;
    let due = due.into_iter().next().map(|(_, n)| n).unwrap_or_default();

    // The findings the year's inspections raised, and where they stand now: one cohort.
    let raised_in_year = Query::select()
        .column(inspection::Column::Id)
        .from(inspection::Entity)
        .and_where(belongs_to::<inspection::Entity>(orgs))
        .and_where(inspection::Column::VisitedOn.between(first, last))
        .to_owned();
    let resolved: Vec<&str> = FindingStatus::FINISHED.iter().map(|s| s.as_str()).collect();
    let findings = counts_by(
        ctx,
        select_from(
            finding::Entity,
            Condition::all()
                .add(belongs_to::<finding::Entity>(orgs))
                .add(finding::Column::InspectionId.in_subquery(raised_in_year)),
        ),
        &[],
        vec![
            Condition::all(),
            Condition::all().add(finding::Column::Status.is_in(resolved)),
            Condition::all().add(finding::Column::Status.eq(FindingStatus::Verified.as_str())),
        ],
    )
    .await?;
    let findings = findings
        .into_iter()
        .next()
        .map(|(_, n)| n)
        .unwrap_or_default();

    let completed = || {
        project::Entity::find()
            .filter(belongs_to::<project::Entity>(orgs))
            .filter(project::Column::CompletedOn.between(first, last))
    };
    let projects_completed = completed().count(ctx.db.conn()).await?;
    let construction_completed = completed()
        .filter(project::Column::Construction.eq(true))
        .count(ctx.db.conn())
        .await?;
    let name = organization::Entity::find_by_id(root)
        .one(ctx.db.conn())
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let suggestions = crate::service::suggestions::figures_of(ctx, orgs, year).await?;
    let contacts = crate::service::contacts::figures_of(ctx, orgs, year).await?;
    let congress = crate::service::congress::figures_of(ctx, orgs, year, (first, last)).await?;
    let deputies = crate::service::deputies::figures_of(ctx, orgs, year).await?;
    let number = |list: &[u64], i: usize| list.get(i).copied().unwrap_or(0);
    Ok(YearFigures {
        year,
        organization: name,
        inspections_by_kind,
        items_due: number(&due, 0),
        items_closed_on_time: number(&due, 1),
        findings_raised: number(&findings, 0),
        findings_resolved: number(&findings, 1),
        findings_verified: number(&findings, 2),
        projects_completed,
        construction_completed,
        suggestions,
        contacts,
        congress,
        deputies,
    })
}
