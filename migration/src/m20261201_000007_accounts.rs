//! Account management: an account can be disabled (its sessions and calendar feed end with it),
//! must choose a new password after a reset or on first start, and carries a version so that two
//! presidium clerks changing it at once get a CONFLICT; a session remembers when it was last
//! used, so its owner can tell a stolen one from their own.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AppUser {
    Table,
    DisabledAt,
    MustChangePassword,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    LastUsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let columns = [
            ColumnDef::new(AppUser::DisabledAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(AppUser::MustChangePassword)
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
            ColumnDef::new(AppUser::Version)
                .integer()
                .not_null()
                .default(1)
                .to_owned(),
            ColumnDef::new(AppUser::UpdatedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ];
        for column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(AppUser::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Session::Table)
                    .add_column(
                        ColumnDef::new(Session::LastUsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Session::Table)
                    .drop_column(Session::LastUsedAt)
                    .to_owned(),
            )
            .await?;
        for column in [
            AppUser::UpdatedAt,
            AppUser::Version,
            AppUser::MustChangePassword,
            AppUser::DisabledAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AppUser::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
