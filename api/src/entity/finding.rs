//! The `finding` table.

use jiandu_domain::FindingStatus;
use sea_orm::entity::prelude::*;

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "finding")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub inspection_id: Uuid,
    pub project_id: Option<Uuid>,
    pub milestone_id: Option<Uuid>,
    pub description: String,
    pub responsible_leader_id: Uuid,
    pub responsible_unit_id: Uuid,
    pub deadline: Date,
    pub original_deadline: Date,
    /// The latest deadline set before the previous one had passed (docs/rules.md §3).
    pub on_time_deadline: Date,
    /// The deadline moved past rest days when the organisation says so (docs/rules.md §4).
    pub due_by: Date,
    /// The on-time deadline, moved the same way: what a finished item is judged against.
    pub on_time_due_by: Date,
    pub times_rescheduled: i32,
    pub status: Stored<FindingStatus>,
    pub resolution: Option<String>,
    pub resolved_at: Option<DateTimeUtc>,
    pub resolved_on: Option<Date>,
    pub resolved_by: Option<Uuid>,
    pub verification_note: Option<String>,
    /// Brought in open and past its deadline: quiet (no notices) until the presidium confirms it.
    pub historical: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

super::unrelated!();
