//! The projects' filter and inputs, and their queries and mutations.

use super::{Project, ProjectConnection};
use crate::graphql::args::{id_of, patch};
use crate::graphql::connection::{self};
use crate::graphql::context;
use crate::graphql::error::GqlResult;
use crate::graphql::loaders::{
    ProjectFiguresKey, ProjectFindingsKey, ProjectKey, ProjectMilestonesKey,
};
use crate::graphql::scalars::{Date, Light, ProjectOrigin, ProjectStatus, parse_id};
use crate::service::page::PageRequest;
use crate::service::projects::{self, NewProject, ProjectChanges, ProjectFilter};
use crate::service::{findings, kept};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use std::sync::Arc;

#[derive(InputObject)]
#[graphql(name = "ProjectFilter")]
pub struct ProjectFilterInput {
    organization_id: Option<ID>,
    status: Option<Vec<ProjectStatus>>,
    origin: Option<Vec<ProjectOrigin>>,
    light: Option<Vec<Light>>,
    as_of: Option<Date>,
    /// matches title or description
    search: Option<String>,
    /// projects this person leads or answers for a milestone of
    leader_id: Option<ID>,
}

#[derive(InputObject)]
pub struct CreateProjectInput {
    title: String,
    description: Option<String>,
    origin: ProjectOrigin,
    location: Option<String>,
    /// 工程建设项目; false when absent
    #[graphql(default)]
    construction: bool,
    lead_leader_id: Option<ID>,
    planned_start: Option<Date>,
    planned_end: Option<Date>,
}

/// Absent fields stay as they are; `null` clears an optional one.
#[derive(InputObject)]
pub struct UpdateProjectInput {
    title: MaybeUndefined<String>,
    description: MaybeUndefined<String>,
    location: MaybeUndefined<String>,
    /// 工程建设项目; absent or null keeps it
    construction: Option<bool>,
    lead_leader_id: MaybeUndefined<ID>,
    planned_start: MaybeUndefined<Date>,
    planned_end: MaybeUndefined<Date>,
    status: MaybeUndefined<ProjectStatus>,
}

#[derive(Default)]
pub struct ProjectsQuery;

#[Object]
impl ProjectsQuery {
    // One project is read directly (one id has nothing to batch), and together with it, in
    // parallel, the milestones and findings its asked-for fields will need: the answer waits
    // for one round of reads instead of DataLoader windows one after another.
    async fn project(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Project>> {
        let actor = context::actor(ctx)?;
        let Ok(id) = parse_id("id", &id) else {
            return Ok(None);
        };
        let service = context::service(ctx)?;
        let ids = [id];
        // Its organisation's work kept: its fields are answered from memory, nothing to read.
        if kept::work_kept_for(service, actor, id) {
            let project = projects::projects_by_ids(service, actor, &ids)
                .await
                .gql()?;
            return Ok(project.into_iter().next().map(Project));
        }
        let wanted = ctx.look_ahead();
        let needs = |fields: &[&str]| fields.iter().any(|f| wanted.field(f).exists());
        let milestones = async {
            if !needs(&[
                "milestones",
                "rootMilestones",
                "progress",
                "light",
                "counts",
            ]) {
                return Ok(None);
            }
            crate::service::milestones::milestones_of_projects(service, actor, &ids)
                .await
                .map(Some)
        };
        let findings = async {
            if !needs(&["findings", "light", "counts"]) {
                return Ok(None);
            }
            findings::findings_of_projects(service, actor, &ids)
                .await
                .map(Some)
        };
        let (project, milestones, findings) = tokio::try_join!(
            projects::projects_by_ids(service, actor, &ids),
            milestones,
            findings
        )
        .gql()?;
        let Some(project) = project.into_iter().next() else {
            return Ok(None);
        };
        let loader = context::loader(ctx)?;
        loader.feed_one(ProjectKey(id), project.clone()).await;
        // One project's figures from its rows, read anyway: no grouped statement for one.
        if let (Some(milestones), Some(findings)) = (&milestones, &findings) {
            let today = context::judging_day(ctx, project.organization_id, None)?;
            let figures =
                crate::service::figures::of_rows(milestones.iter(), findings.iter(), &today);
            let key = ProjectFiguresKey(id, project.organization_id, None);
            loader.feed_one(key, figures).await;
        }
        if let Some(rows) = milestones {
            loader
                .feed_one(ProjectMilestonesKey(id), Arc::new(rows))
                .await;
        }
        if let Some(rows) = findings {
            loader
                .feed_one(ProjectFindingsKey(id), Arc::new(rows))
                .await;
        }
        Ok(Some(Project(project)))
    }

    #[graphql(complexity = "connection::cost(first, child_complexity)")]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<ProjectFilterInput>,
    ) -> async_graphql::Result<ProjectConnection> {
        let actor = context::actor(ctx)?;
        let page = PageRequest::new(first, after.as_deref()).gql()?;
        let filter = match filter {
            None => ProjectFilter::default(),
            Some(f) => ProjectFilter {
                organization_id: f.organization_id.map(id_of("organizationId")).transpose()?,
                status: f.status.map(|v| v.into_iter().map(Into::into).collect()),
                origin: f.origin.map(|v| v.into_iter().map(Into::into).collect()),
                light: f.light.map(|v| v.into_iter().map(Into::into).collect()),
                as_of: f.as_of.map(|d| d.0),
                search: f.search,
                leader_id: f.leader_id.map(id_of("leaderId")).transpose()?,
            },
        };
        let page = projects::list_projects(context::service(ctx)?, actor, filter, page)
            .await
            .gql()?;
        Ok(page.into())
    }
}

#[derive(Default)]
pub struct ProjectsMutation;

#[Object]
impl ProjectsMutation {
    async fn create_project(
        &self,
        ctx: &Context<'_>,
        input: CreateProjectInput,
    ) -> async_graphql::Result<Project> {
        let (service, actor) = context::signed(ctx)?;
        projects::create_project(
            service,
            actor,
            NewProject {
                title: input.title,
                description: input.description,
                origin: input.origin.into(),
                location: input.location,
                construction: input.construction,
                lead_leader_id: input
                    .lead_leader_id
                    .map(id_of("leadLeaderId"))
                    .transpose()?,
                planned_start: input.planned_start.map(|d| d.0),
                planned_end: input.planned_end.map(|d| d.0),
            },
        )
        .await
        .answer()
    }

    async fn update_project(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateProjectInput,
    ) -> async_graphql::Result<Project> {
        let actor = context::actor(ctx)?;
        let id = parse_id("id", &id)
            .map_err(|_| crate::error::AppError::not_found("project"))
            .gql()?;
        let changes = ProjectChanges {
            title: patch(input.title, Ok)?.flatten(),
            description: patch(input.description, Ok)?,
            location: patch(input.location, Ok)?,
            construction: input.construction,
            lead_leader_id: patch(input.lead_leader_id, id_of("leadLeaderId"))?,
            planned_start: patch(input.planned_start, |d| Ok(d.0))?,
            planned_end: patch(input.planned_end, |d| Ok(d.0))?,
            status: patch(input.status, |s| Ok(s.into()))?.flatten(),
        };
        let view =
            projects::update_project(context::service(ctx)?, actor, id, expected_version, changes)
                .await
                .gql()?;
        Ok(Project(view))
    }
}
