//! Evidence (证据): photos and documents attached to an inspection, a finding, a milestone, a
//! suggestion or a deliberation opinion (their written answers). The file's kind is decided by
//! its bytes; a photo's EXIF capture time and position are kept when present. Files are stored
//! by SHA-256 and only served to users who may read the owning record.

use bytes::Bytes;
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use jiandu_domain::Reason;
use jiandu_domain::evidence::FileKind;
use jiandu_domain::field;
use jiandu_domain::validate::limits;
use jiandu_domain::{Denied, Text, Zone};
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, Set};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::kernel::audit::{self, Change};
use super::kernel::command::Command;
use super::views::AttachmentView;
use super::{Actor, Ctx};
use crate::entity::{attachment, deliberation_opinion, finding, inspection, milestone, suggestion};
use crate::error::AppError;
use crate::service::kernel::audit::Action;
use crate::service::kernel::tables;

/// A file as it arrived in the request.
pub struct Upload {
    pub file_name: String,
    pub bytes: Bytes,
}

/// What a file may be attached to, as a refusal names it.
const NAMES: &str = "inspection, finding, milestone, suggestion or deliberation opinion";

/// The record a file is attached to.
struct Owner {
    entity_type: &'static str,
    organization_id: Uuid,
}

/// Finds what `id` names and checks that `actor` may add evidence to it: deputies and the
/// presidium anywhere in their organisation; a leader on what they are responsible for; on a
/// suggestion, its lead deputy and the leader who answers it.
async fn owner(ctx: &Ctx, actor: &Actor, id: Uuid) -> Result<Owner, AppError> {
    let db = ctx.db.conn();
    let readable = actor.readable();
    let inspect = |org: Uuid| {
        actor
            .access
            .check_inspect(org, "add evidence to this record")
    };
    let (entity_type, organization_id, allowed) =
        if let Some(i) = readable.by_ids::<inspection::Entity>(&[id]).one(db).await? {
            let org = i.organization_id;
            ("Inspection", org, inspect(org))
        } else if let Some(f) = readable.by_ids::<finding::Entity>(&[id]).one(db).await? {
            let org = f.organization_id;
            let answer = actor.access.check_answer(org, f.responsible_leader_id);
            ("Finding", org, inspect(org).or(answer))
        } else if let Some(m) = readable.by_ids::<milestone::Entity>(&[id]).one(db).await? {
            let org = m.organization_id;
            let report = actor.access.check_report(
                org,
                &[Some(m.responsible_leader_id), m.responsible_person_id],
            );
            ("Milestone", org, inspect(org).or(report))
        } else if let Some(s) = readable.by_ids::<suggestion::Entity>(&[id]).one(db).await? {
            // The lead deputy's own papers; the written answer from the leader who answers.
            let org = s.organization_id;
            let own = actor
                .access
                .check_lead_deputy(org, s.lead_deputy_id, "add papers to it");
            let answer = actor
                .access
                .check_answer_suggestion(org, s.responsible_leader_id);
            ("Suggestion", org, own.or(answer))
        } else if let Some(o) = readable
            .by_ids::<deliberation_opinion::Entity>(&[id])
            .one(db)
            .await?
        {
            // The written reply, from the leader it was sent to or the presidium.
            let org = o.organization_id;
            let answer = actor
                .access
                .check_answer_opinion(org, o.responsible_leader_id);
            ("DeliberationOpinion", org, answer)
        } else {
            return Err(AppError::not_found(NAMES));
        };
    allowed.map_err(|denied| match denied {
        Denied::NotFound => AppError::not_found(NAMES),
        Denied::Forbidden(why) => AppError::Forbidden(why),
    })?;
    Ok(Owner {
        entity_type,
        organization_id,
    })
}

/// The last component of a client's file name, without any path it may carry.
fn base_name(raw: &str) -> &str {
    raw.rsplit(['/', '\\']).next().unwrap_or(raw)
}

/// Refuses a file that would not be accepted (no name, too large, not a photo or document), as
/// [`attach_file`] would, before anything is written: a form that records something and attaches
/// files checks them first.
pub fn check_upload(ctx: &Ctx, upload: &Upload) -> Result<(), AppError> {
    checked(ctx, upload).map(|_| ())
}

fn checked(ctx: &Ctx, upload: &Upload) -> Result<(Text, FileKind), AppError> {
    let file_name = Text::parse(field::FILE, base_name(&upload.file_name), limits::TITLE)
        .map_err(|_| AppError::required(field::FILE, "give the file a name"))?;
    if upload.bytes.len() > ctx.limits.max_upload_bytes {
        return Err(AppError::TooLarge {
            field: Some(field::FILE.into()),
            message: format!(
                "is larger than the {} MiB limit",
                ctx.limits.max_upload_bytes / (1024 * 1024)
            ),
            max_bytes: ctx.limits.max_upload_bytes,
        });
    }
    let kind = FileKind::sniff(&upload.bytes, file_name.as_str()).ok_or_else(|| {
        AppError::invalid(
            field::FILE,
            Reason::FileKind,
            "only photos (JPEG, PNG, WebP, HEIC), PDF and Office documents without macros are \
             accepted",
        )
    })?;
    Ok((file_name, kind))
}

