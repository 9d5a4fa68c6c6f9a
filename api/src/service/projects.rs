//! Supervised projects (监督项目).

use chrono::NaiveDate;
use jiandu_domain::Reason;
use jiandu_domain::field;
use jiandu_domain::validate::{self, limits};
use jiandu_domain::{Light, MilestoneStatus, ProjectOrigin, ProjectStatus, Text};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::filter::{self, Todays};
use super::kept;
use super::kernel::command::{Audit, Command};
use super::page::{Page, PageRequest};
use super::views::ProjectView;
use super::{Actor, Ctx};
use crate::entity::{Stored, milestone, person, project};
use crate::error::AppError;
use crate::service::heading;
use crate::service::kernel::audit::Action;
use crate::service::kernel::tables;

pub struct NewProject {
    pub title: String,
    pub description: Option<String>,
    pub origin: ProjectOrigin,
    pub location: Option<String>,
    pub construction: bool,
    pub lead_leader_id: Option<Uuid>,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
}

/// Changes to a project; for clearable fields `Some(None)` clears and `None` keeps.
#[derive(Default)]
pub struct ProjectChanges {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub location: Option<Option<String>>,
    pub construction: Option<bool>,
    pub lead_leader_id: Option<Option<Uuid>>,
    pub planned_start: Option<Option<NaiveDate>>,
    pub planned_end: Option<Option<NaiveDate>>,
    pub status: Option<ProjectStatus>,
}

#[derive(Default)]
pub struct ProjectFilter {
    pub organization_id: Option<Uuid>,
    pub status: Option<Vec<ProjectStatus>>,
    pub origin: Option<Vec<ProjectOrigin>>,
    pub light: Option<Vec<Light>>,
    pub as_of: Option<NaiveDate>,
    pub search: Option<String>,
    /// Projects this person leads, or answers for a milestone of.
    pub leader_id: Option<Uuid>,
}

fn optional_date(field: &str, date: Option<NaiveDate>) -> Result<Option<NaiveDate>, AppError> {
    Ok(date
        .map(|d| validate::plausible_date(field, d))
        .transpose()?)
}

#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn create_project(
    ctx: &Ctx,
    actor: &Actor,
    input: NewProject,
) -> Result<ProjectView, AppError> {
    let organization_id = actor.organization_id();
    actor.access.check_manage(organization_id, "projects")?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let row = insert_project(&mut cmd, organization_id, input).await?;
    cmd.finish(ProjectView::from(row)).await
}

/// Checks `input` and writes it as a new project of `organization_id` within `cmd`, whose
/// caller has checked the actor may create it.
pub(crate) async fn insert_project(
    cmd: &mut Command<'_>,
    organization_id: Uuid,
    input: NewProject,
) -> Result<project::Model, AppError> {
    let title = heading::title(&input.title)?;
    let description = heading::description(input.description.as_deref())?;
    let location = Text::parse_optional(field::LOCATION, input.location.as_deref(), limits::TITLE)?;
    let planned_start = optional_date("plannedStart", input.planned_start)?;
    let planned_end = optional_date("plannedEnd", input.planned_end)?;
    validate::period(planned_start, planned_end)?;
    if let Some(leader) = input.lead_leader_id {
        cmd.refer::<person::Entity>(organization_id, leader, "leadLeaderId")
            .await?;
    }
    let now = cmd.now;
    let row = project::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(organization_id),
        title: Set(title),
        description: Set(description),
        origin: Set(Stored(input.origin)),
        location: Set(location.map(Text::into_string)),
        construction: Set(input.construction),
        status: Set(Stored(ProjectStatus::Planned)),
        lead_leader_id: Set(input.lead_leader_id),
        planned_start: Set(planned_start),
        planned_end: Set(planned_end),
        completed_on: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    };
    cmd.create::<project::Entity>(row, Audit::new(Action::ProjectCreate))
        .await
}

