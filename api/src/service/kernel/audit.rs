//! The audit trail: every change writes one event in the same transaction. History is never
//! deleted.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use uuid::Uuid;

use super::actor::Actor;
use crate::entity::audit_event;
use crate::error::AppError;
use crate::service::Ctx;
use crate::service::page::{Page, PageRequest};
use crate::service::views::AuditEventView;

/// What a recorded change did, one per step a use case takes. Stored, and shown as
/// `AuditEvent.action`, as its text (`milestone.complete`); a page tells it in words by matching
/// the variant, so an action misspelt does not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    AssessmentRecord,
    AttachmentAdd,
    CalendarRotate,
    CandidatePropose,
    CandidateShortlist,
    CandidateVote,
    ContactClose,
    ContactLog,
    ContactReply,
    ContactTransfer,
    ExtensionApprove,
    ExtensionRefuse,
    ExtensionRequest,
    ExtensionWithdraw,
    FindingAccept,
    FindingConfirmHistorical,
    FindingExtend,
    FindingImport,
    FindingRaise,
    FindingReject,
    FindingReschedule,
    FindingResolve,
    FindingStart,
    InspectionImport,
    InspectionLog,
    MeetingCreate,
    MilestoneAccept,
    MilestoneAdd,
    MilestoneCancel,
    MilestoneComplete,
    MilestoneConfirmHistorical,
    MilestoneExtend,
    MilestoneImport,
    MilestoneReject,
    MilestoneReportProgress,
    MilestoneReschedule,
    MilestoneReturn,
    MilestoneSignOff,
    MilestoneUpdate,
    NoticeAcknowledge,
    NoticeCopy,
    NoticeIssue,
    NoticeOrder,
    NoticeReply,
    OrganizationCreate,
    OrganizationSettings,
    PersonCreate,
    PersonImport,
    ProjectCreate,
    ProjectImport,
    ProjectUpdate,
    SuggestionAnswer,
    SuggestionAssign,
    SuggestionConclude,
    SuggestionConfirmHistorical,
    SuggestionFeedback,
    SuggestionImport,
    SuggestionProject,
    SuggestionRedo,
    SuggestionRegister,
    SuggestionWithdraw,
    UnitCreate,
    UnitImport,
    UnitUpdate,
    UserCreate,
    UserDisable,
    UserEnable,
    UserPasswordChange,
    UserPasswordReset,
    WebhookCreate,
    WebhookDelete,
}

impl Action {
    pub const ALL: [Action; 71] = [
        Action::AssessmentRecord,
        Action::AttachmentAdd,
        Action::CalendarRotate,
        Action::CandidatePropose,
        Action::CandidateShortlist,
        Action::CandidateVote,
        Action::ContactClose,
        Action::ContactLog,
        Action::ContactReply,
        Action::ContactTransfer,
        Action::ExtensionApprove,
        Action::ExtensionRefuse,
        Action::ExtensionRequest,
        Action::ExtensionWithdraw,
        Action::FindingAccept,
        Action::FindingConfirmHistorical,
        Action::FindingExtend,
        Action::FindingImport,
        Action::FindingRaise,
        Action::FindingReject,
        Action::FindingReschedule,
        Action::FindingResolve,
        Action::FindingStart,
        Action::InspectionImport,
        Action::InspectionLog,
        Action::MeetingCreate,
        Action::MilestoneAccept,
        Action::MilestoneAdd,
        Action::MilestoneCancel,
        Action::MilestoneComplete,
        Action::MilestoneConfirmHistorical,
        Action::MilestoneExtend,
        Action::MilestoneImport,
        Action::MilestoneReject,
        Action::MilestoneReportProgress,
        Action::MilestoneReschedule,
        Action::MilestoneReturn,
        Action::MilestoneSignOff,
        Action::MilestoneUpdate,
        Action::NoticeAcknowledge,
        Action::NoticeCopy,
        Action::NoticeIssue,
        Action::NoticeOrder,
        Action::NoticeReply,
        Action::OrganizationCreate,
        Action::OrganizationSettings,
        Action::PersonCreate,
        Action::PersonImport,
        Action::ProjectCreate,
        Action::ProjectImport,
        Action::ProjectUpdate,
        Action::SuggestionAnswer,
        Action::SuggestionAssign,
        Action::SuggestionConclude,
        Action::SuggestionConfirmHistorical,
        Action::SuggestionFeedback,
        Action::SuggestionImport,
        Action::SuggestionProject,
        Action::SuggestionRedo,
        Action::SuggestionRegister,
        Action::SuggestionWithdraw,
        Action::UnitCreate,
        Action::UnitImport,
        Action::UnitUpdate,
        Action::UserCreate,
        Action::UserDisable,
        Action::UserEnable,
        Action::UserPasswordChange,
        Action::UserPasswordReset,
        Action::WebhookCreate,
        Action::WebhookDelete,
    ];

