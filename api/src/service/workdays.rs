//! The working-day calendar in the database (docs/rules.md §4): the shipped arrangements loaded into
//! `work_calendar_day` at start-up, the days operators set, the calendar every rule reads (kept
//! in memory like the other small tables), and the stored `due_by` / `on_time_due_by` of
//! milestones and findings brought in line whenever the calendar or an organisation's
//! `rollDeadlinesOffRestDays` changes.

use jiandu_domain::Reason;
use jiandu_domain::field;
mod due_dates;

pub use due_dates::{Scope, roll_due_dates};

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::{Datelike, NaiveDate, Utc};
use jiandu_domain::settings::Settings;
use jiandu_domain::workdays::{self, ArrangedDay, DayKind, WorkCalendar};
use sea_orm::{EntityTrait, Set};
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
        return Err(AppError::required(field::FILE, "names no day"));
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
        return Err(AppError::invalid(
            field::TO,
            Reason::BeforeStart { start: from },
            "is before `from`",
        ));
    }
    if (to - from).num_days() >= MAX_SPAN_DAYS {
        return Err(AppError::invalid(
            field::TO,
            Reason::TooMany {
                max: MAX_SPAN_DAYS as usize,
            },
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
