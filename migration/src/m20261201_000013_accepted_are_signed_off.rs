//! Milestones accepted under the old rules (VERIFIED meant "accepted, done") are signed off
//! (CLOSED) by whoever accepted them, so the figures they counted in stay the same now that
//! VERIFIED is only a deputy's check and 办结 waits for the presidium's sign-off; DONE ones now
//! wait for it. Each change is written into the history like any other, as the migration's.

use chrono::{DateTime, Utc};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;
use sea_orm_migration::sea_orm::{ConnectionTrait, JsonValue};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let m = |col: &str| (Alias::new("milestone"), Alias::new(col));
        let accepted = Query::select()
            .expr_as(Expr::col(m("id")), Alias::new("id"))
            .expr_as(
                Expr::col(m("organization_id")),
                Alias::new("organization_id"),
            )
            .expr_as(Expr::col(m("version")), Alias::new("version"))
            .expr_as(Expr::col(m("updated_at")), Alias::new("updated_at"))
            .from(Alias::new("milestone"))
            .and_where(Expr::col(m("status")).eq("VERIFIED"))
            .to_owned();
        for row in db.query_all(&accepted).await? {
            let id: Uuid = row.try_get("", "id")?;
            let organization: Uuid = row.try_get("", "organization_id")?;
            let version: i32 = row.try_get("", "version")?;
            let accepted_at: DateTime<Utc> = row.try_get("", "updated_at")?;
            let accepter = Query::select()
                .column(Alias::new("actor_id"))
                .from(Alias::new("audit_event"))
                .and_where(Expr::col(Alias::new("entity_id")).eq(id))
                .and_where(Expr::col(Alias::new("action")).eq("milestone.accept"))
                .order_by(Alias::new("at"), Order::Desc)
                .limit(1)
                .to_owned();
            let accepted_by: Option<Uuid> = match db.query_one(&accepter).await? {
                Some(row) => row.try_get("", "actor_id")?,
                None => None,
            };
            db.execute(
                &Query::update()
                    .table(Alias::new("milestone"))
                    .value(Alias::new("status"), "CLOSED")
                    .value(Alias::new("signed_off_by"), accepted_by)
                    .value(Alias::new("signed_off_at"), accepted_at)
                    .value(Alias::new("version"), version + 1)
                    .and_where(Expr::col(Alias::new("id")).eq(id))
                    .to_owned(),
            )
            .await?;
            db.execute(
                &Query::insert()
                    .into_table(Alias::new("audit_event"))
                    .columns([
                        Alias::new("id"),
                        Alias::new("organization_id"),
                        Alias::new("actor_id"),
                        Alias::new("action"),
                        Alias::new("entity_type"),
                        Alias::new("entity_id"),
                        Alias::new("after"),
                        Alias::new("at"),
                    ])
                    .values_panic([
                        Uuid::now_v7().into(),
                        organization.into(),
                        None::<Uuid>.into(),
                        "milestone.sign_off".into(),
                        "Milestone".into(),
                        id.into(),
                        history(accepted_by).into(),
                        Utc::now().into(),
                    ])
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Back to what the old rules called it; the history keeps both changes.
        manager
            .get_connection()
            .execute(
                &Query::update()
                    .table(Alias::new("milestone"))
                    .value(Alias::new("status"), "VERIFIED")
                    .and_where(Expr::col(Alias::new("status")).eq("CLOSED"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

/// What the history says of a sign-off made by this migration.
fn history(accepted_by: Option<Uuid>) -> JsonValue {
    let by = accepted_by.map_or(JsonValue::Null, |id| JsonValue::String(id.to_string()));
    JsonValue::from_iter([
        ("status", JsonValue::from("CLOSED")),
        ("signed_off_by", by),
        (
            "note",
            JsonValue::from("accepted under the rules before sign-off; signed off when upgrading"),
        ),
    ])
}
