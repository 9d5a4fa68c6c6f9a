//! The ledger's sheets as cells, and the writers: CSV a page at a time, and an .xlsx built
//! in constant memory (rows go to a temporary file as they are written) on a blocking thread,
//! then kept in an unnamed temporary file until it is sent.

mod opinions;

use std::io::{Seek, SeekFrom};

use chrono::NaiveDate;
use jiandu_domain::Light;
use jiandu_domain::report::Label;
use jiandu_domain::suggestion::SuggestionStatus;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet, XlsxError};
use tokio::sync::mpsc;

use crate::service::ledger::{FindingRow, MilestoneRow, SuggestionRow};
use crate::service::views::MilestoneView;

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

/// One sheet: its name and its columns (header and width).
pub struct Sheet {
    pub name: &'static str,
    pub columns: &'static [(&'static str, f64)],
}

pub const MILESTONES: Sheet = Sheet {
    name: "督办台账",
    columns: MILESTONE_COLUMNS,
};

pub const FINDINGS: Sheet = Sheet {
    name: "整改事项",
    columns: FINDING_COLUMNS,
};

pub const SUGGESTIONS: Sheet = Sheet {
    name: "代表建议办理台账",
    columns: SUGGESTION_COLUMNS,
};

pub use opinions::{OPINIONS, opinion_rows};

/// The workbook's sheets, in order.
pub const SHEETS: [&Sheet; 4] = [&MILESTONES, &FINDINGS, &SUGGESTIONS, &OPINIONS];

