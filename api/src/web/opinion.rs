//! A deliberation opinion's page (审议意见, docs/congress.md): the hearing it was made at, the
//! leader it was sent to and by when, every point with its feedback and judgement, the written
//! reply, the notices about it and its history — and the steps each role may take: the leader
//! answers every point (反馈) and attaches the written reply, the presidium judges every point
//! (落实 / 部分落实 / 未落实) or issues a supervision order while the reply is awaited.

use askama::Template;
use chrono::NaiveDate;
use jiandu_domain::congress::{OpinionStatus, PointJudgement};
use jiandu_domain::field;
use jiandu_domain::report::Label;
use poem::web::{Data, Path, Query};
use poem::{Request, Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::board::light_word;
use super::congress_words::JUDGEMENTS;
use super::finding::Evidence;
use super::form::{self, Refusal, page_steps};
use super::history::{self, Event, Trail};
use super::names::Names;
use super::notices::{self, NoticeLine};
use super::page::{self, Me, Page, PostedStep, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::attachments;
use crate::service::congress::{self, OpinionAnswer};
use crate::service::kernel::audit::Action;
use crate::service::notices as notice_service;
use crate::service::views::{MeetingView, OpinionView};
use crate::service::{Actor, Ctx};

page_steps! {
    record = "deliberation opinion";
    /// The steps on an opinion's page (`/opinions/<id>/<step>`; the written reply to `attach`, a multipart form of its own).
    pub enum Step {
        Answer = "answer",
        Judge = "judge",
        Attach = "attach",
        Order = "order",
    }
}

/// The forms the page shows, from the opinion's state and the access rules the use cases apply
/// (which still decide).
pub struct Steps {
    pub answer: bool,
    pub judge: bool,
    pub attach: bool,
    pub order: bool,
}

impl Steps {
    fn of(actor: &Actor, o: &OpinionView) -> Steps {
        let org = o.organization_id;
        let manage = actor
            .access
            .check_manage(org, "deliberation opinions")
            .is_ok();
        let answers = actor
            .access
            .check_answer_opinion(org, o.responsible_leader_id)
            .is_ok();
        let sent = o.status == OpinionStatus::Sent;
        Steps {
            answer: answers && sent,
            judge: manage && !sent,
            attach: answers,
            order: manage && sent,
        }
    }
}

/// A point as the page prints it, with what the forms were last sent with.
pub struct PointRow {
    pub id: Uuid,
    pub number: usize,
    pub text: String,
    pub feedback: Option<String>,
    pub judgement: Option<PointJudgement>,
    pub judged: &'static str,
    /// The feedback typed into the answer form when it was refused.
    pub typed: String,
    /// The judgement chosen in the judge form when it was refused.
    pub chosen: Option<String>,
}

/// What a refused form was sent with, by point: shown again as it was.
#[derive(Default)]
pub struct Typed {
    feedback: Vec<(String, String)>,
    judgements: Vec<(String, String)>,
}

fn sent_for<'a>(given: &'a [(String, String)], point: &Uuid) -> Option<&'a String> {
    given
        .iter()
        .find(|(id, _)| *id == point.to_string())
        .map(|(_, value)| value)
}

#[derive(Template)]
#[template(path = "opinion.html")]
struct OpinionPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    o: &'a OpinionView,
    meeting: MeetingView,
    leader: String,
    status: &'static str,
    state: &'static str,
    light: (&'static str, &'static str),
    points: Vec<PointRow>,
    judgements: Vec<(&'static str, &'static str)>,
    evidence: Vec<Evidence>,
    notices: Vec<NoticeLine>,
    events: Vec<Event>,
    steps: Steps,
    today: NaiveDate,
    /// The item's address, where its forms post.
    item: String,
    notice: Option<&'static str>,
    refusal: Option<Refusal>,
}

impl OpinionPage<'_> {
    /// Whether `judgement` is the one chosen for the point in a refused form, or else the one it
    /// has (preselected when judging again).
    fn judged_as(&self, point: &PointRow, judgement: &str) -> bool {
        match &point.chosen {
            Some(chosen) => chosen == judgement,
            None => point.judgement.is_some_and(|j| j.as_str() == judgement),
        }
    }
}

/// An audit action in the words of an opinion's history.
pub(super) fn action_words(action: Action) -> Option<&'static str> {
    Some(match action {
        Action::OpinionRecord => "形成审议意见并交办",
        Action::OpinionAnswer => "逐条反馈落实情况",
        Action::OpinionJudge => "逐条评议",
        Action::AttachmentAdd => "上传材料",
        _ => return None,
    })
}

fn said(action: Option<Action>, event: &crate::service::views::AuditEventView) -> Option<&str> {
    match action {
        Some(Action::AttachmentAdd) => event
            .after
            .as_ref()?
            .get("fileName")
            .and_then(|n| n.as_str()),
        _ => history::remark(action, event),
    }
}

