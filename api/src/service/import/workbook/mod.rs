//! Reading an uploaded .xlsx into the ledger's header and rows, in bounded memory whatever the
//! file: it must be a zip whose parts unpack to at most [`MAX_UNPACKED`] bytes (checked by
//! unpacking it once into nothing, so a zip bomb stops at the limit rather than when memory
//! runs out), and the sheet is read a cell at a time, stopping past [`MAX_ROWS`] rows or
//! [`MAX_MERGED`] merged regions. Runs on a blocking thread, and stops when told to (the request
//! has ended).

use std::io::{Cursor, Read};

use calamine::{DataRef, Reader as _, Xlsx};
use chrono::NaiveDate;
use jiandu_domain::import::{FINDINGS_SHEET, Reader, SUGGESTIONS_SHEET, Table, Value};

use super::turns::Stop;

mod sheet;

use sheet::read_sheet;

/// Rows a ledger may have: a county's is a few thousand.
pub const MAX_ROWS: u32 = 10_000;
/// Columns read; anything further right is not the ledger's.
const MAX_COLUMNS: usize = 64;
/// What the workbook's parts may unpack to in all.
const MAX_UNPACKED: u64 = 64 * 1024 * 1024;
/// Parts a workbook may have.
const MAX_PARTS: usize = 2_000;
/// Merged regions a ledger's sheet may have: a project's name merged down its milestones, a
/// leader's down theirs, a title across the top; never more than a couple a row.
pub const MAX_MERGED: usize = 2 * MAX_ROWS as usize;
/// Cells read between looks at whether to stop.
const CELLS_BETWEEN_LOOKS: u32 = 4096;
/// Rows above the header that may hold a title.
const HEADER_WITHIN: u32 = 20;
/// The ledger export's sheet, read in preference to the first sheet.
const LEDGER_SHEET: &str = "督办台账";

/// The sheet as read: its header row and every row below it that has something in it, each
/// with its number as the spreadsheet shows it (from 1).
pub struct Sheet {
    /// The year its title row (above the header) or its sheet's name gives
    /// (思蒙镇2021年重点工作督办台账), for dates written without one.
    pub year: Option<i32>,
    pub header_row: u32,
    pub header: Vec<String>,
    pub rows: Vec<(u32, Vec<Value>)>,
}

/// Why a file cannot be read as a ledger at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    NotAWorkbook,
    TooManyParts,
    TooLarge,
    TooManyRows,
    /// More merged regions than [`MAX_MERGED`], or regions over each other (a sheet made to
    /// cost, not a ledger).
    TooManyMerged,
    NoHeader,
    NoRows,
    /// The request ended before the file was read; nobody is waiting for the answer.
    Stopped,
}

impl Unreadable {
    /// For the API's VALIDATION_FAILED message.
    pub fn english(self) -> String {
        match self {
            Unreadable::NotAWorkbook => {
                "the file is not an Excel workbook (.xlsx); save it as .xlsx and try again".into()
            }
            Unreadable::TooManyParts => format!("the workbook has more than {MAX_PARTS} parts"),
            Unreadable::TooLarge => format!(
                "the workbook unpacks to more than {} MiB; split it into smaller files",
                MAX_UNPACKED / 1024 / 1024
            ),
            Unreadable::TooManyRows => {
                format!("the ledger has more than {MAX_ROWS} rows; import it in parts")
            }
            Unreadable::NoHeader => "no header row found: the ledger needs columns named like \
                the export's (项目名称, 节点, 责任领导, 责任单位, 当前期限)"
                .into(),
            Unreadable::TooManyMerged => format!(
                "the sheet has more than {MAX_MERGED} merged cell regions, or regions over \
                 one another; unmerge them and try again"
            ),
            Unreadable::NoRows => "the ledger has a header but no rows below it".into(),
            Unreadable::Stopped => "the import was stopped before the file was read".into(),
        }
    }

    /// For the workbench.
    pub fn chinese(self) -> String {
        match self {
            Unreadable::NotAWorkbook => {
                "这不是 Excel 工作簿（.xlsx）。请在 Excel 或 WPS 中另存为 .xlsx 后再导入。".into()
            }
            Unreadable::TooManyParts | Unreadable::TooLarge => format!(
                "文件解压后超过 {} MB，请拆分成几个较小的文件分别导入。",
                MAX_UNPACKED / 1024 / 1024
            ),
            Unreadable::TooManyRows => {
                format!("台账超过 {MAX_ROWS} 行，请拆分成几个文件分别导入。")
            }
            Unreadable::NoHeader => "找不到表头：台账需要有名为“项目名称”“节点”“责任领导”“责任单位”“当前期限”（或常见写法）的列。".into(),
            Unreadable::TooManyMerged => format!(
                "表中合并单元格超过 {MAX_MERGED} 处，或合并区域相互重叠。请取消合并后再导入。"
            ),
            Unreadable::NoRows => "台账只有表头，下面没有内容。".into(),
            Unreadable::Stopped => "导入已中止，文件未读完。请重新导入。".into(),
        }
    }
}

