//! What the server keeps of each organisation's work — its projects, milestones and findings —
//! and of its requests — suggestions and extension requests, kept apart — so that the reads made
//! most (a project by id, a project's tree and findings, the overdue and due-soon lists, the
//! projects, suggestions and extension requests lists) are answered from memory
//! (docs/performance.md).
//!
//! An organisation's rows are read whole (three statements) the first time they are asked for
//! and kept like the dashboards' shares: while no write in that organisation has committed since
//! ([`crate::db::Changes`]; on PostgreSQL also the writes of other replicas, heard through
//! `LISTEN`), at most the figures' time to live, and for at most [`KeptWork::ORGANIZATIONS`]
//! organisations at once. A server started with `--figures-cache-secs 0` keeps nothing and
//! answers every read with SQL.
//!
//! Lists from memory are ordered as their SQL is (titles by code point, as SQLite and a
//! PostgreSQL database in the C collation compare them) and page with the same cursors.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jiandu_domain::Today;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::{finding, milestone, project};
use crate::error::AppError;
use crate::service::kernel::tables;
use crate::service::milestones::MilestoneFilter;
use crate::service::views::{
    ExtensionView, FindingView, MilestoneView, ProjectView, SuggestionView,
};
use crate::service::{Actor, Ctx};

mod lists;
mod requests;
mod store;

pub use lists::{milestones_page, projects_page};
pub use requests::{extensions_page, suggestions_page};
use store::Store;

/// One organisation's milestones and findings, as kept (its projects are kept apart: the
/// projects list and a project by id need nothing else).
pub struct Work {
    /// In list order: by the day each is due by, title and id.
    pub milestones: Vec<MilestoneView>,
    /// By the day each is due by, and id.
    pub findings: Vec<FindingView>,
    /// Each project's milestones (by deadline, title and id, a tree's order) and findings, as
    /// places in the lists above.
    of_project: HashMap<Uuid, (Vec<usize>, Vec<usize>)>,
    /// Each milestone's place in `milestones`, by id.
    milestone_at: HashMap<Uuid, usize>,
    /// The places of the milestones matching the filters asked lately, each on the day it was
    /// judged on (the overdue list is asked far more often than its rows change).
    matched: Mutex<Vec<Matched>>,
}

/// A filter, the day it was judged on, and the places of the milestones it matched.
type Matched = (MilestoneFilter, Today, Arc<[u32]>);

impl Work {
    fn new(mut milestones: Vec<MilestoneView>, mut findings: Vec<FindingView>) -> Work {
        milestones.sort_by(|a, b| (a.due_by, &a.title, a.id).cmp(&(b.due_by, &b.title, b.id)));
        findings.sort_by_key(|f| (f.due_by, f.id));
        let mut of_project: HashMap<Uuid, (Vec<usize>, Vec<usize>)> = HashMap::new();
        for (i, m) in milestones.iter().enumerate() {
            of_project.entry(m.project_id).or_default().0.push(i);
        }
        for (i, f) in findings.iter().enumerate() {
            if let Some(project) = f.project_id {
                of_project.entry(project).or_default().1.push(i);
            }
        }
        for (tree, _) in of_project.values_mut() {
            tree.sort_by(|&a, &b| {
                let (a, b) = (&milestones[a], &milestones[b]);
                (a.deadline, &a.title, a.id).cmp(&(b.deadline, &b.title, b.id))
            });
        }
        let milestone_at = milestones
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id, i))
            .collect();
        Work {
            milestones,
            findings,
            of_project,
            milestone_at,
            matched: Mutex::default(),
        }
    }

    /// Filters whose matches are kept with the work.
    const FILTERS: usize = 16;

    /// The places in `milestones` of those matching `filter` on `today`, in list order: worked
    /// out once for each filter and day while the work is kept.
    pub(super) fn matching(&self, filter: &MilestoneFilter, today: &Today) -> Arc<[u32]> {
        let mut matched = self.matched.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, _, found)) = matched.iter().find(|(f, t, _)| f == filter && t == today) {
            return found.clone();
        }
        let found: Arc<[u32]> = (0u32..)
            .zip(&self.milestones)
            .filter(|(_, m)| filter.matches(m, today))
            .map(|(i, _)| i)
            .collect();
        if matched.len() >= Self::FILTERS {
            matched.remove(0);
        }
        matched.push((filter.clone(), *today, found.clone()));
        found
    }

    pub fn milestone(&self, id: Uuid) -> Option<&MilestoneView> {
        self.milestone_at.get(&id).map(|&i| &self.milestones[i])
    }

    /// A project's milestones, in a tree's order.
    pub fn milestones_of(&self, project: Uuid) -> impl Iterator<Item = &MilestoneView> + Clone {
        self.of_project
            .get(&project)
            .into_iter()
            .flat_map(|(tree, _)| tree.iter().map(|&i| &self.milestones[i]))
    }

    /// A project's findings, by the day each is due by.
    pub fn findings_of(&self, project: Uuid) -> impl Iterator<Item = &FindingView> {
        self.of_project
            .get(&project)
            .into_iter()
            .flat_map(|(_, found)| found.iter().map(|&i| &self.findings[i]))
    }
}

