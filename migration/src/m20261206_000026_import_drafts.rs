//! A ledger previewed is kept as a draft for a day, with the names the presidium mapped, so that
//! confirming the import does not ask for the file again (docs/import.md). Drafts are the
//! organisation's, deleted when confirmed or expired.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportDraft {
    Table,
    Id,
    OrganizationId,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    Year,
    Mappings,
    FileName,
    Sha256,
    Bytes,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ImportDraft as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(pk_uuid(D::Id))
                    .col(uuid(D::OrganizationId))
                    .col(uuid(D::CreatedBy))
                    .col(timestamp_with_time_zone(D::CreatedAt))
                    .col(timestamp_with_time_zone(D::ExpiresAt))
                    .col(integer_null(D::Year))
                    .col(text(D::Mappings))
                    .col(string(D::FileName))
                    .col(string(D::Sha256))
                    .col(blob(D::Bytes))
                    .foreign_key(&mut fk(
                        D::Table,
                        D::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(D::Table, D::CreatedBy, AppUser::Table, AppUser::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_import_draft_org",
                D::Table,
                &["organization_id", "expires_at"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ImportDraft::Table).to_owned())
            .await
    }
}
