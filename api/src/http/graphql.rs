//! `POST /graphql`: reads the body within its size limit, works out the caller from the bearer
//! token, and runs the query within the time limit with a fresh DataLoader.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use async_graphql::dataloader::{DataLoader, HashMapCache};
use async_graphql::http::GraphiQLSource;
use poem::http::{HeaderMap, StatusCode, header};
use poem::web::{Data, Html};
use poem::{Body, IntoResponse, Response, handler};
use serde_json::json;

use super::AppState;
use crate::error::AppError;
use crate::graphql::context::{Caller, Request};
use crate::graphql::loaders::Batch;
use crate::service::accounts;

#[handler]
pub async fn graphiql() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("Jiandu 监督")
            .finish(),
    )
}

fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    Response::builder()
        .status(status)
        .content_type("application/json")
        .body(body.to_string())
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

#[handler]
pub async fn execute(headers: &HeaderMap, body: Body, Data(state): Data<&AppState>) -> Response {
    state.graphql_requests.fetch_add(1, Ordering::Relaxed);
    let bytes = match body.into_bytes_limit(state.limits.max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(poem::error::ReadBodyError::PayloadTooLarge) => {
            return error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                "QUERY_TOO_COMPLEX",
                &format!(
                    "the request body is larger than {} bytes",
                    state.limits.max_body_bytes
                ),
            );
        }
        Err(_) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "VALIDATION_FAILED",
                "could not read the request body",
            );
        }
    };
    let request: async_graphql::Request = match serde_json::from_slice(&bytes) {
        Ok(request) => request,
        Err(_) if bytes.first() == Some(&b'[') => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "VALIDATION_FAILED",
                "batched requests are not accepted; send one query per request",
            );
        }
        Err(_) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "VALIDATION_FAILED",
                "the body must be JSON: {\"query\": \"…\", \"variables\": {…}}",
            );
        }
    };

    let ctx = &state.ctx;
    let caller = match bearer(headers) {
        None => Caller::Anonymous,
        Some(token) => match accounts::authenticate(ctx, &token).await {
            Ok(actor) => Caller::Signed {
                actor: Arc::new(actor),
                token,
            },
            Err(AppError::Unauthenticated(why)) => Caller::Rejected(why),
            Err(error) => {
                tracing::error!(error = ?error, "authenticating a request");
                return error_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "INTERNAL",
                    "internal error",
                );
            }
        },
    };
    let mut request = request;
    if let Caller::Signed { actor, .. } = &caller {
        let batch = Batch {
            ctx: ctx.clone(),
            actor: actor.clone(),
        };
        // Per-request cache: a record asked for twice in one answer is loaded once.
        request = request.data(DataLoader::with_cache(
            batch,
            tokio::spawn,
            HashMapCache::default(),
        ));
    }
    let request = request.data(Request {
        caller,
        now: ctx.now(),
    });

    match tokio::time::timeout(state.limits.request_timeout, state.schema.execute(request)).await {
        Ok(response) => {
            let retry_after = response.errors.iter().find_map(|e| {
                let extensions = e.extensions.as_ref()?;
                match extensions.get("retryAfter")? {
                    async_graphql::Value::Number(n) => n.as_u64(),
                    _ => None,
                }
            });
            let mut http = poem::web::Json(response).into_response();
            if let Some(seconds) = retry_after
                && let Ok(value) = seconds.to_string().parse()
            {
                http.headers_mut().insert(header::RETRY_AFTER, value);
            }
            http
        }
        Err(_) => error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            "QUERY_TOO_COMPLEX",
            "the request took too long and was stopped",
        ),
    }
}
