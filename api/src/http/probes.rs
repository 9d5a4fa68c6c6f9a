//! Liveness, readiness and Prometheus metrics.

use std::sync::atomic::Ordering;

use poem::http::StatusCode;
use poem::web::Data;
use poem::{IntoResponse, Response, handler};

use super::AppState;

/// The process is up.
#[handler]
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database answers.
#[handler]
pub async fn readyz(Data(state): Data<&AppState>) -> Response {
    if state.ctx.db.ping().await {
        "ready".into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}

#[handler]
pub async fn metrics(Data(state): Data<&AppState>) -> Response {
    let text = format!(
        "# HELP jiandu_graphql_requests_total GraphQL requests received.\n\
         # TYPE jiandu_graphql_requests_total counter\n\
         jiandu_graphql_requests_total {}\n\
         # HELP jiandu_sql_statements_total SQL statements run.\n\
         # TYPE jiandu_sql_statements_total counter\n\
         jiandu_sql_statements_total {}\n\
         # HELP jiandu_write_commits_total Write transactions committed (SQLite: batches of writes).\n\
         # TYPE jiandu_write_commits_total counter\n\
         jiandu_write_commits_total {}\n\
         # HELP jiandu_subscriptions Subscriptions running on this replica.\n\
         # TYPE jiandu_subscriptions gauge\n\
         jiandu_subscriptions {}\n",
        state.graphql_requests.load(Ordering::Relaxed),
        state.ctx.db.statements(),
        state.ctx.db.commits(),
        state.ctx.db.events().subscribers(),
    );
    Response::builder()
        .content_type("text/plain; version=0.0.4")
        .body(text)
}
