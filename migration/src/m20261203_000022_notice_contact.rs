//! A notice may be about a letter or visit transferred to a unit (its reply date climbs the same
//! ladder as a milestone's, to the head of that unit). No foreign key: SQLite adds one to an
//! existing table only by rebuilding it; the service names a letter or visit of the notice's own
//! organisation.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notice {
    Table,
    ContactId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Notice::Table)
                    .add_column(uuid_null(Notice::ContactId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Notice::Table)
                    .drop_column(Notice::ContactId)
                    .to_owned(),
            )
            .await
    }
}
