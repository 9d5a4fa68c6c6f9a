//! The floor: for each benchmark query, the SQL statements the server runs for it (see
//! [`super::statements`]) sent straight through sqlx from a bare poem JSON endpoint — no
//! GraphQL, no ORM, no use cases, one pooled connection per request. What the server spends
//! beyond this is its own overhead.
//!
//! `POST /floor/<query>` with the same bearer token and `{"variables": …}` as the GraphQL
//! request answers `{"data": [rows returned by each statement]}`. Every value is decoded, but
//! only the counts are sent: a floor should not pay for a bigger answer than the server's.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use poem::http::StatusCode;
use poem::web::{Data, Json, Path};
use poem::{EndpointExt, IntoResponse, Response, Route, Server, handler, post};
use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sea_orm::sqlx::{self, AssertSqlSafe, Column, Postgres, Row, Sqlite, TypeInfo, ValueRef};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::statements::{self as sql, Arg, Dialect, Shape, Statement};

mod queries;

/// The same pools the server opens (8 SQLite connections in WAL mode, 16 PostgreSQL ones).
#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    async fn open(url: &str) -> anyhow::Result<Pool> {
        if url.starts_with("sqlite:") {
            let options: SqliteConnectOptions = url.parse()?;
            let options = options
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await?;
            Ok(Pool::Sqlite(pool))
        } else {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .connect(url)
                .await?;
            Ok(Pool::Postgres(pool))
        }
    }

    fn dialect(&self) -> Dialect {
        match self {
            Pool::Sqlite(_) => Dialect::Sqlite,
            Pool::Postgres(_) => Dialect::Postgres,
        }
    }

    async fn acquire(&self) -> sqlx::Result<Conn> {
        Ok(match self {
            Pool::Sqlite(pool) => Conn::Sqlite(pool.acquire().await?),
            Pool::Postgres(pool) => Conn::Postgres(pool.acquire().await?),
        })
    }
}

/// One connection, and how many statements it has run.
enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut bound = $query;
        for arg in $args {
            bound = match arg {
                Arg::Uuid(v) => bound.bind(*v),
                Arg::Text(v) => bound.bind(v.clone()),
                Arg::Int(v) => bound.bind(*v),
                Arg::BigInt(v) => bound.bind(*v),
                Arg::Date(v) => bound.bind(*v),
                Arg::Time(v) => bound.bind(*v),
                Arg::Json(v) => bound.bind(v.clone()),
                Arg::Bool(v) => bound.bind(*v),
                Arg::NullText => bound.bind(None::<String>),
            };
        }
        bound
    }};
}

impl Conn {
    async fn rows(&mut self, statement: &Statement) -> sqlx::Result<Vec<Value>> {
        Ok(match self {
            Conn::Sqlite(conn) => bind_all!(
                sqlx::query(AssertSqlSafe(statement.sql.clone())),
                &statement.args
            )
            .fetch_all(&mut **conn)
            .await?
            .iter()
            .map(sqlite_json)
            .collect(),
            Conn::Postgres(conn) => bind_all!(
                sqlx::query(AssertSqlSafe(statement.sql.clone())),
                &statement.args
            )
            .fetch_all(&mut **conn)
            .await?
            .iter()
            .map(postgres_json)
            .collect(),
        })
    }

    /// `BEGIN` (SQLite: `IMMEDIATE`, taking the write lock up front as the server's writers
    /// take turns), `COMMIT` or `ROLLBACK`.
    async fn control(&mut self, command: &'static str) -> sqlx::Result<()> {
        match self {
            Conn::Sqlite(conn) => {
                let command = if command == "BEGIN" {
                    "BEGIN IMMEDIATE"
                } else {
                    command
                };
                sqlx::raw_sql(command).execute(&mut **conn).await?;
            }
            Conn::Postgres(conn) => {
                sqlx::raw_sql(command).execute(&mut **conn).await?;
            }
        }
        Ok(())
    }
}

