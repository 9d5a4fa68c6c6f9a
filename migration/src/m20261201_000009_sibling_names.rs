//! Organisation names unique among the organisations below the same parent, not across the
//! installation: two counties may each have a 城关镇, and no township can take a name to find out
//! whether another township has it, or keep it from them.
//!
//! PostgreSQL drops the unique constraint and indexes (parent, name) with NULLS NOT DISTINCT, so
//! two roots cannot share a name either. SQLite cannot drop a column's UNIQUE: the table is
//! rebuilt as SQLite documents it (foreign keys off on one connection, copy, drop, rename,
//! `foreign_key_check`, commit), and that connection is closed afterwards so that none with
//! foreign keys off goes back to the pool.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::sqlx::{self, Connection, Executor};
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::common::fk;

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
enum OrganizationRebuilt {
    Table,
}

const SIBLING_NAMES: &str = "ux_organization_parent_name";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// SQLite's rebuild must turn foreign keys off, which it ignores inside a transaction; it
    /// makes its own, and so does PostgreSQL's part.
    fn use_transaction(&self) -> Option<bool> {
        Some(false)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => rebuild_on_sqlite(manager, false).await,
            _ => {
                let txn = manager.begin().await?;
                let db = txn.get_connection();
                db.execute_unprepared(
                    "ALTER TABLE organization DROP CONSTRAINT IF EXISTS organization_name_key",
                )
                .await?;
                db.execute_unprepared(&format!(
                    "CREATE UNIQUE INDEX {SIBLING_NAMES} ON organization (parent_id, name) \
                     NULLS NOT DISTINCT"
                ))
                .await?;
                txn.commit().await
            }
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => rebuild_on_sqlite(manager, true).await,
            _ => {
                let txn = manager.begin().await?;
                let db = txn.get_connection();
                db.execute_unprepared(&format!("DROP INDEX IF EXISTS {SIBLING_NAMES}"))
                    .await?;
                db.execute_unprepared(
                    "ALTER TABLE organization ADD CONSTRAINT organization_name_key UNIQUE (name)",
                )
                .await?;
                txn.commit().await
            }
        }
    }
}

/// The organisation table as the first migration made it, with `name` unique everywhere
/// (`global`) or only among siblings.
fn organization_table(global: bool) -> TableCreateStatement {
    let name = if global {
        string_uniq(Organization::Name)
    } else {
        string(Organization::Name)
    };
    Table::create()
        .table(OrganizationRebuilt::Table)
        .col(pk_uuid(Organization::Id))
        .col(name)
        .col(string(Organization::Timezone))
        .col(uuid_null(Organization::ParentId))
        .col(timestamp_with_time_zone(Organization::CreatedAt))
        // Names the table it will be once renamed: a parent is an organisation.
        .foreign_key(&mut fk(
            OrganizationRebuilt::Table,
            Organization::ParentId,
            Organization::Table,
            Organization::Id,
        ))
        .to_owned()
}

async fn rebuild_on_sqlite(manager: &SchemaManager<'_>, global: bool) -> Result<(), DbErr> {
    let SchemaManagerConnection::Connection(db) = manager.get_connection() else {
        return Err(DbErr::Migration(
            "rebuilding a SQLite table needs the pool, not a transaction".into(),
        ));
    };
    let pool = db.get_sqlite_connection_pool();
    let mut conn = pool.acquire().await.map_err(sqlx_error)?;
    let outcome = rebuild(&mut conn, global).await;
    // Whatever happened, this connection had foreign keys off: it never serves again.
    let closed = conn.detach().close().await.map_err(sqlx_error);
    outcome.and(closed)
}

async fn rebuild(conn: &mut sqlx::SqliteConnection, global: bool) -> Result<(), DbErr> {
    let mut statements = vec![
        organization_table(global).to_string(SqliteQueryBuilder),
        "INSERT INTO organization_rebuilt (id, name, timezone, parent_id, created_at) \
         SELECT id, name, timezone, parent_id, created_at FROM organization"
            .to_string(),
        "DROP TABLE organization".to_string(),
        "ALTER TABLE organization_rebuilt RENAME TO organization".to_string(),
    ];
    if !global {
        statements.push(format!(
            "CREATE UNIQUE INDEX {SIBLING_NAMES} ON organization (COALESCE(parent_id, ''), name)"
        ));
    }
    conn.execute("PRAGMA foreign_keys = OFF")
        .await
        .map_err(sqlx_error)?;
    let mut txn = conn.begin().await.map_err(sqlx_error)?;
    for statement in statements {
        // Built here from constants and sea-query, never from input.
        txn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(statement)))
            .await
            .map_err(sqlx_error)?;
    }
    let broken = txn
        .fetch_all("PRAGMA foreign_key_check")
        .await
        .map_err(sqlx_error)?;
    if !broken.is_empty() {
        return Err(DbErr::Migration(format!(
            "{} rows refer to organisations that are missing; nothing was changed",
            broken.len()
        )));
    }
    txn.commit().await.map_err(sqlx_error)
}

fn sqlx_error(error: sqlx::Error) -> DbErr {
    DbErr::Migration(format!("rebuilding the organisation table: {error}"))
}
