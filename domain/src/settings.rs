//! An organisation's settings: what each rule reads instead of a number fixed for the whole
//! installation. A new organisation takes the defaults; its presidium changes them within the
//! ranges here.

use crate::field;
use std::ops::RangeInclusive;

use crate::validate::{Invalid, Reason};

/// 组织设置. Serialized as the audit trail keeps it (camelCase, as the API names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// How many days back the one who answers for an item may date its completion when they
    /// report it late (补报); the presidium may go further.
    pub backdate_days: u32,
    /// An open item turns DUE_SOON this many working days before it is due.
    pub due_soon_working_days: u32,
    /// Behind pace by more than this many points: YELLOW.
    pub behind_pace_yellow_points: u32,
    /// Behind pace by more than this many points: RED.
    pub behind_pace_red_points: u32,
    /// A deadline on a rest day is due on the next working day.
    pub roll_deadlines_off_rest_days: bool,
    /// Items count as 办结 only once signed off (销号).
    pub sign_off_required: bool,
    /// Local hour at which the day's notices go out.
    pub notice_hour: u32,
    /// An URGE notice is repeated every this many working days while an item stays overdue.
    pub urge_every_working_days: u32,
    /// Working days overdue before a supervision order (督办单) is issued by itself.
    pub order_after_working_days_overdue: u32,
    /// Working days an order may stay unacknowledged before it is copied to the superior.
    pub acknowledge_within_working_days: u32,
    /// Working days a unit has to answer a deputy's suggestion once assigned.
    pub suggestion_answer_working_days: u32,
    /// Calendar days for a second answer after a DISSATISFIED feedback.
    pub suggestion_redo_days: u32,
    /// A satisfaction assessment (测评) passes when this share of the votes cast, in percent, is
    /// 满意 or 基本满意 (docs/congress.md).
    pub assessment_pass_percent: u32,
    /// Calendar days a failed assessment's rectification item (测评整改) has.
    pub assessment_rectify_days: u32,
    /// Working days the government has to answer a deliberation opinion (审议意见) once sent.
    pub opinion_reply_days: u32,
}

impl Settings {
    pub const BACKDATE_DAYS: RangeInclusive<u32> = 0..=90;
    pub const DUE_SOON_WORKING_DAYS: RangeInclusive<u32> = 0..=30;
    pub const BEHIND_PACE_POINTS: RangeInclusive<u32> = 1..=100;
    pub const NOTICE_HOUR: RangeInclusive<u32> = 0..=23;
    pub const URGE_EVERY_WORKING_DAYS: RangeInclusive<u32> = 1..=30;
    pub const ORDER_AFTER_WORKING_DAYS_OVERDUE: RangeInclusive<u32> = 1..=60;
    pub const ACKNOWLEDGE_WITHIN_WORKING_DAYS: RangeInclusive<u32> = 1..=30;
    pub const SUGGESTION_ANSWER_WORKING_DAYS: RangeInclusive<u32> = 5..=250;
    pub const SUGGESTION_REDO_DAYS: RangeInclusive<u32> = 1..=90;
    pub const ASSESSMENT_PASS_PERCENT: RangeInclusive<u32> = 50..=100;
    pub const ASSESSMENT_RECTIFY_DAYS: RangeInclusive<u32> = 1..=180;
    pub const OPINION_REPLY_DAYS: RangeInclusive<u32> = 5..=250;

    /// Checks what no single range can: the red threshold is not below the yellow one.
    pub fn checked(self) -> Result<Settings, Invalid> {
        if self.behind_pace_red_points < self.behind_pace_yellow_points {
            return Err(Invalid::because(
                field::BEHIND_PACE_RED_POINTS,
                Reason::OutOfRange {
                    min: i64::from(self.behind_pace_yellow_points),
                    max: i64::from(*Self::BEHIND_PACE_POINTS.end()),
                },
                format!(
                    "must not be below behindPaceYellowPoints ({} < {})",
                    self.behind_pace_red_points, self.behind_pace_yellow_points
                ),
            ));
        }
        Ok(self)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            backdate_days: 7,
            due_soon_working_days: 3,
            behind_pace_yellow_points: 20,
            behind_pace_red_points: 40,
            roll_deadlines_off_rest_days: true,
            sign_off_required: true,
            notice_hour: 9,
            urge_every_working_days: 3,
            order_after_working_days_overdue: 5,
            acknowledge_within_working_days: 2,
            suggestion_answer_working_days: 60,
            suggestion_redo_days: 15,
            assessment_pass_percent: 60,
            assessment_rectify_days: 30,
            opinion_reply_days: 60,
        }
    }
}

/// A setting's new value, refused (with the field named) outside its range.
pub fn in_range(field: &str, value: i64, range: RangeInclusive<u32>) -> Result<u32, Invalid> {
    u32::try_from(value)
        .ok()
        .filter(|v| range.contains(v))
        .ok_or_else(|| {
            Invalid::because(
                field,
                Reason::OutOfRange {
                    min: i64::from(*range.start()),
                    max: i64::from(*range.end()),
                },
                format!(
                    "must be from {} to {} (was {value})",
                    range.start(),
                    range.end()
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setting_outside_its_range_is_refused_with_its_field() {
        assert_eq!(in_range("backdateDays", 7, Settings::BACKDATE_DAYS), Ok(7));
        assert_eq!(in_range("backdateDays", 0, Settings::BACKDATE_DAYS), Ok(0));
        for bad in [-1, 91, i64::MAX] {
            let error = in_range("backdateDays", bad, Settings::BACKDATE_DAYS).unwrap_err();
            assert_eq!(error.field, "backdateDays");
        }
    }

    #[test]
    fn the_defaults_are_in_range_and_red_is_not_below_yellow() {
        let s = Settings::default();
        assert_eq!(s.checked(), Ok(s));
        for (value, range) in [
            (s.backdate_days, Settings::BACKDATE_DAYS),
            (s.due_soon_working_days, Settings::DUE_SOON_WORKING_DAYS),
            (s.behind_pace_yellow_points, Settings::BEHIND_PACE_POINTS),
            (s.behind_pace_red_points, Settings::BEHIND_PACE_POINTS),
            (s.notice_hour, Settings::NOTICE_HOUR),
            (s.urge_every_working_days, Settings::URGE_EVERY_WORKING_DAYS),
            (
                s.order_after_working_days_overdue,
                Settings::ORDER_AFTER_WORKING_DAYS_OVERDUE,
            ),
            (
                s.acknowledge_within_working_days,
                Settings::ACKNOWLEDGE_WITHIN_WORKING_DAYS,
            ),
            (
                s.suggestion_answer_working_days,
                Settings::SUGGESTION_ANSWER_WORKING_DAYS,
            ),
            (s.suggestion_redo_days, Settings::SUGGESTION_REDO_DAYS),
            (s.assessment_pass_percent, Settings::ASSESSMENT_PASS_PERCENT),
            (s.assessment_rectify_days, Settings::ASSESSMENT_RECTIFY_DAYS),
            (s.opinion_reply_days, Settings::OPINION_REPLY_DAYS),
        ] {
            assert!(range.contains(&value));
        }
        let crossed = Settings {
            behind_pace_red_points: 10,
            ..s
        };
        assert_eq!(crossed.checked().unwrap_err().field, "behindPaceRedPoints");
    }
}
