//! Projects: queries, mutations and the `Project` object.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use jiandu_domain::rollup::{self, Share};

use super::args::{id_of, patch};
use super::connection::{self, connection};
use super::context;
use super::error::GqlResult;
use super::findings::FindingConnection;
use super::inspections::InspectionConnection;
use super::loaders::{
    ProjectFiguresKey, ProjectFindingsKey, ProjectInspectionsKey, ProjectKey, ProjectMilestonesKey,
    ProjectSuggestionKey,
};
use super::milestones::{
    Milestone, MilestoneConnection, MilestoneCounts, MilestoneFilterInput, milestone_page,
};
use super::organizations::{Organization, Person, organization, person};
use super::scalars::{Date, FindingStatus, Light, ProjectOrigin, ProjectStatus, parse_id, to_id};
use crate::service::figures::ProjectFigures;
use crate::service::page::PageRequest;
use crate::service::projects::{self, NewProject, ProjectChanges, ProjectFilter};
use crate::service::views::{FindingView, MilestoneView, ProjectView};
use crate::service::{findings, inspections};

/// A supervised project (监督项目), e.g. 健身步道风雨桥.
#[derive(Clone)]
pub struct Project(pub ProjectView);

impl From<ProjectView> for Project {
    fn from(view: ProjectView) -> Self {
        Project(view)
    }
}

connection!(ProjectConnection, ProjectEdge, Project);

impl Project {
    async fn all_findings(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<std::sync::Arc<Vec<FindingView>>> {
        context::load_all(ctx, ProjectFindingsKey(self.0.id)).await
    }

    async fn all_milestones(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<std::sync::Arc<Vec<MilestoneView>>> {
        context::load_all(ctx, ProjectMilestonesKey(self.0.id)).await
    }

    /// Its light and counts: for every project of the answer in one grouped statement.
    async fn figures(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<ProjectFigures> {
        let key = ProjectFiguresKey(self.0.id, self.0.organization_id, as_of.map(|d| d.0));
        context::load_all(ctx, key).await
    }
}

#[Object]
impl Project {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        organization(ctx, self.0.organization_id).await
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn origin(&self) -> ProjectOrigin {
        self.0.origin.into()
    }

    /// the deputy's suggestion it was made from (createProjectFromSuggestion), if any
    async fn suggestion(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::suggestions::Suggestion>> {
        let found = context::load_all(ctx, ProjectSuggestionKey(self.0.id)).await?;
        Ok(found.first().cloned().map(super::suggestions::Suggestion))
    }

    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }

    /// 工程建设项目 (a bridge, a road): the year-end report writes its completion 竣工, other
    /// projects' 办结
    async fn construction(&self) -> bool {
        self.0.construction
    }

    async fn status(&self) -> ProjectStatus {
        self.0.status.into()
    }

    async fn lead_leader(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.lead_leader_id).await
    }

    async fn planned_start(&self) -> Option<Date> {
        self.0.planned_start.map(Date)
    }

    async fn planned_end(&self) -> Option<Date> {
        self.0.planned_end.map(Date)
    }

    /// The day the project became COMPLETED.
    async fn completed_on(&self) -> Option<Date> {
        self.0.completed_on.map(Date)
    }

    /// every milestone of the project, at every level, by deadline then title (the tree: rootMilestones/children)
    #[graphql(complexity = "connection::cost(first, child_complexity)")]
    async fn milestones(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<MilestoneFilterInput>,
    ) -> async_graphql::Result<MilestoneConnection> {
        let page = PageRequest::new(first, after.as_deref()).gql()?;
        let filter = filter
            .map(|f| f.into_service())
            .transpose()?
            .unwrap_or_default();
        let today = context::judging_day(ctx, self.0.organization_id, filter.as_of)?;
        let matching = self
            .all_milestones(ctx)
            .await?
            .iter()
            .filter(|m| filter.matches(m, &today))
            .cloned()
            .collect();
        Ok(milestone_page(matching, page))
    }

    /// top-level milestones
    async fn root_milestones(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Milestone>> {
        let all = self.all_milestones(ctx).await?;
        Ok(all
            .iter()
            .filter(|m| m.parent_id.is_none())
            .cloned()
            .map(Milestone::from)
            .collect())
    }

    /// Weighted mean of the top-level milestones' progress, 0–100.
    async fn progress(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let all = self.all_milestones(ctx).await?;
        let roots = all.iter().filter(|m| m.parent_id.is_none()).map(|m| Share {
            progress: m.progress,
            weight: m.weight,
            closure: m.status.closure(m.completed_on),
        });
        Ok(rollup::mean_progress(roots).map_or(0, i32::from))
    }

    /// The worst light of the project's milestones and open findings (GREY once the project is
    /// closed).
    async fn light(&self, ctx: &Context<'_>, as_of: Option<Date>) -> async_graphql::Result<Light> {
        let figures = self.figures(ctx, as_of).await?;
        Ok(figures.light(self.0.status.is_closed()).into())
    }

    /// Inspections of this project, newest visit first.
    #[graphql(complexity = "connection::cost(first, child_complexity)")]
    async fn inspections(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<InspectionConnection> {
        let page = PageRequest::new(first, after.as_deref()).gql()?;
        let all = context::load_all(ctx, ProjectInspectionsKey(self.0.id)).await?;
        Ok(inspections::page_in_memory(&all, page).into())
    }

    /// Findings about this project, by deadline.
    #[graphql(complexity = "connection::cost(first, child_complexity)")]
    async fn findings(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<Vec<FindingStatus>>,
    ) -> async_graphql::Result<FindingConnection> {
        let page = PageRequest::new(first, after.as_deref()).gql()?;
        let status: Option<Vec<jiandu_domain::FindingStatus>> =
            status.map(|list| list.into_iter().map(Into::into).collect());
        let matching = self
            .all_findings(ctx)
            .await?
            .iter()
            .filter(|f| status.as_ref().is_none_or(|s| s.contains(&f.status)))
            .cloned()
            .collect();
        Ok(findings::page_in_memory(matching, page).into())
    }

    async fn counts(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<MilestoneCounts> {
        Ok(MilestoneCounts(self.figures(ctx, as_of).await?.counts))
    }

    /// Bumped by every change; pass it back as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

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
            let figures = crate::service::figures::of_rows(milestones, findings, &today);
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
        let actor = context::actor(ctx)?;
        let view = projects::create_project(
            context::service(ctx)?,
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
        .gql()?;
        Ok(Project(view))
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
