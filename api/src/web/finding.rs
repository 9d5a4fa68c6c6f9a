//! A finding's page (整改问题): what the inspection found, with its photos, who answers for it by
//! when, its history (every step and deadline move), its extension requests, and the steps each
//! role may take — start and report the rectification, ask for more time, check it, move its
//! deadline, decide a request. The findings list posts the same steps.

use askama::Template;
use chrono::NaiveDate;
use jiandu_domain::FindingStatus;
use jiandu_domain::report::Label;
use poem::web::{Data, Path};
use poem::{Response, handler};
use uuid::Uuid;

use super::board::light_word;
use super::form::{self, Refusal, page_steps};
use super::history::{self, Event, Extension, Trail};
use super::names::Names;
use super::notices::{self, NoticeLine};
use super::page::{self, Me, Page, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::kernel::audit::Action;
use crate::service::views::{AttachmentView, AuditEventView, FindingView, InspectionView};
use crate::service::{Actor, Ctx, attachments, extensions, findings, inspections};

page_steps! {
    record = "finding";
    /// The steps on a finding (`/findings/<id>/<step>`, taken in `super::finding_steps`), from its page or the findings list.
    pub enum Step {
        Start = "start",
        Resolve = "resolve",
        Accept = "accept",
        Reject = "reject",
        Extension = "extension",
        Reschedule = "reschedule",
        Decide = "decide",
        Withdraw = "withdraw",
        Order = "order",
    }
}

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
    fn shows(&self, step: Step, extensions: &[Extension]) -> bool {
        match step {
            Step::Start => self.start,
            Step::Resolve => self.answer,
            Step::Extension => self.ask_extension,
            Step::Accept | Step::Reject => self.check,
            Step::Reschedule => self.reschedule,
            Step::Decide | Step::Withdraw => !extensions.is_empty(),
            Step::Order => self.order,
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
    /// The item's address, where its forms post.
    item: String,
    refusal: Option<Refusal>,
    refusal_on_top: bool,
}

/// An audit action in the words of a finding's history.
pub(super) fn action_words(action: Action) -> Option<&'static str> {
    Some(match action {
        Action::FindingRaise => "视察发现问题，交办整改",
        Action::FindingStart => "开始整改",
        Action::FindingResolve => "报告已整改",
        Action::FindingAccept => "核实：已整改到位",
        Action::FindingReject => "核实：未整改到位，退回",
        Action::FindingReschedule => "调整整改期限",
        Action::FindingExtend => "批准延期",
        Action::FindingImport => "从台账导入",
        Action::FindingConfirmHistorical => "主席团确认历史事项",
        Action::AttachmentAdd => "上传材料",
        _ => return None,
    })
}

/// What a step was taken with: a rectification reported is told by its words (later reports
/// replace the finding's own), every other step by its reason or note.
fn said(action: Option<Action>, event: &AuditEventView) -> Option<&str> {
    if action == Some(Action::FindingResolve) {
        let after = event.after.as_ref()?;
        return after.get("resolution").and_then(|r| r.as_str());
    }
    history::remark(action, event)
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
    trail.steps(action_words, said, &[Action::FindingReschedule]);
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
    let refusal_on_top = refusal.as_ref().is_some_and(|r| {
        !r.form
            .parse()
            .is_ok_and(|step| steps.shows(step, &loaded.extensions))
    });
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
            item: format!("/findings/{id}"),
            refusal,
            refusal_on_top,
            f,
        },
    )
}

#[handler]
pub async fn show(signed: Signed, Data(state): Data<&AppState>, Path(id): Path<String>) -> Page {
    let id = signed.record(&id, "finding")?;
    Ok(render(state, &signed, id, None).await)
}
