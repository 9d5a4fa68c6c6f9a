//! Scalars and enums of the public API, and identifier parsing.

use async_graphql::{Enum, ID, InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;
use jiandu_domain::Reason;
use uuid::Uuid;

use crate::error::AppError;

/// Calendar date, YYYY-MM-DD, in the organisation's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .filter(|_| text.len() == 10)
                .map(Date)
                .ok_or_else(|| {
                    InputValueError::custom(format!("`{text}` is not a calendar date (YYYY-MM-DD)"))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl From<NaiveDate> for Date {
    fn from(day: NaiveDate) -> Self {
        Date(day)
    }
}

/// A record id from the client; anything that is not one of ours is refused.
pub fn parse_id(field: &str, id: &ID) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.as_str())
        .map_err(|_| AppError::invalid(field, Reason::UnknownRecord, "is not a valid id"))
}

pub fn to_id(id: Uuid) -> ID {
    ID(id.to_string())
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::Role")]
pub enum Role {
    Presidium,
    Deputy,
    Leader,
    Viewer,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::ProjectOrigin")]
pub enum ProjectOrigin {
    LivelihoodVote,
    WorkReport,
    DeputySuggestion,
    Other,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::ProjectStatus")]
pub enum ProjectStatus {
    Planned,
    InProgress,
    Completed,
    Suspended,
    Cancelled,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::MilestoneStatus")]
pub enum MilestoneStatus {
    NotStarted,
    InProgress,
    Done,
    Verified,
    /// 已销号: signed off by the presidium; only now does the item count as 办结
    Closed,
    Cancelled,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::DeadlineState")]
pub enum DeadlineState {
    Upcoming,
    DueSoon,
    Overdue,
    DoneOnTime,
    DoneLate,
    Cancelled,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::Light")]
pub enum Light {
    Green,
    Yellow,
    Red,
    Grey,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum Verdict {
    Accepted,
    Rejected,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::InspectionKind")]
pub enum InspectionKind {
    /// 视察
    Visit,
    /// 检查
    Check,
    /// 评估
    Evaluation,
    /// 执法检查
    LawEnforcement,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::Rating")]
pub enum Rating {
    /// 满意
    Satisfied,
    /// 基本满意
    BasicallySatisfied,
    /// 不满意
    Dissatisfied,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::FindingStatus")]
pub enum FindingStatus {
    Open,
    /// 整改中
    Rectifying,
    Resolved,
    Verified,
}

/// REMINDER 提醒 (blue), URGE 催办 (yellow), SUPERVISION_ORDER 督办单 (red), BULLETIN 通报
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::NoticeKind")]
pub enum NoticeKind {
    Reminder,
    Urge,
    SupervisionOrder,
    Bulletin,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::NoticeLevel")]
pub enum NoticeLevel {
    Blue,
    Yellow,
    Red,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::DeliveryStatus")]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Failed,
}

/// GENERIC: JSON signed per Standard Webhooks; WECOM 企业微信, DINGTALK 钉钉, FEISHU 飞书: their
/// group robots' message formats
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::WebhookKind")]
pub enum WebhookKind {
    Generic,
    Wecom,
    Dingtalk,
    Feishu,
}

/// PENDING 待审批, APPROVED 已批准, REFUSED 未批准, WITHDRAWN 已撤回
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jiandu_domain::ExtensionStatus")]
pub enum ExtensionStatus {
    Pending,
    Approved,
    Refused,
    Withdrawn,
}
