//! 历史事项: imported items already past their deadline, quiet until the presidium says what
//! became of each (docs/import.md) — done on a day (closed), still to do by a new deadline, or
//! cancelled — and the findings and suggestions brought in the same way. No notice is issued for
//! them until then.

use askama::Template;
use poem::handler;
use poem::web::{Data, Path, Query};
use serde::Deserialize;
use uuid::Uuid;

use super::form;
use super::historical_records::{self, RecordRow};
use super::items::{ItemRow, rows_of};
use super::page::{self, Me, Page, Posted, Signed};
use super::refusal;
use crate::error::AppError;
use crate::http::AppState;
use crate::service::historical;
use crate::service::milestones::{self, Decision, MilestoneFilter};
use crate::service::page::PageRequest;

#[derive(Template)]
#[template(path = "historical.html")]
struct HistoricalPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    rows: Vec<ItemRow>,
    total: u64,
    findings: Vec<RecordRow>,
    suggestions: Vec<RecordRow>,
    today: String,
    notice: Option<&'static str>,
    /// The item whose confirmation was refused, and why.
    refused: Option<(Uuid, String)>,
    draft: Draft,
}

impl HistoricalPage<'_> {
    fn refused(&self, id: &Uuid) -> Option<&str> {
        self.refused
            .as_ref()
            .filter(|(on, _)| on == id)
            .map(|(_, why)| why.as_str())
    }
}

/// A confirmation as posted, kept when it is refused.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Draft {
    version: String,
    /// `done`, `open` or `cancel`.
    decision: String,
    completed_on: String,
    new_deadline: String,
    note: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct HistoricalQuery {
    confirmed: Option<String>,
}

#[handler]
pub async fn list(
    signed: Signed,
    Data(state): Data<&AppState>,
    Query(query): Query<HistoricalQuery>,
) -> Page {
    let notice = query.confirmed.map(|_| "已确认，该事项不再列为历史事项。");
    Ok(render(state, &signed, notice, None, Draft::default()).await)
}

/// What a historical item is.
#[derive(Clone, Copy)]
enum Kind {
    Milestone,
    Finding,
    Suggestion,
}

/// A milestone confirmed (`/historical/:id`).
#[handler]
pub async fn confirm(
    posted: Posted<Draft>,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
) -> Page {
    confirmed(posted, state, &id, Kind::Milestone).await
}

/// A finding confirmed (`/historical/findings/:id`).
#[handler]
pub async fn confirm_finding(
    posted: Posted<Draft>,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
) -> Page {
    confirmed(posted, state, &id, Kind::Finding).await
}

/// A suggestion confirmed (`/historical/suggestions/:id`).
#[handler]
pub async fn confirm_suggestion(
    posted: Posted<Draft>,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
) -> Page {
    confirmed(posted, state, &id, Kind::Suggestion).await
}

/// The decision posted, in the service's words.
fn decision_of(draft: &Draft) -> Result<Decision, AppError> {
    let date = |text: &str, name| form::optional_date(name, text);
    Ok(match draft.decision.as_str() {
        "done" => Decision::CloseDone {
            on: date(&draft.completed_on, jiandu_domain::field::COMPLETED_ON)?,
        },
        "open" => Decision::KeepOpen {
            deadline: date(&draft.new_deadline, jiandu_domain::field::NEW_DEADLINE)?,
        },
        "cancel" => Decision::Cancel,
        _ => return Err(AppError::not_in_list(jiandu_domain::field::DECISION)),
    })
}

async fn confirmed(posted: Posted<Draft>, state: &AppState, id: &str, kind: Kind) -> Page {
    let Posted {
        signed,
        form: draft,
        ..
    } = posted;
    let what = match kind {
        Kind::Milestone => "milestone",
        Kind::Finding => "finding",
        Kind::Suggestion => "suggestion",
    };
    let id = signed.record(id, what)?;
    let decided = async {
        let version = form::version(&draft.version)?;
        let decision = decision_of(&draft)?;
        let note = form::optional_text(&draft.note);
        let (ctx, actor, note) = (&state.ctx, &signed.actor, note.as_deref());
        match kind {
            Kind::Milestone => {
                milestones::confirm_historical_item(ctx, actor, id, version, decision, note)
                    .await
                    .map(drop)
            }
            Kind::Finding => {
                historical::confirm_historical_finding(ctx, actor, id, version, decision, note)
                    .await
                    .map(drop)
            }
            Kind::Suggestion => {
                historical::confirm_historical_suggestion(ctx, actor, id, version, decision, note)
                    .await
                    .map(drop)
            }
        }
    }
    .await;
    Ok(match decided {
        Ok(_) => page::redirect("/historical?confirmed=1"),
        Err(error) => {
            let why = refusal::in_chinese(&error);
            let status = form::Refusal::new("confirm", &error).status;
            let mut page = render(state, &signed, None, Some((id, why)), draft).await;
            page.set_status(status);
            page
        }
    })
}

async fn render(
    state: &AppState,
    signed: &Signed,
    notice: Option<&'static str>,
    refused: Option<(Uuid, String)>,
    draft: Draft,
) -> poem::Response {
    let ctx = &state.ctx;
    let actor = &signed.actor;
    if let Err(denied) = actor
        .access
        .check_manage(actor.organization_id(), "historical items")
    {
        return page::error_page(Some(&signed.me), &AppError::from(denied));
    }
    let filter = MilestoneFilter {
        historical: Some(true),
        ..MilestoneFilter::default()
    };
    let loaded = async {
        let found = milestones::list_milestones(ctx, actor, filter, PageRequest::largest()).await?;
        let rows = rows_of(
            state,
            signed,
            found.items.into_iter().map(|(_, m)| m).collect(),
        )
        .await?;
        let (findings, suggestions) = historical_records::load(ctx, actor).await?;
        Ok::<_, AppError>((rows, found.total, findings, suggestions))
    }
    .await;
    let (rows, total, findings, suggestions) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    page::ok(&HistoricalPage {
        me: Some(&signed.me),
        nav: "historical",
        rows,
        total,
        findings,
        suggestions,
        today: actor
            .today_in(actor.organization_id(), ctx.now(), None)
            .to_string(),
        notice,
        refused,
        draft,
    })
}
