//! 会议: the year's meetings, newest first, with the year's deliberation opinions, and the
//! presidium's form to record one held (docs/congress.md). A meeting's own page is
//! `super::meeting`.

use askama::Template;
use chrono::{Datelike, NaiveDate};
use jiandu_domain::congress::MeetingKind;
use jiandu_domain::field;
use jiandu_domain::report::Label;
use poem::web::{Data, Query};
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::board::light_word;
use super::form::{self, Refusal};
use super::names::Names;
use super::page::{self, Me, Page, Posted, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::congress::{self, NewMeeting};
use crate::service::views::{MeetingView, OpinionView};
use crate::service::{Actor, Ctx};

pub fn kind_word(kind: MeetingKind) -> &'static str {
    match kind {
        MeetingKind::CongressSession => "人民代表大会会议",
        MeetingKind::PresidiumMeeting => "主席团会议",
        MeetingKind::ReportHearing => "听取报告",
    }
}

const KINDS: [MeetingKind; 3] = [
    MeetingKind::CongressSession,
    MeetingKind::ReportHearing,
    MeetingKind::PresidiumMeeting,
];

/// How a meeting's attendance reads: 出席35人（代表40人，超过半数）.
pub(super) fn attendance(m: &MeetingView) -> String {
    let quorum = match (m.kind, m.quorate()) {
        (MeetingKind::CongressSession, true) => "，超过半数",
        (MeetingKind::CongressSession, false) => "，不足半数，不能表决",
        _ => "",
    };
    format!(
        "出席{}人（代表{}人{quorum}）",
        m.deputies_present, m.deputies_total
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Draft {
    kind: String,
    title: String,
    held_on: String,
    place: String,
    total: String,
    present: String,
}

/// A meeting as the list prints it.
pub struct MeetingRow {
    pub id: Uuid,
    pub kind: &'static str,
    pub title: String,
    pub held_on: NaiveDate,
    pub place: Option<String>,
    pub attendance: String,
}

/// An opinion as a list prints it.
pub struct OpinionRow {
    pub id: Uuid,
    pub title: String,
    pub leader: String,
    pub points: usize,
    pub implemented: usize,
    pub reply_deadline: NaiveDate,
    pub status: &'static str,
    pub light: (&'static str, &'static str),
}

/// The rows of `found`, with their leaders' names, judged today.
pub(super) async fn opinion_rows(
    ctx: &Ctx,
    actor: &Actor,
    found: Vec<OpinionView>,
) -> Result<Vec<OpinionRow>, AppError> {
    let names = Names::of(ctx, actor, &[]).await?;
    let now = ctx.now();
    Ok(found
        .into_iter()
        .map(|o| {
            let today = actor.judging_day(o.organization_id, now, None);
            OpinionRow {
                id: o.id,
                leader: names.person(&o.responsible_leader_id),
                points: o.points.len(),
                implemented: o.implemented(),
                reply_deadline: o.reply_deadline,
                status: o.status.label(),
                light: light_word(o.tracked().light(&today)),
                title: o.title,
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    year: i32,
    rows: Vec<MeetingRow>,
    opinions: Vec<OpinionRow>,
    presidium: bool,
    kinds: Vec<(&'static str, &'static str)>,
    today: NaiveDate,
    draft: Draft,
    notice: Option<&'static str>,
    refusal: Option<Refusal>,
}

async fn render(
    state: &AppState,
    signed: &Signed,
    year: i32,
    draft: Draft,
    notice: Option<&'static str>,
    refusal: Option<Refusal>,
) -> Response {
    let (ctx, actor) = (&state.ctx, &signed.actor);
    let listed = async {
        let meetings = congress::meetings(ctx, actor, Some(year)).await?;
        let opinions = congress::opinions(ctx, actor, Some(year)).await?;
        Ok::<_, AppError>((meetings, opinion_rows(ctx, actor, opinions).await?))
    }
    .await;
    let (meetings, opinions) = match listed {
        Ok(found) => found,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let own = actor.organization_id();
    page::render(
        form::status_of(refusal.as_ref()),
        &MeetingsPage {
            me: Some(&signed.me),
            nav: "meetings",
            year,
            rows: meetings
                .iter()
                .map(|m| MeetingRow {
                    id: m.id,
                    kind: kind_word(m.kind),
                    title: m.title.clone(),
                    held_on: m.held_on,
                    place: m.place.clone(),
                    attendance: attendance(m),
                })
                .collect(),
            opinions,
            presidium: actor.access.check_manage(own, "meetings").is_ok(),
            kinds: KINDS.iter().map(|k| (k.as_str(), kind_word(*k))).collect(),
            today: actor.today_in(own, ctx.now(), None),
            draft,
            notice,
            refusal,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    year: Option<i32>,
    notice: Option<String>,
}

/// The year a congress page lists: the one asked for, or this year in the organisation.
pub(super) fn year_of(signed: &Signed, ctx: &Ctx, asked: Option<i32>) -> i32 {
    let actor = &signed.actor;
    asked
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| {
            actor
                .today_in(actor.organization_id(), ctx.now(), None)
                .year()
        })
}

#[handler]
pub async fn list(
    signed: Signed,
    Data(state): Data<&AppState>,
    Query(query): Query<ListQuery>,
) -> Page {
    let year = year_of(&signed, &state.ctx, query.year);
    let notice = (query.notice.as_deref() == Some("created")).then_some("已登记会议。");
    Ok(render(state, &signed, year, Draft::default(), notice, None).await)
}

async fn create(ctx: &Ctx, actor: &Actor, draft: &Draft) -> Result<MeetingView, AppError> {
    let count = |name: &str, value: &str| -> Result<Option<i32>, AppError> {
        if value.trim().is_empty() {
            return Ok(None);
        }
        let n = form::number(name, value)?;
        Ok(Some(i32::try_from(n).unwrap_or(i32::MAX)))
    };
    let new = NewMeeting {
        kind: draft
            .kind
            .parse()
            .map_err(|_| AppError::not_in_list(field::KIND))?,
        title: draft.title.clone(),
        held_on: form::date(field::HELD_ON, &draft.held_on)?,
        place: form::optional_text(&draft.place),
        attendee_ids: Vec::new(),
        deputies_total: count(field::DEPUTIES_TOTAL, &draft.total)?,
        deputies_present: count(field::DEPUTIES_PRESENT, &draft.present)?,
    };
    congress::create_meeting(ctx, actor, new).await
}

#[handler]
pub async fn submit(posted: Posted<Draft>, Data(state): Data<&AppState>) -> Page {
    let Posted {
        signed,
        form: draft,
        ..
    } = posted;
    Ok(match create(&state.ctx, &signed.actor, &draft).await {
        Ok(made) => page::redirect(&format!("/meetings/{}", made.id)),
        Err(error) => {
            let year = year_of(&signed, &state.ctx, None);
            render(
                state,
                &signed,
                year,
                draft,
                None,
                Some(Refusal::new("create", &error)),
            )
            .await
        }
    })
}
