//! `POST /graphql`: works out the caller from the bearer token (`super::caller`), reads the body
//! within its size limit, and runs the query within the time limit with a fresh DataLoader.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use async_graphql::ParseRequestError;
use async_graphql::dataloader::{DataLoader, HashMapCache};
use async_graphql::http::MultipartOptions;
use async_graphql::parser::types::ExecutableDocument;
use poem::http::{HeaderMap, StatusCode, header};
use poem::web::Data;
use poem::web::RemoteAddr;
use poem::{Body, Response, handler};

use super::{AppState, error_response};
use crate::error::AppError;
use crate::graphql::QueryLimits;
use sha2::{Digest, Sha256};

use super::caller::{self, Credentials};
use super::idempotent;
use crate::graphql::carried;
use crate::graphql::context::Request;
use crate::graphql::loaders::Batch;
use crate::graphql::shape::{self, Shape};
use crate::service::accounts::Caller;
use futures::FutureExt;

fn too_large(limit: usize) -> Response {
    error_response(AppError::TooLarge {
        field: None,
        message: format!("the request body is larger than {limit} bytes"),
        max_bytes: limit,
    })
}

fn bad_request(message: &str) -> Response {
    error_response(AppError::BadRequest(message.to_string()))
}

/// The most body read from a caller who is not signed in: enough to sign in, far too little to
/// make the server hold a 20 MiB upload for a stranger.
const ANONYMOUS_BODY_BYTES: usize = 16 * 1024;

/// The header a multipart request (a file upload) must carry: the GraphQL multipart request
/// spec's advice against cross-site request forgery.
pub const PREFLIGHT: &str = "graphql-preflight";

/// Reads a JSON request, or a multipart one (GraphQL multipart request spec) carrying files. The
/// size limits hold while the body streams in: reading stops at the limit.
async fn read_request(
    headers: &HeaderMap,
    body: Body,
    state: &AppState,
    signed_in: bool,
) -> Result<(async_graphql::Request, String), Response> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let media_type = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    // Only what a script must ask the browser's leave for: a plain HTML form on another site
    // can send text/plain, urlencoded and multipart bodies (with the clerk's session) but no
    // JSON, and no extra header.
    let multipart = match media_type.as_str() {
        "application/json" => false,
        "multipart/form-data" if headers.contains_key(PREFLIGHT) => true,
        "multipart/form-data" => {
            return Err(error_response(AppError::BadRequest(format!(
                "a file upload needs the header `{PREFLIGHT}` (any value), which no form of \
                 another web site can send"
            ))));
        }
        _ => {
            return Err(error_response(AppError::UnsupportedMediaType(
                "send application/json, or multipart/form-data to upload a file".into(),
            )));
        }
    };
    let max_file = state.ctx.limits.max_upload_bytes;
    let limit = match (signed_in, multipart) {
        (false, true) => {
            return Err(error_response(AppError::Unauthenticated(
                "sign in before uploading a file: send Authorization: Bearer <token>".into(),
            )));
        }
        (false, false) => ANONYMOUS_BODY_BYTES.min(state.limits.max_body_bytes),
        (true, true) => max_file.saturating_add(state.limits.max_body_bytes),
        (true, false) => state.limits.max_body_bytes,
    };
    let reading =
        tokio::time::timeout(state.limits.body_read_timeout, body.into_bytes_limit(limit));
    let bytes = match reading.await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(poem::error::ReadBodyError::PayloadTooLarge)) => return Err(too_large(limit)),
        Ok(Err(poem::error::ReadBodyError::Io(error)))
            if error.kind() == std::io::ErrorKind::TimedOut =>
        {
            return Err(error_response(AppError::SlowBody));
        }
        Ok(Err(_)) => return Err(bad_request("could not read the request body")),
        Err(_) => return Err(error_response(AppError::SlowBody)),
    };
    let hash = hex::encode(Sha256::digest(&bytes));
    if multipart {
        let options = MultipartOptions::default().max_file_size(max_file);
        return match async_graphql::http::receive_body(Some(content_type), &bytes[..], options)
            .await
        {
            Ok(request) => Ok((request, hash)),
            Err(ParseRequestError::PayloadTooLarge) => Err(error_response(AppError::TooLarge {
                field: Some("file".into()),
                message: format!(
                    "a file is larger than the {} MiB limit",
                    max_file / (1024 * 1024)
                ),
                max_bytes: max_file,
            })),
            Err(ParseRequestError::UnsupportedBatch) => Err(bad_request(
                "batched requests are not accepted; send one query per request",
            )),
            Err(_) => Err(bad_request(
                "not a valid GraphQL multipart request (operations, map, then the files)",
            )),
        };
    }
    match serde_json::from_slice(&bytes) {
        Ok(request) => Ok((request, hash)),
        // JSON can write half of a UTF-16 pair (`"\ud800"`), which no text may hold.
        Err(error) if error.to_string().contains("surrogate") => {
            Err(error_response(carried::refused("variables")))
        }
        Err(_) if bytes.first() == Some(&b'[') => Err(bad_request(
            "batched requests are not accepted; send one query per request",
        )),
        Err(_) => Err(bad_request(
            "the body must be JSON: {\"query\": \"…\", \"variables\": {…}}",
        )),
    }
}

