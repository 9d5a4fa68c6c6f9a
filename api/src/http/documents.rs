//! Documents to print and stamp: `GET /documents/notices/<id>.docx`, a notice;
//! `GET /documents/bulletins/<organisation>/<year>-<month>.docx`, a month's bulletin. For a user
//! who may read them, by bearer token or the workbench's session, under the per-user rate.

use poem::http::{HeaderMap, header};
use poem::web::{Data, Path};
use poem::{Response, handler};
use uuid::Uuid;

use super::downloads::content_disposition;
use super::graphql::signed_in;
use super::{AppState, error_response};
use crate::error::AppError;
use crate::service::documents::{self, Document};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

#[handler]
pub async fn notice(
    headers: &HeaderMap,
    Path(file): Path<String>,
    Data(state): Data<&AppState>,
) -> Response {
    let actor = match signed_in(headers, state).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    if let Err(retry_after_secs) = state.rate.take(actor.user_id()) {
        return error_response(AppError::RateLimited { retry_after_secs });
    }
    let Some(id) = file
        .strip_suffix(".docx")
        .and_then(|id| Uuid::parse_str(id).ok())
    else {
        return error_response(AppError::not_found("notice"));
    };
    respond(documents::notice_document(&state.ctx, &actor, id).await)
}

#[handler]
pub async fn bulletin(
    headers: &HeaderMap,
    Path((organization, file)): Path<(String, String)>,
    Data(state): Data<&AppState>,
) -> Response {
    let actor = match signed_in(headers, state).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    if let Err(retry_after_secs) = state.rate.take(actor.user_id()) {
        return error_response(AppError::RateLimited { retry_after_secs });
    }
    let month = file
        .strip_suffix(".docx")
        .and_then(|name| name.split_once('-'))
        .and_then(|(year, month)| Some((year.parse().ok()?, month.parse().ok()?)));
    let (Ok(organization), Some((year, month))) = (Uuid::parse_str(&organization), month) else {
        return error_response(AppError::not_found("bulletin"));
    };
    let bulletin = documents::bulletin(&state.ctx, &actor, year, month, Some(organization)).await;
    respond(bulletin.map(|b| b.document))
}

fn respond(document: Result<Document, AppError>) -> Response {
    match document.and_then(|d| Ok((d.docx()?, d.file_name()))) {
        Ok((bytes, name)) => Response::builder()
            .content_type(DOCX)
            .header(
                header::CONTENT_DISPOSITION,
                content_disposition(false, &name),
            )
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .header(header::CACHE_CONTROL, "private, no-cache")
            .body(bytes),
        Err(error) => error_response(error),
    }
}
