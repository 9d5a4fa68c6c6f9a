//! The `milestone` table.

use jiandu_domain::MilestoneStatus;
use sea_orm::entity::prelude::*;

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "milestone")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub project_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub title: String,
    pub description: Option<String>,
    pub responsible_leader_id: Uuid,
    pub responsible_unit_id: Uuid,
    pub responsible_person_id: Option<Uuid>,
    pub start_date: Option<Date>,
    pub deadline: Date,
    pub original_deadline: Date,
    /// The latest deadline set before the previous one had passed (docs/rules.md §3).
    pub on_time_deadline: Date,
    /// The deadline moved past rest days when the organisation says so (docs/rules.md §4).
    pub due_by: Date,
    /// The on-time deadline, moved the same way: what a finished item is judged against.
    pub on_time_due_by: Date,
    /// A leaf: one supervised item (督办事项). A milestone with children only sums them up.
    pub is_item: bool,
    pub times_rescheduled: i32,
    pub status: Stored<MilestoneStatus>,
    pub progress: i32,
    pub weight: i32,
    pub completed_at: Option<DateTimeUtc>,
    pub completed_on: Option<Date>,
    /// The account that reported it done.
    pub completed_by: Option<Uuid>,
    /// 补报: the completion was dated earlier than the day it was reported.
    pub completion_backdated: bool,
    /// 销号: the presidium account that signed it off, and when.
    pub signed_off_by: Option<Uuid>,
    pub signed_off_at: Option<DateTimeUtc>,
    /// Imported with its deadline already past and not yet confirmed: no notice is issued for it
    /// (docs/import.md).
    pub historical: bool,
    /// 长期 / 持续推进: an ongoing task, given its year's last day.
    pub long_term: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

super::unrelated!();
