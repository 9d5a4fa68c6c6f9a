//! An imported item can arrive quiet (`historical`: its deadline had passed before the import
//! day, and no notice is issued for it until the presidium confirms it), and an item can be an
//! ongoing task (`long_term`: 长期 / 持续推进, given its year's last day). Existing items are neither.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Milestone {
    Table,
    Historical,
    LongTerm,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column a statement: SQLite alters a table one change at a time.
        for column in [Milestone::Historical, Milestone::LongTerm] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Milestone::Table)
                        .add_column(boolean(column).default(false))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Milestone::Historical, Milestone::LongTerm] {
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
