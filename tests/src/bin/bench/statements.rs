//! The statements the server runs for each benchmark query, copied from its statement trace
//! (`RUST_LOG=jiandu::sql=trace`) with their arguments in the same order: `{orgs}` and
//! `{projects}` stand for `?` lists as long as the organisations in scope and the projects of a
//! page. Placeholders are SQLite's `?`; PostgreSQL gets `$1…$n` and its own day arithmetic.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// A bound value, typed as the server binds it (an `Int` is 32-bit, a `BigInt` 64-bit: on
/// PostgreSQL a sum over the one is `int8`, over the other `numeric`).
#[derive(Debug, Clone)]
pub enum Arg {
    Uuid(Uuid),
    Text(String),
    Int(i32),
    BigInt(i64),
    Date(NaiveDate),
    Time(DateTime<Utc>),
    Json(serde_json::Value),
    Bool(bool),
    NullText,
}

#[derive(Clone)]
pub struct Statement {
    pub sql: String,
    pub args: Vec<Arg>,
}

/// A statement as the server's own query builder writes it (for the statements too long to copy
/// by hand: the projects list's grouped figures), in `dialect`, with its values as arguments.
pub fn built(statement: &sea_orm::sea_query::SelectStatement, dialect: Dialect) -> Statement {
    use sea_orm::sea_query::{PostgresQueryBuilder, SqliteQueryBuilder, Value};
    let (sql, values) = match dialect {
        Dialect::Sqlite => statement.build(SqliteQueryBuilder),
        Dialect::Postgres => statement.build(PostgresQueryBuilder),
    };
    let args = values
        .0
        .into_iter()
        .map(|value| match value {
            Value::Bool(Some(v)) => Arg::Bool(v),
            Value::Int(Some(v)) => Arg::Int(v),
            Value::BigInt(Some(v)) => Arg::BigInt(v),
            Value::String(Some(v)) => Arg::Text(v),
            Value::ChronoDate(Some(v)) => Arg::Date(v),
            Value::Uuid(Some(v)) => Arg::Uuid(v),
            Value::ChronoDateTimeUtc(Some(v)) => Arg::Time(v),
            other => panic!("the floor binds no {other:?}"),
        })
        .collect();
    Statement { sql, args }
}

/// What a statement's SQL is written for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// How a template is expanded: the dialect, the lengths of its lists and the day it is about.
#[derive(Clone, Copy)]
pub struct Shape {
    pub dialect: Dialect,
    pub orgs: usize,
    pub projects: usize,
    pub today: NaiveDate,
}

impl Shape {
    /// `template` with its lists expanded, and its placeholders and day arithmetic in the
    /// dialect.
    pub fn statement(&self, template: &str, args: Vec<Arg>) -> Statement {
        let list = |n: usize| vec!["?"; n].join(", ");
        let day = |value: &str| match self.dialect {
            Dialect::Sqlite => format!("julianday({value})"),
            Dialect::Postgres => format!("({value} - DATE '2000-01-01')"),
        };
        let today = match self.dialect {
            Dialect::Sqlite => format!("'{}'", self.today),
            Dialect::Postgres => format!("DATE '{}'", self.today),
        };
        let sql = template
            .replace("{orgs}", &list(self.orgs))
            .replace("{projects}", &list(self.projects))
            .replace("{deadline_number}", &day("\"milestone\".\"due_by\""))
            .replace("{start_number}", &day("\"milestone\".\"start_date\""))
            .replace("{today_number}", &day(&today));
        let sql = match self.dialect {
            Dialect::Sqlite => sql,
            Dialect::Postgres => {
                let mut numbered = String::with_capacity(sql.len() + 64);
                let mut n = 0;
                for c in sql.chars() {
                    if c == '?' {
                        n += 1;
                        numbered.push_str(&format!("${n}"));
                    } else {
                        numbered.push(c);
                    }
                }
                numbered
            }
        };
        Statement { sql, args }
    }
}

// The SQL, verbatim.

pub const PROJECT_BY_ID: &str = r#"SELECT "project"."id", "project"."organization_id", "project"."title", "project"."description", "project"."origin", "project"."location", "project"."status", "project"."lead_leader_id", "project"."planned_start", "project"."planned_end", "project"."completed_on", "project"."version", "project"."created_at", "project"."updated_at" FROM "project" WHERE "project"."id" IN (?) AND "project"."organization_id" IN ({orgs})"#;

