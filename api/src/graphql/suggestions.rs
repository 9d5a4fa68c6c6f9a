//! Deputies' suggestions (代表建议办理): registered, assigned (交办), answered, rated, redone,
//! concluded (办结) or withdrawn; read one by one or in filtered pages.

use async_graphql::{Context, Enum, ID, InputObject, Object};

use super::accounts::{User, user};
use super::args::{id_of, target};
use super::attachments::{Attachment, attachments};
use super::connection::{self, connection};
use super::context::{self, Timing};
use super::error::GqlResult;
use super::loaders::{
    AttachmentsKey, ProjectKey, SuggestionAnswersKey, SuggestionCoUnitsKey, SuggestionCosignersKey,
};
use super::organizations::{
    Organization, Person, Unit, organization, person, required_person, unit,
};
use super::projects::Project;
use super::scalars::{Date, DeadlineState, Light, Rating, to_id};
use crate::service::page::PageRequest;
use crate::service::suggestions::{
    self, Answer, Assignment, NewSuggestion, ProjectOfSuggestion, SuggestionFilter as Filter,
};
use crate::service::views::{SuggestionAnswerView, SuggestionView};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::suggestion::SuggestionSource")]
pub enum SuggestionSource {
    /// 代表大会期间
    CongressSession,
    /// 闭会期间
    Intersession,
    /// 代表联络站
    LiaisonStation,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::suggestion::SuggestionStatus")]
pub enum SuggestionStatus {
    Registered,
    Assigned,
    Answered,
    Concluded,
    Withdrawn,
}

/// A 已解决或采纳 · B 正在解决或列入计划 · C 因条件限制暂时难以解决 · D 留作参考
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::suggestion::AnswerClass")]
pub enum AnswerClass {
    A,
    B,
    C,
    D,
}

/// 代表建议: a deputy's suggestion, from registration to conclusion.
#[derive(Clone)]
pub struct Suggestion(pub SuggestionView);

impl From<SuggestionView> for Suggestion {
    fn from(view: SuggestionView) -> Self {
        Suggestion(view)
    }
}

impl Suggestion {
    /// The answer's deadline judged on `as_of` (today by default); none before it is assigned.
    fn timing(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<Option<Timing>> {
        self.0
            .tracked()
            .map(|tracked| {
                context::timing(ctx, self.0.organization_id, tracked, as_of.map(|d| d.0))
            })
            .transpose()
    }
}

#[Object]
impl Suggestion {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        organization(ctx, self.0.organization_id).await
    }

