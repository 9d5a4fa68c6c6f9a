//! The supervision ledger (督办台账) as downloads: `GET /export/ledger.xlsx` (a milestone sheet and
//! a findings sheet, rows filled red/yellow/green by light, a frozen Chinese header row with
//! filters, dates as real dates) and `GET /export/ledger.csv` (the milestone sheet as UTF-8 with
//! a BOM, so Excel opens the Chinese correctly). Both need a bearer token.

use chrono::NaiveDate;
use jiandu_domain::Light;
use jiandu_domain::report::Label;
use poem::http::{HeaderMap, header};
use poem::web::{Data, Query};
use poem::{Response, handler};
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, XlsxError};
use serde::Deserialize;

use super::AppState;
use super::error_response;
use super::graphql::signed_in;
use crate::error::AppError;
use crate::service::ledger::{self, Ledger};
use crate::service::views::MilestoneView;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerQuery {
    organization_id: Option<String>,
    project_id: Option<String>,
    as_of: Option<String>,
}

enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Empty,
}

impl Cell {
    fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }

    fn optional(value: Option<String>) -> Cell {
        value.map_or(Cell::Empty, Cell::Text)
    }

    /// The cell as CSV. Text that a spreadsheet would take for a formula (beginning with `=`,
    /// `+`, `-`, `@`, a tab or a carriage return: `=HYPERLINK(…)` in a title) gets a leading `'`
    /// and quotes, so Excel and WPS show it as text instead of evaluating it.
    fn csv(&self) -> String {
        let text = match self {
            Cell::Text(text) if text.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
                return format!("\"'{}\"", text.replace('"', "\"\""));
            }
            Cell::Text(text) => text.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Date(day) => day.to_string(),
            Cell::Empty => String::new(),
        };
        if text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text
        }
    }
}

struct Sheet {
    name: &'static str,
    /// Header and column width.
    columns: &'static [(&'static str, f64)],
    rows: Vec<(Light, Vec<Cell>)>,
}

const MILESTONE_COLUMNS: &[(&str, f64)] = &[
    ("项目名称", 30.0),
    ("节点", 24.0),
    ("上级节点", 16.0),
    ("责任领导", 10.0),
    ("责任单位", 12.0),
    ("具体责任人", 10.0),
    ("原定期限", 12.0),
    ("当前期限", 12.0),
    ("调整次数", 9.0),
    ("状态", 14.0),
    ("完成日期", 12.0),
    ("期限状态", 10.0),
    ("逾期天数", 9.0),
    ("进度(%)", 8.0),
    ("最新进展", 36.0),
    ("亮灯", 7.0),
];

const FINDING_COLUMNS: &[(&str, f64)] = &[
    ("项目名称", 30.0),
    ("检查日期", 12.0),
    ("整改事项", 36.0),
    ("责任领导", 10.0),
    ("责任单位", 12.0),
    ("原定期限", 12.0),
    ("整改期限", 12.0),
    ("调整次数", 9.0),
    ("状态", 9.0),
    ("期限状态", 10.0),
    ("逾期天数", 9.0),
    ("整改情况", 36.0),
    ("亮灯", 7.0),
];

fn milestone_sheet(ledger: &Ledger) -> Sheet {
    let rows = ledger
        .milestones
        .iter()
        .map(|row| {
            let m = &row.milestone;
            let cells = vec![
                Cell::text(&row.project),
                Cell::text(&m.title),
                Cell::optional(row.parent.clone()),
                Cell::text(&row.leader),
                Cell::text(&row.unit),
                Cell::optional(row.person.clone()),
                Cell::Date(m.original_deadline),
                Cell::Date(m.deadline),
                Cell::Number(f64::from(m.times_rescheduled)),
                Cell::text(status_label(m)),
                m.completed_on.map_or(Cell::Empty, Cell::Date),
                Cell::text(row.state.label()),
                Cell::Number(row.days_overdue as f64),
                Cell::Number(f64::from(m.progress)),
                Cell::optional(row.last_note.clone()),
                Cell::text(row.light.label()),
            ];
            (row.light, cells)
        })
        .collect();
    Sheet {
        name: "督办台账",
        columns: MILESTONE_COLUMNS,
        rows,
    }
}

/// The status as the ledger says it; a completion reported after the day it gives is 补报.
fn status_label(milestone: &MilestoneView) -> String {
    let label = milestone.status.label();
    if milestone.completion_backdated {
        format!("{label}（补报）")
    } else {
        label.to_string()
    }
}

fn finding_sheet(ledger: &Ledger) -> Sheet {
    let rows = ledger
        .findings
        .iter()
        .map(|row| {
            let f = &row.finding;
            let cells = vec![
                Cell::text(row.project.clone().unwrap_or_else(|| "（专题检查）".into())),
                Cell::Date(row.inspected_on),
                Cell::text(&f.description),
                Cell::text(&row.leader),
                Cell::text(&row.unit),
                Cell::Date(f.original_deadline),
                Cell::Date(f.deadline),
                Cell::Number(f64::from(f.times_rescheduled)),
                Cell::text(f.status.label()),
                Cell::text(row.state.label()),
                Cell::Number(row.days_overdue as f64),
                Cell::optional(f.resolution.clone()),
                Cell::text(row.light.label()),
            ];
            (row.light, cells)
        })
        .collect();
    Sheet {
        name: "整改事项",
        columns: FINDING_COLUMNS,
        rows,
    }
}

/// Fill colours of Excel's own good/neutral/bad cell styles.
fn fill(light: Light) -> Option<Color> {
    match light {
        Light::Red => Some(Color::RGB(0xFFC7CE)),
        Light::Yellow => Some(Color::RGB(0xFFEB9C)),
        Light::Green => Some(Color::RGB(0xC6EFCE)),
        Light::Grey => None,
    }
}