pub const FINDINGS_OF_PROJECTS: &str = r#"SELECT "finding"."id", "finding"."organization_id", "finding"."inspection_id", "finding"."project_id", "finding"."milestone_id", "finding"."description", "finding"."responsible_leader_id", "finding"."responsible_unit_id", "finding"."deadline", "finding"."original_deadline", "finding"."on_time_deadline", "finding"."due_by", "finding"."on_time_due_by", "finding"."times_rescheduled", "finding"."status", "finding"."resolution", "finding"."resolved_at", "finding"."resolved_on", "finding"."resolved_by", "finding"."verification_note", "finding"."version", "finding"."created_at", "finding"."updated_at" FROM "finding" WHERE "finding"."organization_id" IN ({orgs}) AND "finding"."project_id" IN ({projects}) ORDER BY "finding"."due_by" ASC, "finding"."id" ASC"#;

pub const MILESTONES_OF_PROJECTS: &str = r#"SELECT "milestone"."id", "milestone"."organization_id", "milestone"."project_id", "milestone"."parent_id", "milestone"."title", "milestone"."description", "milestone"."responsible_leader_id", "milestone"."responsible_unit_id", "milestone"."responsible_person_id", "milestone"."start_date", "milestone"."deadline", "milestone"."original_deadline", "milestone"."on_time_deadline", "milestone"."due_by", "milestone"."on_time_due_by", "milestone"."is_item", "milestone"."times_rescheduled", "milestone"."status", "milestone"."progress", "milestone"."weight", "milestone"."completed_at", "milestone"."completed_on", "milestone"."completed_by", "milestone"."completion_backdated", "milestone"."version", "milestone"."created_at", "milestone"."updated_at" FROM "milestone" WHERE "milestone"."project_id" IN ({projects}) AND "milestone"."organization_id" IN ({orgs}) ORDER BY "milestone"."deadline" ASC, "milestone"."title" ASC, "milestone"."id" ASC"#;

pub const COUNT_PROJECTS: &str = r#"SELECT COUNT(*) AS num_items FROM (SELECT "project"."id", "project"."organization_id", "project"."title", "project"."description", "project"."origin", "project"."location", "project"."status", "project"."lead_leader_id", "project"."planned_start", "project"."planned_end", "project"."completed_on", "project"."version", "project"."created_at", "project"."updated_at" FROM "project" WHERE "project"."organization_id" IN ({orgs})) AS "sub_query""#;

pub const PROJECTS_PAGE: &str = r#"SELECT "project"."id", "project"."organization_id", "project"."title", "project"."description", "project"."origin", "project"."location", "project"."status", "project"."lead_leader_id", "project"."planned_start", "project"."planned_end", "project"."completed_on", "project"."version", "project"."created_at", "project"."updated_at" FROM "project" WHERE "project"."organization_id" IN ({orgs}) ORDER BY "project"."id" ASC LIMIT ?"#;

pub const COUNT_OVERDUE: &str = r#"SELECT COUNT(*) AS num_items FROM (SELECT "milestone"."id", "milestone"."organization_id", "milestone"."project_id", "milestone"."parent_id", "milestone"."title", "milestone"."description", "milestone"."responsible_leader_id", "milestone"."responsible_unit_id", "milestone"."responsible_person_id", "milestone"."start_date", "milestone"."deadline", "milestone"."original_deadline", "milestone"."on_time_deadline", "milestone"."due_by", "milestone"."on_time_due_by", "milestone"."is_item", "milestone"."times_rescheduled", "milestone"."status", "milestone"."progress", "milestone"."weight", "milestone"."completed_at", "milestone"."completed_on", "milestone"."completed_by", "milestone"."completion_backdated", "milestone"."version", "milestone"."created_at", "milestone"."updated_at" FROM "milestone" WHERE "milestone"."organization_id" IN ({orgs}) AND ("milestone"."status" IN (?, ?) AND "milestone"."due_by" < ?)) AS "sub_query""#;

