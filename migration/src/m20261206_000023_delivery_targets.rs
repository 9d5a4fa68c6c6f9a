//! A delivery to a webhook kept a copy of its address (a group robot's key in the path, a user
//! and password in the address itself), which outlived the webhook and was shown to every role.
//! Deliveries now keep only the webhook's id; the copies and the receivers' error texts (which
//! told what an address inside the network answered) are wiped.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum NoticeDelivery {
    Table,
    WebhookId,
    Target,
    LastError,
    Status,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::update()
                    .table(NoticeDelivery::Table)
                    .value(NoticeDelivery::Target, "webhook")
                    .and_where(Expr::col(NoticeDelivery::WebhookId).is_not_null())
                    .to_owned(),
            )
            .await?;
        for (status, said) in [
            ("FAILED", "delivery failed; given up after its attempts"),
            ("PENDING", "delivery failed; it is tried again later"),
        ] {
            manager
                .exec_stmt(
                    Query::update()
                        .table(NoticeDelivery::Table)
                        .value(NoticeDelivery::LastError, said)
                        .and_where(Expr::col(NoticeDelivery::LastError).is_not_null())
                        .and_where(Expr::col(NoticeDelivery::Status).eq(status))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // What was wiped is gone; the schema is as it was.
        Ok(())
    }
}
