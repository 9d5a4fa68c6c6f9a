//! What a list of projects shows of each: its light and its items' counts, for a page of
//! projects in one grouped statement (a pass over their milestones and one over their open
//! findings), instead of loading every milestone and finding of every project on the page.
//! Each project's figures are kept, by project and day, until something is written in its
//! organisation (as the dashboard's shares are), so a list asked for again runs no statement for
//! them.

use std::collections::HashMap;

use chrono::NaiveDate;
use jiandu_domain::rollup::{Counted, Counts, Tally};
use jiandu_domain::{Light, Today};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DatabaseBackend};
use uuid::Uuid;

use super::filter::{self, Todays};
use super::kernel::tenant::belongs_to;
use super::views::{FindingView, MilestoneView};
use super::{Actor, Ctx, kept};
use crate::entity::{finding, milestone, project};
use crate::error::AppError;

/// One project's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectFigures {
    /// The worst light of its open milestones and open findings, before the project's own
    /// status (a closed project is GREY whatever its rows say).
    pub worst: Light,
    pub counts: Counts,
}

impl Default for ProjectFigures {
    /// A project with nothing open: green until closed.
    fn default() -> Self {
        ProjectFigures {
            worst: Light::Green,
            counts: Counts::default(),
        }
    }
}

impl ProjectFigures {
    pub fn light(&self, project_closed: bool) -> Light {
        jiandu_domain::rollup::project_light(project_closed, [self.worst])
    }
}

fn light_of(rank: i32) -> Light {
    match rank {
        3.. => Light::Red,
        2 => Light::Yellow,
        _ => Light::Green,
    }
}

/// The same figures from a project's rows already loaded (its milestones and findings), by the
/// domain's rules on `today`: what a single project's answer uses when it reads the rows anyway.
pub fn of_rows<'a>(
    milestones: impl Iterator<Item = &'a MilestoneView> + Clone,
    findings: impl Iterator<Item = &'a FindingView>,
    today: &Today,
) -> ProjectFigures {
    let worst = milestones
        .clone()
        .map(|m| m.tracked())
        .chain(findings.map(|f| f.tracked()))
        .map(|tracked| tracked.light(today))
        .fold(Light::Green, Light::max);
    let items: Vec<Counted> = milestones
        .filter(|m| m.is_item)
        .map(|m| Counted {
            tracked: m.tracked(),
            status: m.status,
        })
        .collect();
    ProjectFigures {
        worst,
        counts: Counts::tally(&items, today),
    }
}

/// The statement behind [`of_projects`]: for each of the projects `ids` within `organizations`,
/// its id, `m_rank` and `f_rank` (the worst open milestone's and finding's light, 3 red … 0
/// nothing open) and one `n{i}` per [`Tally`] of its items, each judged by `todays`.
pub fn statement(
    backend: DatabaseBackend,
    ids: &[Uuid],
    organizations: &[Uuid],
    todays: &Todays,
) -> SelectStatement {
    // The rows of the asked projects only (by the project index); which projects may be read
    // is the outer query's condition, and a project's rows are its organisation's.
    let milestones = filter::figures_by_project(
        backend,
        Condition::all().add(milestone::Column::ProjectId.is_in(ids.iter().copied())),
        todays,
    );
    let findings = filter::finding_rank_by_project(
        Condition::all().add(finding::Column::ProjectId.is_in(ids.iter().copied())),
        todays,
    );
    let (m, f) = (Alias::new("m"), Alias::new("f"));
    let on_project = |alias: &Alias| {
        Expr::col((alias.clone(), Alias::new("project_id")))
            .equals((project::Entity, project::Column::Id))
    };
    let mut select = Query::select();
    select
        .expr_as(
            Expr::col((project::Entity, project::Column::Id)),
            Alias::new("id"),
        )
        .expr_as(
            Expr::col((m.clone(), Alias::new("rank"))),
            Alias::new("m_rank"),
        )
        .expr_as(
            Expr::col((f.clone(), Alias::new("rank"))),
            Alias::new("f_rank"),
        );
    for i in 0..Tally::ALL.len() {
        let n = format!("n{i}");
        select.expr_as(Expr::col((m.clone(), Alias::new(&n))), Alias::new(&n));
    }
    select
        .from(project::Entity)
        .join_subquery(JoinType::LeftJoin, milestones, m.clone(), on_project(&m))
        .join_subquery(JoinType::LeftJoin, findings, f.clone(), on_project(&f))
        .and_where(project::Column::Id.is_in(ids.iter().copied()))
        .and_where(belongs_to::<project::Entity>(organizations))
        .to_owned()
}

