//! Reading a 督办台账 kept in Excel: which column is which (by its header, in the ledger export's
//! words or the variants offices use), and what each cell of a row says — dates typed as text
//! (2021年8月31日, 2021.8.31), statuses in the export's words — with the reason, in the words of
//! the sheet, when a cell cannot be read. The spreadsheet itself is read by the server; this is
//! only what its cells mean.

mod cells;
mod columns;
mod names;
mod sheets;
#[cfg(test)]
mod tests;
mod wording;

use chrono::{Days, NaiveDate};

use self::cells::Cells;
pub use self::columns::{
    Field, Value, export_name, field_of, one_line, parse_date_text, parse_status,
};
pub use self::names::{name_key, place_of};
pub use self::sheets::{
    FINDINGS_SHEET, FindingLine, NO_PROJECT, SUGGESTIONS_SHEET, SuggestionLine, Table, kept_lines,
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
    /// 长期 / 持续推进: an ongoing task, given its year's last day.
    pub long_term: bool,
    /// How words were read where a date or a state would go, for the preview to say back:
    /// 「2021年8月底前」→ 2021年8月31日.
    pub readings: Vec<String>,
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
    /// The ledger's year, for dates written without one (8月31日, 年底前).
    year: Option<i32>,
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
            Ok(Reader {
                columns,
                year: None,
            })
        } else {
            Err(problems)
        }
    }

    /// The reader for a ledger of `year` (from its title, or chosen at import): dates written
    /// without a year are read in it.
    pub fn in_year(self, year: Option<i32>) -> Reader {
        Reader { year, ..self }
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
            readings: Vec::new(),
            long_term: false,
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
        let stated = cell.status();
        let completed_on = cell.date(Field::CompletedOn);
        let late_by = cell.whole(Field::DaysOverdue, 0..=100_000);
        let done_late = cell.said(Field::DeadlineState).as_deref()
            == Some(crate::DeadlineState::DoneLate.label());
        let progress = cell
            .whole(Field::Progress, 0..=100)
            .and_then(|p| u8::try_from(p).ok());
        let note = cell.text(Field::Note, limits::NOTE, false);
        // Without a status column, the office's 进展情况 may say it (已完工待验收, 完成60%): done
        // on its completion date, or on the deadline when none is given and that has come, and
        // marked 补录 (recorded after the day it gives).
        let worded = match (&stated, &note) {
            (None, Some(note)) => state_in_words(note),
            _ => None,
        };
        let (stated, progress, completed_on) = match worded {
            Some(said) if said.status == MilestoneStatus::Done => {
                cell.readings.push(format!(
                    "「{}」→ 已报办结（补录）",
                    note.as_deref().unwrap_or_default()
                ));
                let on = completed_on.or(deadline.map(|d| d.min(today)));
                (
                    Some((MilestoneStatus::Done, true)),
                    progress.or(said.progress),
                    on,
                )
            }
            Some(said) => {
                if let Some(p) = said.progress.filter(|_| progress.is_none()) {
                    cell.readings.push(format!(
                        "「{}」→ 进度{p}%",
                        note.as_deref().unwrap_or_default()
                    ));
                }
                (
                    Some((said.status, false)),
                    progress.or(said.progress),
                    completed_on,
                )
            }
            None => (stated, progress, completed_on),
        };
        let status = stated;
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
            long_term: cell.long_term,
            readings: cell.readings,
        })
    }
}
