//! Inspections: the `Inspection` object, `inspection`/`inspections` and `logInspection`.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};

use super::accounts::{User, user};
use super::attachments::{Attachment, attachments};
use super::connection::{self, connection};
use super::context;
use super::error::GqlResult;
use super::findings::Finding;
use super::loaders::{
    AttachmentsKey, InspectionFindingsKey, InspectionKey, LookedAtKey, MilestoneKey,
    ParticipantsKey, PersonKey, ProjectKey,
};
use super::milestones::Milestone;
use super::organizations::{Organization, Person, organization};
use super::projects::Project;
use super::scalars::{Date, InspectionKind, Rating, parse_id, to_id};
use crate::graphql::connection::shows;
use crate::service::inspections::{self, InspectionFilter, NewFinding, NewInspection};
use crate::service::page::PageRequest;
use crate::service::views::InspectionView;

/// A visit, check, evaluation or law-enforcement inspection by deputies (视察、检查、评估、执法检查).
#[derive(Clone)]
pub struct Inspection(pub InspectionView);

shows!(Inspection: InspectionView);

connection!(InspectionConnection, InspectionEdge, Inspection);

#[Object]
impl Inspection {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        organization(ctx, self.0.organization_id).await
    }

    async fn kind(&self) -> InspectionKind {
        self.0.kind.into()
    }

    /// null for a topic inspection such as 执法检查 on 森林防火
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Project>> {
        Ok(context::load_opt(ctx, self.0.project_id.map(ProjectKey))
            .await?
            .map(Project))
    }

    async fn topic(&self) -> Option<&str> {
        self.0.topic.as_deref()
    }

    async fn visited_on(&self) -> Date {
        Date(self.0.visited_on)
    }

    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }

    /// The deputies (and others) who took part.
    async fn participants(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Person>> {
        let ids = context::load_all(ctx, ParticipantsKey(self.0.id)).await?;
        let people = context::load_many(ctx, ids.iter().map(|&id| PersonKey(id))).await?;
        let mut found: Vec<Person> = people.into_values().map(Person).collect();
        found.sort_by(|a, b| a.0.name.cmp(&b.0.name).then(a.0.id.cmp(&b.0.id)));
        Ok(found)
    }

    /// The milestones looked at, by deadline then title.
    async fn milestones(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Milestone>> {
        let ids = context::load_all(ctx, LookedAtKey(self.0.id)).await?;
        let milestones = context::load_many(ctx, ids.iter().map(|&id| MilestoneKey(id))).await?;
        let mut found: Vec<Milestone> = milestones.into_values().map(Milestone::from).collect();
        found.sort_by(|a, b| {
            (a.0.deadline, &a.0.title, a.0.id).cmp(&(b.0.deadline, &b.0.title, b.0.id))
        });
        Ok(found)
    }

    async fn summary(&self) -> &str {
        &self.0.summary
    }

    async fn rating(&self) -> Option<Rating> {
        self.0.rating.map(Into::into)
    }

    /// The rectification items raised, by deadline.
    async fn findings(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Finding>> {
        let found = context::load_all(ctx, InspectionFindingsKey(self.0.id)).await?;
        Ok(found.iter().cloned().map(Finding).collect())
    }

    async fn attachments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Attachment>> {
        attachments(ctx, AttachmentsKey(self.0.id)).await
    }

    async fn recorded_by(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        user(ctx, self.0.recorded_by).await
    }

    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
}

#[derive(InputObject)]
pub struct FindingInput {
    description: String,
    /// the milestone the finding is about, if any
    milestone_id: Option<ID>,
    responsible_leader_id: ID,
    responsible_unit_id: ID,
    /// rectification deadline
    deadline: Date,
}

#[derive(InputObject)]
pub struct LogInspectionInput {
    kind: InspectionKind,
    /// the project visited; give this or `topic`
    project_id: Option<ID>,
    /// e.g. 森林防火 for a topic inspection
    topic: Option<String>,
    visited_on: Date,
    location: Option<String>,
    /// participating deputies: people of the organisation
    participant_ids: Vec<ID>,
    /// milestones looked at (of the project, when one is given)
    milestone_ids: Option<Vec<ID>>,
    summary: String,
    rating: Option<Rating>,
    findings: Option<Vec<FindingInput>>,
}

fn ids(field: &str, ids: &[ID]) -> async_graphql::Result<Vec<uuid::Uuid>> {
    ids.iter().map(|id| parse_id(field, id).gql()).collect()
}

impl LogInspectionInput {
    fn into_service(self) -> async_graphql::Result<NewInspection> {
        let findings = self
            .findings
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                let field = |name: &str| format!("findings.{i}.{name}");
                Ok(NewFinding {
                    description: f.description,
                    milestone_id: f
                        .milestone_id
                        .map(|id| parse_id(&field("milestoneId"), &id).gql())
                        .transpose()?,
                    responsible_leader_id: parse_id(
                        &field("responsibleLeaderId"),
                        &f.responsible_leader_id,
                    )
                    .gql()?,
                    responsible_unit_id: parse_id(
                        &field("responsibleUnitId"),
                        &f.responsible_unit_id,
                    )
                    .gql()?,
                    deadline: f.deadline.0,
                })
            })
            .collect::<async_graphql::Result<Vec<_>>>()?;
        Ok(NewInspection {
            kind: self.kind.into(),
            project_id: self
                .project_id
                .map(|id| parse_id("projectId", &id).gql())
                .transpose()?,
            topic: self.topic,
            visited_on: self.visited_on.0,
            location: self.location,
            participant_ids: ids("participantIds", &self.participant_ids)?,
            milestone_ids: ids("milestoneIds", &self.milestone_ids.unwrap_or_default())?,
            summary: self.summary,
            rating: self.rating.map(Into::into),
            findings,
        })
    }
}

