//! The supervision ledger (督办台账) as downloads: `GET /export/ledger.xlsx` (the milestone
//! sheet, the findings, the 代表建议办理台账, the 审议意见 and the 来信来访 sheets, laid out to
//! print; rows filled red/yellow/green by light, a frozen Chinese header row with filters, dates
//! as real dates), `GET /export/ledger.csv` (the milestone sheet as UTF-8 with a BOM, so Excel
//! opens the Chinese correctly) and `GET /export/suggestions.csv` (the suggestions sheet). Each
//! needs a bearer token or the workbench's session (`super::caller::Downloader`). None holds the
//! ledger in memory: the CSV is sent a page at a time as it is read, and the spreadsheet is
//! written as it is read into a temporary file, which is then sent.

use chrono::NaiveDate;
use futures::stream::{self, Stream};
use jiandu_domain::Reason;
use poem::http::header;
use poem::web::{Data, Query};
use poem::{Body, Response, handler};
use serde::Deserialize;
use tokio::sync::mpsc;

use super::AppState;
use super::caller::Downloader;
use super::downloads::content_disposition;
use crate::error::AppError;
use crate::service::Actor;
use crate::service::formats::sheets::{
    Heading, MILESTONES, Page, Row, SUGGESTIONS, Sheet as Columns, contact_row, csv_header,
    csv_lines, finding_row, milestone_row, opinion_rows, suggestion_row, write_xlsx,
};
use crate::service::ledger::{self, Ledger};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerQuery {
    organization_id: Option<String>,
    project_id: Option<String>,
    as_of: Option<String>,
}

type Parameters = (Option<uuid::Uuid>, Option<uuid::Uuid>, Option<NaiveDate>);

/// The query's organisation, project and day, or the parameter that is wrong and why.
fn parameters(query: &LedgerQuery) -> Result<Parameters, (&'static str, Reason, &'static str)> {
    let id = |name: &'static str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| {
                uuid::Uuid::parse_str(v)
                    .map_err(|_| (name, Reason::UnknownRecord, "is not a valid id"))
            })
            .transpose()
    };
    let as_of = query
        .as_of
        .as_deref()
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
                (
                    "asOf",
                    Reason::NotADate,
                    "is not a calendar date (YYYY-MM-DD)",
                )
            })
        })
        .transpose()?;
    Ok((
        id("organizationId", &query.organization_id)?,
        id("projectId", &query.project_id)?,
        as_of,
    ))
}

/// The ledger the query asks for, or why not.
async fn load(actor: &Actor, query: &LedgerQuery, state: &AppState) -> Result<Ledger, AppError> {
    let (organization_id, project_id, as_of) = parameters(query)
        .map_err(|(name, reason, message)| AppError::invalid(name, reason, message))?;
    ledger::ledger(&state.ctx, actor, organization_id, project_id, as_of).await
}

fn download(content_type: &str, file_name: &str, body: impl Into<poem::Body>) -> Response {
    Response::builder()
        .content_type(content_type)
        .header(
            header::CONTENT_DISPOSITION,
            content_disposition(false, file_name),
        )
        .header(header::CACHE_CONTROL, "no-store")
        .body(body.into())
}

/// The ledger's sheets, read one after the other (in the order of [`crate::service::formats::sheets::SHEETS`]).
#[derive(Clone, Copy)]
enum Sheet {
    Milestones,
    Findings,
    Suggestions,
    Opinions,
    Contacts,
}

impl Sheet {
    const ALL: [Sheet; 5] = [
        Sheet::Milestones,
        Sheet::Findings,
        Sheet::Suggestions,
        Sheet::Opinions,
        Sheet::Contacts,
    ];

    /// The next page of this sheet as rows of cells; empty once it has all been read.
    async fn next_page(self, ledger: &mut Ledger) -> Result<Vec<Row>, AppError> {
        Ok(match self {
            Sheet::Milestones => ledger
                .next_milestones()
                .await?
                .iter()
                .map(milestone_row)
                .collect(),
            Sheet::Findings => ledger
                .next_findings()
                .await?
                .iter()
                .map(finding_row)
                .collect(),
            Sheet::Suggestions => ledger
                .next_suggestions()
                .await?
                .iter()
                .map(suggestion_row)
                .collect(),
            Sheet::Opinions => ledger
                .next_opinions()
                .await?
                .iter()
                .flat_map(opinion_rows)
                .collect(),
            Sheet::Contacts => ledger
                .next_contacts()
                .await?
                .iter()
                .map(contact_row)
                .collect(),
        })
    }
}

