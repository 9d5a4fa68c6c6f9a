//! The congress's cycle, second part (docs/congress.md): the year-end satisfaction assessment
//! (满意度测评) of a project at a meeting, with the rectification item a failed one opens, and the
//! two settings it reads (the pass rate in percent, default 60; the rectification's days,
//! default 30).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Assessment {
    Table,
    Id,
    OrganizationId,
    ProjectId,
    MeetingId,
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
    Passed,
    RectificationId,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum OrganizationSettings {
    Table,
    AssessmentPassPercent,
    AssessmentRectifyDays,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Project {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Meeting {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Milestone {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
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
        // One column a statement: SQLite alters a table one change at a time.
        for (column, default) in [
            (OrganizationSettings::AssessmentPassPercent, 60),
            (OrganizationSettings::AssessmentRectifyDays, 30),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(OrganizationSettings::Table)
                        .add_column(integer(column).default(default))
                        .to_owned(),
                )
                .await?;
        }
        use Assessment as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(pk_uuid(A::Id))
                    .col(uuid(A::OrganizationId))
                    .col(uuid(A::ProjectId))
                    .col(uuid(A::MeetingId))
                    .col(integer(A::Satisfied))
                    .col(integer(A::BasicallySatisfied))
                    .col(integer(A::Dissatisfied))
                    .col(boolean(A::Passed))
                    .col(uuid_null(A::RectificationId))
                    .col(uuid(A::RecordedBy))
                    .col(timestamp_with_time_zone(A::RecordedAt))
                    .foreign_key(&mut fk(
                        A::Table,
                        A::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(A::Table, A::ProjectId, Project::Table, Project::Id))
                    .foreign_key(&mut fk(A::Table, A::MeetingId, Meeting::Table, Meeting::Id))
                    .foreign_key(&mut fk(
                        A::Table,
                        A::RectificationId,
                        Milestone::Table,
                        Milestone::Id,
                    ))
                    .foreign_key(&mut fk(
                        A::Table,
                        A::RecordedBy,
                        AppUser::Table,
                        AppUser::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // A project is assessed once at a meeting: a form sent twice is a CONFLICT.
        manager
            .create_index(
                index(
                    "ux_assessment_project_meeting",
                    A::Table,
                    &["project_id", "meeting_id"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("ix_assessment_meeting", &["meeting_id"][..]),
            ("ix_assessment_org", &["organization_id"]),
        ] {
            manager.create_index(index(name, A::Table, cols)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Assessment::Table).to_owned())
            .await?;
        for column in [
            OrganizationSettings::AssessmentPassPercent,
            OrganizationSettings::AssessmentRectifyDays,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(OrganizationSettings::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
