//! What leaders ask: the status dashboard ("what is late, whose, by how much") and the year-end
//! figures for the work report. Every figure is an SQL aggregate over indexed columns — one
//! `SUM(CASE …)` per state — never a scan of loaded rows.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use jiandu_domain::report::YearFigures;
use jiandu_domain::rollup::Counts;
use jiandu_domain::{DeadlineState, FindingStatus, InspectionKind, Light, MilestoneStatus};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityName, EntityTrait, IdenStatic, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::filter::{self, Todays};
use super::views::MilestoneView;
use super::{Actor, Ctx};
use crate::entity::{finding, inspection, milestone, organization, project};
use crate::error::AppError;

const STATES: [DeadlineState; 6] = [
    DeadlineState::Upcoming,
    DeadlineState::DueSoon,
    DeadlineState::Overdue,
    DeadlineState::DoneOnTime,
    DeadlineState::DoneLate,
    DeadlineState::Cancelled,
];

const LIGHTS: [Light; 4] = [Light::Red, Light::Yellow, Light::Green, Light::Grey];

/// The figures of one organisation within a dashboard.
#[derive(Debug, Clone, Default)]
pub struct OrganizationFigures {
    pub project_count: u64,
    pub milestones: Counts,
    pub open_findings: u64,
    pub overdue_findings: u64,
}

#[derive(Debug, Clone)]
pub struct Dashboard {
    /// The day the figures are for, in the asked organisation's zone.
    pub as_of: NaiveDate,
    pub project_count: u64,
    pub projects_by_light: Vec<(Light, u64)>,
    pub milestones: Counts,
    /// Worst first: most overdue, then most due soon, then most open.
    pub by_leader: Vec<(Uuid, Counts)>,
    pub by_unit: Vec<(Uuid, Counts)>,
    /// Each organisation in scope with its own figures (a county's townships), by name.
    pub by_organization: Vec<(Uuid, OrganizationFigures)>,
    pub open_findings: u64,
    pub overdue_findings: u64,
    /// The `asOf` asked for, if any (otherwise each organisation's own today counts).
    pub asked_as_of: Option<NaiveDate>,
    /// What the lists below the figures are drawn from.
    pub organizations: Vec<Uuid>,
    pub todays: Todays,
}

/// `SUM(CASE WHEN condition THEN 1 ELSE 0 END)`.
fn count_where(condition: Condition) -> Expr {
    Func::sum(Expr::case(condition, Expr::val(1)).finally(Expr::val(0))).into()
}

