//! Deputies on the roster and the duties they log, as services hand them out.

use chrono::NaiveDate;
use jiandu_domain::deputies::{DeputyLevel, DutyActivityKind};
use serde::Serialize;
use uuid::Uuid;

use super::display;
use crate::entity;

/// 代表名册: a person's deputy profile.
#[derive(Debug, Clone, Serialize)]
pub struct DeputyView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub person_id: Uuid,
    #[serde(serialize_with = "display")]
    pub level: DeputyLevel,
    pub term: String,
    pub constituency: Option<String>,
    pub group: Option<String>,
    pub villages: Vec<String>,
    pub active: bool,
    pub version: i32,
}

impl From<entity::deputy_profile::Model> for DeputyView {
    fn from(m: entity::deputy_profile::Model) -> Self {
        DeputyView {
            id: m.id,
            organization_id: m.organization_id,
            person_id: m.person_id,
            level: m.level.0,
            term: m.term,
            constituency: m.constituency,
            group: m.group_name,
            villages: m.villages.0,
            active: m.active,
            version: m.version,
        }
    }
}

/// 履职活动: a visit to constituents or a training a deputy logged.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub deputy_id: Uuid,
    #[serde(serialize_with = "display")]
    pub kind: DutyActivityKind,
    pub on: NaiveDate,
    pub village: Option<String>,
    pub village_linked: Option<bool>,
    pub topic: String,
    pub people: Option<i32>,
    pub minutes: Option<i32>,
    /// The suggestion the visit raised in the same step.
    pub suggestion_id: Option<Uuid>,
    /// The letter or visit logged from the visit in the same step.
    pub contact_id: Option<Uuid>,
}

impl ActivityView {
    /// Its length in hours, when given.
    pub fn hours(&self) -> Option<f64> {
        self.minutes.map(|m| f64::from(m) / 60.0)
    }
}

impl From<entity::duty_activity::Model> for ActivityView {
    fn from(m: entity::duty_activity::Model) -> Self {
        ActivityView {
            id: m.id,
            organization_id: m.organization_id,
            deputy_id: m.deputy_id,
            kind: m.kind.0,
            on: m.held_on,
            village: m.village,
            village_linked: m.village_linked,
            topic: m.topic,
            people: m.people,
            minutes: m.minutes,
            suggestion_id: m.suggestion_id,
            contact_id: m.contact_id,
        }
    }
}
