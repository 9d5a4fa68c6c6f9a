//! 延期申请: the requests waiting for the presidium, each with the item it is about, and the
//! form that approves (with the day asked for, or another) or refuses it with a note.

use jiandu_domain::field;
use std::collections::HashMap;

use askama::Template;
use chrono::NaiveDate;
use jiandu_domain::ExtensionStatus;
use poem::web::{Data, Path};
use poem::{Request, Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::form::{self, Refusal};
use super::names::{Names, holders};
use super::page::{self, Me, Page, Posted, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::page::PageRequest;
use crate::service::{extensions, findings, milestones};

pub struct Waiting {
    pub id: Uuid,
    /// The item's page (a milestone's or a finding's), and what it is.
    pub link: String,
    pub item: String,
    pub asked_by: String,
    pub current: NaiveDate,
    pub proposed: NaiveDate,
    pub reason: String,
    pub decide: bool,
}

#[derive(Template)]
#[template(path = "extensions.html")]
struct ExtensionsPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    rows: Vec<Waiting>,
    total: u64,
    refusal: Option<(Uuid, Refusal)>,
}

impl ExtensionsPage<'_> {
    fn refused(&self, id: &Uuid) -> Option<&str> {
        form::refused_on(&self.refusal, id)
    }
}

async fn render(state: &AppState, signed: &Signed, refusal: Option<(Uuid, Refusal)>) -> Response {
    let ctx = &state.ctx;
    let actor = &signed.actor;
    let loaded = async {
        let page = extensions::list_extensions(
            ctx,
            actor,
            Some(vec![ExtensionStatus::Pending]),
            PageRequest::largest(),
        )
        .await?;
        let requests: Vec<_> = page.items.into_iter().map(|(_, e)| e).collect();
        let milestone_ids: Vec<Uuid> = requests.iter().filter_map(|e| e.milestone_id).collect();
        let finding_ids: Vec<Uuid> = requests.iter().filter_map(|e| e.finding_id).collect();
        let user_ids: Vec<Uuid> = requests.iter().map(|e| e.requested_by).collect();
        let milestones = milestones::milestones_by_ids(ctx, actor, &milestone_ids).await?;
        let findings = findings::findings_by_ids(ctx, actor, &finding_ids).await?;
        let project_ids: Vec<Uuid> = milestones
            .iter()
            .map(|m| m.project_id)
            .chain(findings.iter().filter_map(|f| f.project_id))
            .collect();
        let names = Names::of(ctx, actor, &project_ids).await?;
        // Each item as 项目 · 节点 (several projects have a 竣工验收).
        let titles: HashMap<Uuid, String> = milestones
            .into_iter()
            .map(|m| {
                (
                    m.id,
                    format!("{} · {}", names.project(&m.project_id), m.title),
                )
            })
            .chain(findings.into_iter().map(|f| {
                let project = f.project_id.map(|p| names.project(&p)).unwrap_or_default();
                let item = format!("整改问题：{}", f.description);
                let title = if project.is_empty() {
                    item
                } else {
                    format!("{project} · {item}")
                };
                (f.id, title)
            }))
            .collect();
        let users = holders(ctx, actor, &user_ids).await?;
        Ok::<_, AppError>((requests, page.total, titles, users))
    }
    .await;
    let (requests, total, titles, users) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let rows = requests
        .into_iter()
        .map(|e| {
            let item = e.milestone_id.or(e.finding_id).unwrap_or_default();
            Waiting {
                id: e.id,
                link: match e.milestone_id {
                    Some(id) => format!("/milestones/{id}"),
                    None => format!("/findings/{item}"),
                },
                item: titles.get(&item).cloned().unwrap_or_default(),
                asked_by: users.get(&e.requested_by).cloned().unwrap_or_default(),
                current: e.current_deadline,
                proposed: e.proposed_deadline,
                reason: e.reason,
                decide: actor
                    .access
                    .check_manage(e.organization_id, "extension")
                    .is_ok(),
            }
        })
        .collect();
    let status = form::status_of(refusal.as_ref().map(|(_, r)| r));
    page::render(
        status,
        &ExtensionsPage {
            me: Some(&signed.me),
            nav: "extensions",
            rows,
            total,
            refusal,
        },
    )
}

#[handler]
pub async fn list(signed: Signed, Data(state): Data<&AppState>) -> Page {
    Ok(render(state, &signed, None).await)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecideForm {
    decision: String,
    date: String,
    note: String,
}

#[handler]
pub async fn decide(
    Posted {
        signed, form: f, ..
    }: Posted<DecideForm>,
    _request: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
) -> Page {
    let id = signed.record(&id, "extension request")?;
    let result = async {
        let deadline = form::optional_date(field::DEADLINE, &f.date)?;
        let note = form::optional_text(&f.note);
        let approve = f.decision == "approve";
        extensions::decide_extension(
            &state.ctx,
            &signed.actor,
            id,
            approve,
            note.as_deref(),
            deadline,
        )
        .await
    }
    .await;
    Ok(match result {
        Ok(_) => page::redirect("/extensions"),
        Err(error) => render(state, &signed, Some((id, Refusal::new("decide", &error)))).await,
    })
}