pub const OVERDUE_PAGE: &str = r#"SELECT "milestone"."id", "milestone"."organization_id", "milestone"."project_id", "milestone"."parent_id", "milestone"."title", "milestone"."description", "milestone"."responsible_leader_id", "milestone"."responsible_unit_id", "milestone"."responsible_person_id", "milestone"."start_date", "milestone"."deadline", "milestone"."original_deadline", "milestone"."on_time_deadline", "milestone"."due_by", "milestone"."on_time_due_by", "milestone"."is_item", "milestone"."times_rescheduled", "milestone"."status", "milestone"."progress", "milestone"."weight", "milestone"."completed_at", "milestone"."completed_on", "milestone"."completed_by", "milestone"."completion_backdated", "milestone"."version", "milestone"."created_at", "milestone"."updated_at" FROM "milestone" WHERE "milestone"."organization_id" IN ({orgs}) AND ("milestone"."status" IN (?, ?) AND "milestone"."due_by" < ?) ORDER BY "milestone"."due_by" ASC, "milestone"."title" ASC, "milestone"."id" ASC LIMIT ?"#;

pub const MILESTONE_BY_ID: &str = r#"SELECT "milestone"."id", "milestone"."organization_id", "milestone"."project_id", "milestone"."parent_id", "milestone"."title", "milestone"."description", "milestone"."responsible_leader_id", "milestone"."responsible_unit_id", "milestone"."responsible_person_id", "milestone"."start_date", "milestone"."deadline", "milestone"."original_deadline", "milestone"."on_time_deadline", "milestone"."due_by", "milestone"."on_time_due_by", "milestone"."is_item", "milestone"."times_rescheduled", "milestone"."status", "milestone"."progress", "milestone"."weight", "milestone"."completed_at", "milestone"."completed_on", "milestone"."completed_by", "milestone"."completion_backdated", "milestone"."version", "milestone"."created_at", "milestone"."updated_at" FROM "milestone" WHERE "milestone"."id" = ? LIMIT ?"#;

pub const CHILDREN: &str = r#"SELECT "milestone"."id", "milestone"."organization_id", "milestone"."project_id", "milestone"."parent_id", "milestone"."title", "milestone"."description", "milestone"."responsible_leader_id", "milestone"."responsible_unit_id", "milestone"."responsible_person_id", "milestone"."start_date", "milestone"."deadline", "milestone"."original_deadline", "milestone"."on_time_deadline", "milestone"."due_by", "milestone"."on_time_due_by", "milestone"."is_item", "milestone"."times_rescheduled", "milestone"."status", "milestone"."progress", "milestone"."weight", "milestone"."completed_at", "milestone"."completed_on", "milestone"."completed_by", "milestone"."completion_backdated", "milestone"."version", "milestone"."created_at", "milestone"."updated_at" FROM "milestone" WHERE "milestone"."parent_id" = ?"#;

pub const INSERT_PROGRESS_REPORT: &str = r#"INSERT INTO "progress_report" ("id", "milestone_id", "progress", "note", "reported_by", "reported_at") VALUES (?, ?, ?, ?, ?, ?) RETURNING "id", "milestone_id", "progress", "note", "reported_by", "reported_at""#;

pub const UPDATE_MILESTONE: &str = r#"UPDATE "milestone" SET "status" = ?, "progress" = ?, "version" = ?, "updated_at" = ? WHERE "milestone"."id" = ? AND "milestone"."version" = ?"#;

pub const INSERT_AUDIT_EVENT: &str = r#"INSERT INTO "audit_event" ("id", "organization_id", "actor_id", "action", "entity_type", "entity_id", "before", "after", "at") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id", "organization_id", "actor_id", "action", "entity_type", "entity_id", "before", "after", "at""#;