const MILESTONE_COLUMNS: &[(&str, f64)] = &[
    ("项目名称", 30.0),
    ("节点", 24.0),
    ("上级节点", 16.0),
    ("责任领导", 10.0),
    ("责任单位", 12.0),
    ("具体责任人", 10.0),
    ("开始日期", 12.0),
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

const SUGGESTION_COLUMNS: &[(&str, f64)] = &[
    ("编号", 10.0),
    ("标题", 30.0),
    ("领衔代表", 10.0),
    ("主办单位", 12.0),
    ("分管领导", 10.0),
    ("交办日期", 12.0),
    ("答复期限", 12.0),
    ("答复日期", 12.0),
    ("类别", 7.0),
    ("见面沟通", 9.0),
    ("代表意见", 10.0),
    ("状态", 12.0),
    ("亮灯", 7.0),
];

/// A row of the ledger as cells, with the light it is filled by.
pub type Row = (Light, Vec<Cell>);

pub fn milestone_row(row: &MilestoneRow) -> Row {
    let m = &row.milestone;
    let cells = vec![
        Cell::text(&row.project),
        Cell::text(&m.title),
        Cell::optional(row.parent.clone()),
        Cell::text(&row.leader),
        Cell::text(&row.unit),
        Cell::optional(row.person.clone()),
        m.start_date.map_or(Cell::Empty, Cell::Date),
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
}

/// The status as the ledger says it; a completion reported after the day it gives is 补报.
fn status_label(milestone: &MilestoneView) -> String {
    let label = milestone.status.label();
    match (milestone.completion_backdated, label.strip_suffix('）')) {
        // 已报办结（待销号） → 已报办结（待销号，补报）
        (true, Some(open)) => format!("{open}，补报）"),
        (true, None) => format!("{label}（补报）"),
        (false, _) => label.to_string(),
    }
}

pub fn finding_row(row: &FindingRow) -> Row {
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
}

/// The deadline is the one in force (a redo round's); the class, meeting and date are the latest
/// answer's; a concluded B or C answer is still followed (跟踪).
pub fn suggestion_row(row: &SuggestionRow) -> Row {
    let s = &row.suggestion;
    let answer = row.latest_answer.as_ref();
    let mut status = s.status.label().to_string();
    if s.status == SuggestionStatus::Concluded && answer.is_some_and(|a| a.answer_class.followed())
    {
        status.push_str("（跟踪）");
    }
    let light = row.light.unwrap_or(Light::Grey);
    let cells = vec![
        Cell::text(&s.number),
        Cell::text(&s.title),
        Cell::text(&row.lead_deputy),
        Cell::optional(row.lead_unit.clone()),
        Cell::optional(row.leader.clone()),
        s.assigned_on.map_or(Cell::Empty, Cell::Date),
        s.deadline.map_or(Cell::Empty, Cell::Date),
        s.answered_on.map_or(Cell::Empty, Cell::Date),
        answer.map_or(Cell::Empty, |a| Cell::text(format!("{}类", a.answer_class))),
        answer.map_or(Cell::Empty, |a| {
            Cell::text(if a.met_deputy { "是" } else { "否" })
        }),
        match (row.feedback, answer) {
            (Some(rating), _) => Cell::text(rating.label()),
            (None, Some(_)) => Cell::text("待评价"),
            (None, None) => Cell::Empty,
        },
        Cell::text(status),
        Cell::text(light.label()),
    ];
    (light, cells)
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

/// A sheet being written: its formats, made once, and the rows written so far.
struct Writing<'a> {
    worksheet: &'a mut Worksheet,
    /// Text and date formats by light (red, yellow, green, grey).
    formats: [(Format, Format); 4],
    rows: u32,
}

impl<'a> Writing<'a> {
    fn start(worksheet: &'a mut Worksheet, sheet: &Sheet) -> Result<Self, XlsxError> {
        worksheet.set_name(sheet.name)?;
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xD9E1F2))
            .set_border(FormatBorder::Thin);
        for (col, (title, width)) in sheet.columns.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            worksheet.write_string_with_format(0, col, *title, &header)?;
            worksheet.set_column_width(col, *width)?;
        }
        let formats = [Light::Red, Light::Yellow, Light::Green, Light::Grey].map(|light| {
            let mut text = Format::new().set_border(FormatBorder::Thin);
            if let Some(color) = fill(light) {
                text = text.set_background_color(color);
            }
            let date = text.clone().set_num_format("yyyy-mm-dd");
            (text, date)
        });
        Ok(Writing {
            worksheet,
            formats,
            rows: 0,
        })
    }

    fn write(&mut self, rows: Vec<Row>) -> Result<(), XlsxError> {
        for (light, cells) in rows {
            self.rows += 1;
            let row = self.rows;
            let (text, date) = &self.formats[match light {
                Light::Red => 0,
                Light::Yellow => 1,
                Light::Green => 2,
                Light::Grey => 3,
            }];
            for (col, cell) in cells.iter().enumerate() {
                let col = u16::try_from(col).unwrap_or(u16::MAX);
                let sheet = &mut *self.worksheet;
                match cell {
                    Cell::Text(value) => sheet.write_string_with_format(row, col, value, text),
                    Cell::Number(n) => sheet.write_number_with_format(row, col, *n, text),
                    Cell::Date(day) => sheet.write_datetime_with_format(row, col, day, date),
                    Cell::Empty => sheet.write_blank(row, col, text),
                }?;
            }
        }
        Ok(())
    }

    /// The header row frozen, and filters over every row written.
    fn finish(self, sheet: &Sheet) -> Result<(), XlsxError> {
        let last_col = u16::try_from(sheet.columns.len().saturating_sub(1)).unwrap_or(0);
        self.worksheet.set_freeze_panes(1, 0)?;
        self.worksheet.autofilter(0, 0, self.rows, last_col)?;
        Ok(())
    }
}

/// Writes the workbook from the pages as they come (each sheet's in turn; a sheet without rows
/// still gets its header) into an unnamed temporary file, and hands it back rewound. Runs on a
/// blocking thread.
pub fn write_xlsx(mut pages: mpsc::Receiver<Page>) -> Result<std::fs::File, XlsxError> {
    let mut workbook = Workbook::new();
    let mut next = pages.blocking_recv();
    for (index, sheet) in SHEETS.iter().enumerate() {
        let mut writing = Writing::start(workbook.add_worksheet_with_constant_memory()?, sheet)?;
        while let Some(page) = next.take_if(|page| page.sheet == index) {
            writing.write(page.rows)?;
            next = pages.blocking_recv();
        }
        writing.finish(sheet)?;
    }
    let mut file = tempfile::tempfile()?;
    workbook.save_to_writer(&mut file)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(file)
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
