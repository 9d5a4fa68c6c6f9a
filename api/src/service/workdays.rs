//! The working-day calendar in the database (docs/rules.md §4): the shipped arrangements loaded into
//! `work_calendar_day` at start-up, the days operators set, the calendar every rule reads (kept
//! in memory like the other small tables), and the stored `due_by` / `on_time_due_by` of
//! milestones and findings brought in line whenever the calendar or an organisation's
//! `rollDeadlinesOffRestDays` changes.

use jiandu_domain::field;
use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::sync::Arc;
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use jiandu_domain::settings::Settings;
use jiandu_domain::workdays::{self, ArrangedDay, DayKind, WorkCalendar};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use tokio::sync::RwLock;
use uuid::Uuid;

use super::{Cached, Ctx};
use crate::db::Db;
use crate::entity::{organization_settings, work_calendar_day};
use crate::error::AppError;

/// The calendar as every rule reads it, rebuilt from the table at most every [`Cached::TTL`]
/// (an operator's change on another replica or from the command line shows within it).
#[derive(Clone, Default)]
pub struct CalendarCache {
    loaded: Arc<RwLock<Option<Loaded>>>,
}

/// The calendar and when it was read.
type Loaded = (Instant, Arc<WorkCalendar>);

impl CalendarCache {
    pub async fn get(&self, db: &Db) -> Result<Arc<WorkCalendar>, AppError> {
        if let Some((at, calendar)) = self.loaded.read().await.as_ref()
            && at.elapsed() < Cached::<work_calendar_day::Entity>::TTL
        {
            return Ok(calendar.clone());
        }
        let mut slot = self.loaded.write().await;
        if let Some((at, calendar)) = slot.as_ref()
            && at.elapsed() < Cached::<work_calendar_day::Entity>::TTL
        {
            return Ok(calendar.clone());
        }
        let rows = work_calendar_day::Entity::find().all(db.conn()).await?;
        let calendar = Arc::new(WorkCalendar::new(rows.iter().map(arranged)));
        *slot = Some((Instant::now(), calendar.clone()));
        Ok(calendar)
    }

    pub async fn invalidate(&self) {
        *self.loaded.write().await = None;
    }
}

fn kind_name(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Workday => "WORKDAY",
        DayKind::RestDay => "REST_DAY",
    }
}

fn arranged(row: &work_calendar_day::Model) -> ArrangedDay {
    ArrangedDay {
        date: row.day,
        kind: if row.kind == "WORKDAY" {
            DayKind::Workday
        } else {
            DayKind::RestDay
        },
        name: row.name.clone(),
    }
}

/// What a rule needs to judge an organisation's items: its settings and the calendar.
#[derive(Clone)]
pub struct Rules {
    pub calendar: Arc<WorkCalendar>,
    /// Only organisations that changed a setting have a row; by organisation id.
    stored: Arc<Vec<organization_settings::Model>>,
}

impl Rules {
    pub async fn load(ctx: &Ctx) -> Result<Rules, AppError> {
        Ok(Rules {
            calendar: ctx.calendar.get(&ctx.db).await?,
            stored: ctx.organization_settings.all(&ctx.db).await?,
        })
    }

    /// The settings of `organization`, the defaults when it never changed one.
    pub fn settings_of(&self, organization: Uuid) -> Settings {
        self.stored
            .binary_search_by_key(&organization, |row| row.organization_id)
            .ok()
            .map(|i| Settings::from(&self.stored[i]))
            .unwrap_or_default()
    }

    /// The day an item of `organization` with `deadline` is due by.
    pub fn due_by(&self, organization: Uuid, deadline: NaiveDate) -> NaiveDate {
        jiandu_domain::deadline::due_by(deadline, &self.settings_of(organization), &self.calendar)
    }

    /// `date` in `organization`, as its rules see it.
    pub fn today(&self, organization: Uuid, date: NaiveDate) -> jiandu_domain::Today {
        jiandu_domain::Today::new(date, &self.settings_of(organization), &self.calendar)
    }

    /// The organisations whose deadlines stay where they fall, even on a rest day.
    fn not_rolling(&self) -> Vec<Uuid> {
        self.stored
            .iter()
            .filter(|row| !row.roll_deadlines_off_rest_days)
            .map(|row| row.organization_id)
            .collect()
    }
}

