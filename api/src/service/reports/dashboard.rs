//! The status dashboard: what is late, whose, by how much, for an organisation and everything
//! below it. Every figure adds up across organisations, so a county's dashboard is the sum of
//! its townships' shares; each share is kept until a write touches its organisation, and a write
//! in one township costs one township's scan, not the county's.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use jiandu_domain::rollup::{Counts, Tally};
use jiandu_domain::{DeadlineState, FindingStatus, Light};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::{group_of, grouped, items_of, run_grouped, select_from, tally_conditions};
use crate::entity::{finding, milestone, project};
use crate::error::AppError;
use crate::service::filter::{self, Todays};
use crate::service::kernel::tables;
use crate::service::kernel::tenant::belongs_to;
use crate::service::views::MilestoneView;
use crate::service::{Actor, Ctx};

const LIGHTS: [Light; 4] = [Light::Red, Light::Yellow, Light::Green, Light::Grey];

/// The figures of one organisation within a dashboard.
#[derive(Debug, Clone, Default)]
pub struct OrganizationFigures {
    pub project_count: u64,
    pub milestones: Counts,
    pub open_findings: u64,
    pub overdue_findings: u64,
}

/// One organisation's own part of any dashboard that includes it, on one day.
#[derive(Debug, Default)]
pub struct Share {
    figures: OrganizationFigures,
    /// In [`LIGHTS`] order.
    projects_by_light: [u64; LIGHTS.len()],
    by_leader: HashMap<Uuid, Counts>,
    by_unit: HashMap<Uuid, Counts>,
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

/// What a dashboard's figures depend on besides the data: the organisations in scope and the
/// day each of them is at (so that midnight starts new figures).
pub type DashboardKey = (Uuid, Todays, Option<NaiveDate>);

/// The dashboard of `organization_id` (the actor's own when absent) and everything below it.
/// Readers of the same organisation on the same day share one computation until the next write
/// in its scope, and that write makes only its own organisation's share be computed again.
#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn dashboard(
    ctx: &Ctx,
    actor: &Actor,
    organization_id: Option<Uuid>,
    as_of: Option<NaiveDate>,
) -> Result<Arc<Dashboard>, AppError> {
    let root = organization_id.unwrap_or(actor.organization_id());
    // Sorted, so the same scope makes the same key.
    let organizations = actor.reads(Some(root))?.organizations().to_vec();
    let now = ctx.now();
    let todays = Todays::new(actor, &organizations, now, as_of);
    let key = (root, todays, as_of);
    // Read before the figures, so a write committed meanwhile leaves them already stale.
    let changes = ctx.db.changes().current(&organizations);
    if let Some(figures) = ctx.dashboards.get(&key, changes) {
        return Ok(figures);
    }
    let shares = shares(ctx, &key.1).await?;
    let all = ctx.organizations.all(&ctx.db).await?;
    let names: HashMap<Uuid, &str> = all.iter().map(|o| (o.id, o.name.as_str())).collect();
    let mut figures = Dashboard {
        as_of: actor.today_in(root, now, as_of),
        project_count: 0,
        projects_by_light: LIGHTS.iter().map(|&light| (light, 0)).collect(),
        milestones: Counts::default(),
        by_leader: Vec::new(),
        by_unit: Vec::new(),
        by_organization: Vec::new(),
        open_findings: 0,
        overdue_findings: 0,
        asked_as_of: as_of,
        organizations,
        todays: key.1.clone(),
    };
    figures.add_up(root, &shares, &names);
    let figures = Arc::new(figures);
    ctx.dashboards.put(key, changes, figures.clone());
    Ok(figures)
}

/// Each organisation's share on its day: those kept since the last write to it as they are,
/// the others computed together.
async fn shares(ctx: &Ctx, todays: &Todays) -> Result<Vec<(Uuid, Arc<Share>)>, AppError> {
    let mut shares = Vec::new();
    let mut stale = Vec::new();
    for (day, org) in todays.days() {
        let changes = ctx.db.changes().current(&[org]);
        match ctx.shares.get(&(org, day), changes) {
            Some(share) => shares.push((org, share)),
            None => stale.push((day, org, changes)),
        }
    }
    if stale.is_empty() {
        return Ok(shares);
    }
    let todays = Todays::of(stale.iter().map(|&(day, org, _)| (day, org)));
    let mut computed = compute_shares(ctx, &todays).await?;
    for (day, org, changes) in stale {
        let share = Arc::new(computed.remove(&org).unwrap_or_default());
        ctx.shares.put((org, day), changes, share.clone());
        shares.push((org, share));
    }
    Ok(shares)
}

impl Dashboard {
    /// Adds the shares up into the figures, listing the organisations root first, then by name.
    fn add_up(&mut self, root: Uuid, shares: &[(Uuid, Arc<Share>)], names: &HashMap<Uuid, &str>) {
        let mut by_leader: HashMap<Uuid, Counts> = HashMap::new();
        let mut by_unit: HashMap<Uuid, Counts> = HashMap::new();
        for (_, share) in shares {
            for ((_, total), n) in self
                .projects_by_light
                .iter_mut()
                .zip(share.projects_by_light)
            {
                *total += n;
            }
            self.project_count += share.figures.project_count;
            self.milestones.merge(&share.figures.milestones);
            self.open_findings += share.figures.open_findings;
            self.overdue_findings += share.figures.overdue_findings;
            for (leader, counts) in &share.by_leader {
                by_leader.entry(*leader).or_default().merge(counts);
            }
            for (unit, counts) in &share.by_unit {
                by_unit.entry(*unit).or_default().merge(counts);
            }
        }
        let league = |rows: HashMap<Uuid, Counts>| {
            let mut rows: Vec<(Uuid, Counts)> = rows.into_iter().collect();
            rows.sort_by(|(a_id, a), (b_id, b)| {
                (b.overdue, b.due_soon, b.open, a_id).cmp(&(a.overdue, a.due_soon, a.open, b_id))
            });
            rows
        };
        self.by_leader = league(by_leader);
        self.by_unit = league(by_unit);
        self.by_organization = shares
            .iter()
            .map(|(org, share)| (*org, share.figures.clone()))
            .collect();
        self.by_organization
            .sort_by_key(|(id, _)| (*id != root, names.get(id).copied()));
    }
}