    /// The stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::AssessmentRecord => "assessment.record",
            Action::AttachmentAdd => "attachment.add",
            Action::CalendarRotate => "calendar.rotate",
            Action::CandidatePropose => "candidate.propose",
            Action::CandidateShortlist => "candidate.shortlist",
            Action::CandidateVote => "candidate.vote",
            Action::ContactClose => "contact.close",
            Action::ContactLog => "contact.log",
            Action::ContactReply => "contact.reply",
            Action::ContactTransfer => "contact.transfer",
            Action::ExtensionApprove => "extension.approve",
            Action::ExtensionRefuse => "extension.refuse",
            Action::ExtensionRequest => "extension.request",
            Action::ExtensionWithdraw => "extension.withdraw",
            Action::FindingAccept => "finding.accept",
            Action::FindingConfirmHistorical => "finding.confirm_historical",
            Action::FindingExtend => "finding.extend",
            Action::FindingImport => "finding.import",
            Action::FindingRaise => "finding.raise",
            Action::FindingReject => "finding.reject",
            Action::FindingReschedule => "finding.reschedule",
            Action::FindingResolve => "finding.resolve",
            Action::FindingStart => "finding.start",
            Action::InspectionImport => "inspection.import",
            Action::InspectionLog => "inspection.log",
            Action::MeetingCreate => "meeting.create",
            Action::MilestoneAccept => "milestone.accept",
            Action::MilestoneAdd => "milestone.add",
            Action::MilestoneCancel => "milestone.cancel",
            Action::MilestoneComplete => "milestone.complete",
            Action::MilestoneConfirmHistorical => "milestone.confirm_historical",
            Action::MilestoneExtend => "milestone.extend",
            Action::MilestoneImport => "milestone.import",
            Action::MilestoneReject => "milestone.reject",
            Action::MilestoneReportProgress => "milestone.report_progress",
            Action::MilestoneReschedule => "milestone.reschedule",
            Action::MilestoneReturn => "milestone.return",
            Action::MilestoneSignOff => "milestone.sign_off",
            Action::MilestoneUpdate => "milestone.update",
            Action::NoticeAcknowledge => "notice.acknowledge",
            Action::NoticeCopy => "notice.copy",
            Action::NoticeIssue => "notice.issue",
            Action::NoticeOrder => "notice.order",
            Action::NoticeReply => "notice.reply",
            Action::OrganizationCreate => "organization.create",
            Action::OrganizationSettings => "organization.settings",
            Action::PersonCreate => "person.create",
            Action::PersonImport => "person.import",
            Action::ProjectCreate => "project.create",
            Action::ProjectImport => "project.import",
            Action::ProjectUpdate => "project.update",
            Action::SuggestionAnswer => "suggestion.answer",
            Action::SuggestionAssign => "suggestion.assign",
            Action::SuggestionConclude => "suggestion.conclude",
            Action::SuggestionConfirmHistorical => "suggestion.confirm_historical",
            Action::SuggestionFeedback => "suggestion.feedback",
            Action::SuggestionImport => "suggestion.import",
            Action::SuggestionProject => "suggestion.project",
            Action::SuggestionRedo => "suggestion.redo",
            Action::SuggestionRegister => "suggestion.register",
            Action::SuggestionWithdraw => "suggestion.withdraw",
            Action::UnitCreate => "unit.create",
            Action::UnitImport => "unit.import",
            Action::UnitUpdate => "unit.update",
            Action::UserCreate => "user.create",
            Action::UserDisable => "user.disable",
            Action::UserEnable => "user.enable",
            Action::UserPasswordChange => "user.password_change",
            Action::UserPasswordReset => "user.password_reset",
            Action::WebhookCreate => "webhook.create",
            Action::WebhookDelete => "webhook.delete",
        }
    }

    /// The action a stored text names (`None`: not one this server writes).
    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL
            .into_iter()
            .find(|action| action.as_str() == text)
    }
}