/// Loads the shipped arrangements into the table, leaving the days an operator set alone, and
/// brings the stored due dates in line with whatever changed. Run at every start-up; the first
/// one on a database whose calendar is still empty rolls every stored due date.
pub async fn load_shipped(ctx: &Ctx) -> Result<(), AppError> {
    let shipped = workdays::parse(workdays::SHIPPED)?;
    let stored: HashMap<NaiveDate, work_calendar_day::Model> = work_calendar_day::Entity::find()
        .all(ctx.db.conn())
        .await?
        .into_iter()
        .map(|row| (row.day, row))
        .collect();
    let first = stored.is_empty();
    let changed: Vec<ArrangedDay> = shipped
        .into_iter()
        .filter(|day| match stored.get(&day.date) {
            Some(row) => !row.set_by_operator && arranged(row) != *day,
            None => true,
        })
        .collect();
    if !changed.is_empty() {
        let count = changed.len();
        let dates: Vec<NaiveDate> = changed.iter().map(|day| day.date).collect();
        write_days(ctx, changed, false, (!first).then_some(dates)).await?;
        tracing::info!(days = count, "arranged days of the work calendar loaded");
    }
    let calendar = ctx.calendar.get(&ctx.db).await?;
    let this_year = ctx.limits.default_zone.date_of(ctx.now()).year();
    for year in [this_year, this_year + 1] {
        if !calendar.covers(year) {
            tracing::warn!(
                year,
                "no holiday arrangement for this year: counting Monday to Friday as working \
                 days until its notice is imported (jiandu calendar import FILE)"
            );
        }
    }
    Ok(())
}

/// An operator's change: `days` written as set by the operator (the shipped file never
/// overwrites them), and the due dates they move rolled again. Returns how many days were
/// written.
pub async fn set_days(ctx: &Ctx, days: Vec<ArrangedDay>) -> Result<usize, AppError> {
    if days.is_empty() {
        return Err(AppError::validation(field::FILE, "names no day"));
    }
    let dates = days.iter().map(|day| day.date).collect();
    let count = days.len();
    write_days(ctx, days, true, Some(dates)).await?;
    Ok(count)
}

