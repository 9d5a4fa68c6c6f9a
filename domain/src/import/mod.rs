//! Reading a 督办台账 kept in Excel: which column is which (by its header, in the ledger export's
//! words or the variants offices use), and what each cell of a row says — dates typed as text
//! (2021年8月31日, 2021.8.31), statuses in the export's words — with the reason, in the words of
//! the sheet, when a cell cannot be read. The spreadsheet itself is read by the server; this is
//! only what its cells mean.

mod columns;
#[cfg(test)]
mod tests;
mod wording;

use chrono::{Days, NaiveDate};

use self::columns::excel_serial;
pub use self::columns::{
    Field, Value, export_name, field_of, one_line, parse_date_text, parse_status,
};
pub use self::wording::{OfficeDate, Said, office_date, state_in_words, year_in_title};
use crate::report::Label;
use crate::status::MilestoneStatus;
use crate::validate::limits;

/// What a row of the ledger says, read and checked cell by cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The row's number as the spreadsheet shows it (the header is row 1 in the export).
    pub row: u32,
    pub project: String,
    pub title: String,
    pub parent: Option<String>,
    pub leader: String,
    pub unit: String,
    pub person: Option<String>,
    /// Where the straight line of 序时进度 starts.
    pub start: Option<NaiveDate>,
    pub deadline: NaiveDate,
    pub original_deadline: NaiveDate,
    pub times_rescheduled: u32,
    /// The latest deadline set before the one before it had passed (docs/rules.md §3): the deadline,
    /// unless the row says it was done late by so many days.
    pub on_time_deadline: NaiveDate,
    pub status: MilestoneStatus,
    /// 补报: the row's status says the completion was reported after the day it gives.
    pub backdated: bool,
    pub completed_on: Option<NaiveDate>,
    /// `None` when the row leaves it empty (a parent then takes its children's).
    pub progress: Option<u8>,
    pub note: Option<String>,
}

/// A cell that cannot be imported: where, and why (in the words of the sheet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub row: u32,
    /// The column's header, or the name the export gives it when the column is missing.
    pub column: String,
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "第{}行「{}」：{}", self.row, self.column, self.reason)
    }
}

/// The state of a parent only named in its children's 上级节点: open while any child is (its
/// progress comes from them), else finished as its least advanced finished child (已报办结 before
/// 已核验 before 已销号) on the day the last one was done, or cancelled when all children were.
pub fn parent_state(
    children: &[(MilestoneStatus, Option<NaiveDate>)],
) -> (MilestoneStatus, Option<NaiveDate>) {
    let rank = |status: MilestoneStatus| match status {
        MilestoneStatus::Done => Some(0),
        MilestoneStatus::Verified => Some(1),
        MilestoneStatus::Closed => Some(2),
        _ => None,
    };
    let open = children.iter().any(|(status, _)| status.is_open());
    let finished = children
        .iter()
        .filter(|(status, _)| rank(*status).is_some());
    match finished.clone().min_by_key(|(status, _)| rank(*status)) {
        _ if open || children.is_empty() => (MilestoneStatus::NotStarted, None),
        Some((least, _)) => (*least, finished.filter_map(|(_, on)| *on).max()),
        None => (MilestoneStatus::Cancelled, None),
    }
}

/// Reads rows against a header.
pub struct Reader {
    /// The column of each field found, and the header text there.
    columns: Vec<(Field, usize, String)>,
}

impl Reader {
    /// The columns of a header row, or why it is not a ledger's header (the row number given is
    /// the header's). A header must name the project, the milestone, the leader, the unit and a
    /// deadline; columns it does not know are left alone.
    pub fn new(header_row: u32, header: &[String]) -> Result<Reader, Vec<Problem>> {
        let mut columns: Vec<(Field, usize, String)> = Vec::new();
        let mut problems = Vec::new();
        for (index, text) in header.iter().enumerate() {
            let Some(field) = field_of(text) else {
                continue;
            };
            if let Some((_, _, first)) = columns.iter().find(|(f, _, _)| *f == field) {
                problems.push(Problem {
                    row: header_row,
                    column: text.trim().to_string(),
                    reason: format!("与「{first}」是同一列的不同写法，只能保留一列"),
                });
                continue;
            }
            columns.push((field, index, text.trim().to_string()));
        }
        let has = |field| columns.iter().any(|(f, _, _)| *f == field);
        for field in [Field::Project, Field::Title, Field::Leader, Field::Unit] {
            if !has(field) {
                problems.push(Problem {
                    row: header_row,
                    column: export_name(field).into(),
                    reason: "表头中没有这一列".into(),
                });
            }
        }
        if !has(Field::Deadline) && !has(Field::OriginalDeadline) {
            problems.push(Problem {
                row: header_row,
                column: export_name(Field::Deadline).into(),
                reason: "表头中没有期限（当前期限、期限、完成时限……）".into(),
            });
        }
        if problems.is_empty() {
            Ok(Reader { columns })
        } else {
            Err(problems)
        }
    }

