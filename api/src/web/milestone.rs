//! A milestone's page: its facts, its history (deadline changes, progress reports, every recorded
//! change) and the steps each role may take on it — report progress and done, ask for an
//! extension, reschedule, check, sign off or return it, decide an extension.

use askama::Template;
use chrono::NaiveDate;
use jiandu_domain::MilestoneStatus;
use jiandu_domain::report::Label;
use poem::web::{Data, Path};
use poem::{Response, handler};
use uuid::Uuid;

use super::board::item_light_word;
use super::form::{self, Refusal, page_steps};
use super::history::{self, Event, Extension, Trail};
use super::notices::{self, NoticeLine};
use super::page::{self, Me, Page, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::kernel::audit::Action;
use crate::service::views::{MilestoneView, ProjectView};
use crate::service::{Actor, Ctx, extensions, milestones, organizations, projects};

page_steps! {
    record = "milestone";
    /// The steps on a milestone's page (`/milestones/<id>/<step>`, taken in `super::steps`).
    pub enum Step {
        Progress = "progress",
        Done = "done",
        Reschedule = "reschedule",
        Verify = "verify",
        SignOff = "sign-off",
        Return = "return",
        Extension = "extension",
        Decide = "decide",
        Withdraw = "withdraw",
        Cancel = "cancel",
        Edit = "edit",
        Order = "order",
    }
}

/// The forms the page shows, from the item's state and the same access rules the use cases
/// apply (which still decide).
pub struct Steps {
    pub report: bool,
    pub manage: bool,
    pub ask_extension: bool,
    pub check: bool,
    pub sign_off: bool,
    pub send_back: bool,
    pub reschedule: bool,
    /// The presidium may issue a supervision order (督办单) for the open item.
    pub order: bool,
}

impl Steps {
    /// Whether the form of `step` is on the page.
    fn shows(&self, step: Step, extensions: &[Extension]) -> bool {
        match step {
            Step::Progress | Step::Done => self.report,
            Step::Extension => self.ask_extension,
            Step::Decide | Step::Withdraw => !extensions.is_empty(),
            Step::Verify => self.check,
            Step::SignOff => self.sign_off,
            Step::Return => self.send_back,
            Step::Reschedule | Step::Cancel | Step::Edit => self.reschedule,
            Step::Order => self.order,
        }
    }
}

#[derive(Template)]
#[template(path = "milestone.html")]
struct MilestonePage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    m: &'a MilestoneView,
    project: &'a ProjectView,
    leader: String,
    unit: String,
    status: &'static str,
    state: &'static str,
    light: (&'static str, &'static str),
    today: NaiveDate,
    steps: Steps,
    refusal_on_top: bool,
    extensions: Vec<Extension>,
    events: Vec<Event>,
    notices: Vec<NoticeLine>,
    /// The item's address, where its forms post.
    item: String,
    refusal: Option<Refusal>,
    /// The organisation's people and units, for the presidium's edit form: (id, name).
    people: Vec<(String, String)>,
    units: Vec<(String, String)>,
}

/// An audit action in the words of the history.
pub(super) fn action_words(action: Action) -> Option<&'static str> {
    Some(match action {
        Action::MilestoneAdd => "添加节点",
        Action::MilestoneUpdate => "修改节点",
        Action::MilestoneReportProgress => "报告进度",
        Action::MilestoneComplete => "报告办结",
        Action::MilestoneReschedule => "调整截止日期",
        Action::MilestoneCancel => "取消节点",
        Action::MilestoneAccept => "代表核验：办结属实",
        Action::MilestoneReject => "代表核验：未办结到位，退回",
        Action::MilestoneExtend => "批准延期",
        Action::MilestoneImport => "从台账导入",
        Action::MilestoneSignOff => "主席团销号",
        Action::MilestoneReturn => "退回重办",
        Action::MilestoneConfirmHistorical => "主席团确认历史事项",
        _ => return None,
    })
}

