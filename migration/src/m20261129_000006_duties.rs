//! Separation of duties by person, not by account: a milestone keeps who reported it done, so
//! nobody verifies their own work, through this account or another of theirs. (That a person
//! holds one account per organisation is checked when an account is created, not by a unique
//! index: an installation where someone already has two must still start.)

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Milestone {
    Table,
    CompletedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The account that reported the milestone done; empty for milestones done before this
        // was kept. No foreign key: SQLite adds one to an existing table only by rebuilding it.
        manager
            .alter_table(
                Table::alter()
                    .table(Milestone::Table)
                    .add_column(ColumnDef::new(Milestone::CompletedBy).uuid().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Milestone::Table)
                    .drop_column(Milestone::CompletedBy)
                    .to_owned(),
            )
            .await
    }
}
