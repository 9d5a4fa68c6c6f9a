//! 年度报告: the year's figures, each with how it is counted and a link to the records behind
//! it, the year's sentences, a county's townships side by side, and the whole as a .docx
//! (docs/reports.md).

use askama::Template;
use poem::handler;
use poem::web::{Data, Path, Query};
use serde::Deserialize;
use uuid::Uuid;

use super::meetings::year_of;
use super::page::{self, Me, OrPage, Page, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::documents::{self, Table};
use crate::service::reports::{self, Figure, Part};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReportQuery {
    /// Taken as written: a year that is not a number is this year, not an error page.
    year: Option<String>,
    organization: Option<String>,
}

impl ReportQuery {
    fn year(&self) -> Option<i32> {
        self.year.as_deref().and_then(|y| y.trim().parse().ok())
    }

    /// The organisation asked about: none is the reader's own; one that is not an id is none
    /// the reader may read.
    fn organization(&self) -> Result<Option<Uuid>, AppError> {
        match self.organization.as_deref().filter(|o| !o.is_empty()) {
            None => Ok(None),
            Some(id) => Uuid::parse_str(id)
                .map(Some)
                .map_err(|_| AppError::not_found("organisation")),
        }
    }
}

/// A township of a county's table: its page, and its figures as the document prints them.
pub struct BelowRow {
    pub href: String,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    year: i32,
    years: Vec<i32>,
    organization: Option<Uuid>,
    name: String,
    summary: String,
    document_url: String,
    parts: Vec<Part>,
    below_header: Vec<String>,
    below: Vec<BelowRow>,
}

#[handler]
pub async fn report(
    signed: Signed,
    Data(state): Data<&AppState>,
    Query(query): Query<ReportQuery>,
) -> Page {
    let ctx = &state.ctx;
    let year = year_of(&signed, ctx, query.year());
    let organization = query.organization().or_page(&signed.me)?;
    let told = reports::year_told(ctx, &signed.actor, year, organization)
        .await
        .or_page(&signed.me)?;
    let figures = &told.figures;
    let Table { header, rows } = documents::townships(told.below.iter().map(|(_, f)| f.as_ref()));
    let below = told
        .below
        .iter()
        .zip(rows)
        .map(|((id, _), cells)| BelowRow {
            href: format!("/report?year={year}&organization={id}"),
            cells,
        })
        .collect();
    Ok(page::ok(&ReportPage {
        me: Some(&signed.me),
        nav: "report",
        year,
        years: told.years.to_vec(),
        organization,
        name: jiandu_domain::notice::issuer(&figures.organization),
        summary: figures.summary(),
        document_url: documents::year_report_url(told.root, year),
        parts: reports::parts(figures, organization),
        below_header: header,
        below,
    }))
}

#[derive(Template)]
#[template(path = "report_list.html")]
struct BehindPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    year: i32,
    scope: String,
    title: String,
    rows: Vec<reports::Behind>,
}

/// The records behind one figure of the year.
#[handler]
pub async fn behind(
    signed: Signed,
    Data(state): Data<&AppState>,
    Path(slug): Path<String>,
    Query(query): Query<ReportQuery>,
) -> Page {
    let ctx = &state.ctx;
    let year = year_of(&signed, ctx, query.year());
    let organization = query.organization().or_page(&signed.me)?;
    let figure = Figure::from_slug(&slug)
        .ok_or_else(|| AppError::not_found("figure"))
        .or_page(&signed.me)?;
    let rows = reports::behind(ctx, &signed.actor, year, organization, figure)
        .await
        .or_page(&signed.me)?;
    Ok(page::ok(&BehindPage {
        me: Some(&signed.me),
        nav: "report",
        year,
        scope: organization.map_or_else(String::new, |o| format!("&organization={o}")),
        title: figure.title(),
        rows,
    }))
}
