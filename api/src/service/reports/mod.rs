//! What leaders ask: the status dashboard ("what is late, whose, by how much") and the year-end
//! figures for the work report. Every figure is an SQL aggregate over indexed columns — one
//! `SUM(CASE …)` per state — never a scan of loaded rows.

mod annual;
mod behind;
mod dashboard;
mod told;

use jiandu_domain::rollup::Tally;
use sea_orm::sea_query::{Alias, Expr, Func, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityName, EntityTrait, IdenStatic};
use uuid::Uuid;

pub use self::annual::{YearTold, annual_report, year_told};
pub use self::behind::{Behind, Figure, behind};
pub use self::dashboard::{
    Dashboard, DashboardKey, OrganizationFigures, Share, dashboard, dashboard_list,
    share_statements,
};
pub use self::told::{Line, Part, parts};
use super::Ctx;
use crate::entity::milestone;
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