/// Every organisation's kept work and requests, and which organisation each project seen
/// belongs to.
pub struct KeptWork {
    /// Each organisation's projects, by id.
    projects: Store<Arc<Vec<ProjectView>>>,
    work: Store<Arc<Work>>,
    suggestions: Store<Arc<Vec<SuggestionView>>>,
    extensions: Store<Arc<Vec<ExtensionView>>>,
    /// A project never moves to another organisation: once seen, its organisation is known.
    owners: Mutex<HashMap<Uuid, Uuid>>,
    on: bool,
}

impl KeptWork {
    /// Organisations kept at once: a county and its townships.
    pub const ORGANIZATIONS: usize = 64;

    /// Kept for at most `ttl`; zero keeps nothing.
    pub fn new(ttl: std::time::Duration) -> KeptWork {
        KeptWork {
            projects: Store::new(ttl, Self::ORGANIZATIONS),
            work: Store::new(ttl, Self::ORGANIZATIONS),
            suggestions: Store::new(ttl, Self::ORGANIZATIONS),
            extensions: Store::new(ttl, Self::ORGANIZATIONS),
            owners: Mutex::default(),
            on: !ttl.is_zero(),
        }
    }

    /// Whether a scope of `organizations` is answered from memory.
    pub fn covers(&self, organizations: &[Uuid]) -> bool {
        self.on && organizations.len() <= Self::ORGANIZATIONS / 2
    }

    fn owner_of(&self, project: Uuid) -> Option<Uuid> {
        let owners = self.owners.lock().unwrap_or_else(|e| e.into_inner());
        owners.get(&project).copied()
    }
}

/// `organization`'s projects, by id, read whole unless they are kept and current; `None` when
/// they cannot be read whole.
pub(super) async fn projects_of(ctx: &Ctx, organization: Uuid) -> Option<Arc<Vec<ProjectView>>> {
    ctx.kept
        .projects
        .get(ctx, organization, || read_projects(ctx, organization))
        .await
}

async fn read_projects(ctx: &Ctx, organization: Uuid) -> Result<Arc<Vec<ProjectView>>, AppError> {
    let select = project::Entity::find().filter(project::Column::OrganizationId.eq(organization));
    let mut projects = tables::all(select, ctx.db.conn()).await?;
    projects.sort_by_key(|p| p.id);
    let mut owners = ctx.kept.owners.lock().unwrap_or_else(|e| e.into_inner());
    owners.extend(projects.iter().map(|p| (p.id, organization)));
    Ok(Arc::new(projects))
}

/// `organization`'s work, read whole unless it is kept and current; `None` when it cannot be read
/// whole (a row the code cannot read, say), so that the caller asks SQL for only what it needs
/// and the rest of the organisation's data stays usable.
pub(super) async fn work(ctx: &Ctx, organization: Uuid) -> Option<Arc<Work>> {
    ctx.kept
        .work
        .get(ctx, organization, || read_work(ctx, organization))
        .await
}

async fn read_work(ctx: &Ctx, organization: Uuid) -> Result<Arc<Work>, AppError> {
    let db = ctx.db.conn();
    let (milestones, findings) = tokio::try_join!(
        tables::all(
            milestone::Entity::find().filter(milestone::Column::OrganizationId.eq(organization)),
            db
        ),
        tables::all(
            finding::Entity::find().filter(finding::Column::OrganizationId.eq(organization)),
            db
        ),
    )?;
    Ok(Arc::new(Work::new(milestones, findings)))
}

/// The organisations of `projects` the actor may read; `None` when keeping is off or a project
/// has not been seen yet (the caller reads SQL instead, and the project is known from then on).
fn organizations_of(ctx: &Ctx, actor: &Actor, projects: &[Uuid]) -> Option<Vec<Uuid>> {
    if !ctx.kept.on {
        return None;
    }
    let mut organizations = Vec::new();
    for &project in projects {
        match ctx.kept.owner_of(project) {
            Some(org) if !organizations.contains(&org) => organizations.push(org),
            Some(_) => {}
            None => return None,
        }
    }
    // The tenant rule: another organisation's project does not exist for this actor.
    organizations.retain(|&org| actor.readable().may_read(org));
    Some(organizations)
}

