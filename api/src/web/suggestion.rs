//! A suggestion's page (代表建议): what the deputy asked, who answers it by when, each round's
//! answer with the deputy's rating, the written answer and other papers, the notices about it,
//! its history — and the steps each role may take: assign (交办), answer, rate, conclude (办结),
//! withdraw, turn it into a supervised project, attach the written answer (taken in
//! `super::suggestion_steps`).

use askama::Template;
use chrono::NaiveDate;
use jiandu_domain::Rating;
use jiandu_domain::report::Label;
use jiandu_domain::suggestion::{AnswerClass, SuggestionStatus};
use poem::web::{Data, Path, Query};
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::board::light_word;
use super::finding::Evidence;
use super::form::{self, Refusal, page_steps};
use super::history::{self, Event, Trail};
use super::names::Names;
use super::notices::{self, NoticeLine};
use super::page::{self, Me, Page, Signed};
use super::suggestions::source_word;
use crate::error::AppError;
use crate::http::AppState;
use crate::service::attachments;
use crate::service::kernel::audit::Action;
use crate::service::suggestions::{self};
use crate::service::views::{AuditEventView, SuggestionAnswerView, SuggestionView};
use crate::service::{Actor, Ctx};

page_steps! {
    record = "suggestion";
    /// The steps on a suggestion's page (`/suggestions/<id>/<step>`; the written answer to `attach`, a multipart form of its own).
    pub enum Step {
        Assign = "assign",
        Answer = "answer",
        Rate = "rate",
        Conclude = "conclude",
        Withdraw = "withdraw",
        Project = "project",
        Attach = "attach",
        Order = "order",
    }
}

/// The forms the page shows, from the suggestion's state and the access rules the use cases
/// apply (which still decide).
pub struct Steps {
    pub assign: bool,
    pub answer: bool,
    pub rate: bool,
    pub conclude: bool,
    pub withdraw: bool,
    pub project: bool,
    pub attach: bool,
    /// The presidium may issue a supervision order (督办单) while it waits for its answer.
    pub order: bool,
}

impl Steps {
    fn of(actor: &Actor, s: &SuggestionView, latest: Option<&SuggestionAnswerView>) -> Steps {
        let access = &actor.access;
        let org = s.organization_id;
        let manage = access.check_manage(org, "suggestion").is_ok();
        let lead = access
            .check_lead_deputy(org, s.lead_deputy_id, "act on it")
            .is_ok();
        let answers = access
            .check_answer_suggestion(org, s.responsible_leader_id)
            .is_ok();
        let status = s.status;
        let unrated = latest.is_some_and(|a| a.feedback.is_none());
        Steps {
            assign: manage
                && matches!(
                    status,
                    SuggestionStatus::Registered | SuggestionStatus::Assigned
                ),
            answer: answers && status == SuggestionStatus::Assigned,
            rate: lead && status == SuggestionStatus::Answered && unrated,
            conclude: manage && status == SuggestionStatus::Answered,
            withdraw: lead
                && matches!(
                    status,
                    SuggestionStatus::Registered | SuggestionStatus::Assigned
                ),
            project: manage && status != SuggestionStatus::Withdrawn && s.project_id.is_none(),
            attach: (lead || answers) && status != SuggestionStatus::Withdrawn,
            order: manage && status == SuggestionStatus::Assigned,
        }
    }

    fn shows(&self, step: Step) -> bool {
        match step {
            Step::Assign => self.assign,
            Step::Answer => self.answer,
            Step::Rate => self.rate,
            Step::Conclude => self.conclude,
            Step::Withdraw => self.withdraw,
            Step::Project => self.project,
            Step::Attach => self.attach,
            Step::Order => self.order,
        }
    }
}

/// One round's answer as the page prints it.
pub struct Round {
    pub round: i32,
    pub on: NaiveDate,
    pub class: String,
    pub text: String,
    pub met: bool,
    pub feedback: Option<String>,
}

