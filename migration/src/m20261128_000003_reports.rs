//! What the leaders' side needs: the day a project was completed (for year-end figures) and each
//! user's secret calendar-feed address, kept only as its hash.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Project {
    Table,
    /// The day (organisation's zone) the project became COMPLETED.
    CompletedOn,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CalendarFeed {
    Table,
    UserId,
    SecretHash,
    CreatedAt,
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
                    .table(Project::Table)
                    .add_column(date_null(Project::CompletedOn))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CalendarFeed::Table)
                    .col(pk_uuid(CalendarFeed::UserId))
                    .col(string_len(CalendarFeed::SecretHash, 64))
                    .col(timestamp_with_time_zone(CalendarFeed::CreatedAt))
                    .foreign_key(&mut fk(
                        CalendarFeed::Table,
                        CalendarFeed::UserId,
                        AppUser::Table,
                        AppUser::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_calendar_feed_secret",
                    CalendarFeed::Table,
                    &["secret_hash"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CalendarFeed::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Project::Table)
                    .drop_column(Project::CompletedOn)
                    .to_owned(),
            )
            .await
    }
}