/// Projects whose figures are kept at most (a city has some 12 000).
pub const KEPT_PROJECTS: usize = 65_536;

/// The figures of `project` (of `organization`) judged on `day`, when they or its organisation's
/// work are kept and current, without reading anything: what a resolver asks before it asks
/// [`of_projects`].
pub fn kept_of_project(
    ctx: &Ctx,
    actor: &Actor,
    (project, organization): (Uuid, Uuid),
    day: Today,
) -> Option<ProjectFigures> {
    if !actor.readable().may_read(organization) {
        return None;
    }
    // Read before the rows, so that a write while they are read is not hidden by them.
    let changes = ctx.db.changes().current(&[organization]);
    if let Some(kept) = ctx.project_figures.get(&(project, day), changes) {
        return Some(kept);
    }
    let work = kept::work_kept(ctx, organization)?;
    let figures = of_rows(work.milestones_of(project), work.findings_of(project), &day);
    ctx.project_figures.put((project, day), changes, figures);
    Some(figures)
}

/// The figures of the `projects` (each with its organisation) the actor may read, each judged
/// on its organisation's today (or `as_of`): those kept since the last write to the
/// organisation as they are, the others computed in one statement and kept.
pub async fn of_projects(
    ctx: &Ctx,
    actor: &Actor,
    projects: &[(Uuid, Uuid)],
    as_of: Option<NaiveDate>,
) -> Result<HashMap<Uuid, ProjectFigures>, AppError> {
    let now = ctx.now();
    let mut figures = HashMap::new();
    let mut stale = Vec::new();
    for &(project, organization) in projects {
        if !actor.readable().may_read(organization) {
            continue;
        }
        let day = actor.judging_day(organization, now, as_of);
        // Read before the data, so that a write while it is computed is not hidden by it.
        let changes = ctx.db.changes().current(&[organization]);
        match ctx.project_figures.get(&(project, day), changes) {
            Some(kept) => {
                figures.insert(project, kept);
            }
            None => stale.push((project, organization, day, changes)),
        }
    }
    if stale.is_empty() {
        return Ok(figures);
    }
    let ids: Vec<Uuid> = stale.iter().map(|s| s.0).collect();
    let todays = Todays::of(stale.iter().map(|&(_, org, day, _)| (day, org)));
    let mut computed = compute(ctx, actor, &ids, &todays).await?;
    for (project, _, day, changes) in stale {
        let value = computed.remove(&project).unwrap_or_default();
        ctx.project_figures.put((project, day), changes, value);
        figures.insert(project, value);
    }
    Ok(figures)
}

/// The figures of the projects `ids`, judged by `todays`, in one statement.
async fn compute(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
    todays: &Todays,
) -> Result<HashMap<Uuid, ProjectFigures>, AppError> {
    let organizations = actor.readable().organizations();
    let select = statement(ctx.db.backend(), ids, organizations, todays);
    let rows = ctx.db.conn().query_all(&select).await?;
    let mut figures = HashMap::new();
    for row in rows {
        let id: Uuid = row.try_get("", "id")?;
        let rank = |name: &str| row.try_get::<Option<i32>>("", name).map(|r| r.unwrap_or(0));
        let numbers = (0..Tally::ALL.len())
            .map(|i| {
                row.try_get::<Option<i64>>("", &format!("n{i}"))
                    .map(|n| u64::try_from(n.unwrap_or(0)).unwrap_or(0))
            })
            .collect::<Result<Vec<u64>, _>>()?;
        figures.insert(
            id,
            ProjectFigures {
                worst: light_of(Ord::max(rank("m_rank")?, rank("f_rank")?)),
                counts: Counts::from_numbers(&numbers),
            },
        );
    }
    Ok(figures)
}
