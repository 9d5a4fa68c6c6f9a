//! Projects: queries, mutations and the `Project` object.

mod resolvers;

pub use resolvers::{ProjectsMutation, ProjectsQuery};

use async_graphql::{Context, ID, Object};

use chrono::{DateTime, Utc};
use jiandu_domain::rollup::{self, Share};

use crate::graphql::connection::shows;
use crate::graphql::connection::{self, connection};
use crate::graphql::context;
use crate::graphql::error::GqlResult;
use crate::graphql::findings::FindingConnection;
use crate::graphql::inspections::InspectionConnection;
use crate::graphql::loaders::{
    ProjectFiguresKey, ProjectFindingsKey, ProjectInspectionsKey, ProjectMilestonesKey,
    ProjectSuggestionKey,
};
use crate::graphql::milestones::{
    Milestone, MilestoneConnection, MilestoneCounts, MilestoneFilterInput, milestone_page,
};
use crate::graphql::organizations::{Organization, Person, organization, person};
use crate::graphql::scalars::{Date, FindingStatus, Light, ProjectOrigin, ProjectStatus, to_id};
use crate::service::figures::{self, ProjectFigures};
use crate::service::page::PageRequest;
use crate::service::views::{FindingView, MilestoneView, ProjectView};
use crate::service::{findings, inspections, kept};

/// A supervised project (监督项目), e.g. 健身步道风雨桥.
#[derive(Clone)]
pub struct Project(pub ProjectView);

shows!(Project: ProjectView);

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
        let (service, actor) = (context::service(ctx)?, context::actor(ctx)?);
        let project = (self.0.id, self.0.organization_id);
        if let Some(kept) = kept::milestones_of_project(service, actor, project) {
            return Ok(std::sync::Arc::new(kept));
        }
        context::load_all(ctx, ProjectMilestonesKey(self.0.id)).await
    }

    /// Its light and counts: for every project of the answer in one grouped statement.
    async fn figures(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<ProjectFigures> {
        let as_of = as_of.map(|d| d.0);
        let (service, actor) = (context::service(ctx)?, context::actor(ctx)?);
        let project = (self.0.id, self.0.organization_id);
        let day = context::judging_day(ctx, self.0.organization_id, as_of)?;
        if let Some(kept) = figures::kept_of_project(service, actor, project, day) {
            return Ok(kept);
        }
        let key = ProjectFiguresKey(self.0.id, self.0.organization_id, as_of);
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

    /// the livelihood candidate it was voted in as (origin LIVELIHOOD_VOTE), if any
    async fn candidate(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::congress::LivelihoodCandidate>> {
        super::congress::candidate_of(ctx, self.0.id).await
    }

    /// its satisfaction assessments (满意度测评), oldest first
    async fn assessments(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::assessments::Assessment>> {
        super::assessments::assessments_of(ctx, self.0.id).await
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
            .map(|m| Milestone::of_tree(m.clone(), &all))
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