/// Writes `days` and rolls the due dates again: those near `dates`, or all when `None`.
async fn write_days(
    ctx: &Ctx,
    days: Vec<ArrangedDay>,
    by_operator: bool,
    dates: Option<Vec<NaiveDate>>,
) -> Result<(), AppError> {
    let txn = ctx.db.begin_write().await?;
    let now = Utc::now();
    for chunk in days.chunks(200) {
        let rows = chunk.iter().map(|day| work_calendar_day::ActiveModel {
            day: Set(day.date),
            kind: Set(kind_name(day.kind).to_string()),
            name: Set(day.name.clone()),
            set_by_operator: Set(by_operator),
            updated_at: Set(now),
        });
        work_calendar_day::Entity::insert_many(rows)
            .on_conflict(
                sea_orm::sea_query::OnConflict::column(work_calendar_day::Column::Day)
                    .update_columns([
                        work_calendar_day::Column::Kind,
                        work_calendar_day::Column::Name,
                        work_calendar_day::Column::SetByOperator,
                        work_calendar_day::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&*txn)
            .await?;
    }
    let calendar = WorkCalendar::new(
        work_calendar_day::Entity::find()
            .all(&*txn)
            .await?
            .iter()
            .map(arranged),
    );
    let settings = organization_settings::Entity::find().all(&*txn).await?;
    let rules = Rules {
        calendar: Arc::new(calendar),
        stored: Arc::new(settings),
    };
    let scope = match dates {
        None => Scope::Everything,
        Some(dates) => Scope::Near(dates),
    };
    roll_due_dates(&*txn, &rules, scope).await?;
    txn.commit().await?;
    ctx.calendar.invalidate().await;
    Ok(())
}

/// Which stored due dates to bring in line.
pub enum Scope {
    /// All of them (the first calendar load).
    Everything,
    /// Those whose deadline a change of these days can move: up to a month before the first.
    Near(Vec<NaiveDate>),
    /// One organisation's, after its `rollDeadlinesOffRestDays` changed.
    Organization(Uuid, bool),
}

/// Each tracked table's date and the stored day it is due by.
const DUE: [(&str, &str, &str); 6] = [
    ("milestone", "deadline", "due_by"),
    ("milestone", "on_time_deadline", "on_time_due_by"),
    ("finding", "deadline", "due_by"),
    ("finding", "on_time_deadline", "on_time_due_by"),
    ("suggestion", "deadline", "due_by"),
    ("suggestion", "on_time_deadline", "on_time_due_by"),
];

/// Sets every stored due date in `scope` to what `rules` make of its deadline. Derived
/// columns only: versions and histories stay as they are.
pub async fn roll_due_dates(
    db: &impl ConnectionTrait,
    rules: &Rules,
    scope: Scope,
) -> Result<(), AppError> {
    let not_rolling = rules.not_rolling();
    for (table, from, due) in DUE {
        let org = || Expr::col(Alias::new("organization_id"));
        match &scope {
            Scope::Organization(id, false) => {
                unrolled(db, table, from, due, org().eq(*id)).await?;
            }
            Scope::Organization(id, true) => {
                if let Some(span) = span_of(db, table, from, org().eq(*id)).await? {
                    rolled(db, rules, table, from, due, org().eq(*id), span).await?;
                }
            }
            Scope::Everything | Scope::Near(_) => {
                let rolling = if not_rolling.is_empty() {
                    Expr::val(true)
                } else {
                    org().is_not_in(not_rolling.iter().copied())
                };
                if matches!(scope, Scope::Everything) && !not_rolling.is_empty() {
                    unrolled(
                        db,
                        table,
                        from,
                        due,
                        org().is_in(not_rolling.iter().copied()),
                    )
                    .await?;
                }
                let span = match &scope {
                    Scope::Near(dates) => near(dates),
                    _ => span_of(db, table, from, rolling.clone()).await?,
                };
                if let Some(span) = span {
                    rolled(db, rules, table, from, due, rolling, span).await?;
                }
            }
        }
    }
    Ok(())
}

/// The days whose roll a change of `dates` can alter: a run of rest days is never a month long.
fn near(dates: &[NaiveDate]) -> Option<RangeInclusive<NaiveDate>> {
    let first = *dates.iter().min()?;
    let last = *dates.iter().max()?;
    Some(first - Duration::days(31)..=last)
}

/// The earliest and latest `from` among the rows `which`.
async fn span_of(
    db: &impl ConnectionTrait,
    table: &str,
    from: &str,
    which: SimpleExpr,
) -> Result<Option<RangeInclusive<NaiveDate>>, AppError> {
    let select = Query::select()
        .expr_as(Func::min(Expr::col(Alias::new(from))), Alias::new("first"))
        .expr_as(Func::max(Expr::col(Alias::new(from))), Alias::new("last"))
        .from(Alias::new(table))
        .and_where(which)
        .to_owned();
    let Some(row) = db.query_one(&select).await? else {
        return Ok(None);
    };
    let first: Option<NaiveDate> = row.try_get("", "first")?;
    let last: Option<NaiveDate> = row.try_get("", "last")?;
    Ok(first.zip(last).map(|(first, last)| first..=last))
}

/// `due = from` for the rows `which` where it is not.
async fn unrolled(
    db: &impl ConnectionTrait,
    table: &str,
    from: &str,
    due: &str,
    which: SimpleExpr,
) -> Result<(), AppError> {
    let update = Query::update()
        .table(Alias::new(table))
        .value(Alias::new(due), Expr::col(Alias::new(from)))
        .and_where(which)
        .and_where(Expr::col(Alias::new(due)).ne(Expr::col(Alias::new(from))))
        .to_owned();
    db.execute(&update).await?;
    Ok(())
}

/// `due = roll(from)` for the rows `which` with `from` in `span`, a year at a time (each
/// statement names that year's rest days).
async fn rolled(
    db: &impl ConnectionTrait,
    rules: &Rules,
    table: &str,
    from: &str,
    due: &str,
    which: SimpleExpr,
    span: RangeInclusive<NaiveDate>,
) -> Result<(), AppError> {
    let (mut first, last) = (*span.start(), *span.end());
    while first <= last {
        let end = Ord::min(first + Duration::days(365), last);
        let rest: Vec<NaiveDate> = WorkCalendar::days(&rules.calendar, first, end)
            .filter(|(_, kind, _)| *kind == DayKind::RestDay)
            .map(|(day, _, _)| day)
            .collect();
        let from_col = || Expr::col(Alias::new(from));
        let value: SimpleExpr = match rest.split_first() {
            None => from_col(),
            Some((head, tail)) => {
                let case = tail.iter().fold(
                    Expr::case(from_col().eq(*head), rules.calendar.roll(*head)),
                    |case, day| case.case(from_col().eq(*day), rules.calendar.roll(*day)),
                );
                case.finally(from_col()).into()
            }
        };
        let mut needing = Expr::col(Alias::new(due)).ne(from_col());
        if !rest.is_empty() {
            needing = needing.or(from_col().is_in(rest.iter().copied()));
        }
        let update = Query::update()
            .table(Alias::new(table))
            .value(Alias::new(due), value)
            .and_where(which.clone())
            .and_where(from_col().between(first, end))
            .and_where(needing)
            .to_owned();
        db.execute(&update).await?;
        first = end + Duration::days(1);
    }
    Ok(())
}

/// One day of `workCalendar`.
pub struct CalendarDayView {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name: Option<String>,
}

/// The longest span `workCalendar` answers at once.
pub const MAX_SPAN_DAYS: i64 = 366;

/// The days from `from` to `to`, each a working day or a rest day, with its name.
pub async fn calendar_days(
    ctx: &Ctx,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<CalendarDayView>, AppError> {
    if to < from {
        return Err(AppError::validation(field::TO, "is before `from`"));
    }
    if (to - from).num_days() >= MAX_SPAN_DAYS {
        return Err(AppError::validation(
            field::TO,
            format!("at most {MAX_SPAN_DAYS} days are answered at once"),
        ));
    }
    let calendar = ctx.calendar.get(&ctx.db).await?;
    Ok(calendar
        .days(from, to)
        .map(|(date, kind, name)| CalendarDayView {
            date,
            kind,
            name: name.map(str::to_string),
        })
        .collect())
}

/// The arrangement years the calendar knows, for `jiandu calendar` to report.
pub async fn known_years(ctx: &Ctx) -> Result<Vec<i32>, AppError> {
    Ok(ctx.calendar.get(&ctx.db).await?.years().collect())
}
