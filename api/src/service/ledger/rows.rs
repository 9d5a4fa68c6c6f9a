//! The rows the ledger's sheets print, as read.

use chrono::NaiveDate;
use jiandu_domain::{DeadlineState, InspectionKind, Light, Rating};

use crate::service::views::{FindingView, MilestoneView, SuggestionAnswerView, SuggestionView};

pub struct MilestoneRow {
    pub project: String,
    pub milestone: MilestoneView,
    pub parent: Option<String>,
    pub leader: String,
    pub unit: String,
    pub person: Option<String>,
    pub state: DeadlineState,
    pub light: Light,
    pub days_overdue: i64,
    pub last_note: Option<String>,
}

pub struct FindingRow {
    pub project: Option<String>,
    pub inspection_kind: InspectionKind,
    pub inspected_on: NaiveDate,
    pub finding: FindingView,
    pub leader: String,
    pub unit: String,
    pub state: DeadlineState,
    pub light: Light,
    pub days_overdue: i64,
}

/// A deputy's suggestion as the 代表建议办理台账 prints it; the latest answer is the latest
/// round's.
pub struct SuggestionRow {
    pub suggestion: SuggestionView,
    pub lead_deputy: String,
    pub lead_unit: Option<String>,
    pub leader: Option<String>,
    pub latest_answer: Option<SuggestionAnswerView>,
    /// The latest rating given, which may be of an earlier round than the latest answer.
    pub feedback: Option<Rating>,
    /// None before it is assigned.
    pub light: Option<Light>,
}