#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn update_project(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    changes: ProjectChanges,
) -> Result<ProjectView, AppError> {
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load::<project::Entity, _>(id, Some(expected_version), |p| {
            actor.access.check_manage(p.organization_id, "this project")
        })
        .await?;
    let (row, before) = (&current.row, &current.before);

    let mut next = current.edit();
    let heading = (&mut next.title, &mut next.description);
    heading::edit(heading, changes.title, changes.description)?;
    if let Some(location) = changes.location {
        let text = Text::parse_optional(field::LOCATION, location.as_deref(), limits::TITLE)?;
        next.location = Set(text.map(Text::into_string));
    }
    if let Some(construction) = changes.construction {
        next.construction = Set(construction);
    }
    if let Some(leader) = changes.lead_leader_id {
        if let Some(leader) = leader {
            cmd.refer::<person::Entity>(row.organization_id, leader, "leadLeaderId")
                .await?;
        }
        next.lead_leader_id = Set(leader);
    }
    let planned_start = match changes.planned_start {
        Some(start) => optional_date("plannedStart", start)?,
        None => row.planned_start,
    };
    let planned_end = match changes.planned_end {
        Some(end) => optional_date("plannedEnd", end)?,
        None => row.planned_end,
    };
    validate::period(planned_start, planned_end)?;
    next.planned_start = Set(planned_start);
    next.planned_end = Set(planned_end);
    if let Some(status) = changes.status {
        before.status.check_transition(status)?;
        let open = match status {
            ProjectStatus::Completed => open_milestones(cmd.db(), id).await?,
            _ => 0,
        };
        if open > 0 {
            return Err(AppError::invalid(
                field::STATUS,
                Reason::OpenChildren { count: open },
                "the project still has open milestones; complete or cancel them first",
            ));
        }
        next.status = Set(Stored(status));
        if status == ProjectStatus::Completed && before.status != ProjectStatus::Completed {
            let today = actor.zone_of(before.organization_id).date_of(cmd.now);
            next.completed_on = Set(Some(today));
        }
    }
    cmd.finish_update(&current, next, Audit::new(Action::ProjectUpdate))
        .await
}

async fn open_milestones(db: &impl ConnectionTrait, project_id: Uuid) -> Result<usize, AppError> {
    let open = milestone::Entity::find()
        .filter(milestone::Column::ProjectId.eq(project_id))
        .filter(milestone::Column::Status.is_in(MilestoneStatus::OPEN.map(Stored)))
        .count(db)
        .await?;
    Ok(usize::try_from(open).unwrap_or(usize::MAX))
}

pub async fn get_project(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
) -> Result<Option<ProjectView>, AppError> {
    Ok(projects_by_ids(ctx, actor, &[id]).await?.into_iter().next())
}

pub async fn projects_by_ids(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<ProjectView>, AppError> {
    if let Some(kept) = kept::projects(ctx, actor, ids).await {
        return Ok(kept);
    }
    let found = tables::by_ids::<project::Entity>(actor, ids, ctx.db.conn()).await?;
    kept::seen(ctx, &found);
    Ok(found)
}

/// `%`, `_` and `\` in a search are matched literally.
pub(super) fn like_pattern(search: &str) -> LikeExpr {
    let escaped: String = search
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn list_projects(
    ctx: &Ctx,
    actor: &Actor,
    filter: ProjectFilter,
    page: PageRequest<Uuid>,
) -> Result<Page<ProjectView>, AppError> {
    let readable = actor.reads(filter.organization_id)?;
    if let Some(kept) = kept::projects_page(ctx, &readable, &filter, &page).await {
        return Ok(kept);
    }
    let mut condition = Condition::all().add(readable.filter::<project::Entity>());
    if let Some(status) = filter.status {
        condition =
            condition.add(project::Column::Status.is_in(status.iter().copied().map(Stored)));
    }
    if let Some(origin) = filter.origin {
        condition =
            condition.add(project::Column::Origin.is_in(origin.iter().copied().map(Stored)));
    }
    if let Some(search) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let search = Text::parse(field::SEARCH, search, limits::TITLE)?;
        condition = condition.add(
            Condition::any()
                .add(
                    Expr::col((project::Entity, project::Column::Title))
                        .like(like_pattern(search.as_str())),
                )
                .add(
                    Expr::col((project::Entity, project::Column::Description))
                        .like(like_pattern(search.as_str())),
                ),
        );
    }
    if let Some(leader) = filter.leader_id {
        let answers_for = Query::select()
            .column(milestone::Column::ProjectId)
            .from(milestone::Entity)
            .and_where(milestone::Column::ResponsibleLeaderId.eq(leader))
            .to_owned();
        condition = condition.add(
            Condition::any()
                .add(project::Column::LeadLeaderId.eq(leader))
                .add(project::Column::Id.in_subquery(answers_for)),
        );
    }
    if let Some(lights) = filter.light {
        let todays = Todays::new(actor, readable.organizations(), ctx.now(), filter.as_of);
        condition = condition.add(filter::project_lights(ctx.db.backend(), &lights, &todays));
    }
    let base = project::Entity::find().filter(condition);
    let total = base.clone().count(ctx.db.conn()).await?;
    let mut query = base.order_by_asc(project::Column::Id).limit(page.first + 1);
    if let Some(after) = page.after {
        query = query.filter(project::Column::Id.gt(after));
    }
    let rows = tables::all(query, ctx.db.conn()).await?;
    Ok(Page::from_rows(
        rows,
        page.first,
        total,
        |p: &ProjectView| p.id,
    ))
}
