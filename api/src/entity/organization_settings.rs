//! The `organization_settings` table: an organisation's settings, once its presidium has changed
//! one; an organisation without a row has the defaults.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    pub backdate_days: i32,
    pub due_soon_working_days: i32,
    pub behind_pace_yellow_points: i32,
    pub behind_pace_red_points: i32,
    pub roll_deadlines_off_rest_days: bool,
    pub sign_off_required: bool,
    pub notice_hour: i32,
    pub urge_every_working_days: i32,
    pub order_after_working_days_overdue: i32,
    pub acknowledge_within_working_days: i32,
    pub suggestion_answer_working_days: i32,
    pub suggestion_redo_days: i32,
    pub assessment_pass_percent: i32,
    pub assessment_rectify_days: i32,
    /// Working days a deliberation opinion's reply has.
    pub opinion_reply_days: i32,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

super::unrelated!();

/// The rules a stored row sets (a count out of range reads as 0).
impl From<&Model> for jiandu_domain::settings::Settings {
    fn from(row: &Model) -> Self {
        let count = |value: i32| u32::try_from(value).unwrap_or_default();
        jiandu_domain::settings::Settings {
            backdate_days: count(row.backdate_days),
            due_soon_working_days: count(row.due_soon_working_days),
            behind_pace_yellow_points: count(row.behind_pace_yellow_points),
            behind_pace_red_points: count(row.behind_pace_red_points),
            roll_deadlines_off_rest_days: row.roll_deadlines_off_rest_days,
            sign_off_required: row.sign_off_required,
            notice_hour: count(row.notice_hour),
            urge_every_working_days: count(row.urge_every_working_days),
            order_after_working_days_overdue: count(row.order_after_working_days_overdue),
            acknowledge_within_working_days: count(row.acknowledge_within_working_days),
            suggestion_answer_working_days: count(row.suggestion_answer_working_days),
            suggestion_redo_days: count(row.suggestion_redo_days),
            assessment_pass_percent: count(row.assessment_pass_percent),
            assessment_rectify_days: count(row.assessment_rectify_days),
            opinion_reply_days: count(row.opinion_reply_days),
        }
    }
}
