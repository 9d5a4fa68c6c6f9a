//! Idempotency keys: a mutation sent again with the same `Idempotency-Key` is answered from the
//! stored response instead of being done twice.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum IdempotencyKey {
    Table,
    UserId,
    Key,
    /// SHA-256 of the request body: the same key with another body is refused.
    RequestHash,
    /// Null while the first request is still being answered.
    Status,
    Response,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKey::Table)
                    .col(uuid(IdempotencyKey::UserId))
                    .col(string_len(IdempotencyKey::Key, 200))
                    .col(string_len(IdempotencyKey::RequestHash, 64))
                    .col(integer_null(IdempotencyKey::Status))
                    .col(text_null(IdempotencyKey::Response))
                    .col(timestamp_with_time_zone(IdempotencyKey::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKey::UserId)
                            .col(IdempotencyKey::Key),
                    )
                    .foreign_key(&mut fk(
                        IdempotencyKey::Table,
                        IdempotencyKey::UserId,
                        AppUser::Table,
                        AppUser::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_idempotency_key_created",
                IdempotencyKey::Table,
                &["created_at"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IdempotencyKey::Table).to_owned())
            .await
    }
}
