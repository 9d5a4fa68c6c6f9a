//! The `person` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "person")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub title: Option<String>,
    pub unit_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

super::unrelated!();
