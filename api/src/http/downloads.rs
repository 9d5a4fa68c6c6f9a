//! Downloads: `GET /attachments/<id>`, an evidence file for a user who may read the record it
//! belongs to (bearer token or the workbench's session, `super::caller::Downloader`); `GET /calendar/<secret>.ics`, a user's deadline feed.

use poem::http::header;
use poem::web::{Data, Path};
use poem::{Response, handler};

use super::AppState;
use super::caller::Downloader;
use super::error_response;
use crate::error::AppError;
use crate::service::{attachments, calendar};

/// `filename*=` of RFC 6266 / RFC 8187: UTF-8, percent-encoded, so Chinese names survive.
/// The one encoder of a download's file name.
pub(super) fn content_disposition(inline: bool, file_name: &str) -> String {
    let mut encoded = String::with_capacity(file_name.len() * 3);
    for byte in file_name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    let disposition = if inline { "inline" } else { "attachment" };
    format!("{disposition}; filename*=UTF-8''{encoded}")
}

/// `GET /calendar/<secret>.ics`: the secret is the credential, so phones can subscribe.
#[handler]
pub async fn calendar_feed(Path(file): Path<String>, Data(state): Data<&AppState>) -> Response {
    let not_found = || error_response(AppError::NotFound("no such calendar".into()));
    let Some(secret) = file.strip_suffix(".ics") else {
        return not_found();
    };
    match calendar::feed(&state.ctx, secret).await {
        Ok(Some(ics)) => Response::builder()
            .content_type("text/calendar; charset=utf-8")
            .header(header::CACHE_CONTROL, "private, max-age=300")
            .body(ics),
        Ok(None) => not_found(),
        Err(error) => error_response(error),
    }
}

#[handler]
pub async fn attachment(
    Downloader(actor): Downloader,
    Path(id): Path<String>,
    Data(state): Data<&AppState>,
) -> Response {
    let not_found = || error_response(AppError::NotFound("no such attachment".into()));
    let Ok(id) = uuid::Uuid::parse_str(&id) else {
        return not_found();
    };
    match attachments::download(&state.ctx, &actor, id).await {
        Ok((view, bytes)) => {
            let inline =
                view.content_type.starts_with("image/") || view.content_type == "application/pdf";
            Response::builder()
                .content_type(view.content_type.as_str())
                .header(
                    header::CONTENT_DISPOSITION,
                    content_disposition(inline, &view.file_name),
                )
                .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
                .header(header::CACHE_CONTROL, "private, max-age=3600")
                .header(header::ETAG, format!("\"{}\"", view.sha256))
                .body(bytes)
        }
        Err(AppError::NotFound(_)) => not_found(),
        Err(error) => error_response(error),
    }
}
