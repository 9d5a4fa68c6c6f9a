//! The statements of each benchmark query, as the server runs them (copied from its
//! `RUST_LOG=jiandu::sql=trace`), with the arguments the server binds.

use chrono::{NaiveDate, Utc};
use sea_orm::sqlx;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Run, ids, uuid_of};
use crate::statements::{self as sql, Arg, Shape};

fn text(s: &str) -> Arg {
    Arg::Text(s.to_string())
}

const OPEN: [&str; 2] = ["NOT_STARTED", "IN_PROGRESS"];

/// The statements of query `name` after sign-in, as the server runs them.
pub(super) async fn statements(
    run: &mut Run<'_>,
    name: &str,
    variables: &Value,
    user: &Value,
) -> sqlx::Result<bool> {
    let today = run.shape.today;
    match name {
        "typename" => {}
        "project_by_id" | "project_tree" => {
            let Some(project) = uuid_of(&variables["id"]) else {
                return Ok(false);
            };
            let one = Shape {
                projects: 1,
                ..run.shape
            };
            let mut args = vec![Arg::Uuid(project)];
            args.extend(run.orgs());
            run.run(sql::PROJECT_BY_ID, args).await?;
            let mut args = vec![Arg::Uuid(project)];
            args.extend(run.orgs());
            run.run_shaped(one, sql::MILESTONES_OF_PROJECTS, args)
                .await?;
            if name == "project_by_id" {
                // Its light, from its findings and milestones as read.
                let mut args = run.orgs();
                args.push(Arg::Uuid(project));
                run.run_shaped(one, sql::FINDINGS_OF_PROJECTS, args).await?;
            }
        }
        "projects_first_20" | "projects_first_20_uncached" => {
            run.run(sql::COUNT_PROJECTS, run.orgs()).await?;
            let mut args = run.orgs();
            args.push(Arg::BigInt(21));
            let page = run.run(sql::PROJECTS_PAGE, args).await?;
            // Kept figures run no statement; computed ones the grouped one.
            if name == "projects_first_20_uncached" {
                let mut projects = ids(&page, "id");
                projects.truncate(20);
                let figures = project_figures(run, &projects);
                run.run_statement(&figures).await?;
            }
        }
        "overdue_in_township" => {
            let Some(town) = uuid_of(&variables["o"]) else {
                return Ok(false);
            };
            let one_town = Shape {
                orgs: 1,
                ..run.shape
            };
            let args = vec![
                Arg::Uuid(town),
                text(OPEN[0]),
                text(OPEN[1]),
                Arg::Date(today),
            ];
            run.run_shaped(one_town, sql::COUNT_OVERDUE, args.clone())
                .await?;
            let mut page = args;
            page.push(Arg::BigInt(21));
            run.run_shaped(one_town, sql::OVERDUE_PAGE, page).await?;
        }
        "dashboard" => {
            for statement in share_statements(run) {
                run.run_statement(&statement).await?;
            }
            run.run(sql::ORGANIZATION_NAMES, run.orgs()).await?;
        }
        "suggestions_first_20" => {
            run.run(sql::COUNT_SUGGESTIONS, run.orgs()).await?;
            let mut args = run.orgs();
            args.push(Arg::BigInt(21));
            run.run(sql::SUGGESTIONS_PAGE, args).await?;
        }
        "suggestion_stats" => {
            let Some(year) = variables["y"].as_i64() else {
                return Ok(false);
            };
            let mut args = run.orgs();
            args.push(Arg::Int(year as i32));
            args.push(text("WITHDRAWN"));
            run.run(sql::SUGGESTION_FIGURES, args.clone()).await?;
            run.run(sql::SUGGESTION_ANSWER_FIGURES, args).await?;
        }
        "report_progress" => {
            let (Some(milestone), Some(progress)) =
                (uuid_of(&variables["id"]), variables["p"].as_i64())
            else {
                return Ok(false);
            };
            report_progress(run, user, milestone, progress as i32).await?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Each of the run's organisations on its day, under the default settings (the benchmark's data
/// changes none) and the shipped calendar: what the server judges by.
fn todays(run: &Run<'_>) -> jiandu_api::service::filter::Todays {
    use std::sync::OnceLock;
    static CALENDAR: OnceLock<jiandu_domain::WorkCalendar> = OnceLock::new();
    let calendar = CALENDAR.get_or_init(|| {
        jiandu_domain::WorkCalendar::new(
            jiandu_domain::workdays::parse(jiandu_domain::workdays::SHIPPED).unwrap_or_default(),
        )
    });
    let today = jiandu_domain::Today::new(
        run.shape.today,
        &jiandu_domain::settings::Settings::default(),
        calendar,
    );
    jiandu_api::service::filter::Todays::of(run.orgs.iter().map(|org| (today, *org)))
}

fn backend(dialect: sql::Dialect) -> sea_orm::DatabaseBackend {
    match dialect {
        sql::Dialect::Sqlite => sea_orm::DatabaseBackend::Sqlite,
        sql::Dialect::Postgres => sea_orm::DatabaseBackend::Postgres,
    }
}

/// The dashboard's three grouped scans, as the server builds them: once per dialect, scope and
/// day.
fn share_statements(run: &Run<'_>) -> Vec<sql::Statement> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Key = (bool, usize, NaiveDate);
    static BUILT: OnceLock<Mutex<HashMap<Key, Vec<sql::Statement>>>> = OnceLock::new();
    let dialect = run.shape.dialect;
    let key = (
        dialect == sql::Dialect::Postgres,
        run.orgs.len(),
        run.shape.today,
    );
    let mut built = BUILT
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    built
        .entry(key)
        .or_insert_with(|| {
            jiandu_api::service::reports::share_statements(backend(dialect), run.orgs, &todays(run))
                .iter()
                .map(|statement| sql::built(statement, dialect))
                .collect()
        })
        .clone()
}

/// The projects list's figures statement for `projects`, as the server builds it: built once per
/// dialect, scope and page length with stand-in ids, which each request swaps for its own, so the
/// floor pays no query building.
fn project_figures(run: &Run<'_>, projects: &[Uuid]) -> sql::Statement {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Key = (bool, usize, usize, NaiveDate);
    static BUILT: OnceLock<Mutex<HashMap<Key, sql::Statement>>> = OnceLock::new();
    let stand_in = |i: usize| Uuid::from_u128(0x4a69_616e_6475 << 64 | i as u128);
    let dialect = run.shape.dialect;
    let key = (
        dialect == sql::Dialect::Postgres,
        run.orgs.len(),
        projects.len(),
        run.shape.today,
    );
    let mut built = BUILT
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let template = built.entry(key).or_insert_with(|| {
        let stand_ins: Vec<Uuid> = (0..projects.len()).map(stand_in).collect();
        let statement = jiandu_api::service::figures::statement(
            backend(dialect),
            &stand_ins,
            run.orgs,
            &todays(run),
        );
        sql::built(&statement, dialect)
    });
    let args = template
        .args
        .iter()
        .map(|arg| match arg {
            Arg::Uuid(id) => match (0..projects.len()).find(|i| stand_in(*i) == *id) {
                Some(i) => Arg::Uuid(projects[i]),
                None => arg.clone(),
            },
            other => other.clone(),
        })
        .collect();
    sql::Statement {
        sql: template.sql.clone(),
        args,
    }
}

/// A progress report in one transaction: the milestone and its children, the report, the
/// guarded update, each ancestor with its children, and the audit event.
async fn report_progress(
    run: &mut Run<'_>,
    user: &Value,
    milestone: Uuid,
    progress: i32,
) -> sqlx::Result<()> {
    let now = Utc::now();
    let actor = uuid_of(&user["B_id"]).unwrap_or_default();
    run.conn.control("BEGIN").await?;
    let outcome = async {
        let before = run
            .run(
                sql::MILESTONE_BY_ID,
                vec![Arg::Uuid(milestone), Arg::BigInt(1)],
            )
            .await?;
        let before = before[0].clone();
        run.run(sql::CHILDREN, vec![Arg::Uuid(milestone)]).await?;
        let report = vec![
            Arg::Uuid(Uuid::now_v7()),
            Arg::Uuid(milestone),
            Arg::Int(progress),
            Arg::NullText,
            Arg::Uuid(actor),
            Arg::Time(now),
        ];
        run.run(sql::INSERT_PROGRESS_REPORT, report).await?;
        let version = before["version"].as_i64().unwrap_or(0) as i32;
        let update = vec![
            text("IN_PROGRESS"),
            Arg::Int(progress),
            Arg::Int(version + 1),
            Arg::Time(now),
            Arg::Uuid(milestone),
            Arg::Int(version),
        ];
        run.run(sql::UPDATE_MILESTONE, update).await?;
        let mut parent = uuid_of(&before["parent_id"]);
        while let Some(id) = parent {
            let rows = run
                .run(sql::MILESTONE_BY_ID, vec![Arg::Uuid(id), Arg::BigInt(1)])
                .await?;
            run.run(sql::CHILDREN, vec![Arg::Uuid(id)]).await?;
            parent = uuid_of(&rows[0]["parent_id"]);
        }
        let mut after = before.clone();
        after["progress"] = json!(progress);
        after["version"] = json!(version + 1);
        let event = vec![
            Arg::Uuid(Uuid::now_v7()),
            Arg::Uuid(uuid_of(&before["organization_id"]).unwrap_or_default()),
            Arg::Uuid(actor),
            text("milestone.report_progress"),
            text("Milestone"),
            Arg::Uuid(milestone),
            Arg::Json(before),
            Arg::Json(after),
            Arg::Time(now),
        ];
        run.run(sql::INSERT_AUDIT_EVENT, event).await?;
        Ok::<_, sqlx::Error>(())
    }
    .await;
    match outcome {
        Ok(()) => run.conn.control("COMMIT").await,
        Err(error) => {
            let _ = run.conn.control("ROLLBACK").await;
            Err(error)
        }
    }
}
