//! Databases without a server: an empty one for a test that drives the schema itself (a
//! migration from an older schema), and the rows an older release would have written.

use std::path::PathBuf;

use crate::{Backend, fresh_postgres_database};

/// Runs `$test(backend)`, a test that drives a database itself, as two tests: `$sqlite` on
/// SQLite, and `$postgres` on a fresh PostgreSQL database when `JIANDU_TEST_POSTGRES_URL` is set.
#[macro_export]
macro_rules! on_both_backends {
    ($test:ident => $sqlite:ident, $postgres:ident) => {
        #[tokio::test]
        async fn $sqlite() {
            $test($crate::Backend::Sqlite).await;
        }

        #[tokio::test]
        async fn $postgres() {
            if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_some() {
                $test($crate::Backend::Postgres).await;
            }
        }
    };
}

/// An empty database for a test that drives the schema itself (a migration from an older
/// schema): a SQLite file, removed when dropped, or a fresh PostgreSQL database.
pub struct EmptyDatabase {
    pub url: String,
    sqlite_file: Option<PathBuf>,
}

impl EmptyDatabase {
    pub async fn new(backend: Backend) -> EmptyDatabase {
        match backend {
            Backend::Sqlite => {
                let file =
                    std::env::temp_dir().join(format!("jiandu-empty-{}.db", uuid::Uuid::now_v7()));
                EmptyDatabase {
                    url: format!("sqlite://{}?mode=rwc", file.display()),
                    sqlite_file: Some(file),
                }
            }
            Backend::Postgres => EmptyDatabase {
                url: fresh_postgres_database().await,
                sqlite_file: None,
            },
        }
    }

    /// The database opened with the migrations up to `version` applied, the schema an older
    /// release left, and an [`OldTown`] written in it.
    pub async fn old_town_at(&self, version: u32) -> (jiandu_api::db::Db, OldTown) {
        use jiandu_migration::{Migrator, MigratorTrait};
        let db = self.open().await;
        Migrator::up(db.conn(), Some(version))
            .await
            .expect("the older schema");
        let town = OldTown::insert(db.conn()).await;
        (db, town)
    }

    /// The database opened as the server opens it, with no migration applied yet.
    pub async fn open(&self) -> jiandu_api::db::Db {
        jiandu_api::db::Db::connect(&self.url, std::time::Duration::from_secs(15))
            .await
            .expect("the database opens")
    }
}

impl Drop for EmptyDatabase {
    fn drop(&mut self) {
        if let Some(file) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
    }
}

/// Runs `sql` written with PostgreSQL's numbered parameters (`$1`, `$2`, …) on either database:
/// SQLite numbers them `?1`, `?2`. For tests that write rows of an older schema by hand.
pub async fn execute_numbered(
    conn: &sea_orm::DatabaseConnection,
    sql: &str,
    values: Vec<sea_orm::Value>,
) {
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
    let backend = conn.get_database_backend();
    let sql = if backend == DatabaseBackend::Sqlite {
        (1..=values.len()).rev().fold(sql.to_string(), |s, n| {
            s.replace(&format!("${n}"), &format!("?{n}"))
        })
    } else {
        sql.to_string()
    };
    conn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

/// The rows every older-schema migration test starts from, written by hand with the columns the
/// first migrations made: 思蒙镇, its 村建办, 李明 and the 风雨桥 project.
pub struct OldTown {
    pub org: uuid::Uuid,
    pub unit: uuid::Uuid,
    pub person: uuid::Uuid,
    pub project: uuid::Uuid,
}

impl OldTown {
    pub async fn insert(conn: &sea_orm::DatabaseConnection) -> OldTown {
        let id = uuid::Uuid::now_v7;
        let town = OldTown {
            org: id(),
            unit: id(),
            person: id(),
            project: id(),
        };
        let now = chrono::Utc::now();
        execute_numbered(conn, "INSERT INTO organization (id, name, timezone, parent_id, created_at) VALUES ($1, '思蒙镇', 'Asia/Shanghai', NULL, $2)", vec![town.org.into(), now.into()]).await;
        execute_numbered(conn, "INSERT INTO unit (id, organization_id, name, created_at) VALUES ($1, $2, '村建办', $3)", vec![town.unit.into(), town.org.into(), now.into()]).await;
        execute_numbered(conn, "INSERT INTO person (id, organization_id, name, title, unit_id, created_at) VALUES ($1, $2, '李明', NULL, NULL, $3)", vec![town.person.into(), town.org.into(), now.into()]).await;
        execute_numbered(conn, "INSERT INTO project (id, organization_id, title, description, origin, status, lead_leader_id, location, planned_start, planned_end, completed_on, version, created_at, updated_at) VALUES ($1, $2, '风雨桥', NULL, 'OTHER', 'IN_PROGRESS', NULL, NULL, NULL, NULL, NULL, 1, $3, $3)", vec![town.project.into(), town.org.into(), now.into()]).await;
        town
    }
}