/// The milestone, its project, and what its page tells of its past.
async fn load(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
) -> Result<(MilestoneView, ProjectView, Vec<Extension>, Vec<Event>), AppError> {
    let Some(m) = milestones::milestones_by_ids(ctx, actor, &[id])
        .await?
        .into_iter()
        .next()
    else {
        return Err(AppError::not_found("milestone"));
    };
    let project = projects::get_project(ctx, actor, m.project_id)
        .await?
        .ok_or_else(|| AppError::not_found("project"))?;
    let asked = extensions::extensions_of_milestones(ctx, actor, &[id]).await?;
    let changes = milestones::deadline_changes_of(ctx, actor, &[id]).await?;
    let reports = milestones::progress_reports_of(ctx, actor, &[id]).await?;
    let mut trail = Trail::of(ctx, actor, m.organization_id, id, &asked).await?;
    // Progress reports and deadline changes are told by their own rows, with their numbers.
    trail.steps(
        action_words,
        history::remark,
        &[Action::MilestoneReportProgress, Action::MilestoneReschedule],
    );
    trail.moves(&changes);
    for (_, r) in reports {
        let what = match &r.note {
            Some(note) => format!("进度 {}%：{note}", r.progress),
            None => format!("进度 {}%", r.progress),
        };
        trail.add(r.reported_at, r.reported_by, what);
    }
    let extensions = trail.extensions(asked);
    Ok((m, project, extensions, trail.events()))
}

pub(super) async fn render(
    state: &AppState,
    signed: &Signed,
    id: Uuid,
    refusal: Option<Refusal>,
) -> Response {
    let ctx = &state.ctx;
    let actor = &signed.actor;
    let (m, project, extensions, events) = match load(ctx, actor, id).await {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let listed = async {
        Ok::<_, AppError>((
            organizations::readable_people(ctx, actor).await?,
            organizations::readable_units(ctx, actor).await?,
            notices::about(ctx, actor, id).await?,
        ))
    }
    .await;
    let (all_people, all_units, notices) = match listed {
        Ok(listed) => listed,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let name_of = |found: Option<String>| found.unwrap_or_else(|| "—".into());
    let leader = name_of(
        all_people
            .iter()
            .find(|p| p.id == m.responsible_leader_id)
            .map(|p| p.name.clone()),
    );
    let unit = name_of(
        all_units
            .iter()
            .find(|u| u.id == m.responsible_unit_id)
            .map(|u| u.name.clone()),
    );
    // The edit form chooses among the item's own organisation's people and units.
    let people: Vec<(String, String)> = all_people
        .into_iter()
        .filter(|p| p.organization_id == m.organization_id)
        .map(|p| (p.id.to_string(), p.name))
        .collect();
    let units: Vec<(String, String)> = all_units
        .into_iter()
        .filter(|u| u.organization_id == m.organization_id)
        .map(|u| (u.id.to_string(), u.name))
        .collect();
    let today = actor.judging_day(m.organization_id, ctx.now(), None);
    let access = &actor.access;
    let responsible = [Some(m.responsible_leader_id), m.responsible_person_id];
    let open = m.status.is_open();
    let reported = matches!(m.status, MilestoneStatus::Done | MilestoneStatus::Verified);
    let manage = access.check_manage(m.organization_id, "milestone").is_ok();
    let verify = access.check_verify(m.organization_id).is_ok();
    let report = access.check_report(m.organization_id, &responsible).is_ok();
    let steps = Steps {
        report: open && m.is_item && report,
        manage,
        ask_extension: open && !reported && today.date <= m.due_by && report,
        check: reported && verify && !manage,
        sign_off: reported && manage,
        send_back: reported && (manage || verify),
        reschedule: open && manage,
        order: open && manage && m.is_item,
    };
    let status = form::status_of(refusal.as_ref());
    // A refusal of a form the page no longer shows (the item moved on) goes at the top.
    let refusal_on_top = refusal.as_ref().is_some_and(|r| {
        !r.form
            .parse()
            .is_ok_and(|step| steps.shows(step, &extensions))
    });
    page::render(
        status,
        &MilestonePage {
            me: Some(&signed.me),
            nav: "board",
            leader,
            unit,
            status: m.status.label(),
            state: m.tracked().deadline_state(&today).label(),
            light: item_light_word(m.tracked().light(&today), m.status, &today),
            today: today.date,
            steps,
            refusal_on_top,
            extensions,
            events,
            notices,
            item: format!("/milestones/{id}"),
            refusal,
            m: &m,
            project: &project,
            people,
            units,
        },
    )
}

#[handler]
pub async fn show(signed: Signed, Data(state): Data<&AppState>, Path(id): Path<String>) -> Page {
    let id = signed.record(&id, "milestone")?;
    Ok(render(state, &signed, id, None).await)
}
