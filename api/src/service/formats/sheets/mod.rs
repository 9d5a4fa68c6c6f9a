//! The ledger's sheets as cells, and the writers: CSV a page at a time, and an .xlsx laid out
//! to print (`xlsx`) built in constant memory on a blocking thread.

mod contacts;
mod opinions;
mod rows;
mod xlsx;

use chrono::NaiveDate;
use jiandu_domain::Light;
use rust_xlsxwriter::Color;

pub use contacts::{CONTACTS, contact_row};
pub use opinions::{OPINIONS, opinion_rows};
pub use rows::{FINDINGS, MILESTONES, SUGGESTIONS, finding_row, milestone_row, suggestion_row};
pub use xlsx::{Heading, write_xlsx};

pub enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Empty,
}

impl Cell {
    /// Text, without what the sheet could not carry (see [`super::printable`]).
    pub fn text(value: impl Into<String>) -> Cell {
        let value = value.into();
        match super::printable(&value) {
            std::borrow::Cow::Borrowed(_) => Cell::Text(value),
            std::borrow::Cow::Owned(printable) => Cell::Text(printable),
        }
    }

    pub fn optional(value: Option<String>) -> Cell {
        value.map_or(Cell::Empty, Cell::text)
    }

    /// The cell as CSV. Text that a spreadsheet would take for a formula (beginning with `=`,
    /// `+`, `-`, `@`, a tab or a carriage return: `=HYPERLINK(…)` in a title) gets a leading `'`
    /// and quotes, so Excel and WPS show it as text instead of evaluating it.
    pub fn csv(&self) -> String {
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

/// One sheet: its name, the title it prints under, and its columns (header and width in
/// characters, Chinese ones counting two).
pub struct Sheet {
    pub name: &'static str,
    /// 督办台账 of 思蒙镇2026年重点工作督办台账.
    pub title: &'static str,
    pub columns: &'static [(&'static str, f64)],
    /// Whether a project's rows (its name in the first column, one after another) share one
    /// merged cell.
    pub merge_projects: bool,
}

/// The workbook's sheets, in order.
pub const SHEETS: [&Sheet; 5] = [&MILESTONES, &FINDINGS, &SUGGESTIONS, &OPINIONS, &CONTACTS];

/// A row of the ledger as cells, with the light it is filled by.
pub type Row = (Light, Vec<Cell>);

/// Fill colours of Excel's own good/neutral/bad cell styles.
fn fill(light: Light) -> Option<Color> {
    match light {
        Light::Red => Some(Color::RGB(0xFFC7CE)),
        Light::Yellow => Some(Color::RGB(0xFFEB9C)),
        Light::Green => Some(Color::RGB(0xC6EFCE)),
        Light::Grey => None,
    }
}

/// The CSV header line, after a BOM so that Excel reads the Chinese as UTF-8.
pub fn csv_header(sheet: &Sheet) -> String {
    let header: Vec<&str> = sheet.columns.iter().map(|(title, _)| *title).collect();
    format!("\u{feff}{}\r\n", header.join(","))
}

/// Rows as CSV lines.
pub fn csv_lines(rows: &[Row], out: &mut String) {
    for (_, cells) in rows {
        let line: Vec<String> = cells.iter().map(Cell::csv).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
}

/// What the reading side hands the spreadsheet writer: a page of rows of the `sheet`-th sheet
/// of [`SHEETS`]; pages come sheet by sheet, in order.
pub struct Page {
    pub sheet: usize,
    pub rows: Vec<Row>,
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
