//! 整改事项: the problems inspections found, not yet verified — for a leader those they answer
//! for (start rectifying, report it rectified), for deputies and the presidium all of them (check
//! a reported rectification: accept or send back).

use askama::Template;
use jiandu_domain::report::Label;
use jiandu_domain::{FindingStatus, Role};
use poem::web::{Data, Path, Query};
use poem::{Request, Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::board::light_word;
use super::form::{self, Refusal};
use super::names::Names;
use super::page::{self, Me, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::extensions;
use crate::service::findings::{self, FindingFilter};
use crate::service::page::{MAX_PAGE_SIZE, PageRequest};

pub struct FindingRow {
    pub id: Uuid,
    pub version: i32,
    pub description: String,
    pub project: Option<(Uuid, String)>,
    pub leader: String,
    pub unit: String,
    pub due_by: String,
    pub status: &'static str,
    pub light: (&'static str, &'static str),
    pub resolution: Option<String>,
    pub note: Option<String>,
    /// Which forms this row shows.
    pub answer: bool,
    pub start: bool,
    pub check: bool,
    /// The deadline is ahead: the one who answers may ask for more time.
    pub extend: bool,
}

#[derive(Template)]
#[template(path = "findings.html")]
struct FindingsPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    heading: &'static str,
    notice: Option<&'static str>,
    rows: Vec<FindingRow>,
    total: u64,
    refusal: Option<(Uuid, Refusal)>,
}

impl FindingsPage<'_> {
    /// The refusal of the form on the finding `id`, if that is what was refused.
    fn refused(&self, id: &Uuid) -> Option<&str> {
        form::refused_on(&self.refusal, id)
    }
}

#[derive(Deserialize)]
pub struct FindingsQuery {
    notice: Option<String>,
}

async fn render(
    state: &AppState,
    signed: &Signed,
    notice: Option<&'static str>,
    refusal: Option<(Uuid, Refusal)>,
) -> Response {
    let ctx = &state.ctx;
    let actor = &signed.actor;
    let access = &actor.access;
    let leader_only = access.role == Role::Leader;
    let filter = FindingFilter {
        leader_id: if leader_only {
            access.person_id.or(Some(Uuid::nil()))
        } else {
            None
        },
        status: Some(vec![
            FindingStatus::Open,
            FindingStatus::Rectifying,
            FindingStatus::Resolved,
        ]),
        ..FindingFilter::default()
    };
    let loaded = async {
        let page = findings::list_findings(
            ctx,
            actor,
            filter,
            PageRequest {
                first: MAX_PAGE_SIZE,
                after: None,
            },
        )
        .await?;
        let project_ids: Vec<Uuid> = page
            .items
            .iter()
            .filter_map(|(_, f)| f.project_id)
            .collect();
        let names = Names::of(ctx, actor, &project_ids).await?;
        Ok::<_, AppError>((page, names))
    }
    .await;
    let (page, names) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let now = ctx.now();
    let rows = page
        .items
        .into_iter()
        .map(|(_, f)| {
            let today = actor.judging_day(f.organization_id, now, None);
            let answers = access
                .check_answer(f.organization_id, f.responsible_leader_id)
                .is_ok();
            let checks = access.check_inspect(f.organization_id, "verify").is_ok()
                && f.resolved_by != Some(actor.user_id());
            FindingRow {
                id: f.id,
                version: f.version,
                project: f.project_id.map(|id| (id, names.project(&id))),
                leader: names.person(&f.responsible_leader_id),
                unit: names.unit(&f.responsible_unit_id),
                due_by: f.due_by.to_string(),
                status: f.status.label(),
                light: light_word(f.tracked().light(&today)),
                start: answers && f.status == FindingStatus::Open,
                answer: answers && f.status.is_open(),
                check: checks && f.status == FindingStatus::Resolved,
                extend: answers && f.status.is_open() && today.date <= f.due_by,
                resolution: f.resolution,
                note: f.verification_note,
                description: f.description,
            }
        })
        .collect();
    let status = form::status_of(refusal.as_ref().map(|(_, r)| r));
    page::render(
        status,
        &FindingsPage {
            me: Some(&signed.me),
            nav: "findings",
            heading: if leader_only {
                "我负责整改的问题"
            } else {
                "视察发现问题的整改"
            },
            notice,
            rows,
            total: page.total,
            refusal,
        },
    )
}

#[handler]
pub async fn list(
    request: &Request,
    Data(state): Data<&AppState>,
    Query(query): Query<FindingsQuery>,
) -> Response {
    let signed = match page::signed_in(request, state, false).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let notice = match query.notice.as_deref() {
        Some("inspection") => Some("视察记录已保存，发现的问题已交责任领导整改。"),
        Some("answered") => Some("已保存。"),
        _ => None,
    };
    render(state, &signed, notice, None).await
}

#[derive(Deserialize, Default)]
pub struct AnswerForm {
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
}

/// A step on the finding `id`: `start` (整改中), `resolve` (已报整改), `accept` or `reject`, or
/// `extension` (申请延期, before its deadline).
#[handler]
pub async fn answer(
    request: &Request,
    Data(state): Data<&AppState>,
    Path((id, step)): Path<(String, String)>,
    body: poem::Body,
) -> Response {
    let (signed, f): (_, AnswerForm) = match page::signed_form(request, state, body).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let to = match step.as_str() {
        "start" => Some(FindingStatus::Rectifying),
        "resolve" => Some(FindingStatus::Resolved),
        "accept" => Some(FindingStatus::Verified),
        "reject" => Some(FindingStatus::Rectifying),
        // Asking for more time, before the deadline: decided by the presidium.
        "extension" => None,
        _ => return page::error_page(Some(&signed.me), &AppError::not_found("step")),
    };
    let Ok(id) = id.parse::<Uuid>() else {
        return page::error_page(Some(&signed.me), &AppError::not_found("finding"));
    };
    let result = async {
        let Some(to) = to else {
            let proposed = form::date("proposedDeadline", &f.date)?;
            let ctx = &state.ctx;
            extensions::request_extension(ctx, &signed.actor, id, proposed, &f.reason).await?;
            return Ok(());
        };
        let version = form::version(&f.version)?;
        let resolution = form::optional_text(&f.resolution);
        let note = form::optional_text(&f.note);
        findings::update_finding(
            &state.ctx,
            &signed.actor,
            id,
            version,
            to,
            resolution.as_deref(),
            note.as_deref(),
        )
        .await
        .map(|_| ())
    }
    .await;
    match result {
        Ok(_) => page::redirect("/findings?notice=answered"),
        Err(error) => {
            let refusal = Refusal::new("finding", &error);
            render(state, &signed, None, Some((id, refusal))).await
        }
    }
}
