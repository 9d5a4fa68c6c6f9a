//! Extension requests (延期申请): asked for before a deadline passes, decided by the presidium.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};

use super::accounts::{User, user};
use super::args::id_of;
use super::connection::{self, connection};
use super::context;
use super::error::GqlResult;
use super::findings::Finding;
use super::loaders::{
    ExtensionKey, FindingExtensionsKey, FindingKey, MilestoneExtensionsKey, MilestoneKey,
};
use super::milestones::Milestone;
use super::scalars::{Date, ExtensionStatus, to_id};
use crate::graphql::connection::shows;
use crate::service::extensions;
use crate::service::page::PageRequest;
use crate::service::views::ExtensionView;

/// 延期申请: a later deadline asked for an open milestone or finding, with the reason.
#[derive(Clone)]
pub struct ExtensionRequest(pub ExtensionView);

shows!(ExtensionRequest: ExtensionView);

#[Object]
impl ExtensionRequest {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn milestone(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Milestone>> {
        let key = self.0.milestone_id.map(MilestoneKey);
        Ok(context::load_opt(ctx, key).await?.map(Milestone::from))
    }

    async fn finding(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Finding>> {
        let key = self.0.finding_id.map(FindingKey);
        Ok(context::load_opt(ctx, key).await?.map(Finding))
    }

    async fn requested_by(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        user(ctx, self.0.requested_by).await
    }

    async fn requested_at(&self) -> DateTime<Utc> {
        self.0.requested_at
    }

    /// The deadline when it was asked.
    async fn current_deadline(&self) -> Date {
        Date(self.0.current_deadline)
    }

    async fn proposed_deadline(&self) -> Date {
        Date(self.0.proposed_deadline)
    }

    async fn reason(&self) -> &str {
        &self.0.reason
    }

    async fn status(&self) -> ExtensionStatus {
        self.0.status.into()
    }

    async fn decided_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.0.decided_by {
            Some(id) => Ok(Some(user(ctx, id).await?)),
            None => Ok(None),
        }
    }

    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }

    async fn decision_note(&self) -> Option<&str> {
        self.0.decision_note.as_deref()
    }

    /// the deadline granted (may differ from the one proposed)
    async fn approved_deadline(&self) -> Option<Date> {
        self.0.approved_deadline.map(Date)
    }
}

connection!(
    ExtensionRequestConnection,
    ExtensionRequestEdge,
    ExtensionRequest
);

/// The extension requests of a milestone, oldest first.
pub async fn of_milestone(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<Vec<ExtensionRequest>> {
    let rows = context::load_all(ctx, MilestoneExtensionsKey(id)).await?;
    Ok(rows.iter().cloned().map(ExtensionRequest).collect())
}

/// The extension requests of a finding, oldest first.
pub async fn of_finding(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<Vec<ExtensionRequest>> {
    let rows = context::load_all(ctx, FindingExtensionsKey(id)).await?;
    Ok(rows.iter().cloned().map(ExtensionRequest).collect())
}

/// The request an approved move of a deadline came from.
pub async fn by_id(
    ctx: &Context<'_>,
    id: Option<uuid::Uuid>,
) -> async_graphql::Result<Option<ExtensionRequest>> {
    Ok(context::load_opt(ctx, id.map(ExtensionKey))
        .await?
        .map(ExtensionRequest))
}

#[derive(Default)]
pub struct ExtensionsQuery;

#[Object]
impl ExtensionsQuery {
    /// Extension requests the caller may read, newest first; `status` narrows them (PENDING:
    /// what waits for the presidium).
    #[graphql(complexity = "connection::cost(first, child_complexity)")]
    async fn extension_requests(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<Vec<ExtensionStatus>>,
    ) -> async_graphql::Result<ExtensionRequestConnection> {
        let (service, actor) = context::signed(ctx)?;
        let page = PageRequest::new(first, after.as_deref()).gql()?;
        let statuses = status.map(|list| list.into_iter().map(Into::into).collect());
        extensions::list_extensions(service, actor, statuses, page)
            .await
            .answer()
    }
}

#[derive(Default)]
pub struct ExtensionsMutation;

#[Object]
impl ExtensionsMutation {
    /// the responsible leader (or person) asks, before the deadline has passed
    async fn request_extension(
        &self,
        ctx: &Context<'_>,
        entity_id: ID,
        proposed_deadline: Date,
        reason: String,
    ) -> async_graphql::Result<ExtensionRequest> {
        let (service, actor) = context::signed(ctx)?;
        let id = id_of("entityId")(entity_id)?;
        extensions::request_extension(service, actor, id, proposed_deadline.0, &reason)
            .await
            .answer()
    }

    /// The one who asked takes a waiting request back.
    async fn withdraw_extension(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<ExtensionRequest> {
        let (service, actor) = context::signed(ctx)?;
        let id = id_of("id")(id)?;
        extensions::withdraw_extension(service, actor, id)
            .await
            .answer()
    }

    /// presidium; approving moves the deadline (a DeadlineChange linked to the request)
    async fn decide_extension(
        &self,
        ctx: &Context<'_>,
        id: ID,
        approve: bool,
        note: Option<String>,
        deadline: Option<Date>,
    ) -> async_graphql::Result<ExtensionRequest> {
        let (service, actor) = context::signed(ctx)?;
        let id = id_of("id")(id)?;
        extensions::decide_extension(
            service,
            actor,
            id,
            approve,
            note.as_deref(),
            deadline.map(|d| d.0),
        )
        .await
        .answer()
    }
}