/// Runs `select` with one count column per condition, grouped by the `group` columns, and returns
/// each group's key (one id per group column) with its counts.
async fn counts_by(
    ctx: &Ctx,
    mut select: SelectStatement,
    group: &[(&'static str, &'static str)],
    conditions: Vec<Condition>,
) -> Result<Vec<(Vec<Uuid>, Vec<u64>)>, AppError> {
    let width = conditions.len();
    for (i, condition) in conditions.into_iter().enumerate() {
        select.expr_as(count_where(condition), Alias::new(format!("n{i}")));
    }
    for (i, (table, column)) in group.iter().enumerate() {
        let key = (Alias::new(*table), Alias::new(*column));
        select.expr_as(Expr::col(key.clone()), Alias::new(format!("k{i}")));
        select.group_by_col(key);
    }
    let rows = ctx.db.conn().query_all(&select).await?;
    rows.into_iter()
        .map(|row| {
            let keys = (0..group.len())
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

fn into_counts(numbers: &[u64]) -> Counts {
    let mut counts = Counts::default();
    for (state, n) in STATES.iter().zip(numbers) {
        counts.add(*state, *n);
    }
    counts
}

fn group_of<E: EntityName, C: IdenStatic>(entity: E, column: C) -> (&'static str, &'static str) {
    (entity.table_name(), column.as_str())
}

/// Milestone counts by state for each (organisation, leader, unit), in one scan.
async fn milestone_counts(
    ctx: &Ctx,
    organizations: &[Uuid],
    todays: &Todays,
) -> Result<Vec<(Vec<Uuid>, Counts)>, AppError> {
    let due_soon_days = ctx.settings.due_soon_days;
    let scope = Condition::all()
        .add(milestone::Column::OrganizationId.is_in(organizations.iter().copied()));
    let conditions = STATES
        .iter()
        .map(|&state| filter::milestone_states(&[state], todays, due_soon_days))
        .collect();
    let group = [
        group_of(milestone::Entity, milestone::Column::OrganizationId),
        group_of(milestone::Entity, milestone::Column::ResponsibleLeaderId),
        group_of(milestone::Entity, milestone::Column::ResponsibleUnitId),
    ];
    let rows = counts_by(
        ctx,
        select_from(milestone::Entity, scope),
        &group,
        conditions,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|(keys, numbers)| (keys, into_counts(&numbers)))
        .collect())
}

/// Open and overdue findings, in total or per organisation.
async fn finding_counts(
    ctx: &Ctx,
    organizations: &[Uuid],
    todays: &Todays,
    per_organization: bool,
) -> Result<Vec<(Option<Uuid>, (u64, u64))>, AppError> {
    let open: Vec<&str> = FindingStatus::OPEN.iter().map(|s| s.as_str()).collect();
    let scope =
        Condition::all().add(finding::Column::OrganizationId.is_in(organizations.iter().copied()));
    let conditions = vec![
        Condition::all().add(finding::Column::Status.is_in(open)),
        filter::finding_states(
            &[DeadlineState::Overdue],
            todays,
            ctx.settings.due_soon_days,
        ),
    ];
    let group = [group_of(finding::Entity, finding::Column::OrganizationId)];
    let group: &[_] = if per_organization { &group } else { &[] };
    let rows = counts_by(ctx, select_from(finding::Entity, scope), group, conditions).await?;
    Ok(rows
        .into_iter()
        .map(|(keys, n)| (keys.first().copied(), (n[0], n[1])))
        .collect())
}

const MILESTONE_RANK: &str = "milestone_rank";
const FINDING_RANK: &str = "finding_rank";

/// Every project in scope joined with its worst open-milestone and open-finding light ranks
/// (one grouped pass over the open rows each, instead of a subquery per project and light).
fn projects_with_lights(
    backend: sea_orm::DatabaseBackend,
    organizations: &[Uuid],
    todays: &Todays,
    due_soon_days: u32,
) -> SelectStatement {
    use sea_orm::sea_query::JoinType;
    let (milestones, findings) =
        filter::worst_light_by_project(backend, organizations, todays, due_soon_days);
    let joined = |alias: &str| {
        Expr::col((Alias::new(alias), Alias::new("project_id")))
            .equals((project::Entity, project::Column::Id))
    };
    Query::select()
        .from(project::Entity)
        .join_subquery(
            JoinType::LeftJoin,
            milestones,
            Alias::new(MILESTONE_RANK),
            joined(MILESTONE_RANK),
        )
        .join_subquery(
            JoinType::LeftJoin,
            findings,
            Alias::new(FINDING_RANK),
            joined(FINDING_RANK),
        )
        .and_where(project::Column::OrganizationId.is_in(organizations.iter().copied()))
        .to_owned()
}

/// The conditions counted per organisation over [`projects_with_lights`]: one per light in
/// [`LIGHTS`] order, then all projects.
fn light_counts() -> Vec<Condition> {
    let closed: Vec<&str> = jiandu_domain::ProjectStatus::CLOSED
        .iter()
        .map(|s| s.as_str())
        .collect();
    // A project without open rows has no rank: GREEN (1), never NULL, so NOT stays two-valued.
    let rank = |alias: &str, n: i32| {
        let column: Expr = Expr::col((Alias::new(alias), Alias::new("rank")));
        Expr::from(Func::coalesce([column, Expr::val(1)])).eq(Expr::val(n))
    };
    let at = |n: i32| {
        Condition::any()
            .add(rank(MILESTONE_RANK, n))
            .add(rank(FINDING_RANK, n))
    };
    let active = || Condition::all().add(project::Column::Status.is_not_in(closed.clone()));
    vec![
        active().add(at(3)),
        active().add(at(3).not()).add(at(2)),
        active().add(at(3).not()).add(at(2).not()),
        Condition::all().add(project::Column::Status.is_in(closed.clone())),
        Condition::all(),
    ]
}

/// What a dashboard's figures depend on besides the data: the organisations in scope and the
/// day each of them is at (so that midnight starts new figures).
pub type DashboardKey = (Uuid, Todays, Option<NaiveDate>);

/// The dashboard of `organization_id` (the actor's own when absent) and everything below it.
/// Readers of the same organisation on the same day share one computation until the next write.
#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn dashboard(
    ctx: &Ctx,
    actor: &Actor,
    organization_id: Option<Uuid>,
    as_of: Option<NaiveDate>,
) -> Result<Arc<Dashboard>, AppError> {
    let root = organization_id.unwrap_or(actor.organization_id());
    let mut organizations = actor.organizations_in(Some(root))?;
    // In a fixed order, so the same scope makes the same key.
    organizations.sort_unstable();
    let now = ctx.now();
    let todays = Todays::new(actor, &organizations, now, as_of);
    let key = (root, todays, as_of);
    // Read before the figures, so a write committed meanwhile leaves them already stale.
    let changes = ctx.db.changes().current();
    if let Some(figures) = ctx.dashboards.get(&key, changes) {
        return Ok(figures);
    }
    let todays = key.1.clone();
    let figures = compute_dashboard(ctx, actor, root, organizations, todays, as_of, now).await?;
    let figures = Arc::new(figures);
    ctx.dashboards.put(key, changes, figures.clone());
    Ok(figures)
}

async fn compute_dashboard(
    ctx: &Ctx,
    actor: &Actor,
    root: Uuid,
    organizations: Vec<Uuid>,
    todays: Todays,
    as_of: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<Dashboard, AppError> {
    let due_soon_days = ctx.settings.due_soon_days;
    let backend = ctx.db.backend();

    let projects: Vec<(Option<Uuid>, Vec<u64>)> = counts_by(
        ctx,
        projects_with_lights(backend, &organizations, &todays, due_soon_days),
        &[group_of(project::Entity, project::Column::OrganizationId)],
        light_counts(),
    )
    .await?
    .into_iter()
    .map(|(keys, n)| (keys.first().copied(), n))
    .collect();
    let mut projects_by_light: Vec<(Light, u64)> = LIGHTS.iter().map(|&l| (l, 0)).collect();
    let mut per_org: HashMap<Uuid, OrganizationFigures> = organizations
        .iter()
        .map(|&id| (id, OrganizationFigures::default()))
        .collect();
    let mut project_count = 0;
    for (org, numbers) in &projects {
        for (slot, n) in projects_by_light.iter_mut().zip(numbers) {
            slot.1 += n;
        }
        let all = numbers[LIGHTS.len()];
        project_count += all;
        if let Some(figures) = org.and_then(|org| per_org.get_mut(&org)) {
            figures.project_count = all;
        }
    }
    let mut milestones = Counts::default();
    let mut by_leader: HashMap<Uuid, Counts> = HashMap::new();
    let mut by_unit: HashMap<Uuid, Counts> = HashMap::new();
    for (keys, counts) in milestone_counts(ctx, &organizations, &todays).await? {
        let [org, leader, unit] = keys[..] else {
            continue;
        };
        milestones.merge(&counts);
        if let Some(figures) = per_org.get_mut(&org) {
            figures.milestones.merge(&counts);
        }
        by_leader.entry(leader).or_default().merge(&counts);
        by_unit.entry(unit).or_default().merge(&counts);
    }
    let (mut open_findings, mut overdue_findings) = (0, 0);
    for (org, (open, overdue)) in finding_counts(ctx, &organizations, &todays, true).await? {
        open_findings += open;
        overdue_findings += overdue;
        if let Some(figures) = org.and_then(|org| per_org.get_mut(&org)) {
            figures.open_findings = open;
            figures.overdue_findings = overdue;
        }
    }

    let league = |rows: HashMap<Uuid, Counts>| {
        let mut rows: Vec<(Uuid, Counts)> = rows.into_iter().collect();
        rows.sort_by(|(a_id, a), (b_id, b)| {
            (b.overdue, b.due_soon, b.open, a_id).cmp(&(a.overdue, a.due_soon, a.open, b_id))
        });
        rows
    };
    let by_leader = league(by_leader);
    let by_unit = league(by_unit);
    let names = organization::Entity::find()
        .filter(organization::Column::Id.is_in(organizations.iter().copied()))
        .all(ctx.db.conn())
        .await?;
    let mut by_organization: Vec<(Uuid, OrganizationFigures)> = per_org.into_iter().collect();
    by_organization.sort_by_key(|(id, _)| {
        (
            *id != root,
            names
                .iter()
                .find(|o| o.id == *id)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
        )
    });
    Ok(Dashboard {
        as_of: actor.today_in(root, now, as_of),
        project_count,
        projects_by_light,
        milestones,
        by_leader,
        by_unit,
        by_organization,
        open_findings,
        overdue_findings,
        asked_as_of: as_of,
        organizations,
        todays,
    })
}

/// The dashboard's overdue (longest overdue first) or due-soon (nearest first) milestones.
pub async fn dashboard_list(
    ctx: &Ctx,
    dashboard: &Dashboard,
    state: DeadlineState,
    first: u64,
) -> Result<Vec<MilestoneView>, AppError> {
    use milestone::Column as C;
    milestone::Entity::find()
        .filter(C::OrganizationId.is_in(dashboard.organizations.iter().copied()))
        .filter(filter::milestone_states(
            &[state],
            &dashboard.todays,
            ctx.settings.due_soon_days,
        ))
        .order_by_asc(C::Deadline)
        .order_by_asc(C::Title)
        .order_by_asc(C::Id)
        .limit(first)
        .all(ctx.db.conn())
        .await?
        .into_iter()
        .map(MilestoneView::try_from)
        .collect()
}

/// The year-end figures of `organization_id` (the actor's own when absent) and those below it.
#[tracing::instrument(skip_all, fields(actor = %actor.username, year))]
pub async fn annual_report(
    ctx: &Ctx,
    actor: &Actor,
    year: i32,
    organization_id: Option<Uuid>,
) -> Result<YearFigures, AppError> {
    if !(2000..=2100).contains(&year) {
        return Err(AppError::validation(
            "year",
            "must be between 2000 and 2100",
        ));
    }
    let root = organization_id.unwrap_or(actor.organization_id());
    let organizations = actor.organizations_in(Some(root))?;
    let (first, last) = match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(first), Some(last)) => (first, last),
        _ => return Err(AppError::validation("year", "is not a calendar year")),
    };
    let orgs = || organizations.iter().copied();

    let by_kind = counts_by(
        ctx,
        select_from(
            inspection::Entity,
            Condition::all()
                .add(inspection::Column::OrganizationId.is_in(orgs()))
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

    let finished: Vec<&str> = MilestoneStatus::FINISHED
        .iter()
        .map(|s| s.as_str())
        .collect();
    let due = counts_by(
        ctx,
        select_from(
            milestone::Entity,
            Condition::all()
                .add(milestone::Column::OrganizationId.is_in(orgs()))
                .add(milestone::Column::Deadline.between(first, last))
                .add(milestone::Column::Status.ne(MilestoneStatus::Cancelled.as_str())),
        ),
        &[],
        vec![
            Condition::all(),
            Condition::all()
                .add(milestone::Column::Status.is_in(finished))
                .add(
                    Expr::col((milestone::Entity, milestone::Column::CompletedOn))
                        .lte(Expr::col((milestone::Entity, milestone::Column::Deadline))),
                ),
        ],
    )
    .await?;
    let due = due.into_iter().next().map(|(_, n)| n).unwrap_or_default();

    let raised_in_year = Query::select()
        .column(inspection::Column::Id)
        .from(inspection::Entity)
        .and_where(inspection::Column::OrganizationId.is_in(orgs()))
        .and_where(inspection::Column::VisitedOn.between(first, last))
        .to_owned();
    let resolved: Vec<&str> = FindingStatus::FINISHED.iter().map(|s| s.as_str()).collect();
    let findings = counts_by(
        ctx,
        select_from(
            finding::Entity,
            Condition::all().add(finding::Column::OrganizationId.is_in(orgs())),
        ),
        &[],
        vec![
            Condition::all().add(finding::Column::InspectionId.in_subquery(raised_in_year)),
            Condition::all()
                .add(finding::Column::Status.is_in(resolved))
                .add(finding::Column::ResolvedOn.between(first, last)),
        ],
    )
    .await?;
    let findings = findings
        .into_iter()
        .next()
        .map(|(_, n)| n)
        .unwrap_or_default();

    let completed = project::Entity::find()
        .filter(project::Column::OrganizationId.is_in(orgs()))
        .filter(project::Column::CompletedOn.between(first, last))
        .count(ctx.db.conn())
        .await?;
    let name = organization::Entity::find_by_id(root)
        .one(ctx.db.conn())
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let number = |list: &[u64], i: usize| list.get(i).copied().unwrap_or(0);
    Ok(YearFigures {
        year,
        organization: name,
        inspections_by_kind,
        milestones_due: number(&due, 0),
        milestones_done_on_time: number(&due, 1),
        findings_raised: number(&findings, 0),
        findings_resolved: number(&findings, 1),
        projects_completed: completed,
    })
}
