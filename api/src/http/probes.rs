//! Liveness, readiness and Prometheus metrics.

use std::sync::atomic::Ordering;

use poem::http::{HeaderMap, StatusCode, header};
use poem::web::Data;
use poem::{IntoResponse, Response, handler};

use super::{AppState, session};
use crate::service::Ctx;

/// The process is up.
#[handler]
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database answers; the last backup of the embedded database, when there is one.
#[handler]
pub async fn readyz(Data(state): Data<&AppState>) -> Response {
    if state.ctx.db.ping().await {
        let last = state
            .backups
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        match last.at {
            Some(at) => format!(
                "ready\nlast backup: {} ({} bytes)\n",
                at.to_rfc3339(),
                last.bytes
            )
            .into_response(),
            None => "ready".into_response(),
        }
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}

/// The server's counters for Prometheus; with `JIANDU_METRICS_TOKEN` set, only for a request
/// bearing it.
#[handler]
pub async fn metrics(headers: &HeaderMap, Data(state): Data<&AppState>) -> Response {
    if let Some(token) = &state.metrics_token {
        let sent = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .unwrap_or_default();
        if !session::same_token(sent, token) {
            return Response::builder()
                .status(StatusCode::UNAUTHORIZED)
                .header(header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\"")
                .body("send the metrics token: Authorization: Bearer <JIANDU_METRICS_TOKEN>");
        }
    }
    let backup = state
        .backups
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
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
         # HELP jiandu_large_answers_building Large answers (a county's deputies' records, say) being built now; at most a few at once, the others wait their turn.\n\
         # TYPE jiandu_large_answers_building gauge\n\
         jiandu_large_answers_building {}\n\
         # HELP jiandu_subscriptions Subscriptions running on this replica.\n\
         # TYPE jiandu_subscriptions gauge\n\
         jiandu_subscriptions {}\n\
         # HELP jiandu_backup_last_success_timestamp_seconds When the last backup of the embedded database finished (0: none yet).\n\
         # TYPE jiandu_backup_last_success_timestamp_seconds gauge\n\
         jiandu_backup_last_success_timestamp_seconds {}\n\
         # HELP jiandu_backup_last_size_bytes The size of the last backup.\n\
         # TYPE jiandu_backup_last_size_bytes gauge\n\
         jiandu_backup_last_size_bytes {}\n\
         # HELP jiandu_backups_total Backups taken since the server started.\n\
         # TYPE jiandu_backups_total counter\n\
         jiandu_backups_total {}\n\
         # HELP jiandu_backup_failures_total Backups that failed.\n\
         # TYPE jiandu_backup_failures_total counter\n\
         jiandu_backup_failures_total {}\n",
        state.graphql_requests.load(Ordering::Relaxed),
        state.ctx.db.statements(),
        state.ctx.db.commits(),
        Ctx::LARGE_ANSWERS_AT_ONCE - state.ctx.large_answers.available_permits(),
        state.ctx.db.events().subscribers(),
        backup.at.map_or(0, |at| at.timestamp()),
        backup.bytes,
        backup.taken,
        backup.failures,
    );
    let text = text + &state.latencies.render();
    Response::builder()
        .content_type("text/plain; version=0.0.4")
        .body(text)
}
