//! A previewed ledger kept for a day (docs/import.md): the file and the names mapped in it, so
//! that the presidium confirms the import without choosing the file again. Drafts are the
//! organisation's; a preview of the same file by the same account replaces its earlier draft,
//! an organisation keeps at most [`MAX_DRAFTS`] (a new preview makes the oldest give way), and
//! a draft is deleted when its import is confirmed (in the import's own transaction), and once
//! expired whenever a draft is kept or confirmed.

use chrono::Duration;
use jiandu_domain::{Reason, field};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::plan::Mappings;
use crate::entity::import_draft;
use crate::error::AppError;
use crate::service::kernel::command::Command;
use crate::service::{Actor, Ctx};

/// How long a preview's file is kept.
pub const DRAFT_HOURS: i64 = 24;
/// Previews an organisation keeps at once, awaiting confirmation.
pub const MAX_DRAFTS: u64 = 10;

/// A kept preview, as confirming it needs it.
pub(super) struct Draft {
    pub(super) id: Uuid,
    pub(super) file_name: String,
    pub(super) year: Option<i32>,
    pub(super) mappings: Mappings,
    pub(super) bytes: Vec<u8>,
}

/// Keeps `bytes` (a ledger just previewed into `organization`) as a draft; its id.
pub(super) async fn keep(
    ctx: &Ctx,
    actor: &Actor,
    organization: Uuid,
    bytes: &[u8],
    options: &super::Options,
) -> Result<Uuid, AppError> {
    use import_draft::Column as C;
    let mut cmd = Command::begin(ctx, actor).await?;
    cmd.outside_figures();
    let now = cmd.now;
    let sha256 = hex::encode(Sha256::digest(bytes));
    // Expired drafts, of any organisation, and this account's earlier preview of the same file.
    import_draft::Entity::delete_many()
        .filter(C::ExpiresAt.lte(now))
        .exec(cmd.db())
        .await?;
    import_draft::Entity::delete_many()
        .filter(C::OrganizationId.eq(organization))
        .filter(C::CreatedBy.eq(actor.user_id()))
        .filter(C::Sha256.eq(sha256.as_str()))
        .exec(cmd.db())
        .await?;
    // At most so many kept: the oldest previews give way to a new one.
    let kept: Vec<Uuid> = import_draft::Entity::find()
        .select_only()
        .column(C::Id)
        .filter(C::OrganizationId.eq(organization))
        .order_by_desc(C::CreatedAt)
        .order_by_desc(C::Id)
        .into_tuple()
        .all(cmd.db())
        .await?;
    let beyond: Vec<Uuid> = kept.into_iter().skip(MAX_DRAFTS as usize - 1).collect();
    if !beyond.is_empty() {
        import_draft::Entity::delete_many()
            .filter(C::Id.is_in(beyond))
            .exec(cmd.db())
            .await?;
    }
    let id = jiandu_domain::new_id();
    import_draft::ActiveModel {
        id: Set(id),
        organization_id: Set(organization),
        created_by: Set(actor.user_id()),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(DRAFT_HOURS)),
        year: Set(options.year),
        mappings: Set(serde_json::to_string(&options.mappings).unwrap_or_else(|_| "{}".into())),
        file_name: Set(options.file_name.clone()),
        sha256: Set(sha256),
        bytes: Set(bytes.to_vec()),
    }
    .insert(cmd.db())
    .await?;
    cmd.finish(id).await
}

/// The draft `id` of the actor's organisation, if it has not expired.
pub(super) async fn open(ctx: &Ctx, actor: &Actor, id: Uuid) -> Result<Draft, AppError> {
    let organization = actor.organization_id();
    let draft = import_draft::Entity::find_by_id(id)
        .filter(import_draft::Column::OrganizationId.eq(organization))
        .filter(import_draft::Column::ExpiresAt.gt(ctx.now()))
        .one(ctx.db.conn())
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                field::DRAFT_ID,
                Reason::UnknownRecord,
                format!(
                    "no such preview: it was confirmed already, or expired {DRAFT_HOURS} hours \
                     after it was made; import the file again"
                ),
            )
        })?;
    Ok(Draft {
        id: draft.id,
        file_name: draft.file_name,
        year: draft.year,
        mappings: serde_json::from_str(&draft.mappings).unwrap_or_default(),
        bytes: draft.bytes,
    })
}

/// Deletes the draft `id` in the command that imports it: if another confirmation took it
/// first, this one is a conflict and writes nothing.
pub(super) async fn consume(cmd: &Command<'_>, id: Uuid) -> Result<(), AppError> {
    let gone = import_draft::Entity::delete_by_id(id)
        .exec(cmd.db())
        .await?;
    if gone.rows_affected == 0 {
        return Err(AppError::Conflict(
            "this preview was confirmed by another request at the same time".into(),
        ));
    }
    Ok(())
}
