//! Deputies' suggestions (代表建议办理) with their co-signers, co-units and answers (one per round:
//! a dissatisfied rating opens the next), numbered per organisation and year from a counter row
//! taken inside the registering transaction; constituents' letters and visits (来信来访) with who
//! received them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Suggestion {
    Table,
    Id,
    OrganizationId,
    Number,
    Year,
    Sequence,
    Title,
    Content,
    Category,
    Source,
    LeadDeputyId,
    ReceivedOn,
    Status,
    AssignedOn,
    LeadUnitId,
    ResponsibleLeaderId,
    KeyItem,
    Deadline,
    DueBy,
    OnTimeDueBy,
    Round,
    AnsweredOn,
    ConcludedOn,
    WithdrawnReason,
    ProjectId,
    CreatedBy,
    CreatedAt,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SuggestionCosigner {
    Table,
    SuggestionId,
    PersonId,
}

#[derive(DeriveIden, Clone, Copy)]
enum SuggestionCoUnit {
    Table,
    SuggestionId,
    UnitId,
}

#[derive(DeriveIden, Clone, Copy)]
enum SuggestionAnswer {
    Table,
    Id,
    SuggestionId,
    Round,
    AnsweredOn,
    AnswerClass,
    Text,
    MetDeputy,
    AnsweredBy,
    AnsweredAt,
    Feedback,
    FeedbackNote,
    FeedbackOn,
    FeedbackBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum SuggestionSequence {
    Table,
    OrganizationId,
    Year,
    LastNumber,
}

#[derive(DeriveIden, Clone, Copy)]
enum ConstituentContact {
    Table,
    Id,
    OrganizationId,
    Kind,
    ReceivedOn,
    ConstituentName,
    ConstituentPhone,
    Summary,
    Status,
    TransferredTo,
    ReplyDue,
    Reply,
    RepliedOn,
    ClosedOn,
    CreatedBy,
    CreatedAt,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ContactReceiver {
    Table,
    ContactId,
    PersonId,
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
enum Unit {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Project {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum AppUser {
    Table,
    Id,
}

/// A table of pairs (`left`, `right`), each a foreign key, the pair its primary key.
fn pairs(
    table: impl IntoIden + Copy,
    left: impl IntoIden + Copy,
    left_to: (impl IntoIden + Copy, impl IntoIden + Copy),
    right: impl IntoIden + Copy,
    right_to: (impl IntoIden + Copy, impl IntoIden + Copy),
) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(uuid(left))
        .col(uuid(right))
        .primary_key(Index::create().col(left).col(right))
        .foreign_key(&mut fk(table, left, left_to.0, left_to.1))
        .foreign_key(&mut fk(table, right, right_to.0, right_to.1))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Suggestion as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(pk_uuid(S::Id))
                    .col(uuid(S::OrganizationId))
                    .col(string(S::Number))
                    .col(integer(S::Year))
                    .col(integer(S::Sequence))
                    .col(string(S::Title))
                    .col(text(S::Content))
                    .col(string_null(S::Category))
                    .col(string(S::Source))
                    .col(uuid(S::LeadDeputyId))
                    .col(date(S::ReceivedOn))
                    .col(string(S::Status))
                    .col(date_null(S::AssignedOn))
                    .col(uuid_null(S::LeadUnitId))
                    .col(uuid_null(S::ResponsibleLeaderId))
                    .col(boolean(S::KeyItem))
                    .col(date_null(S::Deadline))
                    .col(date_null(S::DueBy))
                    .col(date_null(S::OnTimeDueBy))
                    .col(integer(S::Round))
                    .col(date_null(S::AnsweredOn))
                    .col(date_null(S::ConcludedOn))
                    .col(text_null(S::WithdrawnReason))
                    .col(uuid_null(S::ProjectId))
                    .col(uuid(S::CreatedBy))
                    .col(timestamp_with_time_zone(S::CreatedAt))
                    .col(integer(S::Version))
                    .col(timestamp_with_time_zone(S::UpdatedAt))
                    .foreign_key(&mut fk(
                        S::Table,
                        S::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(
                        S::Table,
                        S::LeadDeputyId,
                        Person::Table,
                        Person::Id,
                    ))
                    .foreign_key(&mut fk(S::Table, S::LeadUnitId, Unit::Table, Unit::Id))
                    .foreign_key(&mut fk(
                        S::Table,
                        S::ResponsibleLeaderId,
                        Person::Table,
                        Person::Id,
                    ))
                    .foreign_key(&mut fk(S::Table, S::ProjectId, Project::Table, Project::Id))
                    .foreign_key(&mut fk(S::Table, S::CreatedBy, AppUser::Table, AppUser::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_suggestion_number",
                    S::Table,
                    &["organization_id", "year", "sequence"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "ix_suggestion_org_status_due",
                &["organization_id", "status", "due_by"][..],
            ),
            (
                "ix_suggestion_org_received",
                &["organization_id", "received_on"],
            ),
            ("ix_suggestion_lead_unit", &["lead_unit_id", "status"]),
            ("ix_suggestion_lead_deputy", &["lead_deputy_id", "status"]),
            ("ix_suggestion_project", &["project_id"]),
        ] {
            manager.create_index(index(name, S::Table, cols)).await?;
        }
        manager
            .create_table(pairs(
                SuggestionCosigner::Table,
                SuggestionCosigner::SuggestionId,
                (S::Table, S::Id),
                SuggestionCosigner::PersonId,
                (Person::Table, Person::Id),
            ))
            .await?;
        manager
            .create_table(pairs(
                SuggestionCoUnit::Table,
                SuggestionCoUnit::SuggestionId,
                (S::Table, S::Id),
                SuggestionCoUnit::UnitId,
                (Unit::Table, Unit::Id),
            ))
            .await?;
        use SuggestionAnswer as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(pk_uuid(A::Id))
                    .col(uuid(A::SuggestionId))
                    .col(integer(A::Round))
                    .col(date(A::AnsweredOn))
                    .col(string(A::AnswerClass))
                    .col(text(A::Text))
                    .col(boolean(A::MetDeputy))
                    .col(uuid(A::AnsweredBy))
                    .col(timestamp_with_time_zone(A::AnsweredAt))
                    .col(string_null(A::Feedback))
                    .col(text_null(A::FeedbackNote))
                    .col(date_null(A::FeedbackOn))
                    .col(uuid_null(A::FeedbackBy))
                    .foreign_key(&mut fk(A::Table, A::SuggestionId, S::Table, S::Id))
                    .foreign_key(&mut fk(
                        A::Table,
                        A::AnsweredBy,
                        AppUser::Table,
                        AppUser::Id,
                    ))
                    .foreign_key(&mut fk(
                        A::Table,
                        A::FeedbackBy,
                        AppUser::Table,
                        AppUser::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // One answer per round: a second in the same round is a CONFLICT, never a silent pair.
        manager
            .create_index(
                index(
                    "ux_suggestion_answer_round",
                    A::Table,
                    &["suggestion_id", "round"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SuggestionSequence::Table)
                    .col(uuid(SuggestionSequence::OrganizationId))
                    .col(integer(SuggestionSequence::Year))
                    .col(integer(SuggestionSequence::LastNumber))
                    .primary_key(
                        Index::create()
                            .col(SuggestionSequence::OrganizationId)
                            .col(SuggestionSequence::Year),
                    )
                    .foreign_key(&mut fk(
                        SuggestionSequence::Table,
                        SuggestionSequence::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        use ConstituentContact as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(pk_uuid(C::Id))
                    .col(uuid(C::OrganizationId))
                    .col(string(C::Kind))
                    .col(date(C::ReceivedOn))
                    .col(string_null(C::ConstituentName))
                    .col(string_null(C::ConstituentPhone))
                    .col(text(C::Summary))
                    .col(string(C::Status))
                    .col(uuid_null(C::TransferredTo))
                    .col(date_null(C::ReplyDue))
                    .col(text_null(C::Reply))
                    .col(date_null(C::RepliedOn))
                    .col(date_null(C::ClosedOn))
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
                    .foreign_key(&mut fk(C::Table, C::TransferredTo, Unit::Table, Unit::Id))
                    .foreign_key(&mut fk(C::Table, C::CreatedBy, AppUser::Table, AppUser::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_contact_org_received",
                C::Table,
                &["organization_id", "received_on"],
            ))
            .await?;
        manager
            .create_table(pairs(
                ContactReceiver::Table,
                ContactReceiver::ContactId,
                (C::Table, C::Id),
                ContactReceiver::PersonId,
                (Person::Table, Person::Id),
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ContactReceiver::Table.into_iden(),
            ConstituentContact::Table.into_iden(),
            SuggestionSequence::Table.into_iden(),
            SuggestionAnswer::Table.into_iden(),
            SuggestionCoUnit::Table.into_iden(),
            SuggestionCosigner::Table.into_iden(),
            Suggestion::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
