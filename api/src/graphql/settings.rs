//! Organisation settings: what the rules of one organisation read.

use async_graphql::{Context, ID, InputObject, Object};

use super::args::optional_id;
use super::context;
use super::error::GqlResult;
use super::loaders::SettingsKey;
use super::organizations::{Organization, organization};
use crate::service::settings::{self, SettingsChanges};
use jiandu_domain::settings::Settings;

/// 组织设置: what the rules of one organisation read; a new organisation has the defaults.
pub struct OrganizationSettings(pub Settings);

fn int(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

#[Object]
impl OrganizationSettings {
    /// how many days back the one who answers for an item may date its completion when reporting
    /// it late (补报); the presidium may go further (default 7, 0–90)
    async fn backdate_days(&self) -> i32 {
        int(self.0.backdate_days)
    }

    /// an open item turns DUE_SOON this many working days before it is due (default 3, 0–30)
    async fn due_soon_working_days(&self) -> i32 {
        int(self.0.due_soon_working_days)
    }

    /// behind pace by more than this many points: YELLOW (default 20, 1–100)
    async fn behind_pace_yellow_points(&self) -> i32 {
        int(self.0.behind_pace_yellow_points)
    }

    /// behind pace by more than this many points: RED (default 40, 1–100, not below the yellow
    /// threshold)
    async fn behind_pace_red_points(&self) -> i32 {
        int(self.0.behind_pace_red_points)
    }

    /// a deadline that falls on a rest day is due on the next working day (default true)
    async fn roll_deadlines_off_rest_days(&self) -> bool {
        self.0.roll_deadlines_off_rest_days
    }

    /// items count as 办结 only once signed off (default true)
    async fn sign_off_required(&self) -> bool {
        self.0.sign_off_required
    }

    /// local hour (0–23) at which the day's notices go out (default 9)
    async fn notice_hour(&self) -> i32 {
        int(self.0.notice_hour)
    }

    /// an URGE notice is repeated every this many working days while an item stays overdue
    /// (default 3, 1–30)
    async fn urge_every_working_days(&self) -> i32 {
        int(self.0.urge_every_working_days)
    }

    /// working days overdue before a red supervision order (督办单) is issued by itself
    /// (default 5, 1–60)
    async fn order_after_working_days_overdue(&self) -> i32 {
        int(self.0.order_after_working_days_overdue)
    }

    /// working days a supervision order may stay unacknowledged before it is copied to the
    /// recipient's superior (default 2, 1–30)
    async fn acknowledge_within_working_days(&self) -> i32 {
        int(self.0.acknowledge_within_working_days)
    }

    /// working days a unit has to answer a deputy's suggestion after it is assigned (default
    /// 60, about three months; 5–250)
    async fn suggestion_answer_working_days(&self) -> i32 {
        int(self.0.suggestion_answer_working_days)
    }

    /// calendar days for a second answer after a DISSATISFIED feedback (default 15, 1–90)
    async fn suggestion_redo_days(&self) -> i32 {
        int(self.0.suggestion_redo_days)
    }

    /// a satisfaction assessment (测评) passes when (满意 + 基本满意) ÷ votes cast is at least
    /// this (default 0.6, 0.5–1, in whole percent)
    async fn assessment_pass_rate(&self) -> f64 {
        f64::from(self.0.assessment_pass_percent) / 100.0
    }

    /// calendar days a failed assessment's rectification item (测评整改) has (default 30, 1–180)
    async fn assessment_rectify_days(&self) -> i32 {
        int(self.0.assessment_rectify_days)
    }

    /// working days a deliberation opinion (审议意见) sent to the government has for its written
    /// reply (default 60, 5–250)
    async fn opinion_reply_days(&self) -> i32 {
        int(self.0.opinion_reply_days)
    }
}

/// The settings to change; those left out stay as they are.
#[derive(InputObject)]
pub struct OrganizationSettingsInput {
    backdate_days: Option<i32>,
    due_soon_working_days: Option<i32>,
    behind_pace_yellow_points: Option<i32>,
    behind_pace_red_points: Option<i32>,
    roll_deadlines_off_rest_days: Option<bool>,
    sign_off_required: Option<bool>,
    notice_hour: Option<i32>,
    urge_every_working_days: Option<i32>,
    order_after_working_days_overdue: Option<i32>,
    acknowledge_within_working_days: Option<i32>,
    suggestion_answer_working_days: Option<i32>,
    suggestion_redo_days: Option<i32>,
    /// 0.5–1, in whole percent (0.6, 0.75)
    assessment_pass_rate: Option<f64>,
    assessment_rectify_days: Option<i32>,
    opinion_reply_days: Option<i32>,
}

impl From<OrganizationSettingsInput> for SettingsChanges {
    fn from(i: OrganizationSettingsInput) -> Self {
        let wide = |value: Option<i32>| value.map(i64::from);
        SettingsChanges {
            backdate_days: wide(i.backdate_days),
            due_soon_working_days: wide(i.due_soon_working_days),
            behind_pace_yellow_points: wide(i.behind_pace_yellow_points),
            behind_pace_red_points: wide(i.behind_pace_red_points),
            roll_deadlines_off_rest_days: i.roll_deadlines_off_rest_days,
            sign_off_required: i.sign_off_required,
            notice_hour: wide(i.notice_hour),
            urge_every_working_days: wide(i.urge_every_working_days),
            order_after_working_days_overdue: wide(i.order_after_working_days_overdue),
            acknowledge_within_working_days: wide(i.acknowledge_within_working_days),
            suggestion_answer_working_days: wide(i.suggestion_answer_working_days),
            suggestion_redo_days: wide(i.suggestion_redo_days),
            assessment_pass_percent: i.assessment_pass_rate.map(percent),
            assessment_rectify_days: wide(i.assessment_rectify_days),
            opinion_reply_days: wide(i.opinion_reply_days),
        }
    }
}

/// A rate as whole percent; a rate between two (0.605) or not a number is none of the range
/// (refused by it, naming the field).
fn percent(rate: f64) -> i64 {
    let scaled = rate * 100.0;
    if scaled.is_finite() && (scaled - scaled.round()).abs() < 1e-6 && scaled.abs() < 1e6 {
        scaled.round() as i64
    } else {
        -1
    }
}

/// The settings of an organisation the caller may read (one query for all asked in an answer).
pub async fn of(
    ctx: &Context<'_>,
    organization_id: uuid::Uuid,
) -> async_graphql::Result<OrganizationSettings> {
    context::load_required(ctx, SettingsKey(organization_id), "organisation")
        .await
        .map(OrganizationSettings)
}

#[derive(Default)]
pub struct SettingsMutation;

#[Object]
impl SettingsMutation {
    /// presidium: changes its own organisation's settings (the caller's when no id is given);
    /// those left out stay as they are
    async fn update_organization_settings(
        &self,
        ctx: &Context<'_>,
        organization_id: Option<ID>,
        input: OrganizationSettingsInput,
    ) -> async_graphql::Result<Organization> {
        let actor = context::actor(ctx)?;
        let organization_id = optional_id("organizationId", organization_id.as_ref())?;
        let id = settings::update(context::service(ctx)?, actor, organization_id, input.into())
            .await
            .gql()?;
        organization(ctx, id).await
    }
}