#[tracing::instrument(skip_all, fields(actor = %actor.username, %entity_id))]
pub async fn attach_file(
    ctx: &Ctx,
    actor: &Actor,
    entity_id: Uuid,
    upload: Upload,
    caption: Option<&str>,
) -> Result<AttachmentView, AppError> {
    let caption = Text::parse_optional(field::CAPTION, caption, limits::NOTE)?;
    let (file_name, kind) = checked(ctx, &upload)?;
    let owner = owner(ctx, actor, entity_id).await?;
    let zone = actor.zone_of(owner.organization_id);
    let photo = PhotoMetadata::read(&upload.bytes, zone);
    let sha256 = hex::encode(Sha256::digest(&upload.bytes));
    let size = i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX);
    // The file is stored before its record: a failed transaction leaves an unreferenced file
    // (harmless, content-addressed), never a record without its file.
    ctx.files
        .put(&sha256, upload.bytes)
        .await
        .map_err(AppError::internal)?;

    let mut cmd = Command::begin(ctx, actor).await?;
    let row = attachment::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(owner.organization_id),
        owner_type: Set(owner.entity_type.to_string()),
        owner_id: Set(entity_id),
        // Kept and served under what the bytes are, whatever name it came with.
        file_name: Set(kind.file_name(file_name.as_str())),
        content_type: Set(kind.content_type().to_string()),
        size: Set(size),
        sha256: Set(sha256),
        caption: Set(caption.map(Text::into_string)),
        taken_at: Set(photo.taken_at),
        latitude: Set(photo.latitude),
        longitude: Set(photo.longitude),
        uploaded_by: Set(actor.user_id()),
        uploaded_at: Set(cmd.now),
    }
    .insert(cmd.db())
    .await?;
    let view = AttachmentView::from(row);
    // Recorded in the history of the record the file is attached to.
    cmd.record(Change {
        organization_id: owner.organization_id,
        action: Action::AttachmentAdd,
        entity_type: owner.entity_type,
        entity_id,
        before: None,
        after: audit::snapshot(&view),
    })
    .await?;
    cmd.finish(view).await
}

/// The attachments of each record, oldest first.
pub async fn attachments_of(
    ctx: &Ctx,
    actor: &Actor,
    owner_ids: &[Uuid],
) -> Result<Vec<AttachmentView>, AppError> {
    tables::all(
        actor
            .readable()
            .select::<attachment::Entity>()
            .filter(attachment::Column::OwnerId.is_in(owner_ids.iter().copied()))
            .order_by_asc(attachment::Column::UploadedAt)
            .order_by_asc(attachment::Column::Id),
        ctx.db.conn(),
    )
    .await
}

/// An attachment and its bytes, if the actor may read the record it belongs to.
pub async fn download(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
) -> Result<(AttachmentView, Bytes), AppError> {
    let view = AttachmentView::from(
        actor
            .readable()
            .find::<attachment::Entity>(ctx.db.conn(), id)
            .await?,
    );
    let bytes = ctx
        .files
        .get(&view.sha256)
        .await
        .map_err(AppError::internal)?;
    Ok((view, bytes))
}

/// When and where a photo was taken, from its EXIF data.
#[derive(Debug, Default, PartialEq)]
struct PhotoMetadata {
    taken_at: Option<DateTime<Utc>>,
    latitude: Option<f64>,
    longitude: Option<f64>,
}

impl PhotoMetadata {
    /// Whatever the photo tells; nothing when it carries no (readable) EXIF. A capture time
    /// without an offset is read in the organisation's zone, where the camera's clock most
    /// likely was.
    fn read(bytes: &[u8], zone: Zone) -> PhotoMetadata {
        use exif::{In, Tag, Value};
        let Ok(exif) = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes))
        else {
            return PhotoMetadata::default();
        };
        let ascii = |tag: Tag| match exif.get_field(tag, In::PRIMARY).map(|f| &f.value) {
            Some(Value::Ascii(parts)) => parts.first().cloned(),
            _ => None,
        };
        let taken_at = ascii(Tag::DateTimeOriginal)
            .or_else(|| ascii(Tag::DateTime))
            .and_then(|text| {
                let mut parsed = exif::DateTime::from_ascii(&text).ok()?;
                if let Some(offset) = ascii(Tag::OffsetTimeOriginal) {
                    let _ = parsed.parse_offset(&offset);
                }
                let local = NaiveDate::from_ymd_opt(
                    i32::from(parsed.year),
                    u32::from(parsed.month),
                    u32::from(parsed.day),
                )?
                .and_hms_opt(
                    u32::from(parsed.hour),
                    u32::from(parsed.minute),
                    u32::from(parsed.second),
                )?;
                let at = match parsed.offset {
                    Some(minutes) => FixedOffset::east_opt(i32::from(minutes) * 60)?
                        .from_local_datetime(&local)
                        .earliest()?
                        .with_timezone(&Utc),
                    None => zone
                        .tz()
                        .from_local_datetime(&local)
                        .earliest()?
                        .with_timezone(&Utc),
                };
                Some(at)
            });
        let coordinate = |value: Tag, reference: Tag, negative: u8, limit: f64| {
            let Some(Value::Rational(parts)) = exif.get_field(value, In::PRIMARY).map(|f| &f.value)
            else {
                return None;
            };
            let [degrees, minutes, seconds] = parts.as_slice() else {
                return None;
            };
            let magnitude = degrees.to_f64() + minutes.to_f64() / 60.0 + seconds.to_f64() / 3600.0;
            let sign = match ascii(reference).and_then(|r| r.first().copied()) {
                Some(r) if r == negative => -1.0,
                _ => 1.0,
            };
            let coordinate = sign * magnitude;
            (coordinate.is_finite() && coordinate.abs() <= limit).then_some(coordinate)
        };
        PhotoMetadata {
            taken_at,
            latitude: coordinate(Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S', 90.0),
            longitude: coordinate(Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W', 180.0),
        }
    }
}