fn sqlite_json(row: &SqliteRow) -> Value {
    let mut object = serde_json::Map::new();
    for (i, column) in row.columns().iter().enumerate() {
        let value = match row.try_get_raw(i) {
            Ok(raw) if raw.is_null() => Value::Null,
            Ok(raw) => match raw.type_info().name() {
                "INTEGER" => json!(row.try_get::<i64, _>(i).ok()),
                "REAL" => json!(row.try_get::<f64, _>(i).ok()),
                "BLOB" => match row.try_get::<Vec<u8>, _>(i) {
                    Ok(bytes) => Uuid::from_slice(&bytes)
                        .map(|id| json!(id))
                        .unwrap_or_else(|_| json!(bytes.len())),
                    Err(_) => Value::Null,
                },
                _ => json!(row.try_get::<String, _>(i).ok()),
            },
            Err(_) => Value::Null,
        };
        object.insert(column.name().to_string(), value);
    }
    Value::Object(object)
}

fn postgres_json(row: &PgRow) -> Value {
    fn get<'r, T>(row: &'r PgRow, i: usize) -> Value
    where
        T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres> + serde::Serialize,
    {
        json!(row.try_get::<Option<T>, _>(i).ok().flatten())
    }
    let mut object = serde_json::Map::new();
    for (i, column) in row.columns().iter().enumerate() {
        let value = match column.type_info().name() {
            "UUID" => get::<Uuid>(row, i),
            "INT2" => get::<i16>(row, i),
            "INT4" => get::<i32>(row, i),
            "INT8" => get::<i64>(row, i),
            "FLOAT8" => get::<f64>(row, i),
            "BOOL" => get::<bool>(row, i),
            "DATE" => get::<NaiveDate>(row, i),
            "TIMESTAMPTZ" => get::<DateTime<Utc>>(row, i),
            "JSON" | "JSONB" => get::<Value>(row, i),
            _ => get::<String>(row, i),
        };
        object.insert(column.name().to_string(), value);
    }
    Value::Object(object)
}

struct State {
    pool: Pool,
    /// The organisation tree (the server caches it too), for what a user may read.
    parents: HashMap<Uuid, Option<Uuid>>,
    /// Who holds each token, after its first look-up (the server keeps sessions too).
    sessions: std::sync::Mutex<HashMap<String, Value>>,
}

impl State {
    /// `root` and every organisation below it, root first.
    fn subtree(&self, root: Uuid) -> Vec<Uuid> {
        let mut found = vec![root];
        let mut i = 0;
        while i < found.len() {
            let parent = found[i];
            let mut children: Vec<Uuid> = self
                .parents
                .iter()
                .filter(|(_, p)| **p == Some(parent))
                .map(|(id, _)| *id)
                .collect();
            children.sort();
            found.extend(children);
            i += 1;
        }
        found
    }
}

#[derive(serde::Deserialize)]
struct Body {
    #[serde(default)]
    variables: Value,
}

fn uuid_of(value: &Value) -> Option<Uuid> {
    value.as_str().and_then(|s| s.parse().ok())
}

fn ids(rows: &Value, column: &str) -> Vec<Uuid> {
    rows.as_array()
        .map(|rows| rows.iter().filter_map(|r| uuid_of(&r[column])).collect())
        .unwrap_or_default()
}

/// A request's statements on one connection; counts them.
struct Run<'a> {
    conn: Conn,
    shape: Shape,
    orgs: &'a [Uuid],
    /// Rows each statement returned.
    results: Vec<usize>,
}

