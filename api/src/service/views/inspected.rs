//! What deputies' inspections found: the inspection, and each finding (整改事项) with its
//! deadline, which follows the items' time rules.

use std::fmt::Display;

use chrono::{DateTime, NaiveDate, Utc};
use jiandu_domain::{FindingStatus, InspectionKind, Rating, Tracked};
use serde::{Serialize, Serializer};
use uuid::Uuid;

use super::display;
use crate::entity;

#[derive(Debug, Clone, Serialize)]
pub struct InspectionView {
    pub id: Uuid,
    pub organization_id: Uuid,
    #[serde(serialize_with = "display")]
    pub kind: InspectionKind,
    pub project_id: Option<Uuid>,
    pub topic: Option<String>,
    pub visited_on: NaiveDate,
    pub location: Option<String>,
    pub summary: String,
    #[serde(serialize_with = "display_optional")]
    pub rating: Option<Rating>,
    pub recorded_by: Uuid,
    pub recorded_at: DateTime<Utc>,
}

fn display_optional<T: Display, S: Serializer>(
    value: &Option<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serializer.collect_str(value),
        None => serializer.serialize_none(),
    }
}

impl From<entity::inspection::Model> for InspectionView {
    fn from(m: entity::inspection::Model) -> Self {
        InspectionView {
            id: m.id,
            organization_id: m.organization_id,
            kind: m.kind.0,
            project_id: m.project_id,
            topic: m.topic,
            visited_on: m.visited_on,
            location: m.location,
            summary: m.summary,
            rating: m.rating.map(|r| r.0),
            recorded_by: m.recorded_by,
            recorded_at: m.recorded_at,
        }
    }
}

/// A rectification item (整改事项) raised by an inspection.
#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub inspection_id: Uuid,
    pub project_id: Option<Uuid>,
    pub milestone_id: Option<Uuid>,
    pub description: String,
    pub responsible_leader_id: Uuid,
    pub responsible_unit_id: Uuid,
    pub deadline: NaiveDate,
    pub original_deadline: NaiveDate,
    /// What a finished item is judged on time against (docs/rules.md §3).
    pub on_time_deadline: NaiveDate,
    /// The deadline moved past rest days when the organisation says so.
    pub due_by: NaiveDate,
    pub on_time_due_by: NaiveDate,
    pub times_rescheduled: i32,
    #[serde(serialize_with = "display")]
    pub status: FindingStatus,
    pub resolution: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_on: Option<NaiveDate>,
    pub resolved_by: Option<Uuid>,
    pub verification_note: Option<String>,
    /// Brought in open and past its deadline: quiet until the presidium confirms it.
    pub historical: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl FindingView {
    /// Findings follow the milestones' time rules; they have no start date, so never fall
    /// behind pace.
    pub fn tracked(&self) -> Tracked {
        Tracked {
            start: None,
            due_by: self.due_by,
            on_time_due_by: self.on_time_due_by,
            closure: self.status.closure(self.resolved_on),
            progress: 0,
        }
    }
}

impl From<entity::finding::Model> for FindingView {
    fn from(m: entity::finding::Model) -> Self {
        FindingView {
            id: m.id,
            organization_id: m.organization_id,
            inspection_id: m.inspection_id,
            project_id: m.project_id,
            milestone_id: m.milestone_id,
            description: m.description,
            responsible_leader_id: m.responsible_leader_id,
            responsible_unit_id: m.responsible_unit_id,
            deadline: m.deadline,
            original_deadline: m.original_deadline,
            on_time_deadline: m.on_time_deadline,
            due_by: m.due_by,
            on_time_due_by: m.on_time_due_by,
            times_rescheduled: m.times_rescheduled,
            status: m.status.0,
            resolution: m.resolution,
            resolved_at: m.resolved_at,
            resolved_on: m.resolved_on,
            resolved_by: m.resolved_by,
            verification_note: m.verification_note,
            historical: m.historical,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}