/// Reads the ledger page by page into the spreadsheet writer; the finished file.
async fn spreadsheet(mut ledger: Ledger) -> Result<std::fs::File, AppError> {
    // Two pages in flight at most: the reader waits for the writer, never the other way round
    // with the whole ledger in between.
    let (pages, received) = mpsc::channel(2);
    let heading = Heading {
        place: ledger.place.clone(),
        as_of: ledger.as_of,
    };
    let writer = tokio::task::spawn_blocking(move || write_xlsx(received, &heading));
    let read = async {
        for (index, sheet) in Sheet::ALL.into_iter().enumerate() {
            loop {
                let rows = sheet.next_page(&mut ledger).await?;
                if rows.is_empty() {
                    break;
                }
                if pages.send(Page { sheet: index, rows }).await.is_err() {
                    return Ok(()); // the writer stopped; its error says why
                }
            }
        }
        Ok::<_, AppError>(())
    };
    let read = read.await;
    drop(pages);
    let written = writer
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("the spreadsheet writer stopped: {e}")))?
        .map_err(|e| AppError::internal(anyhow::anyhow!("writing the ledger spreadsheet: {e}")));
    read?;
    written
}

#[handler]
pub async fn ledger_xlsx(
    Downloader(actor): Downloader,
    Query(query): Query<LedgerQuery>,
    Data(state): Data<&AppState>,
) -> Result<Response, AppError> {
    let ledger = load(&actor, &query, state).await?;
    let file_name = format!("督办台账-{}.xlsx", ledger.as_of);
    let file = spreadsheet(ledger).await?;
    let length = file.metadata().map(|m| m.len()).ok();
    let mut response = download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &file_name,
        Body::from_async_read(tokio::fs::File::from_std(file)),
    );
    if let Some(length) = length {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, header::HeaderValue::from(length));
    }
    Ok(response)
}

/// One sheet as CSV, a page at a time as it is read. A failure after the first page can only cut
/// the download short (the status was sent); it is logged.
fn csv_pages(
    ledger: Ledger,
    sheet: Sheet,
    columns: &Columns,
) -> impl Stream<Item = Result<Vec<u8>, std::io::Error>> + use<> {
    let header = csv_header(columns);
    stream::unfold(Some((ledger, Some(header))), move |state| async move {
        let (mut ledger, header) = state?;
        let mut out = header.unwrap_or_default();
        match sheet.next_page(&mut ledger).await {
            Ok(rows) if rows.is_empty() => (!out.is_empty()).then(|| (Ok(out.into_bytes()), None)),
            Ok(rows) => {
                csv_lines(&rows, &mut out);
                Some((Ok(out.into_bytes()), Some((ledger, None))))
            }
            Err(error) => {
                tracing::error!(error = %anyhow::Error::from(error), "a ledger export stopped");
                Some((
                    Err(std::io::Error::other("the ledger could not be read")),
                    None,
                ))
            }
        }
    })
}

/// One sheet of the ledger the query asks for, as CSV named `name`-<day>.csv.
async fn csv(
    actor: &Actor,
    query: &LedgerQuery,
    state: &AppState,
    (name, sheet, columns): (&str, Sheet, &'static Columns),
) -> Result<Response, AppError> {
    let ledger = load(actor, query, state).await?;
    Ok(download(
        "text/csv; charset=utf-8",
        &format!("{name}-{}.csv", ledger.as_of),
        Body::from_bytes_stream(csv_pages(ledger, sheet, columns)),
    ))
}

/// The milestones' sheet (督办台账) as CSV.
#[handler]
pub async fn ledger_csv(
    Downloader(actor): Downloader,
    Query(query): Query<LedgerQuery>,
    Data(state): Data<&AppState>,
) -> Result<Response, AppError> {
    csv(
        &actor,
        &query,
        state,
        ("督办台账", Sheet::Milestones, &MILESTONES),
    )
    .await
}

/// The 代表建议办理台账 alone, as CSV.
#[handler]
pub async fn suggestions_csv(
    Downloader(actor): Downloader,
    Query(query): Query<LedgerQuery>,
    Data(state): Data<&AppState>,
) -> Result<Response, AppError> {
    let sheet = ("代表建议办理台账", Sheet::Suggestions, &SUGGESTIONS);
    csv(&actor, &query, state, sheet).await
}
