//! The stored due days (`due_by`, `on_time_due_by`) of milestones and findings brought in line
//! with the calendar and each organisation's `rollDeadlinesOffRestDays`, in SQL, a span of
//! days at a time.

use std::ops::RangeInclusive;

use chrono::{Duration, NaiveDate};
use jiandu_domain::workdays::{DayKind, WorkCalendar};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SimpleExpr};
use uuid::Uuid;

use super::Rules;
use crate::error::AppError;

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
