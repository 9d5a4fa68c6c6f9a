//! Documents to print and stamp: `GET /documents/notices/<id>.docx`, a notice;
//! `GET /documents/bulletins/<organisation>/<year>-<month>.docx`, a month's bulletin;
//! `GET /documents/deputies/<person>/<year>.docx`, a deputy's 述职报告 draft;
//! `GET /documents/reports/<organisation>/<year>.docx`, the year's figures (工作总结（数据部分）).
//! For a user who may read them, by bearer token or the workbench's session (`super::caller::Downloader`).

use poem::http::header;
use poem::web::{Data, Path};
use poem::{Response, handler};
use uuid::Uuid;

use super::AppState;
use super::caller::Downloader;
use super::downloads::content_disposition;
use crate::error::AppError;
use crate::service::documents::{self, Document};
use crate::service::formats;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

#[handler]
pub async fn notice(
    Downloader(actor): Downloader,
    Path(file): Path<String>,
    Data(state): Data<&AppState>,
) -> Result<Response, AppError> {
    let id = file
        .strip_suffix(".docx")
        .and_then(|id| Uuid::parse_str(id).ok())
        .ok_or_else(|| AppError::not_found("notice"))?;
    respond(documents::notice_document(&state.ctx, &actor, id).await?)
}

#[handler]
pub async fn bulletin(
    Downloader(actor): Downloader,
    Path((organization, file)): Path<(String, String)>,
    Data(state): Data<&AppState>,
) -> Result<Response, AppError> {
    let month = file
        .strip_suffix(".docx")
        .and_then(|name| name.split_once('-'))
        .and_then(|(year, month)| Some((year.parse().ok()?, month.parse().ok()?)));
    let (Ok(organization), Some((year, month))) = (Uuid::parse_str(&organization), month) else {
        return Err(AppError::not_found("bulletin"));
    };
    let bulletin = documents::bulletin(&state.ctx, &actor, year, month, Some(organization)).await?;
    respond(bulletin.document)
}

#[handler]
pub async fn duty_report(
    Downloader(actor): Downloader,
    Path((person, file)): Path<(String, String)>,
    Data(state): Data<&AppState>,
) -> Result<Response, AppError> {
    let year = file.strip_suffix(".docx").and_then(|y| y.parse().ok());
    let (Ok(person), Some(year)) = (Uuid::parse_str(&person), year) else {
        return Err(AppError::not_found("deputy"));
    };
    respond(documents::duty_report(&state.ctx, &actor, person, year).await?)
}

#[handler]
pub async fn year_report(
    Downloader(actor): Downloader,
    Path((organization, file)): Path<(String, String)>,
    Data(state): Data<&AppState>,
) -> Result<Response, AppError> {
    let year = file.strip_suffix(".docx").and_then(|y| y.parse().ok());
    let (Ok(organization), Some(year)) = (Uuid::parse_str(&organization), year) else {
        return Err(AppError::not_found("report"));
    };
    respond(documents::year_report(&state.ctx, &actor, year, Some(organization)).await?)
}

fn respond(document: Document) -> Result<Response, AppError> {
    Ok(Response::builder()
        .content_type(DOCX)
        .header(
            header::CONTENT_DISPOSITION,
            content_disposition(false, &document.file_name()),
        )
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::CACHE_CONTROL, "private, no-cache")
        .body(formats::docx::render(&document)?))
}
