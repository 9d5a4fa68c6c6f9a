//! HTTP: the request's edge. Who is calling (`caller`, from a bearer token or the session cookie
//! by each route's policy, with the per-user rate), the session cookie and CSRF tokens
//! (`session`), the GraphQL endpoint and its WebSocket, GraphiQL, downloads and the probes.
//! The workbench's pages build on this module, which knows nothing of them. The
//! routes of both are composed in `crate::app`.

pub mod caller;
pub mod capped;
pub mod client;
mod documents;
mod downloads;
pub mod graphiql;
mod graphql;
mod idempotent;
mod latency;
mod ledger;
mod probes;
pub mod rate;
pub mod serve;
pub mod session;
mod subscriptions;

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use poem::http::{HeaderValue, header};
use poem::{Endpoint, EndpointExt, Response, Route, get, post};
use serde_json::json;

use crate::error::AppError;

use crate::graphql::{JianduSchema, QueryLimits};
use crate::service::Ctx;

/// What every HTTP handler shares.
#[derive(Clone)]
pub struct AppState {
    pub ctx: Ctx,
    pub schema: JianduSchema,
    pub limits: HttpLimits,
    pub query_limits: QueryLimits,
    pub rate: Arc<rate::RateLimiter>,
    pub graphql_requests: Arc<AtomicU64>,
    pub documents: Arc<crate::graphql::shape::Documents>,
    /// Whether `GET /graphql` serves GraphiQL.
    pub graphiql: bool,
    /// The server's last backup of the embedded database.
    pub backups: crate::db::daily::Status,
    /// GraphQL request latency by operation name.
    pub latencies: Arc<latency::Latencies>,
    /// The bearer token `/metrics` asks for, when the operator set one.
    pub metrics_token: Option<Arc<str>>,
    /// The signed-in WebSocket connections of this replica, by user.
    pub sockets: Arc<subscriptions::Sockets>,
}

#[derive(Debug, Clone)]
pub struct HttpLimits {
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    /// Longest a request body may take to arrive (408 beyond).
    pub body_read_timeout: Duration,
    /// Longest a request's headers may take to arrive (408 and closed beyond).
    pub header_read_timeout: Duration,
    /// Steady requests per second allowed to one signed-in user, and the burst above it.
    pub user_requests_per_second: u32,
    pub user_request_burst: u32,
    /// Reverse proxies in front of the server (see `Config::trusted_proxies`).
    pub trusted_proxies: usize,
    /// WebSocket connections one user may hold open at once on this replica.
    pub max_sockets_per_user: usize,
}

/// The one way a response that is only an error is built (refusals before a query runs,
/// downloads, retries): the status and `extensions` come from the error itself, as in a GraphQL
/// answer, and an internal error's cause goes to the log, never to the client.
pub fn error_response(error: AppError) -> Response {
    response_of(&error)
}

fn response_of(error: &AppError) -> Response {
    let mut extensions = json!({ "code": error.code() });
    if let Some(field) = error.field() {
        extensions["field"] = json!(field);
    }
    if let Some((reason, params)) = error.reason() {
        extensions["reason"] = json!(reason);
        extensions["params"] = params;
    }
    let body =
        json!({ "errors": [{ "message": error.client_message(), "extensions": extensions }] });
    let mut response = Response::builder()
        .status(error.http_status())
        .content_type("application/json")
        .body(body.to_string());
    if let Some(seconds) = error.retry_after_secs()
        && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// So that a handler may answer `Result<Response, AppError>` and use `?`: the error becomes the
/// response [`error_response`] builds.
impl poem::error::ResponseError for AppError {
    fn status(&self) -> poem::http::StatusCode {
        self.http_status()
    }

    fn as_response(&self) -> Response {
        response_of(self)
    }
}

/// `route` with the API's routes added: GraphQL (and GraphiQL when `graphiql`), the WebSocket,
/// downloads and the probes.
pub fn routes(route: Route, graphiql: bool) -> Route {
    let graphql = if graphiql {
        get(graphiql::page).post(graphql::execute)
    } else {
        post(graphql::execute)
    };
    let route = route
        .at("/graphql", graphql)
        .at("/graphql/ws", get(subscriptions::upgrade));
    let route = if graphiql {
        route.at("/graphiql/:file", get(graphiql::asset))
    } else {
        route
    };
    route
        .at("/attachments/:id", get(downloads::attachment))
        .at("/calendar/:file", get(downloads::calendar_feed))
        .at("/documents/notices/:file", get(documents::notice))
        .at(
            "/documents/bulletins/:organization/:file",
            get(documents::bulletin),
        )
        .at(
            "/documents/deputies/:person/:file",
            get(documents::duty_report),
        )
        .at(
            "/documents/reports/:organization/:file",
            get(documents::year_report),
        )
        .at("/export/ledger.xlsx", get(ledger::ledger_xlsx))
        .at("/export/ledger.csv", get(ledger::ledger_csv))
        .at("/export/suggestions.csv", get(ledger::suggestions_csv))
        .at("/healthz", get(probes::healthz))
        .at("/readyz", get(probes::readyz))
        .at("/metrics", get(probes::metrics))
}

/// The composed routes as the server runs them: with the state every handler reads, a panic
/// in a handler ending only its request, and each request traced.
pub fn serving(route: Route, state: AppState) -> impl Endpoint {
    route
        .data(state)
        .with(poem::middleware::CatchPanic::new())
        .around(traced)
}

/// Each request as a trace's root span when traces are exported (see [`crate::telemetry`]),
/// named by its method and first path segment (`POST /graphql`, `GET /milestones`), with the
/// status it got; GraphQL adds its operation's name. Nothing at all when they are not.
async fn traced<E: Endpoint>(endpoint: Arc<E>, request: poem::Request) -> poem::Result<Response> {
    use poem::IntoResponse;
    use tracing::Instrument;
    if !crate::telemetry::tracing_requests() {
        return endpoint
            .call(request)
            .await
            .map(IntoResponse::into_response);
    }
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let first = path.split('/').nth(1).unwrap_or_default();
    let span = tracing::info_span!(
        target: "jiandu::http",
        "request",
        otel.name = %format!("{method} /{first}"),
        otel.kind = "server",
        http.request.method = %method,
        url.path = %path,
        http.response.status_code = tracing::field::Empty,
        graphql.operation = tracing::field::Empty,
    );
    let response = endpoint
        .call(request)
        .instrument(span.clone())
        .await
        .map(IntoResponse::into_response);
    if let Ok(response) = &response {
        span.record("http.response.status_code", response.status().as_u16());
    }
    response
}
