//! Organisations, accounts, projects, the milestone tree, its deadline and progress history, and
//! the audit trail.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
    Name,
    Timezone,
    ParentId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
    OrganizationId,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
    OrganizationId,
    Name,
    Title,
    UnitId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    OrganizationId,
    Username,
    PasswordHash,
    Role,
    PersonId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Project {
    Table,
    Id,
    OrganizationId,
    Title,
    Description,
    Origin,
    Location,
    Status,
    LeadLeaderId,
    PlannedStart,
    PlannedEnd,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Milestone {
    Table,
    Id,
    OrganizationId,
    ProjectId,
    ParentId,
    Title,
    Description,
    ResponsibleLeaderId,
    ResponsibleUnitId,
    ResponsiblePersonId,
    StartDate,
    Deadline,
    OriginalDeadline,
    TimesRescheduled,
    Status,
    Progress,
    Weight,
    CompletedAt,
    CompletedOn,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DeadlineChange {
    Table,
    Id,
    MilestoneId,
    FromDate,
    ToDate,
    Reason,
    ChangedBy,
    ChangedAt,
}

#[derive(DeriveIden)]
enum ProgressReport {
    Table,
    Id,
    MilestoneId,
    Progress,
    Note,
    ReportedBy,
    ReportedAt,
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Id,
    OrganizationId,
    ActorId,
    Action,
    EntityType,
    EntityId,
    Before,
    After,
    At,
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
                    .table(Organization::Table)
                    .col(pk_uuid(Organization::Id))
                    .col(string_uniq(Organization::Name))
                    .col(string(Organization::Timezone))
                    .col(uuid_null(Organization::ParentId))
                    .col(timestamp_with_time_zone(Organization::CreatedAt))
                    .foreign_key(&mut fk(
                        Organization::Table,
                        Organization::ParentId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Unit::Table)
                    .col(pk_uuid(Unit::Id))
                    .col(uuid(Unit::OrganizationId))
                    .col(string(Unit::Name))
                    .col(timestamp_with_time_zone(Unit::CreatedAt))
                    .foreign_key(&mut fk(
                        Unit::Table,
                        Unit::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_unit_org_name",
                    Unit::Table,
                    &["organization_id", "name"],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Person::Table)
                    .col(pk_uuid(Person::Id))
                    .col(uuid(Person::OrganizationId))
                    .col(string(Person::Name))
                    .col(string_null(Person::Title))
                    .col(uuid_null(Person::UnitId))
                    .col(timestamp_with_time_zone(Person::CreatedAt))
                    .foreign_key(&mut fk(
                        Person::Table,
                        Person::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(
                        Person::Table,
                        Person::UnitId,
                        Unit::Table,
                        Unit::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_person_org",
                Person::Table,
                &["organization_id", "name"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AppUser::Table)
                    .col(pk_uuid(AppUser::Id))
                    .col(uuid(AppUser::OrganizationId))
                    .col(string_uniq(AppUser::Username))
                    .col(string(AppUser::PasswordHash))
                    .col(string(AppUser::Role))
                    .col(uuid_null(AppUser::PersonId))
                    .col(timestamp_with_time_zone(AppUser::CreatedAt))
                    .foreign_key(&mut fk(
                        AppUser::Table,
                        AppUser::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(
                        AppUser::Table,
                        AppUser::PersonId,
                        Person::Table,
                        Person::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(pk_uuid(Session::Id))
                    .col(uuid(Session::UserId))
                    .col(string_uniq(Session::TokenHash))
                    .col(timestamp_with_time_zone(Session::CreatedAt))
                    .col(timestamp_with_time_zone(Session::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Session::RevokedAt))
                    .foreign_key(&mut fk(
                        Session::Table,
                        Session::UserId,
                        AppUser::Table,
                        AppUser::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Project::Table)
                    .col(pk_uuid(Project::Id))
                    .col(uuid(Project::OrganizationId))
                    .col(string(Project::Title))
                    .col(text_null(Project::Description))
                    .col(string(Project::Origin))
                    .col(string_null(Project::Location))
                    .col(string(Project::Status))
                    .col(uuid_null(Project::LeadLeaderId))
                    .col(date_null(Project::PlannedStart))
                    .col(date_null(Project::PlannedEnd))
                    .col(integer(Project::Version))
                    .col(timestamp_with_time_zone(Project::CreatedAt))
                    .col(timestamp_with_time_zone(Project::UpdatedAt))
                    .foreign_key(&mut fk(
                        Project::Table,
                        Project::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(
                        Project::Table,
                        Project::LeadLeaderId,
                        Person::Table,
                        Person::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_project_org_status",
                Project::Table,
                &["organization_id", "status"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Milestone::Table)
                    .col(pk_uuid(Milestone::Id))
                    .col(uuid(Milestone::OrganizationId))
                    .col(uuid(Milestone::ProjectId))
                    .col(uuid_null(Milestone::ParentId))
                    .col(string(Milestone::Title))
                    .col(text_null(Milestone::Description))
                    .col(uuid(Milestone::ResponsibleLeaderId))
                    .col(uuid(Milestone::ResponsibleUnitId))
                    .col(uuid_null(Milestone::ResponsiblePersonId))
                    .col(date_null(Milestone::StartDate))
                    .col(date(Milestone::Deadline))
                    .col(date(Milestone::OriginalDeadline))
                    .col(integer(Milestone::TimesRescheduled))
                    .col(string(Milestone::Status))
                    .col(integer(Milestone::Progress))
                    .col(integer(Milestone::Weight))
                    .col(timestamp_with_time_zone_null(Milestone::CompletedAt))
                    // The completion date in the organisation's zone, fixed when it is recorded, so
                    // DONE_ON_TIME / DONE_LATE is a plain date comparison in SQL.
                    .col(date_null(Milestone::CompletedOn))
                    .col(integer(Milestone::Version))
                    .col(timestamp_with_time_zone(Milestone::CreatedAt))
                    .col(timestamp_with_time_zone(Milestone::UpdatedAt))
                    .foreign_key(&mut fk(
                        Milestone::Table,
                        Milestone::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(
                        Milestone::Table,
                        Milestone::ProjectId,
                        Project::Table,
                        Project::Id,
                    ))
                    .foreign_key(&mut fk(
                        Milestone::Table,
                        Milestone::ParentId,
                        Milestone::Table,
                        Milestone::Id,
                    ))
                    .foreign_key(&mut fk(
                        Milestone::Table,
                        Milestone::ResponsibleLeaderId,
                        Person::Table,
                        Person::Id,
                    ))
                    .foreign_key(&mut fk(
                        Milestone::Table,
                        Milestone::ResponsibleUnitId,
                        Unit::Table,
                        Unit::Id,
                    ))
                    .foreign_key(&mut fk(
                        Milestone::Table,
                        Milestone::ResponsiblePersonId,
                        Person::Table,
                        Person::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // The deadline-state filters are ranges on `deadline` within a set of statuses, usually
        // within an organisation, a leader or a unit; each of these serves one of them.
        for (name, cols) in [
            (
                "ix_milestone_org_status_deadline",
                &["organization_id", "status", "deadline"][..],
            ),
            (
                "ix_milestone_leader_status_deadline",
                &["responsible_leader_id", "status", "deadline"],
            ),
            (
                "ix_milestone_unit_status_deadline",
                &["responsible_unit_id", "status", "deadline"],
            ),
            ("ix_milestone_project_deadline", &["project_id", "deadline"]),
            ("ix_milestone_parent", &["parent_id"]),
        ] {
            manager
                .create_index(index(name, Milestone::Table, cols))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(DeadlineChange::Table)
                    .col(pk_uuid(DeadlineChange::Id))
                    .col(uuid(DeadlineChange::MilestoneId))
                    .col(date(DeadlineChange::FromDate))
                    .col(date(DeadlineChange::ToDate))
                    .col(text(DeadlineChange::Reason))
                    .col(uuid(DeadlineChange::ChangedBy))
                    .col(timestamp_with_time_zone(DeadlineChange::ChangedAt))
                    .foreign_key(&mut fk(
                        DeadlineChange::Table,
                        DeadlineChange::MilestoneId,
                        Milestone::Table,
                        Milestone::Id,
                    ))
                    .foreign_key(&mut fk(
                        DeadlineChange::Table,
                        DeadlineChange::ChangedBy,
                        AppUser::Table,
                        AppUser::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_deadline_change_milestone",
                DeadlineChange::Table,
                &["milestone_id", "changed_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProgressReport::Table)
                    .col(pk_uuid(ProgressReport::Id))
                    .col(uuid(ProgressReport::MilestoneId))
                    .col(integer(ProgressReport::Progress))
                    .col(text_null(ProgressReport::Note))
                    .col(uuid(ProgressReport::ReportedBy))
                    .col(timestamp_with_time_zone(ProgressReport::ReportedAt))
                    .foreign_key(&mut fk(
                        ProgressReport::Table,
                        ProgressReport::MilestoneId,
                        Milestone::Table,
                        Milestone::Id,
                    ))
                    .foreign_key(&mut fk(
                        ProgressReport::Table,
                        ProgressReport::ReportedBy,
                        AppUser::Table,
                        AppUser::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_progress_report_milestone",
                ProgressReport::Table,
                &["milestone_id", "reported_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvent::Table)
                    .col(pk_uuid(AuditEvent::Id))
                    .col(uuid(AuditEvent::OrganizationId))
                    .col(uuid_null(AuditEvent::ActorId))
                    .col(string(AuditEvent::Action))
                    .col(string(AuditEvent::EntityType))
                    .col(uuid(AuditEvent::EntityId))
                    .col(json_null(AuditEvent::Before))
                    .col(json_null(AuditEvent::After))
                    .col(timestamp_with_time_zone(AuditEvent::At))
                    .foreign_key(&mut fk(
                        AuditEvent::Table,
                        AuditEvent::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(
                        AuditEvent::Table,
                        AuditEvent::ActorId,
                        AppUser::Table,
                        AppUser::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_audit_event_entity",
                AuditEvent::Table,
                &["entity_id", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_audit_event_org",
                AuditEvent::Table,
                &["organization_id", "id"],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables: [DynIden; 10] = [
            AuditEvent::Table.into_iden(),
            ProgressReport::Table.into_iden(),
            DeadlineChange::Table.into_iden(),
            Milestone::Table.into_iden(),
            Project::Table.into_iden(),
            Session::Table.into_iden(),
            AppUser::Table.into_iden(),
            Person::Table.into_iden(),
            Unit::Table.into_iden(),
            Organization::Table.into_iden(),
        ];
        for table in tables {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
