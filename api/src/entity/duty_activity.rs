//! The `duty_activity` table: a duty a deputy logged beside what is recorded elsewhere — a visit
//! to constituents (走访选民) or training (培训学习).

use jiandu_domain::deputies::DutyActivityKind;
use sea_orm::entity::prelude::*;

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "duty_activity")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// The deputy (a person on the roster).
    pub deputy_id: Uuid,
    pub kind: Stored<DutyActivityKind>,
    pub held_on: Date,
    pub village: Option<String>,
    /// Whether the village is one the deputy links, as the roster said when it was logged;
    /// `None` without a village.
    pub village_linked: Option<bool>,
    /// What was raised, or what the training was about.
    pub topic: String,
    pub people: Option<i32>,
    /// Its length, when given (a training's always is).
    pub minutes: Option<i32>,
    /// The suggestion a visit raised in the same step, if it did.
    pub suggestion_id: Option<Uuid>,
    /// The letter or visit (来信来访) logged from a visit in the same step, if one was.
    pub contact_id: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
}

super::unrelated!();
