//! What a resolver knows about its request: who is calling (from the HTTP layer), when the
//! request started, the service context and the request's DataLoader.

use std::sync::Arc;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, HashMapCache};
use chrono::{DateTime, NaiveDate, Utc};

use super::error::GqlResult;
use super::loaders::Batch;
use crate::error::AppError;
use crate::service::{Actor, Ctx};

/// Who is calling, decided by the HTTP layer from the bearer token.
pub enum Caller {
    Anonymous,
    /// A token was sent but is unknown, expired or revoked.
    Rejected(String),
    Signed {
        actor: Arc<Actor>,
        token: String,
    },
}

/// Per-request data.
pub struct Request {
    pub caller: Caller,
    /// One clock reading per request, so every "today" in one answer agrees.
    pub now: DateTime<Utc>,
}

pub fn service<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Ctx> {
    ctx.data::<Ctx>()
}

pub fn request<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Request> {
    ctx.data::<Request>()
}

/// The signed-in user, or UNAUTHENTICATED.
pub fn actor<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Actor> {
    match &request(ctx)?.caller {
        Caller::Signed { actor, .. } => Ok(actor),
        Caller::Rejected(why) => Err(AppError::Unauthenticated(why.clone())).gql(),
        Caller::Anonymous => Err(AppError::Unauthenticated(
            "sign in first: send Authorization: Bearer <token> from login".into(),
        ))
        .gql(),
    }
}

pub fn loader<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a DataLoader<Batch, HashMapCache>> {
    actor(ctx)?;
    ctx.data::<DataLoader<Batch, HashMapCache>>()
}

pub fn now(ctx: &Context<'_>) -> async_graphql::Result<DateTime<Utc>> {
    Ok(request(ctx)?.now)
}

/// Today in `organization_id`'s zone for this request, or `as_of`.
pub fn today(
    ctx: &Context<'_>,
    organization_id: uuid::Uuid,
    as_of: Option<NaiveDate>,
) -> async_graphql::Result<NaiveDate> {
    Ok(actor(ctx)?.today_in(organization_id, now(ctx)?, as_of))
}
