//! The suggestions' filter and inputs, and their queries and mutations.

use async_graphql::{Context, ID, InputObject, Object};

use super::{AnswerClass, Suggestion, SuggestionConnection, SuggestionSource, SuggestionStatus};
use crate::graphql::args::{id_of, target};
use crate::graphql::connection;
use crate::graphql::context;
use crate::graphql::error::GqlResult;
use crate::graphql::scalars::{Date, DeadlineState, Rating};
use crate::service::page::PageRequest;
use crate::service::suggestions::{
    self, Answer, Assignment, NewSuggestion, ProjectOfSuggestion, SuggestionFilter as Filter,
};

#[derive(InputObject, Default)]
pub struct SuggestionFilter {
    status: Option<Vec<SuggestionStatus>>,
    lead_unit_id: Option<ID>,
    lead_deputy_id: Option<ID>,
    year: Option<i32>,
    key_item: Option<bool>,
    /// imported past their deadline, awaiting the presidium's confirmation (no notices until then)
    historical: Option<bool>,
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
            historical: self.historical,
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
        let Ok(id) = crate::graphql::scalars::parse_id("id", &id) else {
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
        let (service, actor) = context::signed(ctx)?;
        let page = PageRequest::new(first, after.as_deref()).gql()?;
        let filter = filter.unwrap_or_default().into_service()?;
        suggestions::list_suggestions(service, actor, filter, page)
            .await
            .answer()
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
        let (service, actor) = context::signed(ctx)?;
        let new = NewSuggestion {
            title: input.title,
            content: input.content,
            category: input.category,
            source: input.source.into(),
            lead_deputy_id: id_of("leadDeputyId")(input.lead_deputy_id)?,
            co_signer_ids: ids("coSignerIds", input.co_signer_ids)?,
            received_on: input.received_on.0,
        };
        suggestions::register_suggestion(service, actor, new)
            .await
            .answer()
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
        let (service, actor, id) = context::signed_on(ctx, &id, "suggestion")?;
        let assignment = Assignment {
            lead_unit_id: id_of("leadUnitId")(input.lead_unit_id)?,
            co_unit_ids: ids("coUnitIds", input.co_unit_ids)?,
            responsible_leader_id: id_of("responsibleLeaderId")(input.responsible_leader_id)?,
            key_item: input.key_item.unwrap_or(false),
            deadline: input.deadline.map(|d| d.0),
        };
        suggestions::assign_suggestion(service, actor, id, expected_version, assignment)
            .await
            .answer()
    }

    /// the leader it is assigned to, or the presidium
    async fn answer_suggestion(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: AnswerSuggestionInput,
    ) -> async_graphql::Result<Suggestion> {
        let (service, actor, id) = context::signed_on(ctx, &id, "suggestion")?;
        let answer = Answer {
            answer_class: input.answer_class.into(),
            text: input.text,
            answered_on: input.answered_on.0,
            met_deputy: input.met_deputy,
        };
        suggestions::answer_suggestion(service, actor, id, expected_version, answer)
            .await
            .answer()
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
        let (service, actor, id) = context::signed_on(ctx, &id, "suggestion")?;
        suggestions::record_feedback(
            service,
            actor,
            id,
            expected_version,
            feedback.into(),
            note.as_deref(),
        )
        .await
        .answer()
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
