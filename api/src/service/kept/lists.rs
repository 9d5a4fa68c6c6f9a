//! The milestones and projects lists answered from the kept work of the organisations in scope:
//! the same filters as their SQL, judged by the domain rules on each organisation's day, in the
//! same order, with the same cursors.

use std::sync::Arc;

use uuid::Uuid;

use super::{Work, projects_of, work};
use crate::service::kernel::tenant::Readable;
use crate::service::milestones::{MilestoneFilter, MilestoneKey};
use crate::service::page::{Page, PageRequest};
use crate::service::projects::ProjectFilter;
use crate::service::views::{MilestoneView, ProjectView};
use crate::service::{Actor, Ctx};

/// The kept work of every organisation in `readable`, or `None` when the scope is not kept.
async fn works(ctx: &Ctx, readable: &Readable) -> Option<Vec<Arc<Work>>> {
    let organizations = readable.organizations();
    if !ctx.kept.covers(organizations) {
        return None;
    }
    let mut works = Vec::with_capacity(organizations.len());
    for &org in organizations {
        works.push(work(ctx, org).await?);
    }
    Some(works)
}

/// A page of the milestones in `readable` matching `filter`, from memory; `None` to ask SQL.
pub async fn milestones_page(
    ctx: &Ctx,
    actor: &Actor,
    readable: &Readable,
    filter: &MilestoneFilter,
    page: &PageRequest<MilestoneKey>,
) -> Option<Page<MilestoneView>> {
    let works = works(ctx, readable).await?;
    let now = ctx.now();
    // The scope is the organisations read; each row is judged on its organisation's day.
    let filter = MilestoneFilter {
        organization_id: None,
        ..filter.clone()
    };
    let mut found: Vec<&MilestoneView> = Vec::new();
    for (work, &org) in works.iter().zip(readable.organizations()) {
        let today = actor.judging_day(org, now, filter.as_of);
        let matched = work.matching(&filter, &today);
        found.extend(matched.iter().map(|&at| &work.milestones[at as usize]));
    }
    if works.len() > 1 {
        found.sort_by(|a, b| (a.due_by, &a.title, a.id).cmp(&(b.due_by, &b.title, b.id)));
    }
    let start = match &page.after {
        Some(after) => found.partition_point(|m| MilestoneKey::of(m) <= *after),
        None => 0,
    };
    Some(page_from(found, start, page.first, MilestoneKey::of))
}

/// A page of the projects in `readable` matching `filter`, from memory; `None` to ask SQL (a
/// search or a light, which SQL answers).
pub async fn projects_page(
    ctx: &Ctx,
    readable: &Readable,
    filter: &ProjectFilter,
    page: &PageRequest<Uuid>,
) -> Option<Page<ProjectView>> {
    let searched = filter
        .search
        .as_deref()
        .is_some_and(|s| !s.trim().is_empty());
    if searched || filter.light.is_some() {
        return None;
    }
    let organizations = readable.organizations();
    if !ctx.kept.covers(organizations) {
        return None;
    }
    let mut kept = Vec::with_capacity(organizations.len());
    for &org in organizations {
        kept.push(projects_of(ctx, org).await?);
    }
    // Whom a project answers to is read from its milestones only when the filter asks.
    let works = match filter.leader_id {
        Some(_) => works(ctx, readable).await?,
        None => Vec::new(),
    };
    let answers_for = |at: usize, project: &ProjectView, leader: Uuid| {
        project.lead_leader_id == Some(leader)
            || works[at]
                .milestones_of(project.id)
                .any(|m| m.responsible_leader_id == leader)
    };
    let mut found: Vec<&ProjectView> = kept
        .iter()
        .enumerate()
        .flat_map(|(at, projects)| {
            projects.iter().filter(move |p| {
                filter.status.as_ref().is_none_or(|s| s.contains(&p.status))
                    && filter.origin.as_ref().is_none_or(|o| o.contains(&p.origin))
                    && filter
                        .leader_id
                        .is_none_or(|leader| answers_for(at, p, leader))
            })
        })
        .collect();
    if kept.len() > 1 {
        found.sort_by_key(|p| p.id);
    }
    let start = match page.after {
        Some(after) => found.partition_point(|p| p.id <= after),
        None => 0,
    };
    Some(page_from(found, start, page.first, |p| p.id))
}

/// The page of `first` rows of `found` (all that match, in order) from place `start` on, with
/// one more looked at to say whether another page follows; only the page's rows are copied.
pub(super) fn page_from<T: Clone, K: serde::Serialize>(
    found: Vec<&T>,
    start: usize,
    first: u64,
    key: impl Fn(&T) -> K,
) -> Page<T> {
    let total = found.len() as u64;
    let rows = found
        .into_iter()
        .skip(start)
        .take(
            usize::try_from(first)
                .unwrap_or(usize::MAX)
                .saturating_add(1),
        )
        .cloned()
        .collect();
    Page::from_rows(rows, first, total, key)
}