#[derive(Template)]
#[template(path = "suggestion.html")]
struct SuggestionPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    s: &'a SuggestionView,
    source: &'static str,
    status: String,
    lead_deputy: String,
    cosigners: Vec<String>,
    lead_unit: Option<String>,
    co_units: Vec<String>,
    leader: Option<String>,
    state: Option<&'static str>,
    light: (&'static str, &'static str),
    rounds: Vec<Round>,
    project: Option<(Uuid, String)>,
    evidence: Vec<Evidence>,
    notices: Vec<NoticeLine>,
    events: Vec<Event>,
    steps: Steps,
    people: Vec<(Uuid, String)>,
    units: Vec<(Uuid, String)>,
    classes: Vec<(&'static str, String)>,
    ratings: Vec<(&'static str, &'static str)>,
    today: NaiveDate,
    /// The item's address, where its forms post.
    item: String,
    notice: Option<&'static str>,
    refusal: Option<Refusal>,
    refusal_on_top: bool,
}

impl SuggestionPage<'_> {
    /// Whether the unit `id` is the lead unit now (chosen in the assign form).
    fn leads(&self, id: &Uuid) -> bool {
        self.s.lead_unit_id.as_ref() == Some(id)
    }

    /// Whether the person `id` answers it now.
    fn answers(&self, id: &Uuid) -> bool {
        self.s.responsible_leader_id.as_ref() == Some(id)
    }
}

/// An audit action in the words of a suggestion's history.
pub(super) fn action_words(action: Action) -> Option<&'static str> {
    Some(match action {
        Action::SuggestionRegister => "登记建议",
        Action::SuggestionAssign => "交办",
        Action::SuggestionAnswer => "答复",
        Action::SuggestionFeedback => "代表评价答复",
        Action::SuggestionImport => "从台账导入",
        Action::SuggestionConfirmHistorical => "主席团确认历史事项",
        Action::SuggestionRedo => "代表不满意，重新办理",
        Action::SuggestionConclude => "办结",
        Action::SuggestionWithdraw => "撤回建议",
        Action::SuggestionProject => "转为监督项目",
        Action::AttachmentAdd => "上传材料",
        _ => return None,
    })
}

/// What a step was taken with: a rating by its word and note, an answer by its class.
fn said(action: Option<Action>, event: &AuditEventView) -> Option<&str> {
    let after = event.after.as_ref()?;
    match action {
        Some(Action::SuggestionWithdraw) => after.get("withdrawnReason").and_then(|r| r.as_str()),
        Some(Action::SuggestionFeedback | Action::SuggestionRedo) => {
            after.get("note").and_then(|n| n.as_str())
        }
        Some(Action::AttachmentAdd) => after.get("fileName").and_then(|n| n.as_str()),
        _ => history::remark(action, event),
    }
}

struct Loaded {
    s: SuggestionView,
    answers: Vec<SuggestionAnswerView>,
    cosigners: Vec<Uuid>,
    co_units: Vec<Uuid>,
    evidence: Vec<Evidence>,
    notices: Vec<NoticeLine>,
    events: Vec<Event>,
    names: Names,
}

async fn load(ctx: &Ctx, actor: &Actor, id: Uuid) -> Result<Loaded, AppError> {
    let Some(s) = suggestions::suggestions_by_ids(ctx, actor, &[id])
        .await?
        .into_iter()
        .next()
    else {
        return Err(AppError::not_found("suggestion"));
    };
    let answers = suggestions::answers_of(ctx, actor, &[id])
        .await?
        .into_iter()
        .map(|(_, a)| a)
        .collect();
    let second = |pairs: Vec<(Uuid, Uuid)>| pairs.into_iter().map(|(_, id)| id).collect();
    let cosigners = second(suggestions::cosigners_of(ctx, actor, &[id]).await?);
    let co_units = second(suggestions::co_units_of(ctx, actor, &[id]).await?);
    let evidence = attachments::attachments_of(ctx, actor, &[id])
        .await?
        .into_iter()
        .map(|a| Evidence {
            id: a.id,
            photo: a.content_type.starts_with("image/"),
            name: a.caption.unwrap_or(a.file_name),
        })
        .collect();
    let mut trail = Trail::of(ctx, actor, s.organization_id, id, &[]).await?;
    trail.steps(action_words, said, &[]);
    let projects: Vec<Uuid> = s.project_id.into_iter().collect();
    Ok(Loaded {
        answers,
        cosigners,
        co_units,
        evidence,
        notices: notices::about(ctx, actor, id).await?,
        events: trail.events(),
        names: Names::of(ctx, actor, &projects).await?,
        s,
    })
}

