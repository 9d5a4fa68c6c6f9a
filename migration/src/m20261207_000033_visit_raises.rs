//! A visit to constituents may raise a suggestion or log a letter or visit in the same step
//! (docs/deputies.md): the duty keeps which. And an index that answers the deputies' records'
//! count of duties alone — by organisation, deputy and kind, with the day and the minutes — in
//! place of the one by organisation and day, which planners preferred for the count and then
//! had to sort (a township's list of duties is read from the new one as well).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum DutyActivity {
    Table,
    SuggestionId,
    ContactId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use DutyActivity as A;
        // Two statements: SQLite adds one column at a time.
        for column in [A::SuggestionId, A::ContactId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(A::Table)
                        .add_column(uuid_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(index(
                "ix_duty_activity_suggestion",
                A::Table,
                &["suggestion_id"],
            ))
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_duty_activity_org_day")
                    .table(A::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_duty_activity_counted",
                A::Table,
                &["organization_id", "deputy_id", "kind", "held_on", "minutes"],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use DutyActivity as A;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_duty_activity_counted")
                    .table(A::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_duty_activity_org_day",
                A::Table,
                &["organization_id", "held_on"],
            ))
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_duty_activity_suggestion")
                    .table(A::Table)
                    .to_owned(),
            )
            .await?;
        for column in [A::ContactId, A::SuggestionId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(A::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