    /// Whether a row looks like a ledger's header: it names both the project and the milestone
    /// columns. Title rows above it ("2021年重点项目督办台账") do not.
    pub fn is_header(cells: &[String]) -> bool {
        let fields: Vec<Field> = cells.iter().filter_map(|c| field_of(c)).collect();
        fields.contains(&Field::Project) && fields.contains(&Field::Title)
    }

    /// The row's line, or every cell of it that cannot be read. `today` is the importing
    /// organisation's: a completion cannot be after it.
    pub fn line(&self, row: u32, cells: &[Value], today: NaiveDate) -> Result<Line, Vec<Problem>> {
        let mut cell = Cells {
            reader: self,
            row,
            cells,
            problems: Vec::new(),
        };
        let project = cell.text(Field::Project, limits::TITLE, true);
        let title = cell.text(Field::Title, limits::TITLE, true);
        let parent = cell.text(Field::Parent, limits::TITLE, false);
        let leader = cell.text(Field::Leader, limits::NAME, true);
        let unit = cell.text(Field::Unit, limits::NAME, true);
        let person = cell.text(Field::Person, limits::NAME, false);
        let start = cell.date(Field::Start);
        let original = cell.date(Field::OriginalDeadline);
        let deadline = cell.date(Field::Deadline).or(original);
        if deadline.is_none() && cell.problems.is_empty() {
            cell.missing(Field::Deadline);
        }
        let times = cell.whole(Field::TimesRescheduled, 0..=1000);
        let status = cell.status();
        let completed_on = cell.date(Field::CompletedOn);
        let late_by = cell.whole(Field::DaysOverdue, 0..=100_000);
        let done_late = cell.said(Field::DeadlineState).as_deref()
            == Some(crate::DeadlineState::DoneLate.label());
        let progress = cell
            .whole(Field::Progress, 0..=100)
            .and_then(|p| u8::try_from(p).ok());
        let note = cell.text(Field::Note, limits::NOTE, false);
        if title.is_some() && parent.is_some() && title == parent {
            cell.problem(Field::Parent, "节点不能是自己的上级节点".into());
        }
        // Without a status, a completion date says it is done (and signed off: the office's own
        // ledger already counts it finished); progress says it has begun.
        let (status, backdated) = status.unwrap_or(match (completed_on, progress) {
            (Some(_), _) => (MilestoneStatus::Closed, false),
            (None, Some(p)) if p > 0 => (MilestoneStatus::InProgress, false),
            _ => (MilestoneStatus::NotStarted, false),
        });
        let finished = MilestoneStatus::FINISHED.contains(&status);
        match completed_on {
            None if finished => {
                cell.missing_because(Field::CompletedOn, "已完成的节点要填完成日期")
            }
            Some(_) if !finished => cell.problem(
                Field::CompletedOn,
                format!("状态是「{}」，不应有完成日期", status.label()),
            ),
            Some(day) if day > today => {
                cell.problem(Field::CompletedOn, format!("{day} 还没有到"));
            }
            _ => {}
        }
        let (Some(project), Some(title), Some(leader), Some(unit), Some(deadline)) =
            (project, title, leader, unit, deadline)
        else {
            return Err(cell.problems);
        };
        if !cell.problems.is_empty() {
            return Err(cell.problems);
        }
        let original_deadline = original.unwrap_or(deadline);
        if start.is_some_and(|start| start > deadline) {
            return Err(vec![Problem {
                row,
                column: cell.header_of(Field::Start),
                reason: "开始日期晚于期限".into(),
            }]);
        }
        let times_rescheduled = times.unwrap_or(u32::from(original_deadline != deadline));
        // Done late by n days: the on-time deadline was n days before the completion (the
        // export prints days from the on-time deadline's due day, always a working day).
        let on_time_deadline = match (done_late, late_by, completed_on) {
            (true, Some(n), Some(on)) if n > 0 => on
                .checked_sub_days(Days::new(u64::from(n)))
                .filter(|day| *day <= deadline)
                .unwrap_or(deadline),
            _ => deadline,
        };
        Ok(Line {
            row,
            project,
            title,
            parent,
            leader,
            unit,
            person,
            start,
            deadline,
            original_deadline,
            times_rescheduled,
            on_time_deadline,
            status,
            backdated,
            completed_on,
            progress,
            note,
        })
    }
}

