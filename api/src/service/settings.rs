//! Organisation settings: read by the rules that depend on them, changed by the organisation's
//! own presidium within each setting's range.

use jiandu_domain::settings::{Settings, in_range};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::Serialize;
use uuid::Uuid;

use super::audit::{self, Change};
use super::command::Command;
use super::{Actor, Ctx};
use crate::entity::organization_settings;
use crate::error::AppError;

/// What the audit trail keeps of the settings.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    pub backdate_days: u32,
}

impl From<Settings> for SettingsView {
    fn from(settings: Settings) -> Self {
        SettingsView {
            backdate_days: settings.backdate_days,
        }
    }
}

fn from_row(row: &organization_settings::Model) -> Settings {
    Settings {
        backdate_days: u32::try_from(row.backdate_days).unwrap_or_default(),
    }
}

/// The settings of `organization_id`, the defaults when it never changed one.
pub async fn of(db: &impl ConnectionTrait, organization_id: Uuid) -> Result<Settings, AppError> {
    let row = organization_settings::Entity::find_by_id(organization_id)
        .one(db)
        .await?;
    Ok(row.as_ref().map(from_row).unwrap_or_default())
}

/// The settings of each of the organisations the actor may read, the defaults for those that
/// never changed one.
pub async fn of_organizations(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, Settings)>, AppError> {
    let readable: Vec<Uuid> = ids
        .iter()
        .copied()
        .filter(|id| actor.readable().may_read(*id))
        .collect();
    let stored: std::collections::HashMap<Uuid, Settings> = organization_settings::Entity::find()
        .filter(organization_settings::Column::OrganizationId.is_in(readable.iter().copied()))
        .all(ctx.db.conn())
        .await?
        .iter()
        .map(|row| (row.organization_id, from_row(row)))
        .collect();
    Ok(readable
        .into_iter()
        .map(|id| (id, stored.get(&id).copied().unwrap_or_default()))
        .collect())
}

/// The settings a presidium changes; those left out stay as they are.
#[derive(Debug, Default)]
pub struct SettingsChanges {
    pub backdate_days: Option<i64>,
}

/// The presidium changes its own organisation's settings (`None`: the actor's own).
#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn update(
    ctx: &Ctx,
    actor: &Actor,
    organization_id: Option<Uuid>,
    changes: SettingsChanges,
) -> Result<Uuid, AppError> {
    let organization_id = organization_id.unwrap_or(actor.organization_id());
    actor.reads(Some(organization_id))?;
    actor
        .access
        .check_manage(organization_id, "the organisation's settings")?;
    let mut cmd = Command::begin(ctx, actor).await?;
    // Figures follow the settings, so the organisation's share is computed again.
    cmd.within(organization_id);
    let stored = organization_settings::Entity::find_by_id(organization_id)
        .one(cmd.db())
        .await?;
    let before = stored.as_ref().map(from_row).unwrap_or_default();
    let mut after = before;
    if let Some(days) = changes.backdate_days {
        after.backdate_days = in_range("backdateDays", days, Settings::BACKDATE_DAYS)?;
    }
    let now = cmd.now;
    let row = organization_settings::ActiveModel {
        organization_id: Set(organization_id),
        backdate_days: Set(i32::try_from(after.backdate_days).unwrap_or_default()),
        version: Set(stored.as_ref().map_or(1, |row| row.version + 1)),
        updated_at: Set(now),
    };
    match &stored {
        // Guarded by the version read, so two presidium clerks changing settings at once get a
        // CONFLICT rather than one silently undoing the other.
        Some(stored) => {
            let updated = organization_settings::Entity::update_many()
                .set(row)
                .filter(organization_settings::Column::OrganizationId.eq(organization_id))
                .filter(organization_settings::Column::Version.eq(stored.version))
                .exec(cmd.db())
                .await?;
            if updated.rows_affected != 1 {
                return Err(AppError::stale("settings"));
            }
        }
        None => {
            let inserted = organization_settings::Entity::insert(row)
                .on_conflict(
                    OnConflict::column(organization_settings::Column::OrganizationId)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(cmd.db())
                .await?;
            if inserted != 1 {
                return Err(AppError::stale("settings"));
            }
        }
    }
    cmd.record(Change {
        organization_id,
        action: "organization.settings",
        entity_type: "Organization",
        entity_id: organization_id,
        before: audit::snapshot(&SettingsView::from(before)),
        after: audit::snapshot(&SettingsView::from(after)),
    })
    .await?;
    cmd.finish(organization_id).await
}
