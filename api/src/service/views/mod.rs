//! What services hand out: records in domain terms, independent of table layout. They serialise
//! to the JSON kept in audit events.

use std::fmt::Display;

use chrono::{DateTime, Utc};
use jiandu_domain::Role;
use serde::{Serialize, Serializer};
use uuid::Uuid;

use crate::entity;

mod congress;
mod deputies;
mod inspected;
mod suggestions;
mod work;

pub use congress::{AssessmentView, CandidateView, MeetingView, OpinionView, PointView};
pub use deputies::{ActivityView, DeputyView};
pub use inspected::{FindingView, InspectionView};
pub use suggestions::{ContactView, SuggestionAnswerView, SuggestionView};
pub use work::{
    DeadlineChangeView, ExtensionView, MilestoneView, NoticeView, ProgressReportView, ProjectView,
};

pub(crate) fn display<T: Display, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

#[derive(Debug, Clone, Serialize)]
pub struct OrganizationView {
    pub id: Uuid,
    pub name: String,
    pub timezone: String,
    pub parent_id: Option<Uuid>,
}

impl From<entity::organization::Model> for OrganizationView {
    fn from(m: entity::organization::Model) -> Self {
        OrganizationView {
            id: m.id,
            name: m.name,
            timezone: m.timezone,
            parent_id: m.parent_id,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub head_id: Option<Uuid>,
}

impl From<entity::unit::Model> for UnitView {
    fn from(m: entity::unit::Model) -> Self {
        UnitView {
            id: m.id,
            organization_id: m.organization_id,
            name: m.name,
            head_id: m.head_id,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub title: Option<String>,
    pub unit_id: Option<Uuid>,
}

impl From<entity::person::Model> for PersonView {
    fn from(m: entity::person::Model) -> Self {
        PersonView {
            id: m.id,
            organization_id: m.organization_id,
            name: m.name,
            title: m.title,
            unit_id: m.unit_id,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct UserView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub username: String,
    #[serde(serialize_with = "display")]
    pub role: Role,
    pub person_id: Option<Uuid>,
    pub disabled: bool,
    pub must_change_password: bool,
    pub version: i32,
}

impl From<entity::app_user::Model> for UserView {
    fn from(m: entity::app_user::Model) -> Self {
        UserView {
            id: m.id,
            organization_id: m.organization_id,
            username: m.username,
            role: m.role.0,
            person_id: m.person_id,
            disabled: m.disabled_at.is_some(),
            must_change_password: m.must_change_password,
            version: m.version,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SessionView {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: UserView,
}

#[derive(Debug, Clone)]
pub struct AuditEventView {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Uuid,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl From<entity::audit_event::Model> for AuditEventView {
    fn from(m: entity::audit_event::Model) -> Self {
        AuditEventView {
            id: m.id,
            at: m.at,
            actor_id: m.actor_id,
            action: m.action,
            entity_type: m.entity_type,
            entity_id: m.entity_id,
            before: m.before,
            after: m.after,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub owner_type: String,
    pub owner_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub caption: Option<String>,
    pub taken_at: Option<DateTime<Utc>>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub uploaded_by: Uuid,
    pub uploaded_at: DateTime<Utc>,
}

impl From<entity::attachment::Model> for AttachmentView {
    fn from(m: entity::attachment::Model) -> Self {
        AttachmentView {
            id: m.id,
            organization_id: m.organization_id,
            owner_type: m.owner_type,
            owner_id: m.owner_id,
            file_name: m.file_name,
            content_type: m.content_type,
            size: m.size,
            sha256: m.sha256,
            caption: m.caption,
            taken_at: m.taken_at,
            latitude: m.latitude,
            longitude: m.longitude,
            uploaded_by: m.uploaded_by,
            uploaded_at: m.uploaded_at,
        }
    }
}
