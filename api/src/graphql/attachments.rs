//! Evidence: the `Attachment` object and `attachFile` (GraphQL multipart request spec).

use async_graphql::{Context, ID, Object, Upload};
use chrono::{DateTime, Utc};
use jiandu_domain::field;

use super::accounts::{User, user};
use super::context;
use super::error::GqlResult;
use super::loaders::AttachmentsKey;
use super::scalars::{parse_id, to_id};
use crate::error::AppError;
use crate::graphql::connection::shows;
use crate::service::attachments::{self, Upload as FileUpload};
use crate::service::views::AttachmentView;

/// Evidence: a site photo, a document. Photos keep their EXIF capture time and position when present.
pub struct Attachment(pub AttachmentView);

shows!(Attachment: AttachmentView);

/// The attachments of an inspection, finding, milestone or suggestion.
pub async fn attachments(
    ctx: &Context<'_>,
    key: AttachmentsKey,
) -> async_graphql::Result<Vec<Attachment>> {
    let found = context::load_all(ctx, key).await?;
    Ok(found.iter().cloned().map(Attachment).collect())
}

#[Object]
impl Attachment {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// The name the file was uploaded with.
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }

    /// Decided from the file's bytes, not its name.
    async fn content_type(&self) -> &str {
        &self.0.content_type
    }

    /// Bytes.
    async fn size(&self) -> i32 {
        i32::try_from(self.0.size).unwrap_or(i32::MAX)
    }

    /// Hex SHA-256 of the content.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }

    /// path to download it with the same bearer token
    async fn url(&self) -> String {
        format!("/attachments/{}", self.0.id)
    }

    async fn caption(&self) -> Option<&str> {
        self.0.caption.as_deref()
    }

    /// When the photo was taken (EXIF), if it says.
    async fn taken_at(&self) -> Option<DateTime<Utc>> {
        self.0.taken_at
    }

    /// Where the photo was taken (EXIF GPS), degrees north.
    async fn latitude(&self) -> Option<f64> {
        self.0.latitude
    }

    /// Where the photo was taken (EXIF GPS), degrees east.
    async fn longitude(&self) -> Option<f64> {
        self.0.longitude
    }

    async fn uploaded_by(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        user(ctx, self.0.uploaded_by).await
    }

    async fn uploaded_at(&self) -> DateTime<Utc> {
        self.0.uploaded_at
    }
}

#[derive(Default)]
pub struct AttachmentsMutation;

#[Object]
impl AttachmentsMutation {
    /// attach evidence to an inspection, a finding or a milestone, or papers to a suggestion (its written answer)
    async fn attach_file(
        &self,
        ctx: &Context<'_>,
        entity_id: ID,
        file: Upload,
        caption: Option<String>,
    ) -> async_graphql::Result<Attachment> {
        let (service, actor) = context::signed(ctx)?;
        let entity_id = parse_id("entityId", &entity_id)
            .map_err(|_| AppError::not_found("inspection, finding, milestone or suggestion"))
            .gql()?;
        let upload = file
            .value(ctx)
            .map_err(|_| AppError::required(field::FILE, "no file was sent with the request"))
            .gql()?;
        let upload = FileUpload {
            file_name: upload.filename,
            bytes: upload.content,
        };
        attachments::attach_file(service, actor, entity_id, upload, caption.as_deref())
            .await
            .answer()
    }
}