/// The kept work of the organisations of `projects` the actor may read (see
/// [`organizations_of`]).
async fn work_of_projects(ctx: &Ctx, actor: &Actor, projects: &[Uuid]) -> Option<Vec<Arc<Work>>> {
    let mut found = Vec::new();
    for org in organizations_of(ctx, actor, projects)? {
        found.push(work(ctx, org).await?);
    }
    Some(found)
}

/// Notes which organisation each of `projects` (read with SQL) belongs to.
pub fn seen(ctx: &Ctx, projects: &[ProjectView]) {
    if !ctx.kept.on || projects.is_empty() {
        return;
    }
    let mut owners = ctx.kept.owners.lock().unwrap_or_else(|e| e.into_inner());
    owners.extend(projects.iter().map(|p| (p.id, p.organization_id)));
}

/// The projects among `ids` the actor may read, from memory; `None` to read them with SQL.
pub async fn projects(ctx: &Ctx, actor: &Actor, ids: &[Uuid]) -> Option<Vec<ProjectView>> {
    let mut kept = Vec::new();
    for org in organizations_of(ctx, actor, ids)? {
        kept.push(projects_of(ctx, org).await?);
    }
    let find = |id: Uuid| {
        kept.iter().find_map(|projects| {
            let at = projects.binary_search_by_key(&id, |p| p.id).ok()?;
            Some(projects[at].clone())
        })
    };
    Some(ids.iter().filter_map(|&id| find(id)).collect())
}

/// The milestones among `ids`, from the kept work of the organisations the actor may read;
/// `None` to read them with SQL, when one is not in work kept now (nothing is read whole for a
/// milestone by id).
pub fn milestones(ctx: &Ctx, actor: &Actor, ids: &[Uuid]) -> Option<Vec<MilestoneView>> {
    if !ctx.kept.on {
        return None;
    }
    let organizations = actor.readable().organizations();
    if !ctx.kept.covers(organizations) {
        return None;
    }
    let kept: Vec<Arc<Work>> = organizations
        .iter()
        .filter_map(|&org| ctx.kept.work.kept(ctx, org))
        .collect();
    ids.iter()
        .map(|&id| kept.iter().find_map(|w| w.milestone(id)).cloned())
        .collect()
}

/// Every milestone of each of `projects` the actor may read, project by project in a tree's
/// order, from memory; `None` to read them with SQL.
pub async fn milestones_of_projects(
    ctx: &Ctx,
    actor: &Actor,
    projects: &[Uuid],
) -> Option<Vec<MilestoneView>> {
    let works = work_of_projects(ctx, actor, projects).await?;
    let mut rows: Vec<MilestoneView> = works
        .iter()
        .flat_map(|w| projects.iter().flat_map(|&p| w.milestones_of(p)))
        .cloned()
        .collect();
    rows.sort_by(|a, b| (a.deadline, &a.title, a.id).cmp(&(b.deadline, &b.title, b.id)));
    Some(rows)
}

/// `organization`'s work when it is kept and current, without reading anything.
pub fn work_kept(ctx: &Ctx, organization: Uuid) -> Option<Arc<Work>> {
    ctx.kept.on.then(|| ctx.kept.work.kept(ctx, organization))?
}

/// Whether the work of `project`'s organisation is kept and current (and the actor may read it).
pub fn work_kept_for(ctx: &Ctx, actor: &Actor, project: Uuid) -> bool {
    ctx.kept
        .owner_of(project)
        .is_some_and(|org| actor.readable().may_read(org) && work_kept(ctx, org).is_some())
}

/// Every milestone of `project` (of `organization`), in a tree's order, when its organisation's
/// work is kept and current, without reading anything; `None` to ask
/// [`milestones_of_projects`].
pub fn milestones_of_project(
    ctx: &Ctx,
    actor: &Actor,
    (project, organization): (Uuid, Uuid),
) -> Option<Vec<MilestoneView>> {
    if !actor.readable().may_read(organization) {
        return None;
    }
    let work = work_kept(ctx, organization)?;
    Some(work.milestones_of(project).cloned().collect())
}

/// Every finding of each of `projects` the actor may read, by the day each is due by, from
/// memory; `None` to read them with SQL.
pub async fn findings_of_projects(
    ctx: &Ctx,
    actor: &Actor,
    projects: &[Uuid],
) -> Option<Vec<FindingView>> {
    let works = work_of_projects(ctx, actor, projects).await?;
    let mut rows: Vec<FindingView> = works
        .iter()
        .flat_map(|w| projects.iter().flat_map(|&p| w.findings_of(p)))
        .cloned()
        .collect();
    rows.sort_by_key(|f| (f.due_by, f.id));
    Some(rows)
}
