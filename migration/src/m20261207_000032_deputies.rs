//! Deputies (docs/deputies.md): the roster — a person's deputy profile (level, term,
//! constituency, group, the villages they link, whether they serve) — and the duties they log:
//! visits to constituents and training.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum DeputyProfile {
    Table,
    Id,
    OrganizationId,
    PersonId,
    Level,
    Term,
    Constituency,
    GroupName,
    /// The villages linked (分工联系到村): a JSON list owned by the profile.
    Villages,
    Active,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DutyActivity {
    Table,
    Id,
    OrganizationId,
    DeputyId,
    Kind,
    HeldOn,
    Village,
    /// Whether the village is one the deputy links; null without a village.
    VillageLinked,
    Topic,
    People,
    Minutes,
    CreatedBy,
    CreatedAt,
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
        use DeputyProfile as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(pk_uuid(P::Id))
                    .col(uuid(P::OrganizationId))
                    .col(uuid(P::PersonId))
                    .col(string(P::Level))
                    .col(string(P::Term))
                    .col(string_null(P::Constituency))
                    .col(string_null(P::GroupName))
                    .col(json(P::Villages))
                    .col(boolean(P::Active))
                    .col(integer(P::Version))
                    .col(timestamp_with_time_zone(P::UpdatedAt))
                    .foreign_key(&mut fk(
                        P::Table,
                        P::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(P::Table, P::PersonId, Person::Table, Person::Id))
                    .to_owned(),
            )
            .await?;
        // One profile a person.
        manager
            .create_index(
                index("ux_deputy_profile_person", P::Table, &["person_id"])
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_deputy_profile_org",
                P::Table,
                &["organization_id"],
            ))
            .await?;
        use DutyActivity as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(pk_uuid(A::Id))
                    .col(uuid(A::OrganizationId))
                    .col(uuid(A::DeputyId))
                    .col(string(A::Kind))
                    .col(date(A::HeldOn))
                    .col(string_null(A::Village))
                    .col(boolean_null(A::VillageLinked))
                    .col(text(A::Topic))
                    .col(integer_null(A::People))
                    .col(integer_null(A::Minutes))
                    .col(uuid(A::CreatedBy))
                    .col(timestamp_with_time_zone(A::CreatedAt))
                    .foreign_key(&mut fk(
                        A::Table,
                        A::OrganizationId,
                        Organization::Table,
                        Organization::Id,
                    ))
                    .foreign_key(&mut fk(A::Table, A::DeputyId, Person::Table, Person::Id))
                    .foreign_key(&mut fk(A::Table, A::CreatedBy, AppUser::Table, AppUser::Id))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "ix_duty_activity_org_day",
                &["organization_id", "held_on"][..],
            ),
            ("ix_duty_activity_deputy_day", &["deputy_id", "held_on"]),
        ] {
            manager.create_index(index(name, A::Table, cols)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DutyActivity::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(DeputyProfile::Table).to_owned())
            .await
    }
}