/// One change to record.
pub struct Change {
    pub organization_id: Uuid,
    pub action: Action,
    pub entity_type: &'static str,
    pub entity_id: Uuid,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub fn snapshot(view: &impl Serialize) -> Option<serde_json::Value> {
    serde_json::to_value(view).ok()
}

/// The stored row of `change`.
fn row(actor_id: Option<Uuid>, at: DateTime<Utc>, change: Change) -> audit_event::ActiveModel {
    audit_event::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(change.organization_id),
        actor_id: Set(actor_id),
        action: Set(change.action.as_str().to_string()),
        entity_type: Set(change.entity_type.to_string()),
        entity_id: Set(change.entity_id),
        before: Set(change.before),
        after: Set(change.after),
        at: Set(at),
    }
}

pub async fn record(
    db: &impl ConnectionTrait,
    actor_id: Option<Uuid>,
    at: DateTime<Utc>,
    change: Change,
) -> Result<(), AppError> {
    row(actor_id, at, change).insert(db).await?;
    Ok(())
}

/// Records many changes at once, a few hundred rows to a statement (the daily scan's notices).
pub async fn record_many(
    db: &impl ConnectionTrait,
    actor_id: Option<Uuid>,
    at: DateTime<Utc>,
    changes: Vec<Change>,
) -> Result<(), AppError> {
    let rows: Vec<audit_event::ActiveModel> = changes
        .into_iter()
        .map(|change| row(actor_id, at, change))
        .collect();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        audit_event::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Rows per multi-row insert. Small on purpose: sqlx 0.9.0 leaves Nagle's algorithm on for
/// PostgreSQL over TCP (transact-rs/sqlx#4335), so a statement of more than about 16 KB (the
/// socket's first send buffer) waits some 40 ms for the server's delayed ACK. Ten audit events
/// stay under it; fifty took 45 ms a statement against 1 ms for ten.
pub const ROWS_PER_INSERT: usize = 10;

/// Every recorded change to one record, oldest first, if the actor may read it.
pub async fn history(
    ctx: &Ctx,
    actor: &Actor,
    entity_id: Uuid,
    page: PageRequest<Uuid>,
) -> Result<Page<AuditEventView>, AppError> {
    let base = actor
        .readable()
        .select::<audit_event::Entity>()
        .filter(audit_event::Column::EntityId.eq(entity_id));
    let total = base.clone().count(ctx.db.conn()).await?;
    let mut query = base
        .order_by_asc(audit_event::Column::Id)
        .limit(page.first + 1);
    if let Some(after) = page.after {
        query = query.filter(audit_event::Column::Id.gt(after));
    }
    let rows = query.all(ctx.db.conn()).await?;
    let views = rows.into_iter().map(AuditEventView::from).collect();
    Ok(Page::from_rows(
        views,
        page.first,
        total,
        |e: &AuditEventView| e.id,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_is_stored_as_its_own_text_and_read_back() {
        let texts: std::collections::HashSet<&str> =
            Action::ALL.into_iter().map(Action::as_str).collect();
        assert_eq!(
            texts.len(),
            Action::ALL.len(),
            "no two actions share a text"
        );
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
        }
        assert_eq!(Action::MilestoneSignOff.as_str(), "milestone.sign_off");
        assert_eq!(Action::parse("milestone.nonsense"), None);
    }
}

/// What an audit event says besides the record's state: the action, and remarks kept with the
/// new state (a note, a reason).
#[derive(Clone)]
pub struct Audit {
    pub(super) action: Action,
    remarks: Vec<(&'static str, serde_json::Value)>,
}

impl Audit {
    pub fn new(action: Action) -> Self {
        Audit {
            action,
            remarks: Vec::new(),
        }
    }

    /// Keeps `value` under `name` in the event's after-state.
    pub fn with(mut self, name: &'static str, value: impl Serialize) -> Self {
        self.remarks
            .push((name, serde_json::to_value(value).unwrap_or_default()));
        self
    }

    pub(super) fn after(&self, view: &impl Serialize) -> Option<serde_json::Value> {
        let mut value = snapshot(view)?;
        if let Some(object) = value.as_object_mut() {
            for (name, remark) in &self.remarks {
                object.insert((*name).to_string(), remark.clone());
            }
        }
        Some(value)
    }
}
