//! The `inspection` table.

use jiandu_domain::{InspectionKind, Rating};
use sea_orm::entity::prelude::*;

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub kind: Stored<InspectionKind>,
    pub project_id: Option<Uuid>,
    pub topic: Option<String>,
    pub visited_on: Date,
    pub location: Option<String>,
    pub summary: String,
    pub rating: Option<Stored<Rating>>,
    pub recorded_by: Uuid,
    pub recorded_at: DateTimeUtc,
}

super::unrelated!();