/// Unpacks every part into nothing, counting: a workbook is a zip of at most [`MAX_PARTS`]
/// parts unpacking to at most [`MAX_UNPACKED`] bytes, with a workbook part in it, and no sheet
/// with more than [`MAX_MERGED`] merged regions (counted here, as the bytes pass, since the
/// spreadsheet reader gathers them all before anything can look).
fn check_package(bytes: &[u8], stop: &Stop) -> Result<(), Unreadable> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Unreadable::NotAWorkbook)?;
    if zip.len() > MAX_PARTS {
        return Err(Unreadable::TooManyParts);
    }
    let mut left = MAX_UNPACKED;
    let mut has_workbook = false;
    for index in 0..zip.len() {
        if stop.asked() {
            return Err(Unreadable::Stopped);
        }
        let part = zip.by_index(index).map_err(|_| Unreadable::NotAWorkbook)?;
        let name = part
            .name()
            .map(|name| name.into_owned())
            .unwrap_or_default();
        has_workbook |= name == "xl/workbook.xml";
        let mut merged = Merged::default();
        let unpacked = if name.starts_with("xl/worksheets/") {
            std::io::copy(&mut part.take(left + 1), &mut merged)
        } else {
            std::io::copy(&mut part.take(left + 1), &mut std::io::sink())
        }
        .map_err(|_| Unreadable::NotAWorkbook)?;
        if unpacked > left {
            return Err(Unreadable::TooLarge);
        }
        if merged.regions > MAX_MERGED {
            return Err(Unreadable::TooManyMerged);
        }
        left -= unpacked;
    }
    if has_workbook {
        Ok(())
    } else {
        Err(Unreadable::NotAWorkbook)
    }
}

/// Counts the merged regions of a sheet's XML as it passes: each `mergeCell` element (with any
/// prefix), never the `mergeCells` around them; a stray closing tag counts once more, which
/// errs the safe way.
#[derive(Default)]
struct Merged {
    regions: usize,
    /// The end of the last chunk, where a name may have been cut in two.
    tail: Vec<u8>,
}

const MERGE_CELL: &[u8] = b"mergeCell";

impl std::io::Write for Merged {
    fn write(&mut self, chunk: &[u8]) -> std::io::Result<usize> {
        let mut seen = std::mem::take(&mut self.tail);
        seen.extend_from_slice(chunk);
        // A name in the last few bytes is counted with the next chunk, once it is whole.
        let whole = seen.len().saturating_sub(MERGE_CELL.len());
        self.regions += memchr::memmem::find_iter(&seen, MERGE_CELL)
            .filter(|&at| at < whole && seen[at + MERGE_CELL.len()] != b's')
            .count();
        self.tail = seen[whole..].to_vec();
        Ok(chunk.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// 9999-12-31, the last day a spreadsheet shows, in days since its epoch (1899-12-30).
const EXCEL_LAST_DAY: f64 = 2_958_465.0;

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
        // A date cell holds a number of days that the reader turns into a day only within the
        // years a spreadsheet can show (it overflows beyond them); any other number is refused
        // by the column that reads it, with its row and column.
        DataRef::DateTime(at) if (0.0..=EXCEL_LAST_DAY).contains(&at.as_f64()) => at
            .as_datetime()
            .map_or(Value::Empty, |at| Value::Date(at.date())),
        DataRef::DateTime(at) => Value::Number(at.as_f64()),
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

/// The workbook as read: the ledger sheet and, when the workbook has them (the ledger export's
/// own), its sheets of findings and of suggestions.
pub struct Workbook {
    /// `None` when the workbook holds only the other sheets.
    pub ledger: Option<Sheet>,
    pub findings: Option<Sheet>,
    pub suggestions: Option<Sheet>,
}

impl Workbook {
    /// Whether any sheet has a row below its header.
    pub fn has_rows(&self) -> bool {
        [&self.ledger, &self.findings, &self.suggestions]
            .into_iter()
            .flatten()
            .any(|sheet| !sheet.rows.is_empty())
    }
}

/// Reads the ledger sheet (`督办台账`, or else the first that is not one of the export's other
/// two) and the export's sheets of findings and suggestions of an .xlsx, unless `stop` is asked
/// for first.
pub fn read(bytes: &[u8], stop: &Stop) -> Result<Workbook, Unreadable> {
    check_package(bytes, stop)?;
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|_| Unreadable::NotAWorkbook)?;
    let names = workbook.sheet_names();
    let others = [FINDINGS_SHEET, SUGGESTIONS_SHEET];
    let ledger_name = names
        .iter()
        .find(|n| n.as_str() == LEDGER_SHEET)
        .or(names.iter().find(|n| !others.contains(&n.as_str())))
        .cloned();
    let named = |wanted: &str| names.iter().find(|n| n.as_str() == wanted).cloned();
    let (findings_name, suggestions_name) = (named(FINDINGS_SHEET), named(SUGGESTIONS_SHEET));
    if ledger_name.is_none() && findings_name.is_none() && suggestions_name.is_none() {
        return Err(Unreadable::NotAWorkbook);
    }
    // The export's other sheets are read when their header is there; a sheet so named without
    // it is someone's notes.
    let mut other = |name: Option<String>, is_header: fn(&[String]) -> bool| match name {
        Some(name) => match read_sheet(&mut workbook, &name, is_header, stop) {
            Ok(sheet) => Ok(Some(sheet)),
            Err(Unreadable::NoHeader) => Ok(None),
            Err(other) => Err(other),
        },
        None => Ok(None),
    };
    let findings = other(findings_name, Table::is_findings_header)?;
    let suggestions = other(suggestions_name, Table::is_suggestions_header)?;
    let ledger = match ledger_name {
        Some(name) => match read_sheet(&mut workbook, &name, Reader::is_header, stop) {
            Ok(sheet) => Some(sheet),
            Err(Unreadable::NoHeader) if findings.is_some() || suggestions.is_some() => None,
            Err(other) => return Err(other),
        },
        None if findings.is_some() || suggestions.is_some() => None,
        None => return Err(Unreadable::NoHeader),
    };
    let read = Workbook {
        ledger,
        findings,
        suggestions,
    };
    if read.has_rows() {
        Ok(read)
    } else {
        Err(Unreadable::NoRows)
    }
}

#[cfg(test)]
mod tests;
