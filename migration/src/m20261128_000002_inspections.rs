//! The deputies' side: inspections with their participants and the milestones looked at,
//! findings to rectify with their deadline history, and evidence files.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Project {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Milestone {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Inspection {
    Table,
    Id,
    OrganizationId,
    Kind,
    ProjectId,
    Topic,
    VisitedOn,
    Location,
    Summary,
    Rating,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
enum InspectionParticipant {
    Table,
    InspectionId,
    PersonId,
}

#[derive(DeriveIden)]
enum InspectionMilestone {
    Table,
    InspectionId,
    MilestoneId,
}

#[derive(DeriveIden)]
enum Finding {
    Table,
    Id,
    OrganizationId,
    InspectionId,
    ProjectId,
    MilestoneId,
    Description,
    ResponsibleLeaderId,
    ResponsibleUnitId,
    Deadline,
    OriginalDeadline,
    TimesRescheduled,
    Status,
    Resolution,
    ResolvedAt,
    /// The resolution day in the organisation's zone: what DONE_ON_TIME / DONE_LATE compare.
    ResolvedOn,
    ResolvedBy,
    VerificationNote,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FindingDeadlineChange {
    Table,
    Id,
    FindingId,
    FromDate,
    ToDate,
    Reason,
    ChangedBy,
    ChangedAt,
}

#[derive(DeriveIden)]
enum Attachment {
    Table,
    Id,
    OrganizationId,
    OwnerType,
    OwnerId,
    FileName,
    ContentType,
    Size,
    Sha256,
    Caption,
    TakenAt,
    Latitude,
    Longitude,
    UploadedBy,
    UploadedAt,
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
                    .table(Inspection::Table)
                    .col(pk_uuid(Inspection::Id))
                    .col(uuid(Inspection::OrganizationId))
                    .col(string(Inspection::Kind))
                    .col(uuid_null(Inspection::ProjectId))
                    .col(string_null(Inspection::Topic))
                    .col(date(Inspection::VisitedOn))
                    .col(string_null(Inspection::Location))
                    .col(text(Inspection::Summary))
                    .col(string_null(Inspection::Rating))
                    .col(uuid(Inspection::RecordedBy))
                    .col(timestamp_with_time_zone(Inspection::RecordedAt))
                    .foreign_key(&mut fk(
                        Inspection::Table,
                        Inspection::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(
                        Inspection::Table,
                        Inspection::ProjectId,
                        Project::Table,
                        Project::Id,
                    ))
                    .foreign_key(&mut fk(
                        Inspection::Table,
                        Inspection::RecordedBy,
                        AppUser::Table,
                        AppUser::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "ix_inspection_org_visited",
                &["organization_id", "visited_on"][..],
            ),
            (
                "ix_inspection_project_visited",
                &["project_id", "visited_on"],
            ),
        ] {
            manager
                .create_index(index(name, Inspection::Table, cols))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(InspectionParticipant::Table)
                    .col(uuid(InspectionParticipant::InspectionId))
                    .col(uuid(InspectionParticipant::PersonId))
                    .primary_key(
                        Index::create()
                            .col(InspectionParticipant::InspectionId)
                            .col(InspectionParticipant::PersonId),
                    )
                    .foreign_key(&mut fk(
                        InspectionParticipant::Table,
                        InspectionParticipant::InspectionId,
                        Inspection::Table,
                        Inspection::Id,
                    ))
                    .foreign_key(&mut fk(
                        InspectionParticipant::Table,
                        InspectionParticipant::PersonId,
                        Person::Table,
                        Person::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(InspectionMilestone::Table)
                    .col(uuid(InspectionMilestone::InspectionId))
                    .col(uuid(InspectionMilestone::MilestoneId))
                    .primary_key(
                        Index::create()
                            .col(InspectionMilestone::InspectionId)
                            .col(InspectionMilestone::MilestoneId),
                    )
                    .foreign_key(&mut fk(
                        InspectionMilestone::Table,
                        InspectionMilestone::InspectionId,
                        Inspection::Table,
                        Inspection::Id,
                    ))
                    .foreign_key(&mut fk(
                        InspectionMilestone::Table,
                        InspectionMilestone::MilestoneId,
                        Milestone::Table,
                        Milestone::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Finding::Table)
                    .col(pk_uuid(Finding::Id))
                    .col(uuid(Finding::OrganizationId))
                    .col(uuid(Finding::InspectionId))
                    .col(uuid_null(Finding::ProjectId))
                    .col(uuid_null(Finding::MilestoneId))
                    .col(text(Finding::Description))
                    .col(uuid(Finding::ResponsibleLeaderId))
                    .col(uuid(Finding::ResponsibleUnitId))
                    .col(date(Finding::Deadline))
                    .col(date(Finding::OriginalDeadline))
                    .col(integer(Finding::TimesRescheduled))
                    .col(string(Finding::Status))
                    .col(text_null(Finding::Resolution))
                    .col(timestamp_with_time_zone_null(Finding::ResolvedAt))
                    .col(date_null(Finding::ResolvedOn))
                    .col(uuid_null(Finding::ResolvedBy))
                    .col(text_null(Finding::VerificationNote))
                    .col(integer(Finding::Version))
                    .col(timestamp_with_time_zone(Finding::CreatedAt))
                    .col(timestamp_with_time_zone(Finding::UpdatedAt))
                    .foreign_key(&mut fk(
                        Finding::Table,
                        Finding::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(
                        Finding::Table,
                        Finding::InspectionId,
                        Inspection::Table,
                        Inspection::Id,
                    ))
                    .foreign_key(&mut fk(
                        Finding::Table,
                        Finding::ProjectId,
                        Project::Table,
                        Project::Id,
                    ))
                    .foreign_key(&mut fk(
                        Finding::Table,
                        Finding::MilestoneId,
                        Milestone::Table,
                        Milestone::Id,
                    ))
                    .foreign_key(&mut fk(
                        Finding::Table,
                        Finding::ResponsibleLeaderId,
                        Person::Table,
                        Person::Id,
                    ))
                    .foreign_key(&mut fk(
                        Finding::Table,
                        Finding::ResponsibleUnitId,
                        Unit::Table,
                        Unit::Id,
                    ))
                    .foreign_key(&mut fk(
                        Finding::Table,
                        Finding::ResolvedBy,
                        AppUser::Table,
                        AppUser::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // Findings are filtered by state like milestones: ranges on `deadline` within a set of
        // statuses, per organisation, project or leader.
        for (name, cols) in [
            (
                "ix_finding_org_status_deadline",
                &["organization_id", "status", "deadline"][..],
            ),
            (
                "ix_finding_project_status_deadline",
                &["project_id", "status", "deadline"],
            ),
            (
                "ix_finding_leader_status_deadline",
                &["responsible_leader_id", "status", "deadline"],
            ),
            ("ix_finding_inspection", &["inspection_id"]),
        ] {
            manager
                .create_index(index(name, Finding::Table, cols))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(FindingDeadlineChange::Table)
                    .col(pk_uuid(FindingDeadlineChange::Id))
                    .col(uuid(FindingDeadlineChange::FindingId))
                    .col(date(FindingDeadlineChange::FromDate))
                    .col(date(FindingDeadlineChange::ToDate))
                    .col(text(FindingDeadlineChange::Reason))
                    .col(uuid(FindingDeadlineChange::ChangedBy))
                    .col(timestamp_with_time_zone(FindingDeadlineChange::ChangedAt))
                    .foreign_key(&mut fk(
                        FindingDeadlineChange::Table,
                        FindingDeadlineChange::FindingId,
                        Finding::Table,
                        Finding::Id,
                    ))
                    .foreign_key(&mut fk(
                        FindingDeadlineChange::Table,
                        FindingDeadlineChange::ChangedBy,
                        AppUser::Table,
                        AppUser::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_finding_deadline_change_finding",
                FindingDeadlineChange::Table,
                &["finding_id", "changed_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Attachment::Table)
                    .col(pk_uuid(Attachment::Id))
                    .col(uuid(Attachment::OrganizationId))
                    .col(string(Attachment::OwnerType))
                    .col(uuid(Attachment::OwnerId))
                    .col(string(Attachment::FileName))
                    .col(string(Attachment::ContentType))
                    .col(big_integer(Attachment::Size))
                    .col(string_len(Attachment::Sha256, 64))
                    .col(text_null(Attachment::Caption))
                    .col(timestamp_with_time_zone_null(Attachment::TakenAt))
                    .col(double_null(Attachment::Latitude))
                    .col(double_null(Attachment::Longitude))
                    .col(uuid(Attachment::UploadedBy))
                    .col(timestamp_with_time_zone(Attachment::UploadedAt))
                    .foreign_key(&mut fk(
                        Attachment::Table,
                        Attachment::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(
                        Attachment::Table,
                        Attachment::UploadedBy,
                        AppUser::Table,
                        AppUser::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_attachment_owner",
                Attachment::Table,
                &["owner_id", "uploaded_at"],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables: [DynIden; 6] = [
            Attachment::Table.into_iden(),
            FindingDeadlineChange::Table.into_iden(),
            Finding::Table.into_iden(),
            InspectionMilestone::Table.into_iden(),
            InspectionParticipant::Table.into_iden(),
            Inspection::Table.into_iden(),
        ];
        for table in tables {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
