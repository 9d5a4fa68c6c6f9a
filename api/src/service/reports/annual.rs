//! The year told (docs/reports.md): the year-end figures of a scope, counted once and kept until
//! anything is written to it (like the dashboards' shares), each township's figures beside a
//! county's, and the years a scope has anything in.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use futures::{StreamExt, TryStreamExt};
use jiandu_domain::report::YearFigures;
use jiandu_domain::rollup::Tally;
use jiandu_domain::{FindingStatus, InspectionKind, MilestoneStatus, Reason, field};
use sea_orm::sea_query::{Alias, Expr, Func, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use super::{counts_by, items_of, select_from};
use crate::entity::{
    constituent_contact, finding, inspection, meeting, milestone, organization, project, suggestion,
};
use crate::error::AppError;
use crate::service::filter::{self, Todays};
use crate::service::kernel::tenant::belongs_to;
use crate::service::{Actor, Ctx};

/// Townships counted at once when a county's table is counted afresh.
const AT_ONCE: usize = 4;

/// A scope's year: its figures, each organisation's directly below it (a county's townships,
/// by name), and the years anything of it is dated in.
pub struct YearTold {
    pub root: Uuid,
    pub figures: Arc<YearFigures>,
    pub below: Vec<(Uuid, Arc<YearFigures>)>,
    pub years: Arc<Vec<i32>>,
}

/// The first and last day of `year`.
pub(crate) fn year_span(year: i32) -> Result<(NaiveDate, NaiveDate), AppError> {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .zip(NaiveDate::from_ymd_opt(year, 12, 31))
        .ok_or_else(|| {
            AppError::invalid(field::YEAR, Reason::Implausible, "is not a calendar year")
        })
}

/// The year-end figures of `organization_id` (the actor's own when absent) and those below it,
/// with the organisation they are of.
#[tracing::instrument(skip_all, fields(actor = %actor.username, year))]
pub async fn annual_report(
    ctx: &Ctx,
    actor: &Actor,
    year: i32,
    organization_id: Option<Uuid>,
) -> Result<(Uuid, YearFigures), AppError> {
    let (root, readable) = actor.reads_year(year, organization_id)?;
    let figures = kept(ctx, actor, year, root, readable.organizations()).await?;
    Ok((root, (*figures).clone()))
}

/// The year of `organization_id` (the actor's own when absent) as the 年度报告 page tells it.
#[tracing::instrument(skip_all, fields(actor = %actor.username, year))]
pub async fn year_told(
    ctx: &Ctx,
    actor: &Actor,
    year: i32,
    organization_id: Option<Uuid>,
) -> Result<YearTold, AppError> {
    let (root, readable) = actor.reads_year(year, organization_id)?;
    let orgs = readable.organizations();
    let figures = kept(ctx, actor, year, root, orgs).await?;
    let mut below: Vec<(Uuid, Arc<YearFigures>)> = futures::stream::iter(actor.children_of(root))
        .map(|child| async move {
            let scope = actor.reads(Some(child))?;
            let figures = kept(ctx, actor, year, child, scope.organizations()).await?;
            Ok::<_, AppError>((child, figures))
        })
        .buffered(AT_ONCE)
        .try_collect()
        .await?;
    below.sort_by(|a, b| a.1.organization.cmp(&b.1.organization));
    let today = actor.today_in(root, ctx.now(), None).year();
    let years = years_of(ctx, orgs, today).await?;
    Ok(YearTold {
        root,
        figures,
        below,
        years,
    })
}

/// The figures of `root`'s scope `orgs` in `year`: kept from the last count while nothing has
/// been written to any of `orgs` since (on any replica), counted again otherwise.
async fn kept(
    ctx: &Ctx,
    actor: &Actor,
    year: i32,
    root: Uuid,
    orgs: &[Uuid],
) -> Result<Arc<YearFigures>, AppError> {
    let key = (root, orgs.to_vec(), year);
    // Read before the figures, so a write committed meanwhile leaves them already stale.
    let changes = ctx.db.changes().current(orgs);
    if let Some(figures) = ctx.annual_reports.get(&key, changes) {
        return Ok(figures);
    }
    let figures = Arc::new(count(ctx, actor, year, root, orgs).await?);
    ctx.annual_reports.put(key, changes, figures.clone());
    Ok(figures)
}

/// Inspections of `orgs` visited in the year.
pub(super) fn inspections_in(orgs: &[Uuid], (first, last): (NaiveDate, NaiveDate)) -> Condition {
    Condition::all()
        .add(belongs_to::<inspection::Entity>(orgs))
        .add(inspection::Column::VisitedOn.between(first, last))
}

/// Items whose on-time deadline (as rolled off rest days) falls in the year, cancelled ones
/// left out: 应完成督办事项.
pub(super) fn items_due_in(orgs: &[Uuid], (first, last): (NaiveDate, NaiveDate)) -> Condition {
    items_of(orgs)
        .add(milestone::Column::OnTimeDueBy.between(first, last))
        .add(milestone::Column::Status.ne(MilestoneStatus::Cancelled.as_str()))
}

/// Of [`items_due_in`], those concluded by their deadline, each by its organisation's own rule
/// for 办结, judged on the year's last day.
pub(super) fn closed_on_time(actor: &Actor, orgs: &[Uuid], last: NaiveDate) -> Condition {
    let todays = Todays::of(orgs.iter().map(|&org| (actor.rules.today(org, last), org)));
    filter::milestone_tallies(Tally::ConcludedOnTime, &todays)
}

/// The findings the year's inspections raised: one cohort, wherever they stand now.
pub(super) fn findings_raised_in(orgs: &[Uuid], span: (NaiveDate, NaiveDate)) -> Condition {
    let raised_in_year = Query::select()
        .column(inspection::Column::Id)
        .from(inspection::Entity)
        .cond_where(inspections_in(orgs, span))
        .to_owned();
    Condition::all()
        .add(belongs_to::<finding::Entity>(orgs))
        .add(finding::Column::InspectionId.in_subquery(raised_in_year))
}

/// Of [`findings_raised_in`], those verified (已整改落实).
pub(super) fn verified() -> Condition {
    Condition::all().add(finding::Column::Status.eq(FindingStatus::Verified.as_str()))
}

/// The figures counted: one grouped statement per table, never a scan of loaded rows.
async fn count(
    ctx: &Ctx,
    actor: &Actor,
    year: i32,
    root: Uuid,
    orgs: &[Uuid],
) -> Result<YearFigures, AppError> {
    let span = year_span(year)?;
    let (first, last) = span;
    let first_counts = |rows: Vec<(Vec<Uuid>, Vec<u64>)>| {
        rows.into_iter().next().map(|(_, n)| n).unwrap_or_default()
    };
    let kinds = first_counts(
        counts_by(
            ctx,
            select_from(inspection::Entity, inspections_in(orgs, span)),
            &[],
            InspectionKind::ALL
                .iter()
                .map(|k| Condition::all().add(inspection::Column::Kind.eq(k.as_str())))
                .collect(),
        )
        .await?,
    );
    let inspections_by_kind = InspectionKind::ALL
        .iter()
        .zip(kinds.into_iter().chain(std::iter::repeat(0)))
        .map(|(kind, n)| (*kind, n))
        .collect();
    let due = first_counts(
        counts_by(
            ctx,
            select_from(milestone::Entity, items_due_in(orgs, span)),
            &[],
            vec![Condition::all(), closed_on_time(actor, orgs, last)],
        )
        .await?,
    );
    let resolved: Vec<&str> = FindingStatus::FINISHED.iter().map(|s| s.as_str()).collect();
    let findings = first_counts(
        counts_by(
            ctx,
            select_from(finding::Entity, findings_raised_in(orgs, span)),
            &[],
            vec![
                Condition::all(),
                Condition::all().add(finding::Column::Status.is_in(resolved)),
                verified(),
            ],
        )
        .await?,
    );
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
    let congress = crate::service::congress::figures_of(ctx, orgs, year, span).await?;
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

/// The years anything of `orgs` is dated in (items due, inspections, suggestions, letters and
/// visits, meetings), and `this_year` always; newest first. Kept like the figures.
async fn years_of(ctx: &Ctx, orgs: &[Uuid], this_year: i32) -> Result<Arc<Vec<i32>>, AppError> {
    let key = (orgs.to_vec(), this_year);
    let changes = ctx.db.changes().current(orgs);
    if let Some(years) = ctx.report_years.get(&key, changes) {
        return Ok(years);
    }
    let years = Arc::new(dated_in(ctx, orgs, this_year).await?);
    ctx.report_years.put(key, changes, years.clone());
    Ok(years)
}

async fn dated_in(ctx: &Ctx, orgs: &[Uuid], this_year: i32) -> Result<Vec<i32>, AppError> {
    fn span_of(
        table: impl sea_orm::Iden + 'static,
        column: impl sea_orm::Iden + Clone + 'static,
    ) -> SelectStatement {
        Query::select()
            .expr_as(Func::min(Expr::col(column.clone())), Alias::new("first"))
            .expr_as(Func::max(Expr::col(column)), Alias::new("last"))
            .from(table)
            .to_owned()
    }
    let statements = [
        span_of(milestone::Entity, milestone::Column::OnTimeDueBy)
            .and_where(belongs_to::<milestone::Entity>(orgs))
            .to_owned(),
        span_of(inspection::Entity, inspection::Column::VisitedOn)
            .and_where(belongs_to::<inspection::Entity>(orgs))
            .to_owned(),
        span_of(suggestion::Entity, suggestion::Column::ReceivedOn)
            .and_where(belongs_to::<suggestion::Entity>(orgs))
            .to_owned(),
        span_of(
            constituent_contact::Entity,
            constituent_contact::Column::ReceivedOn,
        )
        .and_where(belongs_to::<constituent_contact::Entity>(orgs))
        .to_owned(),
        span_of(meeting::Entity, meeting::Column::HeldOn)
            .and_where(belongs_to::<meeting::Entity>(orgs))
            .to_owned(),
    ];
    let (mut first, mut last) = (this_year, this_year);
    for statement in &statements {
        let Some(row) = ctx.db.conn().query_one(statement).await? else {
            continue;
        };
        let year_of = |name: &str| {
            row.try_get::<Option<NaiveDate>>("", name)
                .ok()
                .flatten()
                .map(|day| day.year())
        };
        first = year_of("first").map_or(first, |year| year.min(first));
        last = year_of("last").map_or(last, |year| year.max(last));
    }
    // Only the years the report answers are offered.
    Ok((first.max(2000)..=last.min(2100)).rev().collect())
}
