//! The `suggestion` table: a deputy's suggestion (代表建议) from registration to conclusion.

use jiandu_domain::suggestion::{SuggestionSource, SuggestionStatus};
use sea_orm::entity::prelude::*;

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "suggestion")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// 2021-007
    pub number: String,
    pub year: i32,
    pub sequence: i32,
    pub title: String,
    pub content: String,
    pub category: Option<String>,
    pub source: Stored<SuggestionSource>,
    pub lead_deputy_id: Uuid,
    pub received_on: Date,
    pub status: Stored<SuggestionStatus>,
    pub assigned_on: Option<Date>,
    pub lead_unit_id: Option<Uuid>,
    pub responsible_leader_id: Option<Uuid>,
    pub key_item: bool,
    /// The answer's deadline in force (a redo round sets a new one).
    pub deadline: Option<Date>,
    /// The deadline rolled off rest days: what an open suggestion is late against.
    pub due_by: Option<Date>,
    /// The first round's deadline as given, and the day it rolls to, which "answered on time"
    /// is judged against.
    pub on_time_deadline: Option<Date>,
    pub on_time_due_by: Option<Date>,
    /// 1, and one more for each redo (重办).
    pub round: i32,
    /// The latest answer's day.
    pub answered_on: Option<Date>,
    pub concluded_on: Option<Date>,
    pub withdrawn_reason: Option<String>,
    pub project_id: Option<Uuid>,
    /// Brought in open and past its deadline: quiet (no notices) until the presidium confirms it.
    pub historical: bool,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

super::unrelated!();
