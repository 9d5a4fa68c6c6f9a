//! The `Idempotency-Key` header on `POST /graphql`: a request is done once per key; a replay with
//! the same body gets the stored answer (marked `Idempotent-Replayed: true`), another body with
//! the same key is refused, and a replay while the first is still running is told to wait.

use jiandu_domain::Reason;
use poem::Response;
use poem::http::{HeaderMap, StatusCode};
use uuid::Uuid;

use super::AppState;
use super::error_response;
use crate::error::AppError;
use crate::service::kernel::idempotency::{self, Claim};

/// A key this request holds until its answer is stored.
pub struct Claimed {
    user: Uuid,
    key: String,
}

/// What a request does, as far as keeping its answer goes.
pub struct Kind {
    /// It changes something (holds a mutation).
    pub mutation: bool,
    /// It signs in: its answer holds a session token, which is never kept.
    pub login: bool,
}

/// Claims the request's key for `user`, if it carries one; or answers the request at once.
pub async fn claim(
    headers: &HeaderMap,
    state: &AppState,
    user: Uuid,
    request_hash: &str,
    kind: Kind,
) -> Result<Option<Claimed>, Response> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default();
    idempotency::check_key(key).map_err(error_response)?;
    let refused = |why: &str| {
        error_response(AppError::invalid(
            "Idempotency-Key",
            Reason::NotForThisKind,
            why,
        ))
    };
    if !kind.mutation {
        return Err(refused(
            "is for mutations: a query changes nothing and can be sent again as it is",
        ));
    }
    if kind.login {
        return Err(refused(
            "is not taken with a sign-in, whose answer is never kept: send it without the key",
        ));
    }
    match idempotency::claim(&state.ctx, user, key, request_hash).await {
        Ok(Claim::Run) => Ok(Some(Claimed {
            user,
            key: key.to_string(),
        })),
        Ok(Claim::Replay { status, body }) => Err(Response::builder()
            .status(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
            .content_type("application/json")
            .header("idempotent-replayed", "true")
            .body(body)),
        Ok(Claim::InProgress) => Err(error_response(AppError::Conflict(
            "a request with this Idempotency-Key is still being answered; try again shortly".into(),
        ))),
        Ok(Claim::Mismatch) => Err(error_response(AppError::KeyReused(
            "this Idempotency-Key was used with another request".into(),
        ))),
        Err(error @ AppError::RateLimited { .. }) => Err(error_response(error)),
        Err(error) => Err(error_response(AppError::Unavailable(
            anyhow::Error::from(error).context("claiming an idempotency key"),
        ))),
    }
}

/// Stores the answer for replays, or lets the key go when there is no answer to keep.
pub async fn settle(state: &AppState, claimed: Claimed, answer: Option<(StatusCode, &str)>) {
    let stored = match answer {
        Some((status, body)) => {
            idempotency::finish(
                &state.ctx,
                claimed.user,
                &claimed.key,
                status.as_u16(),
                body,
            )
            .await
        }
        None => idempotency::release(&state.ctx, claimed.user, &claimed.key).await,
    };
    if let Err(error) = stored {
        tracing::error!(error = ?error, "storing an idempotent answer");
    }
}
