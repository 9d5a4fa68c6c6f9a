//! 督办统计: the dashboard's figures, its league tables of leaders and units with a bar chart
//! drawn as SVG, a county's table of its townships, and the ledger download — today, or a past
//! year as of its last day (`/dashboard?year=`).

use std::collections::HashMap;

use askama::Template;
use chrono::{Datelike, NaiveDate};
use jiandu_domain::report::percent;
use jiandu_domain::rollup::Counts;
use poem::handler;
use poem::web::{Data, Query};
use serde::Deserialize;
use uuid::Uuid;

use super::board::light_word;
use super::names::Names;
use super::page::{self, Me, OrPage, Page, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::{extensions, organizations, reports};

/// Rows of a league table shown, at most.
const LEAGUE_ROWS: usize = 15;
/// Width in SVG units of the longest bar.
const BAR_WIDTH: u64 = 520;

pub struct LeagueRow {
    pub name: String,
    pub items: u64,
    pub overdue: u64,
    pub due_soon: u64,
    pub closed: u64,
    pub rate: String,
    /// Bar lengths: concluded, open, overdue (stacked).
    pub done_width: u64,
    pub open_width: u64,
    pub overdue_width: u64,
    pub y: u64,
}

pub struct OrgRow {
    pub name: String,
    pub projects: u64,
    pub items: u64,
    pub overdue: u64,
    pub due_soon: u64,
    pub pending_sign_off: u64,
    pub rate: String,
    pub open_findings: u64,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    year: i32,
    this_year: i32,
    /// A past year, as of its last day.
    past: bool,
    as_of: String,
    projects: u64,
    lights: Vec<((&'static str, &'static str), u64)>,
    counts: Counts,
    rate: String,
    open_findings: u64,
    overdue_findings: u64,
    pending_extensions: u64,
    /// Deputies' suggestions being handled, and of those overdue.
    suggestions: (u64, u64),
    leaders: Vec<LeagueRow>,
    chart_height: u64,
    units: Vec<LeagueRow>,
    organizations: Vec<OrgRow>,
}

fn rate(counts: &Counts) -> String {
    counts.on_time_rate().map_or("—".into(), percent)
}

/// A league table's rows, worst first as the dashboard orders them, with bars scaled to the
/// largest row.
fn league(rows: &[(Uuid, Counts)], names: &HashMap<Uuid, String>) -> Vec<LeagueRow> {
    let shown = &rows[..rows.len().min(LEAGUE_ROWS)];
    let widest = shown
        .iter()
        .map(|(_, c)| c.total.saturating_sub(c.cancelled))
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = |n: u64| n * BAR_WIDTH / widest;
    shown
        .iter()
        .enumerate()
        .map(|(i, (id, c))| LeagueRow {
            name: names.get(id).cloned().unwrap_or_else(|| "—".into()),
            items: c.total.saturating_sub(c.cancelled),
            overdue: c.overdue,
            due_soon: c.due_soon,
            closed: c.done,
            rate: rate(c),
            done_width: scale(c.done),
            open_width: scale(c.open.saturating_sub(c.overdue) + c.pending_sign_off),
            overdue_width: scale(c.overdue),
            y: i as u64 * 24,
        })
        .collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DashboardQuery {
    /// Taken as written: a year that is not a number is this year, not an error page.
    year: Option<String>,
}

#[handler]
pub async fn dashboard(
    signed: Signed,
    Data(state): Data<&AppState>,
    Query(query): Query<DashboardQuery>,
) -> Page {
    let ctx = &state.ctx;
    let actor = &signed.actor;
    let today = actor.today_in(actor.organization_id(), ctx.now(), None);
    // A past year as of its last day; this year (or one not yet begun) as of today.
    let year = query
        .year
        .and_then(|y| y.trim().parse().ok())
        .filter(|y| (2000..today.year()).contains(y))
        .unwrap_or(today.year());
    let as_of = (year < today.year())
        .then(|| NaiveDate::from_ymd_opt(year, 12, 31))
        .flatten();
    let loaded = async {
        let figures = reports::dashboard(ctx, actor, None, as_of).await?;
        let pending = extensions::pending_count(ctx, actor, &figures.organizations).await?;
        let days: HashMap<Uuid, chrono::NaiveDate> = figures
            .todays
            .days()
            .map(|(today, org)| (org, today.date))
            .collect();
        let suggestions = crate::service::suggestions::open_and_overdue(
            ctx,
            actor,
            &figures.organizations,
            |org| days.get(&org).copied().unwrap_or(figures.as_of),
        )
        .await?;
        let names = Names::of(ctx, actor, &[]).await?;
        let org_ids: Vec<Uuid> = figures.by_organization.iter().map(|(id, _)| *id).collect();
        let orgs = organizations::organizations_by_ids(ctx, actor, &org_ids).await?;
        Ok::<_, AppError>((figures, pending, suggestions, names, orgs))
    }
    .await;
    let (figures, pending, suggestions, names, orgs) = loaded.or_page(&signed.me)?;
    let org_names: HashMap<Uuid, String> = orgs.into_iter().map(|o| (o.id, o.name)).collect();
    let leaders = league(&figures.by_leader, names.people());
    let organizations = if figures.by_organization.len() > 1 {
        figures
            .by_organization
            .iter()
            .map(|(id, f)| OrgRow {
                name: org_names.get(id).cloned().unwrap_or_default(),
                projects: f.project_count,
                items: f.milestones.total.saturating_sub(f.milestones.cancelled),
                overdue: f.milestones.overdue,
                due_soon: f.milestones.due_soon,
                pending_sign_off: f.milestones.pending_sign_off,
                rate: rate(&f.milestones),
                open_findings: f.open_findings,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(page::ok(&DashboardPage {
        me: Some(&signed.me),
        nav: "dashboard",
        year,
        this_year: today.year(),
        past: as_of.is_some(),
        as_of: figures.as_of.to_string(),
        projects: figures.project_count,
        lights: figures
            .projects_by_light
            .iter()
            .map(|(light, n)| (light_word(*light), *n))
            .collect(),
        counts: figures.milestones,
        rate: rate(&figures.milestones),
        open_findings: figures.open_findings,
        overdue_findings: figures.overdue_findings,
        pending_extensions: pending,
        suggestions,
        chart_height: leaders.len() as u64 * 24 + 8,
        leaders,
        units: league(&figures.by_unit, names.units()),
        organizations,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_row_fills_the_chart_and_the_others_scale() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let counts = |total, done, overdue| Counts {
            total,
            done,
            open: total - done,
            overdue,
            ..Counts::default()
        };
        let rows = [(a, counts(10, 4, 3)), (b, counts(5, 5, 0))];
        let names = HashMap::from([(a, "李明".to_string())]);
        let table = league(&rows, &names);
        let width = |r: &LeagueRow| r.done_width + r.open_width + r.overdue_width;
        assert_eq!(width(&table[0]), BAR_WIDTH);
        assert_eq!(width(&table[1]), BAR_WIDTH / 2);
        assert_eq!(table[0].overdue_width, BAR_WIDTH * 3 / 10);
        assert_eq!(
            (table[0].name.as_str(), table[1].name.as_str()),
            ("李明", "—")
        );
        assert_eq!(table[1].y, 24);
    }
}
