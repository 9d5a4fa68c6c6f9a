//! Every account that does or checks work (PRESIDIUM, LEADER, DEPUTY) now names the person who
//! holds it: separation of duties goes by person, and an account of nobody could check what
//! another account reported. Each such account without one gets a person of its own, named as
//! the account is until the presidium links the right one; VIEWER accounts are left as they are.

use chrono::Utc;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::sea_orm::prelude::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    OrganizationId,
    Username,
    Role,
    PersonId,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
    OrganizationId,
    Name,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let nobody = Query::select()
            .columns([
                AppUser::Id,
                AppUser::OrganizationId,
                AppUser::Username,
                AppUser::Version,
            ])
            .from(AppUser::Table)
            .and_where(Expr::col(AppUser::PersonId).is_null())
            .and_where(Expr::col(AppUser::Role).ne("VIEWER"))
            .to_owned();
        let now = Utc::now();
        for row in db.query_all(&nobody).await? {
            let id: Uuid = row.try_get("", "id")?;
            let organization: Uuid = row.try_get("", "organization_id")?;
            let username: String = row.try_get("", "username")?;
            let version: i32 = row.try_get("", "version")?;
            let person = Uuid::now_v7();
            db.execute(
                &Query::insert()
                    .into_table(Person::Table)
                    .columns([
                        Person::Id,
                        Person::OrganizationId,
                        Person::Name,
                        Person::CreatedAt,
                    ])
                    .values_panic([
                        person.into(),
                        organization.into(),
                        username.into(),
                        now.into(),
                    ])
                    .to_owned(),
            )
            .await?;
            db.execute(
                &Query::update()
                    .table(AppUser::Table)
                    .value(AppUser::PersonId, person)
                    .value(AppUser::Version, version + 1)
                    .value(AppUser::UpdatedAt, now)
                    .and_where(Expr::col(AppUser::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // The people added stay (notices and histories may name them by now); the schema is
        // as it was.
        Ok(())
    }
}
