//! The `work_calendar_day` table: the days the State Council's holiday notices arrange (public
//! holidays and the weekend days made working days), as shipped or set by an operator. Days not
//! here follow the weekday rule.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "work_calendar_day")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    /// `WORKDAY` or `REST_DAY`.
    pub kind: String,
    pub name: Option<String>,
    /// Set with `jiandu calendar set/import`: the shipped file never overwrites it.
    pub set_by_operator: bool,
    pub updated_at: DateTimeUtc,
}

super::unrelated!();
