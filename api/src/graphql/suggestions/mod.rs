//! Deputies' suggestions (代表建议办理): registered, assigned (交办), answered, rated, redone,
//! concluded (办结) or withdrawn; read one by one or in filtered pages. The objects are here; the
//! filter, the inputs and the queries and mutations in `resolvers`.

mod resolvers;

pub use resolvers::{SuggestionsMutation, SuggestionsQuery};

use async_graphql::{Context, Enum, ID, Object};

use crate::graphql::accounts::{User, user};
use crate::graphql::attachments::{Attachment, attachments};
use crate::graphql::connection::connection;
use crate::graphql::connection::shows;
use crate::graphql::context::{self, Timing};
use crate::graphql::loaders::{
    AttachmentsKey, ProjectKey, SuggestionAnswersKey, SuggestionCoUnitsKey, SuggestionCosignersKey,
};
use crate::graphql::organizations::{
    Organization, Person, Unit, organization, person, required_person, unit,
};
use crate::graphql::projects::Project;
use crate::graphql::scalars::{Date, DeadlineState, Light, Rating, to_id};
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

shows!(Suggestion: SuggestionView);

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

    /// imported awaiting its answer past the deadline: no notices until the presidium confirms
    /// it (confirmHistoricalSuggestion)
    async fn historical(&self) -> bool {
        self.0.historical
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
