//! Reading an uploaded .xlsx into the ledger's header and rows, in bounded memory whatever the
//! file: it must be a zip whose parts unpack to at most [`MAX_UNPACKED`] bytes (checked by
//! unpacking it once into nothing, so a zip bomb stops at the limit rather than when memory
//! runs out), and the sheet is read a cell at a time, stopping past [`MAX_ROWS`] rows. Runs on
//! a blocking thread.

use std::io::{Cursor, Read};

use calamine::{DataRef, Reader as _, Xlsx};
use chrono::NaiveDate;
use jiandu_domain::import::{Reader, Value};

use crate::error::AppError;

/// Rows a ledger may have: a county's is a few thousand.
pub const MAX_ROWS: u32 = 10_000;
/// Columns read; anything further right is not the ledger's.
const MAX_COLUMNS: usize = 64;
/// What the workbook's parts may unpack to in all.
const MAX_UNPACKED: u64 = 64 * 1024 * 1024;
/// Parts a workbook may have.
const MAX_PARTS: usize = 2_000;
/// Rows above the header that may hold a title.
const HEADER_WITHIN: u32 = 20;
/// The ledger export's sheet, read in preference to the first sheet.
const LEDGER_SHEET: &str = "督办台账";

/// The sheet as read: its header row and every row below it that has something in it, each
/// with its number as the spreadsheet shows it (from 1).
pub struct Sheet {
    pub header_row: u32,
    pub header: Vec<String>,
    pub rows: Vec<(u32, Vec<Value>)>,
}

fn refused(message: impl Into<String>) -> AppError {
    AppError::validation("file", message)
}

fn not_a_workbook() -> AppError {
    refused("the file is not an Excel workbook (.xlsx); save it as .xlsx and try again")
}

/// Unpacks every part into nothing, counting: a workbook is a zip of at most [`MAX_PARTS`]
/// parts unpacking to at most [`MAX_UNPACKED`] bytes, with a workbook part in it.
fn check_package(bytes: &[u8]) -> Result<(), AppError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_a_workbook())?;
    if zip.len() > MAX_PARTS {
        return Err(refused(format!(
            "the workbook has more than {MAX_PARTS} parts"
        )));
    }
    let mut left = MAX_UNPACKED;
    let mut has_workbook = false;
    for index in 0..zip.len() {
        let part = zip.by_index(index).map_err(|_| not_a_workbook())?;
        has_workbook |= part.name().is_ok_and(|name| name == "xl/workbook.xml");
        let unpacked = std::io::copy(&mut part.take(left + 1), &mut std::io::sink())
            .map_err(|_| not_a_workbook())?;
        if unpacked > left {
            return Err(refused(format!(
                "the workbook unpacks to more than {} MiB; split it into smaller files",
                MAX_UNPACKED / 1024 / 1024
            )));
        }
        left -= unpacked;
    }
    if has_workbook {
        Ok(())
    } else {
        Err(not_a_workbook())
    }
}

fn value(cell: &DataRef<'_>) -> Value {
    match cell {
        DataRef::Empty => Value::Empty,
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
            iso_date(text).map_or_else(|| Value::Text(text.clone()), Value::Date)
        }
        DataRef::SharedString(text) => Value::Text((*text).to_string()),
        DataRef::Int(n) => Value::Number(*n as f64),
        DataRef::Float(n) => Value::Number(*n),
        DataRef::Bool(b) => Value::Text(if *b { "是" } else { "否" }.into()),
        DataRef::DateTime(at) => at
            .as_datetime()
            .map_or(Value::Empty, |at| Value::Date(at.date())),
        // A formula that failed (#REF!, #VALUE!): shown as the sheet shows it.
        DataRef::Error(error) => Value::Text(error.to_string()),
    }
}