fn xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin);
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(sheet.name)?;
        for (col, (title, width)) in sheet.columns.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            worksheet.write_string_with_format(0, col, *title, &header)?;
            worksheet.set_column_width(col, *width)?;
        }
        for (i, (light, cells)) in sheet.rows.iter().enumerate() {
            let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let mut text = Format::new().set_border(FormatBorder::Thin);
            if let Some(color) = fill(*light) {
                text = text.set_background_color(color);
            }
            let date = text.clone().set_num_format("yyyy-mm-dd");
            for (col, cell) in cells.iter().enumerate() {
                let col = u16::try_from(col).unwrap_or(u16::MAX);
                match cell {
                    Cell::Text(value) => worksheet.write_string_with_format(row, col, value, &text),
                    Cell::Number(n) => worksheet.write_number_with_format(row, col, *n, &text),
                    Cell::Date(day) => worksheet.write_datetime_with_format(row, col, day, &date),
                    Cell::Empty => worksheet.write_blank(row, col, &text),
                }?;
            }
        }
        let last_row = u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX);
        let last_col = u16::try_from(sheet.columns.len().saturating_sub(1)).unwrap_or(0);
        worksheet.set_freeze_panes(1, 0)?;
        worksheet.autofilter(0, 0, last_row, last_col)?;
    }
    workbook.save_to_buffer()
}

fn csv(sheet: &Sheet) -> String {
    let mut out = String::from("\u{feff}");
    let header: Vec<&str> = sheet.columns.iter().map(|(title, _)| *title).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for (_, cells) in &sheet.rows {
        let line: Vec<String> = cells.iter().map(Cell::csv).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

type Parameters = (Option<uuid::Uuid>, Option<uuid::Uuid>, Option<NaiveDate>);

/// The query's organisation, project and day, or the parameter that is wrong and why.
fn parameters(query: &LedgerQuery) -> Result<Parameters, (&'static str, &'static str)> {
    let id = |name: &'static str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| uuid::Uuid::parse_str(v).map_err(|_| (name, "is not a valid id")))
            .transpose()
    };
    let as_of = query
        .as_of
        .as_deref()
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| ("asOf", "is not a calendar date (YYYY-MM-DD)"))
        })
        .transpose()?;
    Ok((
        id("organizationId", &query.organization_id)?,
        id("projectId", &query.project_id)?,
        as_of,
    ))
}

/// The ledger the query asks for, or the response that says why not.
async fn load(
    headers: &HeaderMap,
    query: &LedgerQuery,
    state: &AppState,
) -> Result<Ledger, Response> {
    let actor = signed_in(headers, state).await?;
    // An export is a request like any other, under the same per-user rate.
    if let Err(retry_after_secs) = state.rate.take(actor.user_id()) {
        return Err(error_response(AppError::RateLimited { retry_after_secs }));
    }
    let (organization_id, project_id, as_of) = parameters(query)
        .map_err(|(name, message)| error_response(AppError::validation(name, message)))?;
    ledger::ledger(&state.ctx, &actor, organization_id, project_id, as_of)
        .await
        .map_err(error_response)
}

fn download(content_type: &str, file_name: &str, body: impl Into<poem::Body>) -> Response {
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    Response::builder()
        .content_type(content_type)
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename*=UTF-8''{encoded}"),
        )
        .header(header::CACHE_CONTROL, "no-store")
        .body(body.into())
}

#[handler]
pub async fn ledger_xlsx(
    headers: &HeaderMap,
    Query(query): Query<LedgerQuery>,
    Data(state): Data<&AppState>,
) -> Response {
    let ledger = match load(headers, &query, state).await {
        Ok(ledger) => ledger,
        Err(response) => return response,
    };
    let file_name = format!("督办台账-{}.xlsx", ledger.as_of);
    let sheets = [milestone_sheet(&ledger), finding_sheet(&ledger)];
    match tokio::task::spawn_blocking(move || xlsx(&sheets)).await {
        Ok(Ok(bytes)) => download(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &file_name,
            bytes,
        ),
        failed => error_response(AppError::internal(anyhow::anyhow!(
            "writing the ledger spreadsheet: {:?}",
            failed.map(|r| r.err())
        ))),
    }
}

#[handler]
pub async fn ledger_csv(
    headers: &HeaderMap,
    Query(query): Query<LedgerQuery>,
    Data(state): Data<&AppState>,
) -> Response {
    match load(headers, &query, state).await {
        Ok(ledger) => download(
            "text/csv; charset=utf-8",
            &format!("督办台账-{}.csv", ledger.as_of),
            csv(&milestone_sheet(&ledger)),
        ),
        Err(response) => response,
    }
}

#[cfg(test)]
mod tests {
    use super::Cell;

    #[test]
    fn text_a_spreadsheet_would_evaluate_is_written_as_text() {
        for (text, csv) in [
            ("=1+2", "\"'=1+2\""),
            (
                "=HYPERLINK(\"http://x\";\"点击\")",
                "\"'=HYPERLINK(\"\"http://x\"\";\"\"点击\"\")\"",
            ),
            ("+86 138", "\"'+86 138\""),
            ("-2+3", "\"'-2+3\""),
            ("@SUM(A1)", "\"'@SUM(A1)\""),
            ("\tx", "\"'\tx\""),
            ("\rx", "\"'\rx\""),
            ("桥面铺装", "桥面铺装"),
            ("a,b", "\"a,b\""),
        ] {
            assert_eq!(Cell::text(text).csv(), csv, "{text:?}");
        }
        assert_eq!(Cell::Number(-3.0).csv(), "-3");
    }
}
