//! The `bulletin_number` table: the number a month's bulletin was given when first drawn up
//! (思人通〔2026〕N号, docs/reports.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bulletin_number")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: i32,
    pub number: i32,
    pub numbered_at: DateTimeUtc,
}

super::unrelated!();
