//! The congress's own cycle, first part (docs/congress.md): meetings with the deputies present,
//! and livelihood-project candidates from proposal to the vote, a passed one numbered by its
//! resolution (思人决〔2026〕1号, from a counter row per organisation and year) and linked to the
//! project it became.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Meeting {
    Table,
    Id,
    OrganizationId,
    Kind,
    Title,
    HeldOn,
    Place,
    DeputiesTotal,
    DeputiesPresent,
    CreatedBy,
    CreatedAt,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum MeetingAttendee {
    Table,
    MeetingId,
    PersonId,
}

#[derive(DeriveIden, Clone, Copy)]
enum LivelihoodCandidate {
    Table,
    Id,
    OrganizationId,
    Year,
    Title,
    Description,
    Source,
    SuggestionId,
    Status,
    MeetingId,
    VotesFor,
    VotesAgainst,
    Abstentions,
    ResolutionNumber,
    ProjectId,
    CreatedBy,
    CreatedAt,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ResolutionSequence {
    Table,
    OrganizationId,
    Year,
    LastNumber,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Person {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Project {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Suggestion {
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
        use Meeting as M;
        manager
            .create_table(
                Table::create()
                    .table(M::Table)
                    .col(pk_uuid(M::Id))
                    .col(uuid(M::OrganizationId))
                    .col(string(M::Kind))
                    .col(string(M::Title))
                    .col(date(M::HeldOn))
                    .col(string_null(M::Place))
                    .col(integer(M::DeputiesTotal))
                    .col(integer(M::DeputiesPresent))
                    .col(uuid(M::CreatedBy))
                    .col(timestamp_with_time_zone(M::CreatedAt))
                    .col(integer(M::Version))
                    .col(timestamp_with_time_zone(M::UpdatedAt))
                    .foreign_key(&mut fk(
                        M::Table,
                        M::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(M::Table, M::CreatedBy, AppUser::Table, AppUser::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_meeting_org_held",
                M::Table,
                &["organization_id", "held_on"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MeetingAttendee::Table)
                    .col(uuid(MeetingAttendee::MeetingId))
                    .col(uuid(MeetingAttendee::PersonId))
                    .primary_key(
                        Index::create()
                            .col(MeetingAttendee::MeetingId)
                            .col(MeetingAttendee::PersonId),
                    )
                    .foreign_key(&mut fk(
                        MeetingAttendee::Table,
                        MeetingAttendee::MeetingId,
                        M::Table,
                        M::Id,
                    ))
                    .foreign_key(&mut fk(
                        MeetingAttendee::Table,
                        MeetingAttendee::PersonId,
                        Person::Table,
                        Person::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_meeting_attendee_person",
                MeetingAttendee::Table,
                &["person_id"],
            ))
            .await?;
        use LivelihoodCandidate as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(pk_uuid(C::Id))
                    .col(uuid(C::OrganizationId))
                    .col(integer(C::Year))
                    .col(string(C::Title))
                    .col(text_null(C::Description))
                    .col(string(C::Source))
                    .col(uuid_null(C::SuggestionId))
                    .col(string(C::Status))
                    .col(uuid_null(C::MeetingId))
                    .col(integer_null(C::VotesFor))
                    .col(integer_null(C::VotesAgainst))
                    .col(integer_null(C::Abstentions))
                    .col(string_null(C::ResolutionNumber))
                    .col(uuid_null(C::ProjectId))
                    .col(uuid(C::CreatedBy))
                    .col(timestamp_with_time_zone(C::CreatedAt))
                    .col(integer(C::Version))
                    .col(timestamp_with_time_zone(C::UpdatedAt))
                    .foreign_key(&mut fk(
                        C::Table,
                        C::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(
                        C::Table,
                        C::SuggestionId,
                        Suggestion::Table,
                        Suggestion::Id,
                    ))
                    .foreign_key(&mut fk(C::Table, C::MeetingId, M::Table, M::Id))
                    .foreign_key(&mut fk(C::Table, C::ProjectId, Project::Table, Project::Id))
                    .foreign_key(&mut fk(C::Table, C::CreatedBy, AppUser::Table, AppUser::Id))
                    .to_owned(),
            )
            .await?;
        // A resolution's number is the organisation's once.
        manager
            .create_index(
                index(
                    "ux_candidate_resolution",
                    C::Table,
                    &["organization_id", "resolution_number"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("ix_candidate_org_year", &["organization_id", "year"][..]),
            ("ix_candidate_project", &["project_id"]),
            ("ix_candidate_meeting", &["meeting_id"]),
        ] {
            manager.create_index(index(name, C::Table, cols)).await?;
        }
        use ResolutionSequence as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(uuid(R::OrganizationId))
                    .col(integer(R::Year))
                    .col(integer(R::LastNumber))
                    .primary_key(Index::create().col(R::OrganizationId).col(R::Year))
                    .foreign_key(&mut fk(
                        R::Table,
                        R::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ResolutionSequence::Table.into_iden(),
            LivelihoodCandidate::Table.into_iden(),
            MeetingAttendee::Table.into_iden(),
            Meeting::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