pub const COUNT_SUGGESTIONS: &str = r#"SELECT COUNT(*) AS num_items FROM (SELECT "suggestion"."id", "suggestion"."organization_id", "suggestion"."number", "suggestion"."year", "suggestion"."sequence", "suggestion"."title", "suggestion"."content", "suggestion"."category", "suggestion"."source", "suggestion"."lead_deputy_id", "suggestion"."received_on", "suggestion"."status", "suggestion"."assigned_on", "suggestion"."lead_unit_id", "suggestion"."responsible_leader_id", "suggestion"."key_item", "suggestion"."deadline", "suggestion"."due_by", "suggestion"."on_time_deadline", "suggestion"."on_time_due_by", "suggestion"."round", "suggestion"."answered_on", "suggestion"."concluded_on", "suggestion"."withdrawn_reason", "suggestion"."project_id", "suggestion"."created_by", "suggestion"."created_at", "suggestion"."version", "suggestion"."updated_at" FROM "suggestion" WHERE "suggestion"."organization_id" IN ({orgs})) AS "sub_query""#;

pub const SUGGESTIONS_PAGE: &str = r#"SELECT "suggestion"."id", "suggestion"."organization_id", "suggestion"."number", "suggestion"."year", "suggestion"."sequence", "suggestion"."title", "suggestion"."content", "suggestion"."category", "suggestion"."source", "suggestion"."lead_deputy_id", "suggestion"."received_on", "suggestion"."status", "suggestion"."assigned_on", "suggestion"."lead_unit_id", "suggestion"."responsible_leader_id", "suggestion"."key_item", "suggestion"."deadline", "suggestion"."due_by", "suggestion"."on_time_deadline", "suggestion"."on_time_due_by", "suggestion"."round", "suggestion"."answered_on", "suggestion"."concluded_on", "suggestion"."withdrawn_reason", "suggestion"."project_id", "suggestion"."created_by", "suggestion"."created_at", "suggestion"."version", "suggestion"."updated_at" FROM "suggestion" WHERE "suggestion"."organization_id" IN ({orgs}) ORDER BY "suggestion"."received_on" DESC, "suggestion"."year" DESC, "suggestion"."sequence" DESC, "suggestion"."id" DESC LIMIT ?"#;

pub const SUGGESTION_FIGURES: &str = r#"SELECT "suggestion"."id", "suggestion"."status", "suggestion"."assigned_on", "suggestion"."round", "suggestion"."on_time_due_by" FROM "suggestion" WHERE "suggestion"."organization_id" IN ({orgs}) AND "suggestion"."year" = ? AND "suggestion"."status" <> ?"#;

pub const SUGGESTION_ANSWER_FIGURES: &str = r#"SELECT "suggestion_answer"."suggestion_id", "suggestion_answer"."round", "suggestion_answer"."answered_on", "suggestion_answer"."answer_class", "suggestion_answer"."met_deputy", "suggestion_answer"."feedback" FROM "suggestion_answer" WHERE "suggestion_answer"."suggestion_id" IN (SELECT "suggestion"."id" FROM "suggestion" WHERE "suggestion"."organization_id" IN ({orgs}) AND "suggestion"."year" = ? AND "suggestion"."status" <> ?)"#;

pub const ORGANIZATION_NAMES: &str = r#"SELECT "organization"."id", "organization"."name", "organization"."timezone", "organization"."parent_id", "organization"."created_at" FROM "organization" WHERE "organization"."id" IN ({orgs})"#;
pub const AUTHENTICATE: &str = r#"SELECT "session"."id" AS "A_id", "session"."user_id" AS "A_user_id", "session"."token_hash" AS "A_token_hash", "session"."created_at" AS "A_created_at", "session"."expires_at" AS "A_expires_at", "session"."revoked_at" AS "A_revoked_at", "session"."last_used_at" AS "A_last_used_at", "app_user"."id" AS "B_id", "app_user"."organization_id" AS "B_organization_id", "app_user"."username" AS "B_username", "app_user"."password_hash" AS "B_password_hash", "app_user"."role" AS "B_role", "app_user"."person_id" AS "B_person_id", "app_user"."created_at" AS "B_created_at", "app_user"."disabled_at" AS "B_disabled_at", "app_user"."must_change_password" AS "B_must_change_password", "app_user"."version" AS "B_version", "app_user"."updated_at" AS "B_updated_at" FROM "session" LEFT JOIN "app_user" ON "session"."user_id" = "app_user"."id" WHERE "session"."token_hash" = ? AND "session"."revoked_at" IS NULL AND "session"."expires_at" > ? AND "app_user"."disabled_at" IS NULL LIMIT ?"#;
