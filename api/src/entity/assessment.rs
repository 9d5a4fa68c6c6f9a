//! The `assessment` table: a satisfaction assessment (满意度测评) of a project at a meeting, with
//! the rectification item a failed one opened.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub project_id: Uuid,
    pub meeting_id: Uuid,
    pub satisfied: i32,
    pub basically_satisfied: i32,
    pub dissatisfied: i32,
    pub passed: bool,
    /// The 测评整改 milestone opened on the project when it failed.
    pub rectification_id: Option<Uuid>,
    pub recorded_by: Uuid,
    pub recorded_at: DateTimeUtc,
}

super::unrelated!();