/// The shares of the organisations in `todays`, each on its day: three grouped scans for all
/// of them together.
async fn compute_shares(ctx: &Ctx, todays: &Todays) -> Result<HashMap<Uuid, Share>, AppError> {
    let organizations: Vec<Uuid> = todays.days().map(|(_, org)| org).collect();
    let mut shares: HashMap<Uuid, Share> = organizations
        .iter()
        .map(|&org| (org, Share::default()))
        .collect();

    let [projects, milestones, findings] =
        share_statements(ctx.db.backend(), &organizations, todays);
    let (projects, milestones, findings) = (
        run_grouped(ctx, &projects, 1, LIGHTS.len() + 1).await?,
        run_grouped(ctx, &milestones, 3, Tally::ALL.len()).await?,
        run_grouped(ctx, &findings, 1, 2).await?,
    );
    for (keys, numbers) in projects {
        let Some(share) = keys.first().and_then(|org| shares.get_mut(org)) else {
            continue;
        };
        for (slot, n) in share.projects_by_light.iter_mut().zip(&numbers) {
            *slot = *n;
        }
        share.figures.project_count = numbers.get(LIGHTS.len()).copied().unwrap_or(0);
    }
    for (keys, numbers) in milestones {
        let [org, leader, unit] = keys[..] else {
            continue;
        };
        let Some(share) = shares.get_mut(&org) else {
            continue;
        };
        let counts = Counts::from_numbers(&numbers);
        share.figures.milestones.merge(&counts);
        share.by_leader.entry(leader).or_default().merge(&counts);
        share.by_unit.entry(unit).or_default().merge(&counts);
    }
    for (keys, numbers) in findings {
        if let (Some(org), &[open, overdue]) = (keys.first(), numbers.as_slice())
            && let Some(share) = shares.get_mut(org)
        {
            share.figures.open_findings = open;
            share.figures.overdue_findings = overdue;
        }
    }
    Ok(shares)
}

/// The three grouped scans behind the shares of `organizations`, each on its day in `todays`:
/// projects by light per organisation; milestone counts per organisation, leader and unit (one
/// column per [`Tally`]); open and overdue findings per organisation.
pub fn share_statements(
    backend: sea_orm::DatabaseBackend,
    organizations: &[Uuid],
    todays: &Todays,
) -> [SelectStatement; 3] {
    let projects = grouped(
        projects_with_lights(backend, organizations, todays),
        &[group_of(project::Entity, project::Column::OrganizationId)],
        light_counts(),
    );
    let milestones = grouped(
        select_from(milestone::Entity, items_of(organizations)),
        &[
            group_of(milestone::Entity, milestone::Column::OrganizationId),
            group_of(milestone::Entity, milestone::Column::ResponsibleLeaderId),
            group_of(milestone::Entity, milestone::Column::ResponsibleUnitId),
        ],
        tally_conditions(todays),
    );
    let open: Vec<&str> = FindingStatus::OPEN.iter().map(|s| s.as_str()).collect();
    let findings = grouped(
        select_from(
            finding::Entity,
            Condition::all().add(belongs_to::<finding::Entity>(organizations)),
        ),
        &[group_of(finding::Entity, finding::Column::OrganizationId)],
        vec![
            Condition::all().add(finding::Column::Status.is_in(open)),
            filter::finding_states(&[DeadlineState::Overdue], todays),
        ],
    );
    [projects, milestones, findings]
}

const MILESTONE_RANK: &str = "milestone_rank";
const FINDING_RANK: &str = "finding_rank";

/// Every project in scope joined with its worst open-milestone and open-finding light ranks
/// (one grouped pass over the open rows each, instead of a subquery per project and light).
fn projects_with_lights(
    backend: sea_orm::DatabaseBackend,
    organizations: &[Uuid],
    todays: &Todays,
) -> SelectStatement {
    use sea_orm::sea_query::JoinType;
    let (milestones, findings) = filter::worst_light_by_project(backend, organizations, todays);
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
        .and_where(belongs_to::<project::Entity>(organizations))
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

/// The dashboard's overdue (longest overdue first) or due-soon (nearest first) milestones.
pub async fn dashboard_list(
    ctx: &Ctx,
    dashboard: &Dashboard,
    state: DeadlineState,
    first: u64,
) -> Result<Vec<MilestoneView>, AppError> {
    use milestone::Column as C;
    tables::all(
        milestone::Entity::find()
            .filter(super::items_of(&dashboard.organizations))
            .filter(filter::milestone_states(&[state], &dashboard.todays))
            .order_by_asc(C::DueBy)
            .order_by_asc(C::Title)
            .order_by_asc(C::Id)
            .limit(first),
        ctx.db.conn(),
    )
    .await
}