/// The page of opinion `id`; `typed` is what a refused form was sent with.
pub(super) async fn render(
    state: &AppState,
    signed: &Signed,
    id: Uuid,
    notice: Option<&'static str>,
    refusal: Option<Refusal>,
    typed: &Typed,
) -> Response {
    let (ctx, actor) = (&state.ctx, &signed.actor);
    let loaded = async {
        let o = congress::opinions_by_ids(ctx, actor, &[id])
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::not_found("deliberation opinion"))?;
        let meeting = congress::meetings_by_ids(ctx, actor, &[o.meeting_id])
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::not_found("meeting"))?;
        let evidence = attachments::attachments_of(ctx, actor, &[id])
            .await?
            .into_iter()
            .map(|a| Evidence {
                id: a.id,
                photo: a.content_type.starts_with("image/"),
                name: a.caption.unwrap_or(a.file_name),
            })
            .collect::<Vec<_>>();
        let mut trail = Trail::of(ctx, actor, o.organization_id, id, &[]).await?;
        trail.steps(action_words, said, &[]);
        let names = Names::of(ctx, actor, &[]).await?;
        let told = notices::about(ctx, actor, id).await?;
        Ok::<_, AppError>((o, meeting, evidence, trail.events(), names, told))
    }
    .await;
    let (o, meeting, evidence, events, names, told) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let today = actor.judging_day(o.organization_id, ctx.now(), None);
    let tracked = o.tracked();
    let points = o
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| PointRow {
            id: p.id,
            number: i + 1,
            text: p.text.clone(),
            feedback: p.feedback.clone(),
            judgement: p.judgement,
            judged: p.judgement.map_or("", Label::label),
            typed: sent_for(&typed.feedback, &p.id)
                .cloned()
                .unwrap_or_default(),
            chosen: sent_for(&typed.judgements, &p.id).cloned(),
        })
        .collect();
    page::render(
        form::status_of(refusal.as_ref()),
        &OpinionPage {
            me: Some(&signed.me),
            nav: "meetings",
            meeting,
            leader: names.person(&o.responsible_leader_id),
            status: o.status.label(),
            state: tracked.deadline_state(&today).label(),
            light: light_word(tracked.light(&today)),
            points,
            judgements: JUDGEMENTS.iter().map(|j| (j.as_str(), j.label())).collect(),
            evidence,
            notices: told,
            events,
            steps: Steps::of(actor, &o),
            today: today.date,
            item: format!("/opinions/{id}"),
            notice,
            refusal,
            o: &o,
        },
    )
}

#[derive(Deserialize)]
pub struct ShowQuery {
    notice: Option<String>,
}

#[handler]
pub async fn show(
    signed: Signed,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Page {
    let id = signed.record(&id, "deliberation opinion")?;
    let notice = match query.notice.as_deref() {
        Some("sent") => Some("审议意见已交办，已通知责任领导。"),
        Some("saved") => Some("已保存。"),
        _ => None,
    };
    Ok(render(state, &signed, id, notice, None, &Typed::default()).await)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    version: String,
    date: String,
    body: String,
}

/// The points and what each was given, from the repeated fields `point` and `name`, in order.
fn per_point(posted: &PostedStep<Step, StepForm>, name: &str) -> Vec<(String, String)> {
    posted
        .list("point")
        .into_iter()
        .zip(posted.list(name))
        .collect()
}

async fn take(ctx: &Ctx, posted: &PostedStep<Step, StepForm>) -> Result<(), AppError> {
    let (actor, id, f) = (&posted.signed.actor, posted.id, &posted.form);
    if posted.step == Step::Order {
        let reply_due = form::date(field::REPLY_DUE, &f.date)?;
        let body = form::optional_text(&f.body);
        notice_service::issue_supervision_order(ctx, actor, id, reply_due, body.as_deref()).await?;
        return Ok(());
    }
    let version = form::version(&f.version)?;
    match posted.step {
        Step::Answer => {
            let feedback = per_point(posted, "feedback")
                .into_iter()
                .map(|(point, text)| Ok((form::id(field::POINT_ID, &point)?, text)))
                .collect::<Result<_, AppError>>()?;
            let answer = OpinionAnswer {
                answered_on: form::date(field::ANSWERED_ON, &f.date)?,
                feedback,
            };
            congress::answer_opinion(ctx, actor, id, version, answer).await?;
        }
        Step::Judge => {
            // A point left unjudged is left out: the use case names it.
            let judgements = per_point(posted, "judgement")
                .into_iter()
                .filter(|(_, judgement)| !judgement.is_empty())
                .map(|(point, judgement)| {
                    let judgement = judgement
                        .parse()
                        .map_err(|_| AppError::not_in_list(field::JUDGEMENTS))?;
                    Ok((form::id(field::POINT_ID, &point)?, judgement))
                })
                .collect::<Result<_, AppError>>()?;
            congress::judge_opinion(ctx, actor, id, version, judgements).await?;
        }
        // Issued above; the written reply is posted to its own form.
        Step::Order | Step::Attach => return Err(AppError::not_found("step")),
    }
    Ok(())
}

/// A step on the opinion `id`; a refusal shows the page again with the reason next to the
/// step's form, and the answer's feedback as it was typed.
#[handler]
pub async fn take_step(posted: PostedStep<Step, StepForm>, Data(state): Data<&AppState>) -> Page {
    let result = take(&state.ctx, &posted).await;
    let typed = Typed {
        feedback: per_point(&posted, "feedback"),
        judgements: per_point(&posted, "judgement"),
    };
    let PostedStep {
        signed, id, step, ..
    } = posted;
    Ok(match result {
        Ok(()) => page::redirect(&format!("/opinions/{id}?notice=saved")),
        Err(error) => {
            let refusal = Some(Refusal::new(step.as_str(), &error));
            render(state, &signed, id, None, refusal, &typed).await
        }
    })
}

/// The written reply (or another paper) attached to the opinion `id`.
#[handler]
pub async fn attach(
    signed: Signed,
    request: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
    body: poem::Body,
) -> Page {
    let id = signed.record(&id, "deliberation opinion")?;
    let result = signed.attach_posted(&state.ctx, request, body, id).await?;
    Ok(match result {
        Ok(()) => page::redirect(&format!("/opinions/{id}?notice=saved")),
        Err(error) => {
            let refusal = Some(Refusal::new(Step::Attach.as_str(), &error));
            render(state, &signed, id, None, refusal, &Typed::default()).await
        }
    })
}
