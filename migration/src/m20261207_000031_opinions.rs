//! The congress's cycle, third part (docs/congress.md): deliberation opinions (审议意见) recorded
//! at a report hearing, point by point, sent to a responsible leader with a reply deadline, answered
//! and judged; the notices the reply deadline climbs; the setting of its working days (default 60).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum DeliberationOpinion {
    Table,
    Id,
    OrganizationId,
    MeetingId,
    Title,
    /// The points, each with its feedback and judgement: a JSON list owned by the opinion.
    Points,
    ResponsibleLeaderId,
    SentOn,
    ReplyDeadline,
    DueBy,
    Status,
    AnsweredOn,
    AnsweredBy,
    JudgedOn,
    JudgedBy,
    CreatedBy,
    CreatedAt,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum OrganizationSettings {
    Table,
    OpinionReplyDays,
}

#[derive(DeriveIden, Clone, Copy)]
enum Notice {
    Table,
    OpinionId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Meeting {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Person {
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
        manager
            .alter_table(
                Table::alter()
                    .table(OrganizationSettings::Table)
                    .add_column(integer(OrganizationSettings::OpinionReplyDays).default(60))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Notice::Table)
                    .add_column(uuid_null(Notice::OpinionId))
                    .to_owned(),
            )
            .await?;
        use DeliberationOpinion as O;
        manager
            .create_table(
                Table::create()
                    .table(O::Table)
                    .col(pk_uuid(O::Id))
                    .col(uuid(O::OrganizationId))
                    .col(uuid(O::MeetingId))
                    .col(string(O::Title))
                    .col(json(O::Points))
                    .col(uuid(O::ResponsibleLeaderId))
                    .col(date(O::SentOn))
                    .col(date(O::ReplyDeadline))
                    .col(date(O::DueBy))
                    .col(string(O::Status))
                    .col(date_null(O::AnsweredOn))
                    .col(uuid_null(O::AnsweredBy))
                    .col(date_null(O::JudgedOn))
                    .col(uuid_null(O::JudgedBy))
                    .col(uuid(O::CreatedBy))
                    .col(timestamp_with_time_zone(O::CreatedAt))
                    .col(integer(O::Version))
                    .col(timestamp_with_time_zone(O::UpdatedAt))
                    .foreign_key(&mut fk(
                        O::Table,
                        O::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(O::Table, O::MeetingId, Meeting::Table, Meeting::Id))
                    .foreign_key(&mut fk(
                        O::Table,
                        O::ResponsibleLeaderId,
                        Person::Table,
                        Person::Id,
                    ))
                    .foreign_key(&mut fk(O::Table, O::CreatedBy, AppUser::Table, AppUser::Id))
                    .foreign_key(&mut fk(
                        O::Table,
                        O::AnsweredBy,
                        AppUser::Table,
                        AppUser::Id,
                    ))
                    .foreign_key(&mut fk(O::Table, O::JudgedBy, AppUser::Table, AppUser::Id))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("ix_opinion_org_sent", &["organization_id", "sent_on"][..]),
            // The daily scan: the organisation's opinions awaiting their reply, by due day.
            (
                "ix_opinion_org_status_due",
                &["organization_id", "status", "due_by"],
            ),
            ("ix_opinion_meeting", &["meeting_id"]),
            ("ix_opinion_leader", &["responsible_leader_id"]),
        ] {
            manager.create_index(index(name, O::Table, cols)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DeliberationOpinion::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Notice::Table)
                    .drop_column(Notice::OpinionId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OrganizationSettings::Table)
                    .drop_column(OrganizationSettings::OpinionReplyDays)
                    .to_owned(),
            )
            .await
    }
}
