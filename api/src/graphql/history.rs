//! The audit trail of a record.

use async_graphql::{Context, ID, Json, Object};
use chrono::{DateTime, Utc};

use super::accounts::User;
use super::connection::{self, connection};
use super::context;
use super::error::GqlResult;
use super::loaders::UserKey;
use super::scalars::{parse_id, to_id};
use crate::graphql::connection::shows;
use crate::service::kernel::audit;
use crate::service::page::PageRequest;
use crate::service::views::AuditEventView;

/// One recorded change: who, when, what, and the record before and after.
#[derive(Clone)]
pub struct AuditEvent(pub AuditEventView);

shows!(AuditEvent: AuditEventView);

connection!(AuditEventConnection, AuditEventEdge, AuditEvent);

#[Object]
impl AuditEvent {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// null for changes made from the command line
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        Ok(context::load_opt(ctx, self.0.actor_id.map(UserKey))
            .await?
            .map(User))
    }

    /// e.g. milestone.reschedule
    async fn action(&self) -> &str {
        &self.0.action
    }

    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }

    async fn entity_id(&self) -> ID {
        to_id(self.0.entity_id)
    }

    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0.before.clone().map(Json)
    }

    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0.after.clone().map(Json)
    }
}

#[derive(Default)]
pub struct HistoryQuery;

#[Object]
impl HistoryQuery {
    /// Every recorded change to a record, oldest first.
    #[graphql(complexity = "connection::cost(first, child_complexity)")]
    async fn history(
        &self,
        ctx: &Context<'_>,
        entity_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<AuditEventConnection> {
        let (service, actor) = context::signed(ctx)?;
        let entity_id = parse_id("entityId", &entity_id).gql()?;
        let page = PageRequest::new(first, after.as_deref()).gql()?;
        audit::history(service, actor, entity_id, page)
            .await
            .answer()
    }
}
