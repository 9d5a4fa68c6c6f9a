//! Extension requests (延期申请): asked for an item before its deadline, decided by the presidium;
//! an approval moves the deadline through the item's history, and that move names the request.
//! At most one request per item waits at a time (a partial unique index).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ExtensionRequest {
    Table,
    Id,
    OrganizationId,
    MilestoneId,
    FindingId,
    RequestedBy,
    RequestedAt,
    CurrentDeadline,
    ProposedDeadline,
    Reason,
    Status,
    DecidedBy,
    DecidedAt,
    DecisionNote,
    ApprovedDeadline,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Milestone {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Finding {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum DeadlineChange {
    Table,
    ExtensionRequestId,
}

#[derive(DeriveIden)]
enum FindingDeadlineChange {
    Table,
    ExtensionRequestId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ExtensionRequest as E;
        manager
            .create_table(
                Table::create()
                    .table(E::Table)
                    .col(pk_uuid(E::Id))
                    .col(uuid(E::OrganizationId))
                    .col(uuid_null(E::MilestoneId))
                    .col(uuid_null(E::FindingId))
                    .col(uuid(E::RequestedBy))
                    .col(timestamp_with_time_zone(E::RequestedAt))
                    .col(date(E::CurrentDeadline))
                    .col(date(E::ProposedDeadline))
                    .col(string(E::Reason))
                    .col(string(E::Status))
                    .col(uuid_null(E::DecidedBy))
                    .col(timestamp_with_time_zone_null(E::DecidedAt))
                    .col(string_null(E::DecisionNote))
                    .col(date_null(E::ApprovedDeadline))
                    .col(integer(E::Version))
                    .col(timestamp_with_time_zone(E::UpdatedAt))
                    .foreign_key(&mut fk(
                        E::Table,
                        E::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(
                        E::Table,
                        E::MilestoneId,
                        Milestone::Table,
                        Milestone::Id,
                    ))
                    .foreign_key(&mut fk(E::Table, E::FindingId, Finding::Table, Finding::Id))
                    .foreign_key(&mut fk(
                        E::Table,
                        E::RequestedBy,
                        AppUser::Table,
                        AppUser::Id,
                    ))
                    .foreign_key(&mut fk(E::Table, E::DecidedBy, AppUser::Table, AppUser::Id))
                    .check(
                        Expr::col(E::MilestoneId)
                            .is_null()
                            .ne(Expr::col(E::FindingId).is_null()),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_extension_request_org_status",
                E::Table,
                &["organization_id", "status", "requested_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_extension_request_milestone",
                E::Table,
                &["milestone_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_extension_request_finding",
                E::Table,
                &["finding_id"],
            ))
            .await?;
        // One waiting request per item. Partial indexes read the same on both databases.
        let db = manager.get_connection();
        for item in ["milestone_id", "finding_id"] {
            db.execute_unprepared(&format!(
                "CREATE UNIQUE INDEX ux_extension_request_pending_{item} \
                 ON extension_request ({item}) WHERE status = 'PENDING'"
            ))
            .await?;
        }
        // The move an approval made names its request. No foreign key: SQLite adds one to an
        // existing table only by rebuilding it.
        manager
            .alter_table(
                Table::alter()
                    .table(DeadlineChange::Table)
                    .add_column(uuid_null(DeadlineChange::ExtensionRequestId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(FindingDeadlineChange::Table)
                    .add_column(uuid_null(FindingDeadlineChange::ExtensionRequestId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(FindingDeadlineChange::Table)
                    .drop_column(FindingDeadlineChange::ExtensionRequestId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(DeadlineChange::Table)
                    .drop_column(DeadlineChange::ExtensionRequestId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ExtensionRequest::Table).to_owned())
            .await
    }
}
