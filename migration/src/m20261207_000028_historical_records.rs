//! Findings and suggestions brought in from a workbook can arrive quiet too (`historical`: open
//! and past their deadline before the import day; no notice is issued for them until the
//! presidium confirms each). Existing ones are not.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Finding {
    Table,
    Historical,
}

#[derive(DeriveIden)]
enum Suggestion {
    Table,
    Historical,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One table a statement: SQLite alters a table one change at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Finding::Table)
                    .add_column(boolean(Finding::Historical).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Suggestion::Table)
                    .add_column(boolean(Suggestion::Historical).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Finding::Table)
                    .drop_column(Finding::Historical)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Suggestion::Table)
                    .drop_column(Suggestion::Historical)
                    .to_owned(),
            )
            .await
    }
}
