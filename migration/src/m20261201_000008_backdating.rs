//! Back-dated completions (补报): an organisation's settings, starting with how far back the one
//! who answers for an item may date its completion, and a mark on each milestone whose
//! completion was dated earlier than the day it was reported.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::fk;

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum OrganizationSettings {
    Table,
    OrganizationId,
    BackdateDays,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Milestone {
    Table,
    CompletionBackdated,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One row per organisation that changed a setting; an organisation without one has the
        // defaults.
        manager
            .create_table(
                Table::create()
                    .table(OrganizationSettings::Table)
                    .col(pk_uuid(OrganizationSettings::OrganizationId))
                    .col(integer(OrganizationSettings::BackdateDays))
                    .col(integer(OrganizationSettings::Version))
                    .col(timestamp_with_time_zone(OrganizationSettings::UpdatedAt))
                    .foreign_key(&mut fk(
                        OrganizationSettings::Table,
                        OrganizationSettings::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Milestone::Table)
                    .add_column(
                        ColumnDef::new(Milestone::CompletionBackdated)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Milestone::Table)
                    .drop_column(Milestone::CompletionBackdated)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(OrganizationSettings::Table).to_owned())
            .await
    }
}

#[derive(DeriveMigrationName)]
pub struct Migration;
