//! The `progress_report` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "progress_report")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub milestone_id: Uuid,
    pub progress: i32,
    pub note: Option<String>,
    pub reported_by: Uuid,
    pub reported_at: DateTimeUtc,
}

super::unrelated!();
