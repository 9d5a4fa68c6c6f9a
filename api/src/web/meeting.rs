//! A meeting's page (docs/congress.md): its attendance, the livelihood candidates voted on at it,
//! the deliberation opinions made at it — and at a report hearing the presidium's form that
//! records an opinion point by point and sends it to its leader at once.

use askama::Template;
use chrono::{Datelike, NaiveDate};
use jiandu_domain::congress::MeetingKind;
use jiandu_domain::field;
use poem::web::{Data, Path};
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::congress_words::{assessment_words, source_word, status_word};
use super::form::{self, Refusal};
use super::meetings::{OpinionRow, attendance, kind_word, opinion_rows};
use super::names::Names;
use super::page::{self, Me, Page, Posted, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::congress::{self, NewOpinion};
use crate::service::views::{CandidateView, MeetingView, OpinionView};
use crate::service::{Actor, Ctx};

/// The opinion form as it was typed, shown again with a refusal.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OpinionDraft {
    title: String,
    /// One point a line.
    points: String,
    leader: String,
    deadline: String,
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    m: MeetingView,
    kind: &'static str,
    attendance: String,
    attendees: Vec<String>,
    candidates: Vec<(CandidateView, &'static str, &'static str)>,
    opinions: Vec<OpinionRow>,
    /// The projects assessed at it: the project, its title and the result in words.
    assessed: Vec<(Uuid, String, String, Option<Uuid>)>,
    /// The presidium records opinions at a report hearing of its own.
    records_opinions: bool,
    people: Vec<(Uuid, String)>,
    /// The earliest reply deadline the form offers (the server refuses today or before).
    tomorrow: NaiveDate,
    draft: OpinionDraft,
    refusal: Option<Refusal>,
}

impl MeetingPage<'_> {
    fn chosen(&self, id: &Uuid) -> bool {
        self.draft.leader == id.to_string()
    }
}

async fn render(
    state: &AppState,
    signed: &Signed,
    id: Uuid,
    draft: OpinionDraft,
    refusal: Option<Refusal>,
) -> Response {
    let (ctx, actor) = (&state.ctx, &signed.actor);
    let loaded = async {
        let found = congress::meetings_by_ids(ctx, actor, &[id])
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::not_found("meeting"))?;
        let attendees = congress::attendees(ctx, actor, &[id]).await?;
        let names = Names::of(ctx, actor, &[]).await?;
        let candidates = congress::candidates_of_meetings(ctx, actor, &[id]).await?;
        let opinions = congress::opinions_of_meetings(ctx, actor, &[id]).await?;
        let opinions = opinion_rows(ctx, actor, opinions).await?;
        let outside =
            congress::outside_the_government(ctx.db.conn(), found.organization_id).await?;
        let assessments = congress::assessments_of_meetings(ctx, actor, &[id]).await?;
        let projects: Vec<Uuid> = assessments.iter().map(|a| a.project_id).collect();
        let titles = Names::of(ctx, actor, &projects).await?;
        let assessed = assessments
            .iter()
            .map(|a| {
                let said = assessment_words(a, &[]);
                let title = titles.project(&a.project_id);
                (a.project_id, title, said, a.rectification_id)
            })
            .collect();
        let found_now = (found, attendees, names, candidates, opinions, outside);
        Ok::<_, AppError>((found_now, assessed))
    }
    .await;
    let ((m, attendees, names, candidates, opinions, outside), assessed) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let mut attendees: Vec<String> = attendees.iter().map(|(_, p)| names.person(p)).collect();
    attendees.sort();
    let records_opinions = m.kind == MeetingKind::ReportHearing
        && actor
            .access
            .check_manage(m.organization_id, "deliberation opinions")
            .is_ok();
    page::render(
        form::status_of(refusal.as_ref()),
        &MeetingPage {
            me: Some(&signed.me),
            nav: "meetings",
            kind: kind_word(m.kind),
            attendance: attendance(&m),
            attendees,
            candidates: candidates
                .into_iter()
                .map(|c| {
                    let words = (status_word(c.status), source_word(c.source));
                    (c, words.0, words.1)
                })
                .collect(),
            opinions,
            assessed,
            records_opinions,
            // Who answers for the government: not a deputy nor the presidium's own.
            people: Names::choices(names.people())
                .into_iter()
                .filter(|(id, _)| !outside.contains(id))
                .collect(),
            tomorrow: actor.today_in(m.organization_id, ctx.now(), None) + chrono::Days::new(1),
            draft,
            refusal,
            m,
        },
    )
}

#[handler]
pub async fn show(signed: Signed, Data(state): Data<&AppState>, Path(id): Path<String>) -> Page {
    let id = signed.record(&id, "meeting")?;
    Ok(render(state, &signed, id, OpinionDraft::default(), None).await)
}

async fn record(
    ctx: &Ctx,
    actor: &Actor,
    meeting_id: Uuid,
    draft: &OpinionDraft,
) -> Result<OpinionView, AppError> {
    let new = NewOpinion {
        meeting_id,
        title: draft.title.clone(),
        points: draft
            .points
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect(),
        responsible_leader_id: form::id(field::RESPONSIBLE_LEADER_ID, &draft.leader)?,
        reply_deadline: form::optional_date(field::REPLY_DEADLINE, &draft.deadline)?,
    };
    congress::record_opinion(ctx, actor, new).await
}

/// 形成审议意见并交办: the presidium records an opinion at the hearing `id` and sends it.
#[handler]
pub async fn record_opinion(
    posted: Posted<OpinionDraft>,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
) -> Page {
    let Posted {
        signed,
        form: draft,
        ..
    } = posted;
    let id = signed.record(&id, "meeting")?;
    Ok(match record(&state.ctx, &signed.actor, id, &draft).await {
        Ok(sent) => page::redirect(&format!("/opinions/{}?notice=sent", sent.id)),
        Err(error) => {
            let refusal = Some(Refusal::new("opinion", &error));
            render(state, &signed, id, draft, refusal).await
        }
    })
}
