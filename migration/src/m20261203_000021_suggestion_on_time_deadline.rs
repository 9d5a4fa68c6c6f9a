//! A suggestion keeps the first round's answer deadline as given (`on_time_deadline`) beside the
//! day it rolls to (`on_time_due_by`), as milestones and findings do, so that a change of the
//! working-day calendar rolls it again. Existing rows take the deadline of their first round:
//! the deadline itself before any redo, else the day it was rolled to.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Suggestion {
    Table,
    OnTimeDeadline,
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
                    .table(Suggestion::Table)
                    .add_column(date_null(Suggestion::OnTimeDeadline))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE suggestion SET on_time_deadline = \
                 CASE WHEN round = 1 THEN deadline ELSE on_time_due_by END \
                 WHERE on_time_due_by IS NOT NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Suggestion::Table)
                    .drop_column(Suggestion::OnTimeDeadline)
                    .to_owned(),
            )
            .await
    }
}