/// One row's cells being read, with the problems found so far.
struct Cells<'a> {
    reader: &'a Reader,
    row: u32,
    cells: &'a [Value],
    problems: Vec<Problem>,
}

impl Cells<'_> {
    /// The field's column header and value (Empty when the column is absent or the row short).
    fn get(&self, field: Field) -> Option<(&str, &Value)> {
        let (_, index, header) = self.reader.columns.iter().find(|(f, _, _)| *f == field)?;
        Some((header, self.cells.get(*index).unwrap_or(&Value::Empty)))
    }

    fn header_of(&self, field: Field) -> String {
        self.get(field)
            .map_or_else(|| export_name(field).to_string(), |(h, _)| h.to_string())
    }

    fn problem(&mut self, field: Field, reason: String) {
        let column = self.header_of(field);
        self.problems.push(Problem {
            row: self.row,
            column,
            reason,
        });
    }

    fn missing(&mut self, field: Field) {
        self.problem(field, "不能为空".into());
    }

    fn missing_because(&mut self, field: Field, reason: &str) {
        self.problem(field, reason.into());
    }

    /// The cell as text (numbers as written), if not empty.
    fn said(&self, field: Field) -> Option<String> {
        let (_, value) = self.get(field)?;
        (!value.is_empty()).then(|| one_line(&value.shown()))
    }

    fn text(&mut self, field: Field, max_chars: usize, required: bool) -> Option<String> {
        let Some(text) = self.said(field) else {
            if required {
                self.missing(field);
            }
            return None;
        };
        match crate::Text::parse("", &text, max_chars) {
            Ok(text) => Some(text.into_string()),
            Err(_) if text.chars().count() > max_chars => {
                self.problem(field, format!("超过{max_chars}个字"));
                None
            }
            Err(_) => {
                self.problem(field, "含有不可见的控制字符".into());
                None
            }
        }
    }

    fn date(&mut self, field: Field) -> Option<NaiveDate> {
        let (_, value) = self.get(field)?;
        let day = match value {
            Value::Empty => return None,
            Value::Text(text) if text.trim().is_empty() => return None,
            Value::Date(day) => Some(*day),
            Value::Text(text) => parse_date_text(text),
            Value::Number(n) => excel_serial(*n),
        };
        let shown = value.shown();
        match day.map(|d| crate::validate::plausible_date("", d)) {
            Some(Ok(day)) => Some(day),
            Some(Err(_)) => {
                self.problem(field, format!("{shown} 不在2000年至2100年之间"));
                None
            }
            None => {
                self.problem(
                    field,
                    format!("「{shown}」不是日期（可写作 2021-08-31、2021年8月31日 或 2021.8.31）"),
                );
                None
            }
        }
    }

    fn whole(&mut self, field: Field, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
        let (_, value) = self.get(field)?;
        let number = match value {
            Value::Empty => return None,
            Value::Number(n) => Some(*n),
            Value::Text(text) if text.trim().is_empty() => return None,
            Value::Text(text) => text
                .trim()
                .trim_end_matches(['%', '％'])
                .parse::<f64>()
                .ok(),
            Value::Date(_) => None,
        };
        let shown = value.shown();
        match number {
            Some(n)
                if n.fract() == 0.0
                    && n >= f64::from(*range.start())
                    && n <= f64::from(*range.end()) =>
            {
                Some(n as u32)
            }
            _ => {
                self.problem(
                    field,
                    format!("「{shown}」不是{}到{}的整数", range.start(), range.end()),
                );
                None
            }
        }
    }

    fn status(&mut self) -> Option<(MilestoneStatus, bool)> {
        let text = self.said(Field::Status)?;
        let status = parse_status(&text);
        if status.is_none() {
            self.problem(
                Field::Status,
                format!("「{text}」不是节点状态（未开始、推进中、已报办结（待销号）、已核验（待销号）、已销号、已取消）"),
            );
        }
        status
    }
}
