//! 民生实事: a year's livelihood candidates in one table, from proposal to the list put to the vote
//! to the tally, the resolution and the project each passed one became (docs/congress.md). The
//! presidium proposes, shortlists and enters each tally here.

use askama::Template;
use chrono::Datelike;
use jiandu_domain::congress::{CandidateSource, CandidateStatus, MeetingKind};
use jiandu_domain::field;
use poem::web::{Data, Query};
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::congress_words::{assessment_words, source_word, status_word};
use super::form::{self, Refusal, page_steps};
use super::livelihood_steps::StepForm;
use super::meetings::year_of;
use super::page::{self, Me, Page, Posted, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::congress::{self, NewCandidate};
use crate::service::page::PageRequest;
use crate::service::suggestions::{self, SuggestionFilter};
use crate::service::{Actor, Ctx, projects};

/// A candidate as the table prints it.
pub struct CandidateRow {
    pub id: Uuid,
    pub version: i32,
    pub title: String,
    pub description: Option<String>,
    pub source: &'static str,
    pub status: &'static str,
    /// 赞成N票，反对N票，弃权N票 (of N present, N deputies)
    pub tally: Option<String>,
    pub meeting: Option<(Uuid, String)>,
    pub resolution: Option<String>,
    pub project: Option<(Uuid, String)>,
    /// Its project's assessments in words, oldest first.
    pub assessments: Vec<String>,
    pub can_shortlist: bool,
    pub can_vote: bool,
    /// A passed candidate's project may be assessed (测评) by the presidium.
    pub can_assess: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Draft {
    title: String,
    description: String,
    source: String,
    suggestion: String,
}

#[derive(Template)]
#[template(path = "livelihood.html")]
struct LivelihoodPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    year: i32,
    years: Vec<i32>,
    rows: Vec<CandidateRow>,
    presidium: bool,
    sources: Vec<(&'static str, &'static str)>,
    /// The year's suggestions a candidate may come from: (id, 2026-003 title).
    suggestions: Vec<(Uuid, String)>,
    /// The congress sessions a vote may be entered at: (id, title, quorate).
    sessions: Vec<(Uuid, String, bool)>,
    /// The organisation's meetings an assessment may be entered at: (id, title).
    meetings: Vec<(Uuid, String)>,
    draft: Draft,
    notice: Option<&'static str>,
    refusal: Option<(Option<Uuid>, Refusal)>,
    /// What a row's refused form was sent with, shown again in it.
    sent: StepForm,
}

impl LivelihoodPage<'_> {
    /// The value `field` of the form refused on row `id`, or `default` on every other row.
    fn typed<'a>(&'a self, id: &Uuid, field: &str, default: &'a str) -> &'a str {
        if self.refused(id).is_none() {
            return default;
        }
        let f = &self.sent;
        match field {
            "meeting" => &f.meeting,
            "votes_for" => &f.votes_for,
            "votes_against" => &f.votes_against,
            "abstentions" => &f.abstentions,
            "resolution" => &f.resolution,
            "satisfied" => &f.satisfied,
            "basically" => &f.basically,
            "dissatisfied" => &f.dissatisfied,
            _ => default,
        }
    }

    fn refused(&self, id: &Uuid) -> Option<&str> {
        match &self.refusal {
            Some((Some(on), r)) if on == id => Some(&r.message),
            _ => None,
        }
    }

    fn propose_refused(&self) -> Option<&str> {
        match &self.refusal {
            Some((None, r)) => Some(&r.message),
            _ => None,
        }
    }
}

const SOURCES: [CandidateSource; 4] = [
    CandidateSource::Government,
    CandidateSource::DeputySuggestion,
    CandidateSource::Constituents,
    CandidateSource::Other,
];

