//! 整改事项: the problems inspections found, not yet verified — for a leader those they answer
//! for (start rectifying, report it rectified), for deputies and the presidium all of them (check
//! a reported rectification: accept or send back).

use askama::Template;
use jiandu_domain::report::Label;
use jiandu_domain::{FindingStatus, Role};
use poem::web::{Data, Query};
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::board::light_word;
use super::finding::{Step, Steps};
use super::form::{self, Refusal};
use super::names::Names;
use super::page::{self, Me, Page, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::findings::{self, FindingFilter};
use crate::service::page::PageRequest;

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
    pub steps: Steps,
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

pub(super) async fn render(
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
        let page = findings::list_findings(ctx, actor, filter, PageRequest::largest()).await?;
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
            FindingRow {
                id: f.id,
                version: f.version,
                project: f.project_id.map(|id| (id, names.project(&id))),
                leader: names.person(&f.responsible_leader_id),
                unit: names.unit(&f.responsible_unit_id),
                due_by: f.due_by.to_string(),
                status: f.status.label(),
                light: light_word(f.tracked().light(&today)),
                steps: Steps::of(actor, &f, today.date),
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
    signed: Signed,
    Data(state): Data<&AppState>,
    Query(query): Query<FindingsQuery>,
) -> Page {
    let notice = match query.notice.as_deref() {
        Some("inspection") => Some("视察记录已保存，发现的问题已交责任领导整改。"),
        Some("answered") => Some("已保存。"),
        _ => None,
    };
    Ok(render(state, &signed, notice, None).await)
}
