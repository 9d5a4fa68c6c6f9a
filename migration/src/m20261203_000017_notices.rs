//! Notices (提醒 → 催办 → 督办单): each addressed to a person about one item, at most one per
//! item, kind and day (a unique key, so a rerun, a second replica or a second call never issues
//! one twice); supervision orders numbered per organisation and year without gaps (a counter row
//! per organisation and year, taken inside the issuing transaction); copies of an unacknowledged
//! order to the recipient's superior; and the head of each unit, to whom they are copied. A
//! notice keeps the day its item was due by when it was issued, so the ladder starts again when
//! a deadline moves.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notice {
    Table,
    Id,
    OrganizationId,
    Kind,
    Level,
    Number,
    Year,
    Sequence,
    RecipientId,
    MilestoneId,
    FindingId,
    SubjectId,
    DueBy,
    Title,
    Body,
    IssuedAt,
    IssuedOn,
    IssuedBy,
    ReplyDue,
    AcknowledgedAt,
    AcknowledgedBy,
    Reply,
    RepliedAt,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum NoticeCopy {
    Table,
    NoticeId,
    PersonId,
    CopiedAt,
}

#[derive(DeriveIden)]
enum NoticeSequence {
    Table,
    OrganizationId,
    Year,
    LastNumber,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Person {
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
enum Unit {
    Table,
    HeadId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Notice as N;
        manager
            .create_table(
                Table::create()
                    .table(N::Table)
                    .col(pk_uuid(N::Id))
                    .col(uuid(N::OrganizationId))
                    .col(string(N::Kind))
                    .col(string(N::Level))
                    .col(string_null(N::Number))
                    .col(integer_null(N::Year))
                    .col(integer_null(N::Sequence))
                    .col(uuid(N::RecipientId))
                    .col(uuid_null(N::MilestoneId))
                    .col(uuid_null(N::FindingId))
                    .col(uuid(N::SubjectId))
                    .col(date_null(N::DueBy))
                    .col(string(N::Title))
                    .col(text(N::Body))
                    .col(timestamp_with_time_zone(N::IssuedAt))
                    .col(date(N::IssuedOn))
                    .col(uuid_null(N::IssuedBy))
                    .col(date_null(N::ReplyDue))
                    .col(timestamp_with_time_zone_null(N::AcknowledgedAt))
                    .col(uuid_null(N::AcknowledgedBy))
                    .col(text_null(N::Reply))
                    .col(timestamp_with_time_zone_null(N::RepliedAt))
                    .col(integer(N::Version))
                    .col(timestamp_with_time_zone(N::UpdatedAt))
                    .foreign_key(&mut fk(
                        N::Table,
                        N::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(N::Table, N::RecipientId, Person::Table, Person::Id))
                    .foreign_key(&mut fk(
                        N::Table,
                        N::MilestoneId,
                        Milestone::Table,
                        Milestone::Id,
                    ))
                    .foreign_key(&mut fk(N::Table, N::FindingId, Finding::Table, Finding::Id))
                    .foreign_key(&mut fk(N::Table, N::IssuedBy, AppUser::Table, AppUser::Id))
                    .foreign_key(&mut fk(
                        N::Table,
                        N::AcknowledgedBy,
                        AppUser::Table,
                        AppUser::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // At most one notice of a kind per item and day: the scan's idempotency.
        manager
            .create_index(
                index(
                    "ux_notice_subject_kind_day",
                    N::Table,
                    &["subject_id", "kind", "issued_on"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        // An order's number is taken once per organisation and year.
        manager
            .create_index(
                index(
                    "ux_notice_number",
                    N::Table,
                    &["organization_id", "year", "sequence"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "ix_notice_org_issued",
                &["organization_id", "issued_at"][..],
            ),
            ("ix_notice_recipient_issued", &["recipient_id", "issued_at"]),
            (
                "ix_notice_org_kind_acknowledged",
                &["organization_id", "kind", "acknowledged_at"],
            ),
        ] {
            manager.create_index(index(name, N::Table, cols)).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(NoticeCopy::Table)
                    .col(uuid(NoticeCopy::NoticeId))
                    .col(uuid(NoticeCopy::PersonId))
                    .col(timestamp_with_time_zone(NoticeCopy::CopiedAt))
                    .primary_key(
                        Index::create()
                            .col(NoticeCopy::NoticeId)
                            .col(NoticeCopy::PersonId),
                    )
                    .foreign_key(&mut fk(
                        NoticeCopy::Table,
                        NoticeCopy::NoticeId,
                        N::Table,
                        N::Id,
                    ))
                    .foreign_key(&mut fk(
                        NoticeCopy::Table,
                        NoticeCopy::PersonId,
                        Person::Table,
                        Person::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NoticeSequence::Table)
                    .col(uuid(NoticeSequence::OrganizationId))
                    .col(integer(NoticeSequence::Year))
                    .col(integer(NoticeSequence::LastNumber))
                    .primary_key(
                        Index::create()
                            .col(NoticeSequence::OrganizationId)
                            .col(NoticeSequence::Year),
                    )
                    .foreign_key(&mut fk(
                        NoticeSequence::Table,
                        NoticeSequence::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // No foreign key: SQLite adds one to an existing table only by rebuilding it; the
        // service refers to the head within the unit's organisation.
        manager
            .alter_table(
                Table::alter()
                    .table(Unit::Table)
                    .add_column(uuid_null(Unit::HeadId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Unit::Table)
                    .drop_column(Unit::HeadId)
                    .to_owned(),
            )
            .await?;
        for table in [
            NoticeSequence::Table.into_iden(),
            NoticeCopy::Table.into_iden(),
            Notice::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