/// Refuses, before it runs, a document whose shape no client of Jiandu needs.
/// Returns the parsed document with its shape (`None`: it does not parse, and the executor
/// will say why).
pub(super) fn check_shape(
    query: &str,
    limits: &QueryLimits,
    documents: &shape::Documents,
) -> Result<Option<Arc<(Shape, ExecutableDocument)>>, String> {
    if query.len() > limits.document_bytes {
        return Err(format!(
            "the query is longer than {} bytes",
            limits.document_bytes
        ));
    }
    let Some(parsed) = documents.parse(query) else {
        return Ok(None);
    };
    let shape = &parsed.0;
    if shape.aliases > limits.aliases {
        Err(format!(
            "the query uses more than {} aliases",
            limits.aliases
        ))
    } else if shape.selections > limits.selections as u64 {
        Err(format!(
            "the query selects more than {} fields",
            limits.selections
        ))
    } else if shape.logins > 1 {
        Err("sign in once per request".into())
    } else {
        Ok(Some(parsed))
    }
}

/// The name a document gives its operation (`query Dashboard { … }`), when it starts with one.
fn named_operation(query: &str) -> Option<&str> {
    let text = query.trim_start();
    let rest = ["query", "mutation", "subscription"]
        .iter()
        .find_map(|keyword| text.strip_prefix(keyword))?
        .trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

#[handler]
pub async fn execute(
    headers: &HeaderMap,
    remote: &RemoteAddr,
    body: Body,
    Data(state): Data<&AppState>,
) -> Response {
    state.graphql_requests.fetch_add(1, Ordering::Relaxed);
    let arrived = std::time::Instant::now();
    // Who is calling is known from the headers alone, before the body is read: a caller who is
    // not signed in gets no more than a sign-in's worth of body read, and one over their rate
    // has none read.
    let caller = match caller::caller(state, headers, Credentials::Bearer).await {
        Ok(caller) => caller,
        Err(error) => return error_response(error),
    };
    // An account that must choose a new password first is read no more than a stranger.
    let signed_in = matches!(
        caller,
        Caller::Signed {
            must_change_password: false,
            ..
        }
    );
    let (request, request_hash) = match read_request(headers, body, state, signed_in).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    if let Err(error) = carried::check_request(&request) {
        return error_response(error);
    }
    let parsed = match check_shape(&request.query, &state.query_limits, &state.documents) {
        Ok(parsed) => parsed,
        Err(why) => return error_response(AppError::TooComplex(why)),
    };
    if let Some(field) = parsed.as_ref().and_then(|p| p.0.uncarried.as_deref()) {
        return error_response(carried::refused(field));
    }
    let introspection = parsed.as_ref().is_some_and(|p| p.0.introspection);
    let kind = idempotent::Kind {
        mutation: parsed.as_ref().is_some_and(|p| p.0.mutation),
        login: parsed.as_ref().is_some_and(|p| p.0.logins > 0),
    };
    let ctx = &state.ctx;
    let mut request = request;
    if let Some(parsed) = parsed {
        request.set_parsed_query(parsed.1.clone());
    }
    let mut claimed = None;
    match &caller {
        Caller::Signed { actor, .. } => {
            match idempotent::claim(headers, state, actor.user_id(), &request_hash, kind).await {
                Ok(claim) => claimed = claim,
                Err(response) => return response,
            }
        }
        // The schema is for the users of a town, not for whoever finds the address.
        Caller::Anonymous | Caller::Rejected(_) => {
            if introspection {
                return error_response(AppError::Unauthenticated(
                    "sign in to read the schema".into(),
                ));
            }
            request = request.disable_introspection();
        }
    }
    if let Caller::Signed { actor, .. } = &caller {
        let batch = Batch {
            ctx: ctx.clone(),
            actor: actor.clone(),
        };
        // Per-request cache: a record asked for twice in one answer is loaded once. No waiting
        // for keys (the default waits 1 ms, longer than a kept answer takes): the load is spawned
        // from the resolving task and mostly runs once that task yields, after every sibling has
        // asked for its key. When two kinds of record are asked for in one pass and another
        // worker is idle, the first kind's load may start early and a batch split in two: a
        // statement more where the records are read with SQL, never a wrong answer.
        request = request.data(
            DataLoader::with_cache(batch, tokio::spawn, HashMapCache::default())
                .delay(std::time::Duration::ZERO),
        );
    }
    let request = request.data(Request::once(
        caller,
        ctx.now(),
        super::client::address(headers, remote, state.limits.trusted_proxies),
    ));

    let operation = request
        .operation_name
        .clone()
        .or_else(|| named_operation(&request.query).map(str::to_string));
    if let Some(operation) = &operation {
        // On the request's span when traces are exported; nothing otherwise.
        tracing::Span::current().record("graphql.operation", operation.as_str());
    }
    let answer = run(state, request).await;
    // Only a signed-in caller's operation names become labels: a stranger's names would use up
    // the labels kept apart.
    let label = operation.as_deref().filter(|_| signed_in);
    state.latencies.observe(label, arrived.elapsed());
    if let Some(claimed) = claimed {
        // An answer the server could not finish is not kept: a retry runs the request again.
        let kept = answer
            .as_ref()
            .ok()
            .filter(|answer| answer.status == StatusCode::OK)
            .map(|answer| (answer.status, answer.body.as_str()));
        idempotent::settle(state, claimed, kept).await;
    }
    let answer = match answer {
        Ok(answer) => answer,
        Err(error) => return error_response(error),
    };
    let mut response = Response::builder()
        .status(answer.status)
        .content_type("application/json")
        .body(answer.body);
    if let Some(seconds) = answer.retry_after
        && let Ok(value) = seconds.to_string().parse()
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// A finished GraphQL answer.
struct Answer {
    /// 200, or 503 when the database could not be reached in time (UNAVAILABLE).
    status: StatusCode,
    body: String,
    retry_after: Option<u64>,
}

/// Runs the request within the time limit: the answer, or the error that ended it.
async fn run(state: &AppState, request: async_graphql::Request) -> Result<Answer, AppError> {
    // A panic in a resolver ends this request with INTERNAL, not the connection or the server.
    let execution = AssertUnwindSafe(state.schema.execute(request)).catch_unwind();
    match tokio::time::timeout(state.limits.request_timeout, execution).await {
        Ok(Err(_)) => Err(AppError::internal(anyhow::anyhow!("a resolver panicked"))),
        Ok(Ok(mut response)) => {
            crate::graphql::error::give_codes(&mut response);
            let retry_after = response.errors.iter().find_map(|e| {
                let extensions = e.extensions.as_ref()?;
                match extensions.get("retryAfter")? {
                    async_graphql::Value::Number(n) => n.as_u64(),
                    _ => None,
                }
            });
            let status = if crate::graphql::error::unavailable(&response) {
                StatusCode::SERVICE_UNAVAILABLE
            } else {
                StatusCode::OK
            };
            let body = serde_json::to_string(&response).map_err(|e| {
                AppError::internal(anyhow::Error::from(e).context("serialising a response"))
            })?;
            Ok(Answer {
                status,
                body,
                retry_after,
            })
        }
        Err(_) => Err(AppError::TimedOut),
    }
}
