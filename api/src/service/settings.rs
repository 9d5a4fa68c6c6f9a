//! Organisation settings: read by the rules that depend on them, changed by the organisation's
//! own presidium within each setting's range.

use jiandu_domain::settings::{Settings, in_range};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::kernel::audit::{self, Change};
use super::kernel::command::Command;
use super::kernel::tables::CachedTable;
use super::{Actor, Ctx, workdays};
use crate::entity::organization_settings;
use crate::error::AppError;
use crate::service::kernel::audit::Action;

fn stored(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

fn to_row(
    organization_id: Uuid,
    s: &Settings,
    version: i32,
    updated_at: chrono::DateTime<chrono::Utc>,
) -> organization_settings::ActiveModel {
    organization_settings::ActiveModel {
        organization_id: Set(organization_id),
        backdate_days: Set(stored(s.backdate_days)),
        due_soon_working_days: Set(stored(s.due_soon_working_days)),
        behind_pace_yellow_points: Set(stored(s.behind_pace_yellow_points)),
        behind_pace_red_points: Set(stored(s.behind_pace_red_points)),
        roll_deadlines_off_rest_days: Set(s.roll_deadlines_off_rest_days),
        sign_off_required: Set(s.sign_off_required),
        notice_hour: Set(stored(s.notice_hour)),
        urge_every_working_days: Set(stored(s.urge_every_working_days)),
        order_after_working_days_overdue: Set(stored(s.order_after_working_days_overdue)),
        acknowledge_within_working_days: Set(stored(s.acknowledge_within_working_days)),
        suggestion_answer_working_days: Set(stored(s.suggestion_answer_working_days)),
        suggestion_redo_days: Set(stored(s.suggestion_redo_days)),
        assessment_pass_percent: Set(stored(s.assessment_pass_percent)),
        assessment_rectify_days: Set(stored(s.assessment_rectify_days)),
        opinion_reply_days: Set(stored(s.opinion_reply_days)),
        version: Set(version),
        updated_at: Set(updated_at),
    }
}

/// The settings of `organization_id`, the defaults when it never changed one.
pub async fn of(db: &impl ConnectionTrait, organization_id: Uuid) -> Result<Settings, AppError> {
    let row = organization_settings::Entity::find_by_id(organization_id)
        .one(db)
        .await?;
    Ok(row.as_ref().map(Settings::from).unwrap_or_default())
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
        .map(|row| (row.organization_id, Settings::from(row)))
        .collect();
    Ok(readable
        .into_iter()
        .map(|id| (id, stored.get(&id).copied().unwrap_or_default()))
        .collect())
}

/// The settings a presidium changes; those left out stay as they are. Numbers arrive as given,
/// to be range-checked here.
#[derive(Debug, Default)]
pub struct SettingsChanges {
    pub backdate_days: Option<i64>,
    pub due_soon_working_days: Option<i64>,
    pub behind_pace_yellow_points: Option<i64>,
    pub behind_pace_red_points: Option<i64>,
    pub roll_deadlines_off_rest_days: Option<bool>,
    pub sign_off_required: Option<bool>,
    pub notice_hour: Option<i64>,
    pub urge_every_working_days: Option<i64>,
    pub order_after_working_days_overdue: Option<i64>,
    pub acknowledge_within_working_days: Option<i64>,
    pub suggestion_answer_working_days: Option<i64>,
    pub suggestion_redo_days: Option<i64>,
    pub assessment_pass_percent: Option<i64>,
    pub assessment_rectify_days: Option<i64>,
    pub opinion_reply_days: Option<i64>,
}

impl SettingsChanges {
    /// `settings` with these changes, each within its range (VALIDATION_FAILED naming the field).
    fn applied(&self, mut settings: Settings) -> Result<Settings, AppError> {
        macro_rules! numbers {
            ($($field:ident: $name:literal, $range:expr;)+) => {$(
                if let Some(value) = self.$field {
                    settings.$field = in_range($name, value, $range)?;
                }
            )+};
        }
        numbers! {
            backdate_days: "backdateDays", Settings::BACKDATE_DAYS;
            due_soon_working_days: "dueSoonWorkingDays", Settings::DUE_SOON_WORKING_DAYS;
            behind_pace_yellow_points: "behindPaceYellowPoints", Settings::BEHIND_PACE_POINTS;
            behind_pace_red_points: "behindPaceRedPoints", Settings::BEHIND_PACE_POINTS;
            notice_hour: "noticeHour", Settings::NOTICE_HOUR;
            urge_every_working_days: "urgeEveryWorkingDays", Settings::URGE_EVERY_WORKING_DAYS;
            order_after_working_days_overdue: "orderAfterWorkingDaysOverdue",
                Settings::ORDER_AFTER_WORKING_DAYS_OVERDUE;
            acknowledge_within_working_days: "acknowledgeWithinWorkingDays",
                Settings::ACKNOWLEDGE_WITHIN_WORKING_DAYS;
            suggestion_answer_working_days: "suggestionAnswerWorkingDays",
                Settings::SUGGESTION_ANSWER_WORKING_DAYS;
            suggestion_redo_days: "suggestionRedoDays", Settings::SUGGESTION_REDO_DAYS;
            assessment_pass_percent: "assessmentPassRate", Settings::ASSESSMENT_PASS_PERCENT;
            assessment_rectify_days: "assessmentRectifyDays", Settings::ASSESSMENT_RECTIFY_DAYS;
            opinion_reply_days: "opinionReplyDays", Settings::OPINION_REPLY_DAYS;
        }
        if let Some(roll) = self.roll_deadlines_off_rest_days {
            settings.roll_deadlines_off_rest_days = roll;
        }
        if let Some(required) = self.sign_off_required {
            settings.sign_off_required = required;
        }
        Ok(settings.checked()?)
    }
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
    let before = stored.as_ref().map(Settings::from).unwrap_or_default();
    let after = changes.applied(before)?;
    let version = stored.as_ref().map_or(1, |row| row.version + 1);
    let row = to_row(organization_id, &after, version, cmd.now);
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
    if after.roll_deadlines_off_rest_days != before.roll_deadlines_off_rest_days {
        let rules = workdays::Rules::load(ctx).await?;
        let scope =
            workdays::Scope::Organization(organization_id, after.roll_deadlines_off_rest_days);
        workdays::roll_due_dates(cmd.db(), &rules, scope).await?;
    }
    cmd.forget(CachedTable::OrganizationSettings);
    cmd.record(Change {
        organization_id,
        action: Action::OrganizationSettings,
        entity_type: "Organization",
        entity_id: organization_id,
        before: audit::snapshot(&before),
        after: audit::snapshot(&after),
    })
    .await?;
    cmd.finish(organization_id).await
}
