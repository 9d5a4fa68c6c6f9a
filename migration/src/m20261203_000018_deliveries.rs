//! Delivering notices: the webhooks an organisation points at (a generic signed JSON receiver,
//! or a WeCom, DingTalk or Feishu group robot), and the outbox — one row per notice and place it
//! goes, written in the notice's own transaction, then delivered at least once with retries,
//! every attempt counted.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Webhook {
    Table,
    Id,
    OrganizationId,
    Url,
    Kind,
    Kinds,
    Secret,
    CreatedBy,
    CreatedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum NoticeDelivery {
    Table,
    Id,
    NoticeId,
    Channel,
    WebhookId,
    Target,
    Status,
    Attempts,
    LastError,
    NextAttemptAt,
    DeliveredAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Notice {
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
        use NoticeDelivery as D;
        use Webhook as W;
        manager
            .create_table(
                Table::create()
                    .table(W::Table)
                    .col(pk_uuid(W::Id))
                    .col(uuid(W::OrganizationId))
                    .col(string(W::Url))
                    .col(string(W::Kind))
                    .col(string(W::Kinds))
                    .col(string_null(W::Secret))
                    .col(uuid_null(W::CreatedBy))
                    .col(timestamp_with_time_zone(W::CreatedAt))
                    .col(timestamp_with_time_zone_null(W::DeletedAt))
                    .foreign_key(&mut fk(
                        W::Table,
                        W::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(W::Table, W::CreatedBy, AppUser::Table, AppUser::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("ix_webhook_org", W::Table, &["organization_id"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(pk_uuid(D::Id))
                    .col(uuid(D::NoticeId))
                    .col(string(D::Channel))
                    .col(uuid_null(D::WebhookId))
                    .col(string(D::Target))
                    .col(string(D::Status))
                    .col(integer(D::Attempts))
                    .col(string_null(D::LastError))
                    .col(timestamp_with_time_zone(D::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(D::DeliveredAt))
                    .col(timestamp_with_time_zone(D::CreatedAt))
                    .foreign_key(&mut fk(D::Table, D::NoticeId, Notice::Table, Notice::Id))
                    .foreign_key(&mut fk(D::Table, D::WebhookId, W::Table, W::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("ix_notice_delivery_notice", D::Table, &["notice_id"]))
            .await?;
        // The deliverer's question: what is due now.
        manager
            .create_index(index(
                "ix_notice_delivery_due",
                D::Table,
                &["status", "next_attempt_at"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NoticeDelivery::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Webhook::Table).to_owned())
            .await
    }
}
