//! HTTP: the GraphQL endpoint with its bearer-token authentication, GraphiQL, evidence downloads
//! and the probes.

mod downloads;
mod graphql;
mod idempotent;
mod ledger;
mod probes;
pub mod rate;

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use poem::{Endpoint, EndpointExt, Route, get};

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
}

#[derive(Debug, Clone)]
pub struct HttpLimits {
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    /// Steady requests per second allowed to one signed-in user, and the burst above it.
    pub user_requests_per_second: u32,
    pub user_request_burst: u32,
    /// Take the client's address from `X-Forwarded-For` (behind a reverse proxy that sets it).
    pub trust_forwarded_for: bool,
}

pub fn routes(state: AppState) -> impl Endpoint {
    Route::new()
        .at("/graphql", get(graphql::graphiql).post(graphql::execute))
        .at("/attachments/:id", get(downloads::attachment))
        .at("/calendar/:file", get(downloads::calendar_feed))
        .at("/export/ledger.xlsx", get(ledger::ledger_xlsx))
        .at("/export/ledger.csv", get(ledger::ledger_csv))
        .at("/healthz", get(probes::healthz))
        .at("/readyz", get(probes::readyz))
        .at("/metrics", get(probes::metrics))
        .data(state)
        .with(poem::middleware::CatchPanic::new())
}
