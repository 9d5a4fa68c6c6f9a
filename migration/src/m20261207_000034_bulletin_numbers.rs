//! The monthly bulletin's own number (思人通〔2026〕N号, docs/reports.md): a counter per
//! organisation and year, and the number each month's bulletin was given when it was first
//! drawn up, so that it keeps it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum BulletinSequence {
    Table,
    OrganizationId,
    Year,
    LastNumber,
}

#[derive(DeriveIden, Clone, Copy)]
enum BulletinNumber {
    Table,
    OrganizationId,
    Year,
    Month,
    Number,
    NumberedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organization {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use BulletinSequence as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(uuid(S::OrganizationId))
                    .col(integer(S::Year))
                    .col(integer(S::LastNumber))
                    .primary_key(Index::create().col(S::OrganizationId).col(S::Year))
                    .foreign_key(&mut fk(
                        S::Table,
                        S::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        use BulletinNumber as B;
        manager
            .create_table(
                Table::create()
                    .table(B::Table)
                    .col(uuid(B::OrganizationId))
                    .col(integer(B::Year))
                    .col(integer(B::Month))
                    .col(integer(B::Number))
                    .col(timestamp_with_time_zone(B::NumberedAt))
                    .primary_key(
                        Index::create()
                            .col(B::OrganizationId)
                            .col(B::Year)
                            .col(B::Month),
                    )
                    .foreign_key(&mut fk(
                        B::Table,
                        B::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_bulletin_number")
                    .table(B::Table)
                    .col(B::OrganizationId)
                    .col(B::Year)
                    .col(B::Number)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            BulletinNumber::Table.into_iden(),
            BulletinSequence::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