    /// e.g. 2021-007, numbered per organisation and year
    async fn number(&self) -> &str {
        &self.0.number
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn content(&self) -> &str {
        &self.0.content
    }

    async fn category(&self) -> Option<&str> {
        self.0.category.as_deref()
    }

    async fn source(&self) -> SuggestionSource {
        self.0.source.into()
    }

    async fn lead_deputy(&self, ctx: &Context<'_>) -> async_graphql::Result<Person> {
        required_person(ctx, self.0.lead_deputy_id).await
    }

    async fn co_signers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Person>> {
        let ids = context::load_all(ctx, SuggestionCosignersKey(self.0.id)).await?;
        let mut people = Vec::with_capacity(ids.len());
        for id in ids {
            people.push(required_person(ctx, id).await?);
        }
        Ok(people)
    }

    async fn received_on(&self) -> Date {
        Date(self.0.received_on)
    }

    async fn status(&self) -> SuggestionStatus {
        self.0.status.into()
    }

    async fn assigned_on(&self) -> Option<Date> {
        self.0.assigned_on.map(Date)
    }

    async fn lead_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Unit>> {
        unit(ctx, self.0.lead_unit_id).await
    }

    async fn co_units(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Unit>> {
        let ids = context::load_all(ctx, SuggestionCoUnitsKey(self.0.id)).await?;
        let mut units = Vec::with_capacity(ids.len());
        for id in ids {
            units.extend(unit(ctx, Some(id)).await?);
        }
        Ok(units)
    }

    /// 分管领导 who answers for it
    async fn responsible_leader(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.responsible_leader_id).await
    }

    /// 重点督办
    async fn key_item(&self) -> bool {
        self.0.key_item
    }

    /// the answer is due by; a redo (重办) sets a new one
    async fn deadline(&self) -> Option<Date> {
        self.0.deadline.map(Date)
    }

    async fn deadline_state(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<Option<DeadlineState>> {
        Ok(self.timing(ctx, as_of)?.map(|t| t.state().into()))
    }

    async fn light(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<Option<Light>> {
        Ok(self.timing(ctx, as_of)?.map(|t| t.own_light().into()))
    }

    async fn days_overdue(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<i32> {
        Ok(self.timing(ctx, as_of)?.map_or(0, |t| t.days_overdue()))
    }

    /// each round's answer, the first first
    async fn answers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SuggestionAnswer>> {
        let rows = context::load_all(ctx, SuggestionAnswersKey(self.0.id)).await?;
        Ok(rows.into_iter().map(SuggestionAnswer).collect())
    }

    /// the round of handling: 1, and one more for each redo (重办) after a dissatisfied rating
    async fn round(&self) -> i32 {
        self.0.round
    }

    async fn concluded_on(&self) -> Option<Date> {
        self.0.concluded_on.map(Date)
    }

    /// why it was withdrawn
    async fn withdrawn_reason(&self) -> Option<&str> {
        self.0.withdrawn_reason.as_deref()
    }

    /// the supervised project it became, if any
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Project>> {
        let key = self.0.project_id.map(ProjectKey);
        Ok(context::load_opt(ctx, key).await?.map(Project::from))
    }

    /// the written answer (a PDF or a scan) and other papers, through attachFile
    async fn attachments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Attachment>> {
        attachments(ctx, AttachmentsKey(self.0.id)).await
    }

    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One round's answer, with the lead deputy's rating of it.
pub struct SuggestionAnswer(SuggestionAnswerView);

#[Object]
impl SuggestionAnswer {
    async fn round(&self) -> i32 {
        self.0.round
    }

    async fn answered_on(&self) -> Date {
        Date(self.0.answered_on)
    }

    async fn answer_class(&self) -> AnswerClass {
        self.0.answer_class.into()
    }

    async fn text(&self) -> &str {
        &self.0.text
    }

    /// the unit met the deputy in person (见面沟通)
    async fn met_deputy(&self) -> bool {
        self.0.met_deputy
    }

    async fn answered_by(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        user(ctx, self.0.answered_by).await
    }

    async fn feedback(&self) -> Option<Rating> {
        self.0.feedback.map(Into::into)
    }

    async fn feedback_note(&self) -> Option<&str> {
        self.0.feedback_note.as_deref()
    }

    async fn feedback_on(&self) -> Option<Date> {
        self.0.feedback_on.map(Date)
    }
}

connection!(SuggestionConnection, SuggestionEdge, Suggestion);

#[derive(InputObject, Default)]
pub struct SuggestionFilter {
    status: Option<Vec<SuggestionStatus>>,
    lead_unit_id: Option<ID>,
    lead_deputy_id: Option<ID>,
    year: Option<i32>,
    key_item: Option<bool>,
    /// words of the title or the text, as written
    search: Option<String>,
    /// the answer deadline's state on asOf (each organisation's today when absent), as the
    /// deadlineState field says it
    deadline_state: Option<Vec<DeadlineState>>,
    as_of: Option<Date>,
}

impl SuggestionFilter {
    fn into_service(self) -> async_graphql::Result<Filter> {
        Ok(Filter {
            status: self.status.map(|v| v.into_iter().map(Into::into).collect()),
            lead_unit_id: self.lead_unit_id.map(id_of("leadUnitId")).transpose()?,
            lead_deputy_id: self.lead_deputy_id.map(id_of("leadDeputyId")).transpose()?,
            year: self.year,
            key_item: self.key_item,
            search: self.search,
            deadline_state: self
                .deadline_state
                .map(|v| v.into_iter().map(Into::into).collect()),
            as_of: self.as_of.map(|d| d.0),
        })
    }
}

#[derive(InputObject)]
pub struct RegisterSuggestionInput {
    title: String,
    content: String,
    category: Option<String>,
    source: SuggestionSource,
    lead_deputy_id: ID,
    co_signer_ids: Option<Vec<ID>>,
    received_on: Date,
}

#[derive(InputObject)]
pub struct AssignSuggestionInput {
    lead_unit_id: ID,
    co_unit_ids: Option<Vec<ID>>,
    responsible_leader_id: ID,
    key_item: Option<bool>,
    deadline: Option<Date>,
}

#[derive(InputObject)]
pub struct AnswerSuggestionInput {
    answer_class: AnswerClass,
    text: String,
    answered_on: Date,
    met_deputy: bool,
}

/// A supervised project made from a suggestion; its title, text and lead leader default to the
/// suggestion's.
#[derive(InputObject, Default)]
pub struct ProjectFromSuggestionInput {
    title: Option<String>,
    location: Option<String>,
    /// a construction project (工程建设)
    construction: Option<bool>,
    planned_start: Option<Date>,
    planned_end: Option<Date>,
}

fn ids(field: &'static str, list: Option<Vec<ID>>) -> async_graphql::Result<Vec<uuid::Uuid>> {
    list.unwrap_or_default()
        .into_iter()
        .map(id_of(field))
        .collect()
}

#[derive(Default)]
pub struct SuggestionsQuery;

#[Object]
impl SuggestionsQuery {
    async fn suggestion(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Suggestion>> {
        let actor = context::actor(ctx)?;
        let Ok(id) = super::scalars::parse_id("id", &id) else {
            return Ok(None);
        };
        let found = suggestions::suggestions_by_ids(context::service(ctx)?, actor, &[id])
            .await
            .gql()?;
        Ok(found.into_iter().next().map(Suggestion))
    }

    /// Suggestions the caller may read, newest received first.
    #[graphql(complexity = "connection::cost(first, child_complexity)")]
    async fn suggestions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<SuggestionFilter>,
    ) -> async_graphql::Result<SuggestionConnection> {
        let actor = context::actor(ctx)?;
        let page = PageRequest::new(first, after.as_deref()).gql()?;
        let filter = filter.unwrap_or_default().into_service()?;
        let page = suggestions::list_suggestions(context::service(ctx)?, actor, filter, page)
            .await
            .gql()?;
        Ok(page.into())
    }
}

#[derive(Default)]
pub struct SuggestionsMutation;

#[Object]
impl SuggestionsMutation {
    /// a deputy registers their own; the presidium any (numbered per organisation and year)
    async fn register_suggestion(
        &self,
        ctx: &Context<'_>,
        input: RegisterSuggestionInput,
    ) -> async_graphql::Result<Suggestion> {
        let actor = context::actor(ctx)?;
        let new = NewSuggestion {
            title: input.title,
            content: input.content,
            category: input.category,
            source: input.source.into(),
            lead_deputy_id: id_of("leadDeputyId")(input.lead_deputy_id)?,
            co_signer_ids: ids("coSignerIds", input.co_signer_ids)?,
            received_on: input.received_on.0,
        };
        let view = suggestions::register_suggestion(context::service(ctx)?, actor, new)
            .await
            .gql()?;
        Ok(Suggestion(view))
    }

    /// presidium: 交办 to a lead unit and the leader who answers; due
    /// `suggestionAnswerWorkingDays` working days on unless a deadline is given
    async fn assign_suggestion(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: AssignSuggestionInput,
    ) -> async_graphql::Result<Suggestion> {
        let actor = context::actor(ctx)?;
        let id = target(&id, "suggestion")?;
        let assignment = Assignment {
            lead_unit_id: id_of("leadUnitId")(input.lead_unit_id)?,
            co_unit_ids: ids("coUnitIds", input.co_unit_ids)?,
            responsible_leader_id: id_of("responsibleLeaderId")(input.responsible_leader_id)?,
            key_item: input.key_item.unwrap_or(false),
            deadline: input.deadline.map(|d| d.0),
        };
        let view = suggestions::assign_suggestion(
            context::service(ctx)?,
            actor,
            id,
            expected_version,
            assignment,
        )
        .await
        .gql()?;
        Ok(Suggestion(view))
    }

    /// the leader it is assigned to, or the presidium
    async fn answer_suggestion(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: AnswerSuggestionInput,
    ) -> async_graphql::Result<Suggestion> {
        let actor = context::actor(ctx)?;
        let id = target(&id, "suggestion")?;
        let answer = Answer {
            answer_class: input.answer_class.into(),
            text: input.text,
            answered_on: input.answered_on.0,
            met_deputy: input.met_deputy,
        };
        let view = suggestions::answer_suggestion(
            context::service(ctx)?,
            actor,
            id,
            expected_version,
            answer,
        )
        .await
        .gql()?;
        Ok(Suggestion(view))
    }

    /// the lead deputy (or the presidium on their behalf); DISSATISFIED opens a redo round
    async fn record_suggestion_feedback(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        feedback: Rating,
        note: Option<String>,
    ) -> async_graphql::Result<Suggestion> {
        let actor = context::actor(ctx)?;
        let id = target(&id, "suggestion")?;
        let view = suggestions::record_feedback(
            context::service(ctx)?,
            actor,
            id,
            expected_version,
            feedback.into(),
            note.as_deref(),
        )
        .await
        .gql()?;
        Ok(Suggestion(view))
    }

    /// presidium: 办结, once answered and not while the deputy's latest rating is DISSATISFIED
    async fn conclude_suggestion(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<Suggestion> {
        let actor = context::actor(ctx)?;
        let id = target(&id, "suggestion")?;
        let view =
            suggestions::conclude_suggestion(context::service(ctx)?, actor, id, expected_version)
                .await
                .gql()?;
        Ok(Suggestion(view))
    }

    /// the lead deputy or the presidium, before it is answered
    async fn withdraw_suggestion(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        reason: String,
    ) -> async_graphql::Result<Suggestion> {
        let actor = context::actor(ctx)?;
        let id = target(&id, "suggestion")?;
        let view = suggestions::withdraw_suggestion(
            context::service(ctx)?,
            actor,
            id,
            expected_version,
            &reason,
        )
        .await
        .gql()?;
        Ok(Suggestion(view))
    }

    /// presidium: the suggestion becomes a supervised project (origin DEPUTY_SUGGESTION), linked
    /// both ways (Suggestion.project, Project.suggestion); not when withdrawn or already one
    async fn create_project_from_suggestion(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: Option<ProjectFromSuggestionInput>,
    ) -> async_graphql::Result<Suggestion> {
        let actor = context::actor(ctx)?;
        let id = target(&id, "suggestion")?;
        let input = input.unwrap_or_default();
        let project = ProjectOfSuggestion {
            title: input.title,
            location: input.location,
            construction: input.construction.unwrap_or(false),
            planned_start: input.planned_start.map(|d| d.0),
            planned_end: input.planned_end.map(|d| d.0),
        };
        let view =
            suggestions::make_project(context::service(ctx)?, actor, id, expected_version, project)
                .await
                .gql()?;
        Ok(Suggestion(view))
    }
}
