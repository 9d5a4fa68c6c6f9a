//! Posted multipart forms: the body as a size-limited multipart stream (every form with files
//! reads it so), and the common case of one file (the written answer to a suggestion, a ledger
//! to import) with a few text fields.

use std::collections::HashMap;

use bytes::Bytes;
use poem::Request;
use poem::http::header;

use crate::error::AppError;
use crate::service::attachments::Upload;

/// The form's text fields by name, and the file sent as `file` (none when left empty).
#[derive(Default)]
pub struct Posted {
    pub fields: HashMap<String, String>,
    pub file: Option<Upload>,
}

impl Posted {
    /// A text field, empty when not sent.
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// Text fields taken besides the file.
const MAX_FIELDS: usize = 16;

/// The multipart body of `request`: a stream of at most `whole` bytes, each part at most
/// `per_part`.
pub fn multipart(
    request: &Request,
    body: poem::Body,
    whole: usize,
    per_part: usize,
) -> Result<multer::Multipart<'static>, AppError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| AppError::BadRequest("send the form as multipart/form-data".into()))?;
    let limits = multer::SizeLimit::new()
        .whole_stream(whole as u64)
        .per_field(per_part as u64);
    Ok(multer::Multipart::with_constraints(
        body.into_bytes_stream(),
        boundary,
        multer::Constraints::new().size_limit(limits),
    ))
}

/// Reads a multipart form: one file within `max_file` bytes and a few short text fields.
pub async fn read(
    request: &Request,
    body: poem::Body,
    max_file: usize,
) -> Result<Posted, AppError> {
    let mut multipart = multipart(request, body, max_file + 64 * 1024, max_file + 1)?;
    let too_large = || AppError::TooLarge {
        field: Some("file".into()),
        message: "one file within the upload limit".into(),
        max_bytes: max_file,
    };
    let mut posted = Posted::default();
    while let Some(field) = multipart.next_field().await.map_err(|_| too_large())? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let bytes: Bytes = field.bytes().await.map_err(|_| too_large())?;
            if !(bytes.is_empty() && file_name.is_empty()) {
                posted.file = Some(Upload { file_name, bytes });
            }
        } else if posted.fields.len() < MAX_FIELDS {
            let text = field.text().await.map_err(|_| too_large())?;
            posted.fields.insert(name, text);
        }
    }
    Ok(posted)
}

impl super::page::Signed {
    /// A posted form with one file and its caption, attached to the record `id` (the written
    /// answer to a suggestion or an opinion): the inner result is the attachment's, for the page
    /// to show again with its refusal; a body it cannot read is this person's error page.
    pub async fn attach_posted(
        &self,
        ctx: &crate::service::Ctx,
        request: &Request,
        body: poem::Body,
        id: uuid::Uuid,
    ) -> Result<Result<(), AppError>, super::page::Refused> {
        let attached = self
            .upload(request, body, ctx.limits.max_upload_bytes)
            .await?;
        let caption = super::form::optional_text(attached.field("caption"));
        Ok(match attached.file {
            Some(file) => crate::service::attachments::attach_file(
                ctx,
                &self.actor,
                id,
                file,
                caption.as_deref(),
            )
            .await
            .map(drop),
            None => Err(AppError::required(
                jiandu_domain::field::FILE,
                "choose a file",
            )),
        })
    }

    /// A posted upload form ([`read`]) whose CSRF token is this session's; a body over the limit
    /// or a foreign token is this person's error page.
    pub async fn upload(
        &self,
        request: &Request,
        body: poem::Body,
        max_file: usize,
    ) -> Result<Posted, super::page::Refused> {
        use super::page::OrPage;
        let posted = read(request, body, max_file).await.or_page(&self.me)?;
        self.check_csrf(posted.field("csrf"))?;
        Ok(posted)
    }
}