impl Run<'_> {
    async fn run(&mut self, template: &str, args: Vec<Arg>) -> sqlx::Result<Value> {
        self.run_shaped(self.shape, template, args).await
    }

    /// A statement already in its dialect, as built.
    async fn run_statement(&mut self, statement: &Statement) -> sqlx::Result<Value> {
        let rows = self.conn.rows(statement).await?;
        self.results.push(rows.len());
        Ok(Value::Array(rows))
    }

    async fn run_shaped(
        &mut self,
        shape: Shape,
        template: &str,
        args: Vec<Arg>,
    ) -> sqlx::Result<Value> {
        let rows = self.conn.rows(&shape.statement(template, args)).await?;
        self.results.push(rows.len());
        Ok(Value::Array(rows))
    }

    fn orgs(&self) -> Vec<Arg> {
        self.orgs.iter().map(|id| Arg::Uuid(*id)).collect()
    }
}

#[handler]
async fn query(
    Path(name): Path<String>,
    Data(state): Data<&std::sync::Arc<State>>,
    request: &poem::Request,
    Json(body): Json<Body>,
) -> Response {
    let Some(token) = request
        .header("authorization")
        .and_then(|h| h.strip_prefix("Bearer "))
    else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let conn = match state.pool.acquire().await {
        Ok(conn) => conn,
        Err(error) => return failed(error),
    };
    let now = Utc::now();
    let shape = Shape {
        dialect: state.pool.dialect(),
        orgs: 1,
        projects: 0,
        // The generated organisations keep Beijing time.
        today: (now + chrono::Duration::hours(8)).date_naive(),
    };
    let mut run = Run {
        conn,
        shape,
        orgs: &[],
        results: Vec::new(),
    };
    let hash = hex::encode(Sha256::digest(token.as_bytes()));
    let kept = state
        .sessions
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&hash)
        .cloned();
    let user = match kept {
        Some(user) => user,
        None => {
            let signed_in = run
                .run(
                    sql::AUTHENTICATE,
                    vec![Arg::Text(hash.clone()), Arg::Time(now), Arg::BigInt(1)],
                )
                .await;
            let user = match signed_in {
                Ok(rows) if rows[0].is_object() => rows[0].clone(),
                Ok(_) => return StatusCode::UNAUTHORIZED.into_response(),
                Err(error) => return failed(error),
            };
            state
                .sessions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(hash, user.clone());
            user
        }
    };
    let Some(organization) = uuid_of(&user["B_organization_id"]) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let orgs = state.subtree(organization);
    run.shape.orgs = orgs.len();
    run.orgs = &orgs;
    match queries::statements(&mut run, &name, &body.variables, &user).await {
        Ok(true) => {
            let count = run.results.len();
            let mut response = Json(json!({ "data": run.results })).into_response();
            response
                .headers_mut()
                .insert("x-sql-statements", count.into());
            response
        }
        Ok(false) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => failed(error),
    }
}

fn failed(error: sqlx::Error) -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response()
}

/// Serves the floor on a free loopback port and prints `listening on http://…` as the server
/// does.
pub async fn serve(url: &str) -> anyhow::Result<()> {
    use poem::listener::{Acceptor, Listener, TcpListener};
    let pool = Pool::open(url).await.context("opening the floor's pool")?;
    let tree = Statement {
        sql: r#"SELECT "id", "parent_id" FROM "organization""#.to_string(),
        args: Vec::new(),
    };
    let parents = pool
        .acquire()
        .await?
        .rows(&tree)
        .await?
        .iter()
        .filter_map(|row| Some((uuid_of(&row["id"])?, uuid_of(&row["parent_id"]))))
        .collect();
    let acceptor = TcpListener::bind("127.0.0.1:0").into_acceptor().await?;
    let address = acceptor
        .local_addr()
        .into_iter()
        .find_map(|a| a.as_socket_addr().copied())
        .context("the floor's address")?;
    let state = std::sync::Arc::new(State {
        pool,
        parents,
        sessions: Default::default(),
    });
    let app = Route::new().at("/floor/:name", post(query)).data(state);
    println!("listening on http://{address}/");
    Server::new_with_acceptor(acceptor)
        .run(app)
        .await
        .context("the floor stopped")
}
