//! The records of the supervision work itself: projects, milestones with their deadline changes
//! and progress reports, extension requests and notices (inspections and their findings are in
//! `inspected`).

use chrono::{DateTime, NaiveDate, Utc};
use jiandu_domain::{
    MilestoneStatus, NoticeKind, NoticeLevel, ProjectOrigin, ProjectStatus, Tracked,
};
use serde::Serialize;
use uuid::Uuid;

use super::display;
use crate::entity;

#[derive(Debug, Clone, Serialize)]
pub struct ProjectView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    #[serde(serialize_with = "display")]
    pub origin: ProjectOrigin,
    pub location: Option<String>,
    pub construction: bool,
    #[serde(serialize_with = "display")]
    pub status: ProjectStatus,
    pub lead_leader_id: Option<Uuid>,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    /// The day (organisation's zone) the project became COMPLETED.
    pub completed_on: Option<NaiveDate>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<entity::project::Model> for ProjectView {
    fn from(m: entity::project::Model) -> Self {
        ProjectView {
            id: m.id,
            organization_id: m.organization_id,
            title: m.title,
            description: m.description,
            origin: m.origin.0,
            location: m.location,
            construction: m.construction,
            status: m.status.0,
            lead_leader_id: m.lead_leader_id,
            planned_start: m.planned_start,
            planned_end: m.planned_end,
            completed_on: m.completed_on,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub project_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub title: String,
    pub description: Option<String>,
    pub responsible_leader_id: Uuid,
    pub responsible_unit_id: Uuid,
    pub responsible_person_id: Option<Uuid>,
    pub start_date: Option<NaiveDate>,
    pub deadline: NaiveDate,
    pub original_deadline: NaiveDate,
    /// What a finished item is judged on time against (docs/rules.md §3).
    pub on_time_deadline: NaiveDate,
    /// The deadline moved past rest days when the organisation says so.
    pub due_by: NaiveDate,
    pub on_time_due_by: NaiveDate,
    /// A leaf milestone: one supervised item, counted; a parent only sums up its children.
    pub is_item: bool,
    pub times_rescheduled: i32,
    #[serde(serialize_with = "display")]
    pub status: MilestoneStatus,
    /// Reported progress for a leaf; the weighted mean of the children for a parent.
    pub progress: u8,
    pub weight: u32,
    pub completed_at: Option<DateTime<Utc>>,
    pub completed_on: Option<NaiveDate>,
    /// 补报: the completion was dated earlier than the day it was reported.
    pub completion_backdated: bool,
    pub signed_off_by: Option<Uuid>,
    pub signed_off_at: Option<DateTime<Utc>>,
    /// Imported already past its deadline, awaiting the presidium's word: no notices until then.
    pub historical: bool,
    pub long_term: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl MilestoneView {
    pub fn tracked(&self) -> Tracked {
        Tracked {
            start: self.start_date,
            due_by: self.due_by,
            on_time_due_by: self.on_time_due_by,
            closure: self.status.closure(self.completed_on),
            progress: self.progress,
        }
    }
}

impl From<entity::milestone::Model> for MilestoneView {
    fn from(m: entity::milestone::Model) -> Self {
        MilestoneView {
            id: m.id,
            organization_id: m.organization_id,
            project_id: m.project_id,
            parent_id: m.parent_id,
            title: m.title,
            description: m.description,
            responsible_leader_id: m.responsible_leader_id,
            responsible_unit_id: m.responsible_unit_id,
            responsible_person_id: m.responsible_person_id,
            start_date: m.start_date,
            deadline: m.deadline,
            original_deadline: m.original_deadline,
            on_time_deadline: m.on_time_deadline,
            due_by: m.due_by,
            on_time_due_by: m.on_time_due_by,
            is_item: m.is_item,
            times_rescheduled: m.times_rescheduled,
            status: m.status.0,
            progress: u8::try_from(m.progress.clamp(0, 100)).unwrap_or(0),
            weight: u32::try_from(m.weight.max(1)).unwrap_or(1),
            completed_at: m.completed_at,
            completed_on: m.completed_on,
            completion_backdated: m.completion_backdated,
            signed_off_by: m.signed_off_by,
            signed_off_at: m.signed_off_at,
            historical: m.historical,
            long_term: m.long_term,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineChangeView {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: String,
    pub changed_by: Uuid,
    pub changed_at: DateTime<Utc>,
    pub extension_request_id: Option<Uuid>,
    pub late_change: bool,
}

/// Both deadline-move tables (milestones', findings') read as one view.
macro_rules! deadline_moves {
    ($($table:ident),+) => {$(
        impl From<entity::$table::Model> for DeadlineChangeView {
            fn from(m: entity::$table::Model) -> Self {
                DeadlineChangeView {
                    from: m.from_date,
                    to: m.to_date,
                    reason: m.reason,
                    changed_by: m.changed_by,
                    changed_at: m.changed_at,
                    extension_request_id: m.extension_request_id,
                    late_change: m.late_change,
                }
            }
        }
    )+};
}
deadline_moves!(deadline_change, finding_deadline_change);

#[derive(Debug, Clone, Serialize)]
pub struct ProgressReportView {
    pub id: Uuid,
    pub progress: u8,
    pub note: Option<String>,
    pub reported_by: Uuid,
    pub reported_at: DateTime<Utc>,
}

impl From<entity::progress_report::Model> for ProgressReportView {
    fn from(m: entity::progress_report::Model) -> Self {
        ProgressReportView {
            id: m.id,
            progress: u8::try_from(m.progress.clamp(0, 100)).unwrap_or(0),
            note: m.note,
            reported_by: m.reported_by,
            reported_at: m.reported_at,
        }
    }
}

/// 延期申请
#[derive(Debug, Clone, Serialize)]
pub struct ExtensionView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub milestone_id: Option<Uuid>,
    pub finding_id: Option<Uuid>,
    pub requested_by: Uuid,
    pub requested_at: DateTime<Utc>,
    pub current_deadline: NaiveDate,
    pub proposed_deadline: NaiveDate,
    pub reason: String,
    #[serde(serialize_with = "display")]
    pub status: jiandu_domain::ExtensionStatus,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub approved_deadline: Option<NaiveDate>,
    pub version: i32,
}

impl From<entity::extension_request::Model> for ExtensionView {
    fn from(m: entity::extension_request::Model) -> Self {
        ExtensionView {
            id: m.id,
            organization_id: m.organization_id,
            milestone_id: m.milestone_id,
            finding_id: m.finding_id,
            requested_by: m.requested_by,
            requested_at: m.requested_at,
            current_deadline: m.current_deadline,
            proposed_deadline: m.proposed_deadline,
            reason: m.reason,
            status: m.status.0,
            decided_by: m.decided_by,
            decided_at: m.decided_at,
            decision_note: m.decision_note,
            approved_deadline: m.approved_deadline,
            version: m.version,
        }
    }
}

/// A notice (提醒, 催办, 督办单) as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct NoticeView {
    pub id: Uuid,
    pub organization_id: Uuid,
    #[serde(serialize_with = "display")]
    pub kind: NoticeKind,
    #[serde(serialize_with = "display")]
    pub level: NoticeLevel,
    pub number: Option<String>,
    pub recipient_id: Uuid,
    pub milestone_id: Option<Uuid>,
    pub finding_id: Option<Uuid>,
    pub suggestion_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub opinion_id: Option<Uuid>,
    pub subject_id: Uuid,
    /// The item's due day when the notice was issued.
    pub due_by: Option<NaiveDate>,
    pub title: String,
    pub body: String,
    pub issued_at: DateTime<Utc>,
    pub issued_on: NaiveDate,
    pub issued_by: Option<Uuid>,
    pub reply_due: Option<NaiveDate>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_by: Option<Uuid>,
    pub reply: Option<String>,
    pub replied_at: Option<DateTime<Utc>>,
    pub version: i32,
}

impl From<entity::notice::Model> for NoticeView {
    fn from(m: entity::notice::Model) -> Self {
        NoticeView {
            id: m.id,
            organization_id: m.organization_id,
            kind: m.kind.0,
            level: m.level.0,
            number: m.number,
            recipient_id: m.recipient_id,
            milestone_id: m.milestone_id,
            finding_id: m.finding_id,
            suggestion_id: m.suggestion_id,
            contact_id: m.contact_id,
            opinion_id: m.opinion_id,
            subject_id: m.subject_id,
            due_by: m.due_by,
            title: m.title,
            body: m.body,
            issued_at: m.issued_at,
            issued_on: m.issued_on,
            issued_by: m.issued_by,
            reply_due: m.reply_due,
            acknowledged_at: m.acknowledged_at,
            acknowledged_by: m.acknowledged_by,
            reply: m.reply,
            replied_at: m.replied_at,
            version: m.version,
        }
    }
}
