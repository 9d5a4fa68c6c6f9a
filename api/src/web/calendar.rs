//! 工作日历: a month of the working-day calendar the deadlines are counted by (holidays and
//! make-up working days named), and the signed-in person's secret iCalendar address, so a phone's
//! calendar shows their deadlines.

use askama::Template;
use chrono::{Datelike, Duration, NaiveDate};
use jiandu_domain::DayKind;
use poem::web::{Data, Query};
use poem::{Request, Response, handler};
use serde::Deserialize;

use super::page::{self, Me, Page, Posted, Signed};
use crate::http::AppState;
use crate::service::{calendar, workdays};

pub struct Day {
    /// `None` for the blank cells before the 1st and after the month's end.
    pub number: Option<u32>,
    pub rest: bool,
    /// A weekend worked in exchange for a holiday (调休上班).
    pub make_up: bool,
    pub name: Option<String>,
    pub today: bool,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    title: String,
    weekdays: [&'static str; 7],
    weeks: Vec<Vec<Day>>,
    previous: String,
    next: String,
    /// The feed's address, just made.
    feed: Option<String>,
}

#[derive(Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

/// The first day of the month `YYYY-MM`, if it is one.
fn month_of(text: &str) -> Option<NaiveDate> {
    let (year, month) = text.split_once('-')?;
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
}

fn month_text(first: NaiveDate) -> String {
    format!("{}-{:02}", first.year(), first.month())
}

async fn render(
    state: &AppState,
    signed: &Signed,
    month: Option<&str>,
    feed: Option<String>,
) -> Response {
    let actor = &signed.actor;
    let today = actor.today_in(actor.organization_id(), state.ctx.now(), None);
    let first = month
        .and_then(month_of)
        .unwrap_or_else(|| today.with_day(1).unwrap_or(today));
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    let last = next - Duration::days(1);
    let days = match workdays::calendar_days(&state.ctx, first, last).await {
        Ok(days) => days,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    // Weeks start on Monday, as Chinese calendars print them.
    let mut cells: Vec<Day> = (0..first.weekday().num_days_from_monday())
        .map(|_| blank())
        .collect();
    cells.extend(days.into_iter().map(|d| Day {
        number: Some(d.date.day()),
        rest: d.kind == DayKind::RestDay,
        // 班 marks a weekend worked in exchange for a holiday, not every working day.
        make_up: d.kind != DayKind::RestDay && d.date.weekday().num_days_from_monday() >= 5,
        name: d.name,
        today: d.date == today,
    }));
    while !cells.len().is_multiple_of(7) {
        cells.push(blank());
    }
    let weeks = cells
        .chunks(7)
        .map(|week| week.iter().map(copy).collect())
        .collect();
    let previous = first
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(first);
    page::ok(&CalendarPage {
        me: Some(&signed.me),
        nav: "calendar",
        title: format!("{}年{}月", first.year(), first.month()),
        weekdays: WEEKDAYS,
        weeks,
        previous: month_text(previous),
        next: month_text(next),
        feed,
    })
}

fn blank() -> Day {
    Day {
        number: None,
        rest: false,
        make_up: false,
        name: None,
        today: false,
    }
}

fn copy(day: &Day) -> Day {
    Day {
        number: day.number,
        rest: day.rest,
        make_up: day.make_up,
        name: day.name.clone(),
        today: day.today,
    }
}

/// The weekdays' headings, Monday first.
const WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

#[handler]
pub async fn show_month(
    signed: Signed,
    Data(state): Data<&AppState>,
    Query(query): Query<MonthQuery>,
) -> Page {
    Ok(render(state, &signed, query.month.as_deref(), None).await)
}

#[derive(Deserialize, Default)]
pub struct FeedForm {}

/// Makes a new secret feed address (the old one stops working) and shows it once.
#[handler]
pub async fn new_feed(
    Posted {
        signed,
        form: FeedForm {},
        ..
    }: Posted<FeedForm>,
    request: &Request,
    Data(state): Data<&AppState>,
) -> Page {
    Ok(match calendar::rotate(&state.ctx, &signed.actor).await {
        Ok(path) => {
            let host = request
                .headers()
                .get(poem::http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("127.0.0.1:8080");
            let scheme = if crate::http::session::over_https(request, state.limits.trusted_proxies)
            {
                "https"
            } else {
                "http"
            };
            render(
                state,
                &signed,
                None,
                Some(format!("{scheme}://{host}{path}")),
            )
            .await
        }
        Err(error) => page::error_page(Some(&signed.me), &error),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_read_as_written_and_nothing_else() {
        assert_eq!(month_of("2024-10"), NaiveDate::from_ymd_opt(2024, 10, 1));
        assert_eq!(month_of("2024-13"), None);
        assert_eq!(month_of("October"), None);
        assert_eq!(
            month_text(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default()),
            "2025-01"
        );
    }
}