/// An ISO date cell (2021-08-31 or 2021-08-31T00:00:00).
fn iso_date(text: &str) -> Option<NaiveDate> {
    let day = text.get(..10)?;
    (text.len() == 10 || text[10..].starts_with('T'))
        .then(|| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
        .flatten()
}

fn as_text(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .map(|v| match v {
            Value::Text(text) => text.clone(),
            _ => String::new(),
        })
        .collect()
}

/// Reads the ledger sheet (`督办台账`, or else the first) of an .xlsx.
pub fn read(bytes: &[u8]) -> Result<Sheet, AppError> {
    check_package(bytes)?;
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|_| not_a_workbook())?;
    let names = workbook.sheet_names();
    let name = names
        .iter()
        .find(|n| n.as_str() == LEDGER_SHEET)
        .or(names.first())
        .cloned()
        .ok_or_else(not_a_workbook)?;
    let merged = workbook
        .merge_cells_by_sheet_name(&name)
        .map_err(|_| not_a_workbook())?;
    let mut cells = workbook
        .worksheet_cells_reader(&name)
        .map_err(|_| not_a_workbook())?;

    let mut rows: Vec<(u32, Vec<Value>)> = Vec::new();
    let mut header: Option<usize> = None;
    let mut current: Option<(u32, Vec<Value>)> = None;
    let finish_row = |row: (u32, Vec<Value>), rows: &mut Vec<(u32, Vec<Value>)>| {
        if row.1.iter().any(|v| *v != Value::Empty) {
            rows.push(row);
        }
    };
    while let Some(cell) = cells.next_cell().map_err(|_| not_a_workbook())? {
        let (row, column) = cell.get_position();
        let column = column as usize;
        if column >= MAX_COLUMNS {
            continue;
        }
        if current.as_ref().is_some_and(|(r, _)| *r != row) {
            if let Some(done) = current.take() {
                finish_row(done, &mut rows);
            }
            if header.is_none() {
                header = rows
                    .iter()
                    .position(|(_, cells)| Reader::is_header(&as_text(cells)));
                if header.is_none() && rows.len() as u32 >= HEADER_WITHIN {
                    break;
                }
            }
            if let Some(at) = header
                && rows.len() - at > MAX_ROWS as usize
            {
                return Err(refused(format!(
                    "the ledger has more than {MAX_ROWS} rows; import it in parts"
                )));
            }
        }
        let (_, values) = current.get_or_insert_with(|| (row, Vec::new()));
        if values.len() <= column {
            values.resize(column + 1, Value::Empty);
        }
        values[column] = value(cell.get_value());
    }
    if let Some(done) = current.take() {
        finish_row(done, &mut rows);
    }
    let at = header
        .or_else(|| {
            rows.iter()
                .position(|(_, cells)| Reader::is_header(&as_text(cells)))
        })
        .ok_or_else(|| {
            refused(
                "no header row found: the ledger needs columns named like the export's \
                 (项目名称, 节点, 责任领导, 责任单位, 当前期限)",
            )
        })?;
    if rows.len() - at - 1 > MAX_ROWS as usize {
        return Err(refused(format!(
            "the ledger has more than {MAX_ROWS} rows; import it in parts"
        )));
    }
    fill_merged(&mut rows, &merged);
    let mut rows = rows.split_off(at);
    let (header_row, header) = rows.remove(0);
    Ok(Sheet {
        header_row: header_row + 1,
        header: as_text(&header),
        rows: rows
            .into_iter()
            .map(|(row, cells)| (row + 1, cells))
            .collect(),
    })
}

/// A merged cell's value is its top-left cell's: a project name merged down the rows of its
/// milestones belongs to each of them.
fn fill_merged(rows: &mut [(u32, Vec<Value>)], merged: &[calamine::Dimensions]) {
    for region in merged {
        let (top, left) = region.start;
        let (bottom, right) = region.end;
        let left = left as usize;
        let right = (right as usize).min(MAX_COLUMNS - 1);
        let Some(value) = rows
            .iter()
            .find(|(row, _)| *row == top)
            .and_then(|(_, cells)| cells.get(left).cloned())
        else {
            continue;
        };
        for (row, cells) in rows.iter_mut() {
            if *row < top || *row > bottom {
                continue;
            }
            if cells.len() <= right {
                cells.resize(right + 1, Value::Empty);
            }
            for cell in cells.iter_mut().take(right + 1).skip(left) {
                if *cell == Value::Empty {
                    *cell = value.clone();
                }
            }
        }
    }
}
