//! 批量添加节点: the presidium pastes a project's plan copied from Excel or WPS (节点, 上级节点,
//! 责任领导, 责任单位, 期限), previews how each row is read, and adds them all in one step — or
//! none, every row that cannot be added named with its reason (docs/import.md).

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::form::Refusal;
use super::page::{self, Me, Page, Posted, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::import::{self, Failure, MAX_PASTED_ROWS, RowOutcome};
use crate::service::projects;

#[derive(Template)]
#[template(path = "paste.html")]
struct PastePage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    project: (Uuid, String),
    max_rows: usize,
    /// The rows as pasted, kept through a preview or a refusal.
    rows: &'a str,
    /// A preview's reading of each row.
    preview: Vec<RowOutcome>,
    /// The rows that kept the paste out: (row, column, reason).
    problems: Vec<(u32, String, String)>,
    refusal: Option<Refusal>,
}

impl PastePage<'_> {
    /// Rows the preview would add.
    fn created(rows: &[RowOutcome]) -> usize {
        rows.iter().filter(|r| r.created).count()
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasteForm {
    rows: String,
    /// `add` adds; anything else previews.
    step: String,
}

async fn render(
    state: &AppState,
    signed: &Signed,
    id: Uuid,
    status: StatusCode,
    rows: &str,
    outcome: Result<Vec<RowOutcome>, Failure>,
) -> Response {
    let ctx = &state.ctx;
    let project = match projects::projects_by_ids(ctx, &signed.actor, &[id]).await {
        Ok(mut found) if !found.is_empty() => found.remove(0),
        Ok(_) => return page::error_page(Some(&signed.me), &AppError::not_found("project")),
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let (preview, problems, refusal) = match outcome {
        Ok(rows) => (rows, Vec::new(), None),
        Err(Failure::Rows(problems)) => {
            let problems = problems
                .into_iter()
                .map(|p| (p.row, p.column, p.reason))
                .collect();
            (Vec::new(), problems, None)
        }
        Err(failure) => {
            let refusal = Refusal::new("paste", &import::paste_refused(failure));
            (Vec::new(), Vec::new(), Some(refusal))
        }
    };
    page::render(
        status,
        &PastePage {
            me: Some(&signed.me),
            nav: "board",
            project: (project.id, project.title),
            max_rows: MAX_PASTED_ROWS,
            rows,
            preview,
            problems,
            refusal,
        },
    )
}

#[handler]
pub async fn form(signed: Signed, Data(state): Data<&AppState>, Path(id): Path<String>) -> Page {
    let id = signed.record(&id, "project")?;
    if !signed.me.manages {
        return Err(signed.refuse(&AppError::Forbidden(
            "only the presidium adds a project's milestones".into(),
        )));
    }
    Ok(render(state, &signed, id, StatusCode::OK, "", Ok(Vec::new())).await)
}

/// 预览 or 添加 the pasted rows.
#[handler]
pub async fn submit(
    Posted {
        signed, form: f, ..
    }: Posted<PasteForm>,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
) -> Page {
    let id = signed.record(&id, "project")?;
    let dry_run = f.step != "add";
    let result = import::add_milestones(&state.ctx, &signed.actor, id, &f.rows, dry_run).await;
    Ok(match result {
        Ok(batch) if !batch.dry_run => page::redirect(&format!(
            "/projects/{id}?added={}#tree",
            batch.created.len()
        )),
        Ok(batch) => {
            let status = StatusCode::OK;
            render(state, &signed, id, status, &f.rows, Ok(batch.rows)).await
        }
        Err(Failure::Refused(AppError::Forbidden(message))) => {
            page::error_page(Some(&signed.me), &AppError::Forbidden(message))
        }
        Err(failure) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(state, &signed, id, status, &f.rows, Err(failure)).await
        }
    })
}
