//! Sign-off (销号): who signed a milestone off, and when.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Milestone {
    Table,
    SignedOffBy,
    SignedOffAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // No foreign key: SQLite adds one to an existing table only by rebuilding it.
        for column in [
            uuid_null(Milestone::SignedOffBy),
            timestamp_with_time_zone_null(Milestone::SignedOffAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Milestone::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Milestone::SignedOffAt, Milestone::SignedOffBy] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Milestone::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
