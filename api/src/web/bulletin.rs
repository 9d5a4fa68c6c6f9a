//! 月度通报: a month's bulletin of the organisation, to read here and to download as a Word
//! document ready to print and stamp.

use askama::Template;
use chrono::Datelike;
use jiandu_domain::field;
use poem::handler;
use poem::web::{Data, Query};
use serde::Deserialize;

use super::form::Refusal;
use super::page::{self, Me, Page, Signed};
use crate::http::AppState;
use crate::service::documents::{self, bulletin_url};

#[derive(Template)]
#[template(path = "bulletin.html")]
struct BulletinPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    /// The month asked for, as the month input writes it (2026-03).
    month: String,
    title: String,
    lines: Vec<String>,
    download: Option<String>,
    refusal: Option<Refusal>,
}

#[derive(Deserialize, Default)]
pub struct BulletinQuery {
    month: Option<String>,
}

#[handler]
pub async fn show(
    signed: Signed,
    Data(state): Data<&AppState>,
    Query(query): Query<BulletinQuery>,
) -> Page {
    let actor = &signed.actor;
    let today = actor.today_in(actor.organization_id(), state.ctx.now(), None);
    let month = query
        .month
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| format!("{}-{:02}", today.year(), today.month()));
    let parsed = month
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)));
    let answer = match parsed {
        Some((year, m)) => documents::bulletin(&state.ctx, actor, year, m, None).await,
        None => Err(crate::error::AppError::required(
            field::MONTH,
            "choose a month, e.g. 2026-03",
        )),
    };
    let mut view = BulletinPage {
        me: Some(&signed.me),
        nav: "notices",
        month,
        title: "月度通报".into(),
        lines: Vec::new(),
        download: None,
        refusal: None,
    };
    match answer {
        Ok(bulletin) => {
            view.title = bulletin.document.title.clone();
            view.lines = bulletin
                .document
                .text()
                .lines()
                .map(str::to_string)
                .collect();
            view.download = Some(bulletin_url(
                bulletin.organization_id,
                bulletin.year,
                bulletin.month,
            ));
        }
        Err(error) => view.refusal = Some(Refusal::new("month", &error)),
    }
    let status = super::form::status_of(view.refusal.as_ref());
    Ok(page::render(status, &view))
}
