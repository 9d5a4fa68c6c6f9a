//! Deputies' suggestions and their answers, as services hand them out.

use chrono::{DateTime, NaiveDate, Utc};
use jiandu_domain::suggestion::{AnswerClass, SuggestionSource, SuggestionStatus};
use jiandu_domain::{Closure, Rating, Tracked};
use serde::Serialize;
use uuid::Uuid;

use super::display;
use crate::entity;

/// 代表建议
#[derive(Debug, Clone, Serialize)]
pub struct SuggestionView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub number: String,
    pub year: i32,
    pub sequence: i32,
    pub title: String,
    pub content: String,
    pub category: Option<String>,
    #[serde(serialize_with = "display")]
    pub source: SuggestionSource,
    pub lead_deputy_id: Uuid,
    pub received_on: NaiveDate,
    #[serde(serialize_with = "display")]
    pub status: SuggestionStatus,
    pub assigned_on: Option<NaiveDate>,
    pub lead_unit_id: Option<Uuid>,
    pub responsible_leader_id: Option<Uuid>,
    pub key_item: bool,
    pub deadline: Option<NaiveDate>,
    pub due_by: Option<NaiveDate>,
    pub on_time_due_by: Option<NaiveDate>,
    pub round: i32,
    pub answered_on: Option<NaiveDate>,
    pub concluded_on: Option<NaiveDate>,
    pub withdrawn_reason: Option<String>,
    pub project_id: Option<Uuid>,
    /// Brought in awaiting its answer past the deadline: quiet until the presidium confirms it.
    pub historical: bool,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

impl SuggestionView {
    /// The answer's deadline as a tracked item: open until answered (a redo round reopens it),
    /// judged on time against the first round's deadline; none before it is assigned.
    pub fn tracked(&self) -> Option<Tracked> {
        let due_by = self.due_by?;
        let closure = match (self.status, self.answered_on) {
            (SuggestionStatus::Withdrawn, _) => Closure::Cancelled,
            (SuggestionStatus::Answered | SuggestionStatus::Concluded, Some(on)) => {
                Closure::Done(on)
            }
            (SuggestionStatus::Concluded, None) => Closure::Done(self.concluded_on?),
            _ => Closure::Open,
        };
        Some(Tracked {
            start: self.assigned_on,
            due_by,
            on_time_due_by: self.on_time_due_by.unwrap_or(due_by),
            closure,
            progress: 0,
        })
    }
}

impl From<entity::suggestion::Model> for SuggestionView {
    fn from(m: entity::suggestion::Model) -> Self {
        SuggestionView {
            id: m.id,
            organization_id: m.organization_id,
            number: m.number,
            year: m.year,
            sequence: m.sequence,
            title: m.title,
            content: m.content,
            category: m.category,
            source: m.source.0,
            lead_deputy_id: m.lead_deputy_id,
            received_on: m.received_on,
            status: m.status.0,
            assigned_on: m.assigned_on,
            lead_unit_id: m.lead_unit_id,
            responsible_leader_id: m.responsible_leader_id,
            key_item: m.key_item,
            deadline: m.deadline,
            due_by: m.due_by,
            on_time_due_by: m.on_time_due_by,
            round: m.round,
            answered_on: m.answered_on,
            concluded_on: m.concluded_on,
            withdrawn_reason: m.withdrawn_reason,
            project_id: m.project_id,
            historical: m.historical,
            created_by: m.created_by,
            created_at: m.created_at,
            version: m.version,
        }
    }
}

fn display_option<T: std::fmt::Display, S: serde::Serializer>(
    value: &Option<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serializer.collect_str(value),
        None => serializer.serialize_none(),
    }
}

/// One round's answer with the lead deputy's rating of it.
#[derive(Debug, Clone, Serialize)]
pub struct SuggestionAnswerView {
    pub suggestion_id: Uuid,
    pub round: i32,
    pub answered_on: NaiveDate,
    #[serde(serialize_with = "display")]
    pub answer_class: AnswerClass,
    pub text: String,
    pub met_deputy: bool,
    pub answered_by: Uuid,
    #[serde(serialize_with = "display_option")]
    pub feedback: Option<Rating>,
    pub feedback_note: Option<String>,
    pub feedback_on: Option<NaiveDate>,
}

impl From<entity::suggestion_answer::Model> for SuggestionAnswerView {
    fn from(m: entity::suggestion_answer::Model) -> Self {
        SuggestionAnswerView {
            suggestion_id: m.suggestion_id,
            round: m.round,
            answered_on: m.answered_on,
            answer_class: m.answer_class.0,
            text: m.text,
            met_deputy: m.met_deputy,
            answered_by: m.answered_by,
            feedback: m.feedback.map(|f| f.0),
            feedback_note: m.feedback_note,
            feedback_on: m.feedback_on,
        }
    }
}

/// 来信来访: a constituent's visit, letter, call or message.
#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    pub id: Uuid,
    pub organization_id: Uuid,
    #[serde(serialize_with = "display")]
    pub kind: jiandu_domain::suggestion::ContactKind,
    pub received_on: NaiveDate,
    /// Personal information: shown to the presidium only (see `contacts::for_reader`), and
    /// never written into the history, which every reader of the record may read.
    #[serde(skip)]
    pub constituent_name: Option<String>,
    #[serde(skip)]
    pub constituent_phone: Option<String>,
    pub summary: String,
    #[serde(serialize_with = "display")]
    pub status: jiandu_domain::suggestion::ContactStatus,
    pub transferred_to: Option<Uuid>,
    pub reply_due: Option<NaiveDate>,
    pub reply: Option<String>,
    pub replied_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub version: i32,
}

impl ContactView {
    /// The reply's deadline as a tracked item, once transferred with one.
    pub fn tracked(&self) -> Option<Tracked> {
        use jiandu_domain::suggestion::ContactStatus;
        let due_by = self.reply_due?;
        let closure = match (self.status, self.replied_on) {
            (_, Some(on)) => Closure::Done(on),
            (ContactStatus::Closed, None) => Closure::Done(self.closed_on?),
            _ => Closure::Open,
        };
        Some(Tracked {
            start: Some(self.received_on),
            due_by,
            on_time_due_by: due_by,
            closure,
            progress: 0,
        })
    }
}

impl From<entity::constituent_contact::Model> for ContactView {
    fn from(m: entity::constituent_contact::Model) -> Self {
        ContactView {
            id: m.id,
            organization_id: m.organization_id,
            kind: m.kind.0,
            received_on: m.received_on,
            constituent_name: m.constituent_name,
            constituent_phone: m.constituent_phone,
            summary: m.summary,
            status: m.status.0,
            transferred_to: m.transferred_to,
            reply_due: m.reply_due,
            reply: m.reply,
            replied_on: m.replied_on,
            closed_on: m.closed_on,
            version: m.version,
        }
    }
}