const CLASSES: [AnswerClass; 4] = [
    AnswerClass::A,
    AnswerClass::B,
    AnswerClass::C,
    AnswerClass::D,
];
const RATINGS: [Rating; 3] = [
    Rating::Satisfied,
    Rating::BasicallySatisfied,
    Rating::Dissatisfied,
];

pub(super) async fn render(
    state: &AppState,
    signed: &Signed,
    id: Uuid,
    notice: Option<&'static str>,
    refusal: Option<Refusal>,
) -> Response {
    let ctx = &state.ctx;
    let actor = &signed.actor;
    let loaded = match load(ctx, actor, id).await {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let s = &loaded.s;
    let names = &loaded.names;
    let today = actor.judging_day(s.organization_id, ctx.now(), None);
    let steps = Steps::of(actor, s, loaded.answers.last());
    let refusal_on_top = refusal
        .as_ref()
        .is_some_and(|r| !r.form.parse().is_ok_and(|step| steps.shows(step)));
    let tracked = s.tracked();
    let followed = s.status == SuggestionStatus::Concluded
        && loaded
            .answers
            .last()
            .is_some_and(|a| a.answer_class.followed());
    let mut status = s.status.label().to_string();
    if followed {
        status.push_str("（跟踪办理）");
    }
    let rounds = loaded
        .answers
        .iter()
        .map(|a| Round {
            round: a.round,
            on: a.answered_on,
            class: format!("{}类（{}）", a.answer_class, a.answer_class.label()),
            text: a.text.clone(),
            met: a.met_deputy,
            feedback: a.feedback.map(|f| match &a.feedback_note {
                Some(note) => format!("{}：{note}", f.label()),
                None => f.label().to_string(),
            }),
        })
        .collect();
    page::render(
        form::status_of(refusal.as_ref()),
        &SuggestionPage {
            me: Some(&signed.me),
            nav: "suggestions",
            source: source_word(s.source),
            status,
            lead_deputy: names.person(&s.lead_deputy_id),
            cosigners: loaded.cosigners.iter().map(|p| names.person(p)).collect(),
            lead_unit: s.lead_unit_id.map(|u| names.unit(&u)),
            co_units: loaded.co_units.iter().map(|u| names.unit(u)).collect(),
            leader: s.responsible_leader_id.map(|p| names.person(&p)),
            state: tracked.map(|t| t.deadline_state(&today).label()),
            light: tracked.map_or(("grey", "—"), |t| light_word(t.light(&today))),
            rounds,
            project: s.project_id.map(|p| (p, names.project(&p))),
            evidence: loaded.evidence,
            notices: loaded.notices,
            events: loaded.events,
            people: Names::choices(names.people()),
            units: Names::choices(names.units()),
            classes: CLASSES
                .iter()
                .map(|c| (c.as_str(), format!("{c}类：{}", c.label())))
                .collect(),
            ratings: RATINGS.iter().map(|r| (r.as_str(), r.label())).collect(),
            today: today.date,
            item: format!("/suggestions/{id}"),
            notice,
            refusal,
            refusal_on_top,
            steps,
            s,
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
    let id = signed.record(&id, "suggestion")?;
    let notice = match query.notice.as_deref() {
        Some("registered") => Some("建议已登记，编号已生成。"),
        Some("saved") => Some("已保存。"),
        _ => None,
    };
    Ok(render(state, &signed, id, notice, None).await)
}