#[derive(Default)]
pub struct InspectionsQuery;

#[Object]
impl InspectionsQuery {
    async fn inspection(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Inspection>> {
        context::actor(ctx)?;
        let Ok(id) = parse_id("id", &id) else {
            return Ok(None);
        };
        Ok(context::load(ctx, InspectionKey(id)).await?.map(Inspection))
    }

    /// Inspections the caller may read, newest visit first; `from`/`to` bound the visit day.
    // The arguments are the contract's; a resolver takes them as they come.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "connection::cost(first, child_complexity)")]
    async fn inspections(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        project_id: Option<ID>,
        kind: Option<Vec<InspectionKind>>,
        from: Option<Date>,
        to: Option<Date>,
    ) -> async_graphql::Result<InspectionConnection> {
        let actor = context::actor(ctx)?;
        let page = PageRequest::new(first, after.as_deref()).gql()?;
        let filter = InspectionFilter {
            project_id: project_id
                .map(|id| parse_id("projectId", &id).gql())
                .transpose()?,
            kinds: kind.map(|kinds| kinds.into_iter().map(Into::into).collect()),
            from: from.map(|d| d.0),
            to: to.map(|d| d.0),
        };
        let page = inspections::list_inspections(context::service(ctx)?, actor, filter, page)
            .await
            .gql()?;
        Ok(page.into())
    }
}

#[derive(Default)]
pub struct InspectionsMutation;

#[Object]
impl InspectionsMutation {
    /// Records an inspection with its participants, the milestones looked at and the findings
    /// raised, in one transaction. Deputies and the presidium only.
    async fn log_inspection(
        &self,
        ctx: &Context<'_>,
        input: LogInspectionInput,
    ) -> async_graphql::Result<Inspection> {
        let (service, actor) = context::signed(ctx)?;
        let input = input.into_service()?;
        inspections::log_inspection(service, actor, input)
            .await
            .answer()
    }
}
