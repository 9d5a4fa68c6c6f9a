//! The `finding_deadline_change` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "finding_deadline_change")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub finding_id: Uuid,
    pub from_date: Date,
    pub to_date: Date,
    pub reason: String,
    pub changed_by: Uuid,
    pub changed_at: DateTimeUtc,
    /// The extension request whose approval made this move.
    pub extension_request_id: Option<Uuid>,
    /// 逾期后调整: made after the deadline in force had already passed.
    pub late_change: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
