//! The `project` table.

use jiandu_domain::{ProjectOrigin, ProjectStatus};
use sea_orm::entity::prelude::*;

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub origin: Stored<ProjectOrigin>,
    pub location: Option<String>,
    /// 工程建设项目: finished with 竣工 in reports, other projects with 办结.
    pub construction: bool,
    pub status: Stored<ProjectStatus>,
    pub lead_leader_id: Option<Uuid>,
    pub planned_start: Option<Date>,
    pub planned_end: Option<Date>,
    pub completed_on: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

super::unrelated!();
