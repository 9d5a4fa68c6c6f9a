//! A finding's page (整改问题): what the inspection found, with its photos, who answers for it by
//! when, its history (every step and deadline move), its extension requests, and the steps each
//! role may take — start and report the rectification, ask for more time, check it, move its
//! deadline, decide a request. The findings list posts the same steps.

use askama::Template;
use chrono::NaiveDate;
use jiandu_domain::FindingStatus;
use jiandu_domain::report::Label;
use poem::web::{Data, Path};
use poem::{Request, Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::board::light_word;
use super::form::{self, Refusal};
use super::history::{self, Event, Extension, Trail};
use super::names::Names;
use super::notices::{self, NoticeLine};
use super::page::{self, Me, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::notices as notice_service;
use crate::service::views::{AttachmentView, AuditEventView, FindingView, InspectionView};
use crate::service::{Actor, Ctx, attachments, extensions, findings, inspections};

/// The forms the page shows, from the finding's state and the access rules the use cases apply
/// (which still decide).
pub struct Steps {
    pub start: bool,
    pub answer: bool,
    pub ask_extension: bool,
    pub check: bool,
    pub reschedule: bool,
    pub manage: bool,
    /// The presidium may issue a supervision order (督办单) for the open finding.
    pub order: bool,
}

impl Steps {
    pub fn of(actor: &Actor, f: &FindingView, today: NaiveDate) -> Steps {
        let access = &actor.access;
        let answers = access
            .check_answer(f.organization_id, f.responsible_leader_id)
            .is_ok();
        let checks = access.check_inspect(f.organization_id, "verify").is_ok()
            && f.resolved_by != Some(actor.user_id());
        let manage = access.check_manage(f.organization_id, "finding").is_ok();
        let open = f.status.is_open();
        Steps {
            start: answers && f.status == FindingStatus::Open,
            answer: answers && open,
            ask_extension: answers && open && today <= f.due_by,
            check: checks && f.status == FindingStatus::Resolved,
            reschedule: manage && open,
            order: manage && open,
            manage,
        }
    }

    /// Whether the form of `step` is on the page.
    fn shows(&self, step: &str, extensions: &[Extension]) -> bool {
        match step {
            "start" => self.start,
            "resolve" => self.answer,
            "extension" => self.ask_extension,
            "accept" | "reject" => self.check,
            "reschedule" => self.reschedule,
            "decide" | "withdraw" => !extensions.is_empty(),
            "order" => self.order,
            _ => false,
        }
    }
}

/// A photo or document on the page: from the inspection that found it, or added to it later.
pub struct Evidence {
    pub id: Uuid,
    pub name: String,
    pub photo: bool,
}

#[derive(Template)]
#[template(path = "finding.html")]
struct FindingPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    f: &'a FindingView,
    inspection: Option<(NaiveDate, &'static str)>,
    project: Option<(Uuid, String)>,
    leader: String,
    unit: String,
    status: &'static str,
    state: &'static str,
    light: (&'static str, &'static str),
    steps: Steps,
    evidence: Vec<Evidence>,
    extensions: Vec<Extension>,
    events: Vec<Event>,
    notices: Vec<NoticeLine>,
    order_action: String,
    refusal: Option<Refusal>,
    refusal_on_top: bool,
}

/// An audit action in the words of a finding's history.
fn action_words(action: &str) -> &str {
    match action {
        "finding.raise" => "视察发现问题，交办整改",
        "finding.start" => "开始整改",
        "finding.resolve" => "报告已整改",
        "finding.accept" => "核实：已整改到位",
        "finding.reject" => "核实：未整改到位，退回",
        "finding.reschedule" => "调整整改期限",
        other => other,
    }
}

/// What a step was taken with: a rectification reported is told by its words (later reports
/// replace the finding's own), every other step by its reason or note.
fn said(event: &AuditEventView) -> Option<&str> {
    if event.action == "finding.resolve" {
        let after = event.after.as_ref()?;
        return after.get("resolution").and_then(|r| r.as_str());
    }
    history::remark(event)
}

struct Loaded {
    notices: Vec<NoticeLine>,
    f: FindingView,
    inspection: Option<InspectionView>,
    evidence: Vec<AttachmentView>,
    extensions: Vec<Extension>,
    events: Vec<Event>,
    names: Names,
}

async fn load(ctx: &Ctx, actor: &Actor, id: Uuid) -> Result<Loaded, AppError> {
    let Some(f) = findings::findings_by_ids(ctx, actor, &[id])
        .await?
        .into_iter()
        .next()
    else {
        return Err(AppError::not_found("finding"));
    };
    let inspection = inspections::inspections_by_ids(ctx, actor, &[f.inspection_id])
        .await?
        .into_iter()
        .next();
    let evidence = attachments::attachments_of(ctx, actor, &[f.inspection_id, f.id]).await?;
    let asked = extensions::extensions_of_findings(ctx, actor, &[id]).await?;
    let changes = findings::deadline_changes_of(ctx, actor, &[id]).await?;
    let mut trail = Trail::of(ctx, actor, f.organization_id, id, &asked).await?;
    trail.steps(action_words, said, &["finding.reschedule"]);
    trail.moves(&changes);
    let extensions = trail.extensions(asked);
    let projects: Vec<Uuid> = f.project_id.into_iter().collect();
    let names = Names::of(ctx, actor, &projects).await?;
    Ok(Loaded {
        notices: notices::about(ctx, actor, id).await?,
        inspection,
        evidence,
        extensions,
        events: trail.events(),
        names,
        f,
    })
}

pub(super) async fn render(
    state: &AppState,
    signed: &Signed,
    id: Uuid,
    refusal: Option<Refusal>,
) -> Response {
    let ctx = &state.ctx;
    let actor = &signed.actor;
    let loaded = match load(ctx, actor, id).await {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let f = &loaded.f;
    let today = actor.judging_day(f.organization_id, ctx.now(), None);
    let steps = Steps::of(actor, f, today.date);
    let refusal_on_top = refusal
        .as_ref()
        .is_some_and(|r| !steps.shows(r.form, &loaded.extensions));
    let names = &loaded.names;
    let evidence = loaded
        .evidence
        .into_iter()
        .map(|a| Evidence {
            id: a.id,
            photo: a.content_type.starts_with("image/"),
            name: a.caption.unwrap_or(a.file_name),
        })
        .collect();
    page::render(
        form::status_of(refusal.as_ref()),
        &FindingPage {
            me: Some(&signed.me),
            nav: "findings",
            inspection: loaded.inspection.map(|i| (i.visited_on, i.kind.label())),
            project: f.project_id.map(|id| (id, names.project(&id))),
            leader: names.person(&f.responsible_leader_id),
            unit: names.unit(&f.responsible_unit_id),
            status: f.status.label(),
            state: f.tracked().deadline_state(&today).label(),
            light: light_word(f.tracked().light(&today)),
            steps,
            evidence,
            extensions: loaded.extensions,
            events: loaded.events,
            notices: loaded.notices,
            order_action: format!("/findings/{id}/order"),
            refusal,
            refusal_on_top,
            f,
        },
    )
}

#[handler]
pub async fn show(
    request: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
) -> Response {
    let signed = match page::signed_in(request, state, false).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let Ok(id) = id.parse() else {
        return page::error_page(Some(&signed.me), &AppError::not_found("finding"));
    };
    render(state, &signed, id, None).await
}

/// Every step's fields; each step reads the ones it takes. `from` names the page that posted
/// (`finding`: this page; anything else: the findings list), where the answer goes back.
#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    resolution: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    extension: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    from: String,
}

/// The step named `step` on the finding `id`, through its use case.
async fn take(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    step: &str,
    f: &StepForm,
) -> Result<(), AppError> {
    let note = form::optional_text(&f.note);
    let to = match step {
        "start" => FindingStatus::Rectifying,
        "resolve" => FindingStatus::Resolved,
        "accept" => FindingStatus::Verified,
        "reject" => FindingStatus::Rectifying,
        "extension" => {
            let proposed = form::date("proposedDeadline", &f.date)?;
            extensions::request_extension(ctx, actor, id, proposed, &f.reason).await?;
            return Ok(());
        }
        "reschedule" => {
            let to = form::date("newDeadline", &f.date)?;
            let version = form::version(&f.version)?;
            findings::reschedule_finding(ctx, actor, id, version, to, &f.reason).await?;
            return Ok(());
        }
        "decide" => {
            let request = form::id("extension", &f.extension)?;
            let deadline = form::optional_date("deadline", &f.date)?;
            let approve = f.decision == "approve";
            extensions::decide_extension(ctx, actor, request, approve, note.as_deref(), deadline)
                .await?;
            return Ok(());
        }
        "withdraw" => {
            let request = form::id("extension", &f.extension)?;
            extensions::withdraw_extension(ctx, actor, request).await?;
            return Ok(());
        }
        "order" => {
            let reply_due = form::date("replyDue", &f.date)?;
            let body = form::optional_text(&f.body);
            notice_service::issue_supervision_order(ctx, actor, id, reply_due, body.as_deref())
                .await?;
            return Ok(());
        }
        _ => return Err(AppError::not_found("step")),
    };
    let version = form::version(&f.version)?;
    let resolution = form::optional_text(&f.resolution);
    findings::update_finding(
        ctx,
        actor,
        id,
        version,
        to,
        resolution.as_deref(),
        note.as_deref(),
    )
    .await?;
    Ok(())
}

/// The steps' names, as the forms post them (and a refusal finds its form by).
const STEPS: [&str; 9] = [
    "start",
    "resolve",
    "accept",
    "reject",
    "extension",
    "reschedule",
    "decide",
    "withdraw",
    "order",
];

/// A step on the finding `id`, posted from its page or from the findings list; a refusal shows
/// the page it came from again with the reason next to the step's form.
#[handler]
pub async fn take_step(
    request: &Request,
    Data(state): Data<&AppState>,
    Path((id, step)): Path<(String, String)>,
    body: poem::Body,
) -> Response {
    let (signed, f): (_, StepForm) = match page::signed_form(request, state, body).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let (Ok(id), Some(step)) = (id.parse::<Uuid>(), STEPS.iter().find(|s| **s == step)) else {
        return page::error_page(Some(&signed.me), &AppError::not_found("finding"));
    };
    let on_its_page = f.from == "finding";
    let result = take(&state.ctx, &signed.actor, id, step, &f).await;
    match (result, on_its_page) {
        (Ok(()), true) => page::redirect(&format!("/findings/{id}")),
        (Ok(()), false) => page::redirect("/findings?notice=answered"),
        (Err(error), true) => render(state, &signed, id, Some(Refusal::new(step, &error))).await,
        (Err(error), false) => {
            let refusal = Refusal::new("finding", &error);
            super::findings::render(state, &signed, None, Some((id, refusal))).await
        }
    }
}