pub(super) async fn render(
    state: &AppState,
    signed: &Signed,
    year: i32,
    draft: Draft,
    notice: Option<&'static str>,
    (refusal, sent): (Option<(Option<Uuid>, Refusal)>, StepForm),
) -> Response {
    let (ctx, actor) = (&state.ctx, &signed.actor);
    let loaded = async {
        let candidates = congress::candidates_of_year(ctx, actor, year).await?;
        let meetings = congress::meetings(ctx, actor, None).await?;
        let project_ids: Vec<Uuid> = candidates.iter().filter_map(|c| c.project_id).collect();
        let titles = projects::projects_by_ids(ctx, actor, &project_ids).await?;
        let assessed = congress::assessments_of_projects(ctx, actor, &project_ids).await?;
        let asked = suggestions::list_suggestions(
            ctx,
            actor,
            SuggestionFilter {
                year: Some(year),
                ..SuggestionFilter::default()
            },
            PageRequest::largest(),
        )
        .await?;
        Ok::<_, AppError>((candidates, meetings, titles, asked, assessed))
    }
    .await;
    let (candidates, meetings, titles, asked, assessed) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let own = actor.organization_id();
    let presidium = actor
        .access
        .check_manage(own, "livelihood candidates")
        .is_ok();
    let sessions: Vec<(Uuid, String, bool)> = meetings
        .iter()
        .filter(|m| m.organization_id == own && m.kind == MeetingKind::CongressSession)
        .map(|m| (m.id, format!("{}（{}）", m.title, m.held_on), m.quorate()))
        .collect();
    let rows = candidates
        .into_iter()
        .map(|c| {
            // The presidium's forms are for its own organisation's candidates only.
            let ours = presidium && c.organization_id == own;
            let meeting = c
                .meeting_id
                .and_then(|id| meetings.iter().find(|m| m.id == id));
            let tally = match (c.votes_for, c.votes_against, c.abstentions, meeting) {
                (Some(f), Some(a), Some(s), Some(m)) => Some(format!(
                    "赞成{f}票，反对{a}票，弃权{s}票（出席{}人，代表{}人）",
                    m.deputies_present, m.deputies_total
                )),
                _ => None,
            };
            CandidateRow {
                id: c.id,
                version: c.version,
                source: source_word(c.source),
                status: status_word(c.status),
                tally,
                meeting: meeting.map(|m| (m.id, m.title.clone())),
                resolution: c.resolution_number.clone(),
                project: c.project_id.and_then(|id| {
                    titles
                        .iter()
                        .find(|p| p.id == id)
                        .map(|p| (id, p.title.clone()))
                }),
                assessments: assessed
                    .iter()
                    .filter(|a| Some(a.project_id) == c.project_id)
                    .map(|a| assessment_words(a, &meetings))
                    .collect(),
                can_assess: ours && c.project_id.is_some(),
                can_shortlist: ours && c.status == CandidateStatus::Proposed,
                can_vote: ours && c.status == CandidateStatus::Shortlisted,
                title: c.title,
                description: c.description,
            }
        })
        .collect();
    let this_year = actor.today_in(own, ctx.now(), None).year();
    let mut years: Vec<i32> = meetings.iter().map(|m| m.held_on.year()).collect();
    years.extend([this_year, this_year + 1, year]);
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    page::render(
        form::status_of(refusal.as_ref().map(|(_, r)| r)),
        &LivelihoodPage {
            me: Some(&signed.me),
            nav: "livelihood",
            year,
            years,
            rows,
            presidium,
            sources: SOURCES
                .iter()
                .map(|s| (s.as_str(), source_word(*s)))
                .collect(),
            suggestions: asked
                .items
                .into_iter()
                .filter(|(_, s)| s.organization_id == own)
                .map(|(_, s)| (s.id, format!("{} {}", s.number, s.title)))
                .collect(),
            sessions,
            meetings: meetings
                .iter()
                .filter(|m| m.organization_id == own)
                .map(|m| (m.id, format!("{}（{}）", m.title, m.held_on)))
                .collect(),
            draft,
            notice,
            refusal,
            sent,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    year: Option<i32>,
    notice: Option<String>,
}

#[handler]
pub async fn list(
    signed: Signed,
    Data(state): Data<&AppState>,
    Query(query): Query<ListQuery>,
) -> Page {
    let year = year_of(&signed, &state.ctx, query.year);
    let notice = match query.notice.as_deref() {
        Some("proposed") => Some("已登记候选项目。"),
        Some("saved") => Some("已保存。"),
        _ => None,
    };
    let refused = (None, StepForm::default());
    Ok(render(state, &signed, year, Draft::default(), notice, refused).await)
}

async fn propose(ctx: &Ctx, actor: &Actor, year: i32, draft: &Draft) -> Result<(), AppError> {
    let new = NewCandidate {
        year,
        title: draft.title.clone(),
        description: form::optional_text(&draft.description),
        source: draft
            .source
            .parse()
            .map_err(|_| AppError::not_in_list(field::SOURCE))?,
        suggestion_id: form::optional_id(field::SUGGESTION_ID, &draft.suggestion)?,
    };
    congress::propose_candidate(ctx, actor, new).await.map(drop)
}

#[handler]
pub async fn submit(
    posted: Posted<Draft>,
    Data(state): Data<&AppState>,
    Query(query): Query<ListQuery>,
) -> Page {
    let Posted {
        signed,
        form: draft,
        ..
    } = posted;
    let year = year_of(&signed, &state.ctx, query.year);
    Ok(
        match propose(&state.ctx, &signed.actor, year, &draft).await {
            Ok(()) => page::redirect(&format!("/livelihood?year={year}&notice=proposed")),
            Err(error) => {
                let refusal = Some((None, Refusal::new("propose", &error)));
                render(
                    state,
                    &signed,
                    year,
                    draft,
                    None,
                    (refusal, StepForm::default()),
                )
                .await
            }
        },
    )
}

page_steps! {
    record = "livelihood candidate";
    /// The steps on a candidate (`/livelihood/<id>/<step>`), posted from its row.
    pub enum Step {
        Shortlist = "shortlist",
        Vote = "vote",
        Assess = "assess",
    }
}
