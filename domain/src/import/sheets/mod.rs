//! The ledger export's two other sheets read back (docs/import.md, "The whole workbook"): 整改事项,
//! the findings of inspections, and 代表建议办理台账, the deputies' suggestions. Their columns are
//! the export's own, found by header; each row is read into a [`FindingLine`] or a
//! [`SuggestionLine`], or every cell of it that cannot be, named by sheet, row and column.

mod cells;

pub use self::cells::kept_lines;

use chrono::NaiveDate;

use self::cells::Cells;
use super::columns::normalize_header;
use super::{Problem, Value};
use crate::DeadlineState;
use crate::inspection::{FindingStatus, Rating};
use crate::report::Label;
use crate::suggestion::{AnswerClass, SuggestionStatus};
use crate::validate::limits;

/// The sheet of findings, as the export names it.
pub const FINDINGS_SHEET: &str = "整改事项";
/// The sheet of suggestions, as the export names it.
pub const SUGGESTIONS_SHEET: &str = "代表建议办理台账";
/// The project cell of a finding made at a topic inspection (专题检查), which has no project.
pub const NO_PROJECT: &str = "（专题检查）";

/// A row of the 整改事项 sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingLine {
    pub row: u32,
    /// `None` for a topic inspection's finding.
    pub project: Option<String>,
    pub inspected_on: NaiveDate,
    pub description: String,
    pub leader: String,
    pub unit: String,
    pub original_deadline: NaiveDate,
    pub deadline: NaiveDate,
    pub times_rescheduled: u32,
    pub status: FindingStatus,
    /// A finished finding's days past its deadline (逾期完成 N 天); 0 when done on time.
    pub late_by: u32,
    pub resolution: Option<String>,
}

/// A row of the 代表建议办理台账 sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestionLine {
    pub row: u32,
    /// 2021-007: its year and place in the year.
    pub number: String,
    pub year: i32,
    pub sequence: i32,
    pub title: String,
    pub lead_deputy: String,
    pub unit: Option<String>,
    pub leader: Option<String>,
    pub assigned_on: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    /// The latest answer: its class and whether the unit met the deputy (见面沟通).
    pub answer: Option<(AnswerClass, bool)>,
    pub feedback: Option<Rating>,
    pub status: SuggestionStatus,
}

/// A sheet's columns, found by their headers.
pub struct Table {
    sheet: &'static str,
    header_row: u32,
    columns: Vec<(&'static str, Option<usize>)>,
}

const FINDING_HEADERS: [&str; 13] = [
    "项目名称",
    "检查日期",
    "整改事项",
    "责任领导",
    "责任单位",
    "原定期限",
    "整改期限",
    "调整次数",
    "状态",
    "期限状态",
    "逾期天数",
    "整改情况",
    "亮灯",
];
const FINDING_REQUIRED: [&str; 6] = [
    "检查日期",
    "整改事项",
    "责任领导",
    "责任单位",
    "整改期限",
    "状态",
];

const SUGGESTION_HEADERS: [&str; 13] = [
    "编号",
    "标题",
    "领衔代表",
    "主办单位",
    "分管领导",
    "交办日期",
    "答复期限",
    "答复日期",
    "类别",
    "见面沟通",
    "代表意见",
    "状态",
    "亮灯",
];
const SUGGESTION_REQUIRED: [&str; 4] = ["编号", "标题", "领衔代表", "状态"];

impl Table {
    fn new(
        sheet: &'static str,
        header_row: u32,
        header: &[String],
        known: &[&'static str],
        required: &[&'static str],
    ) -> Result<Table, Vec<Problem>> {
        let header: Vec<String> = header.iter().map(|h| normalize_header(h)).collect();
        let columns: Vec<(&'static str, Option<usize>)> = known
            .iter()
            .map(|name| (*name, header.iter().position(|h| h == name)))
            .collect();
        let problems: Vec<Problem> = required
            .iter()
            .filter(|name| columns.iter().any(|(n, at)| n == *name && at.is_none()))
            .map(|name| Problem {
                row: header_row,
                column: format!("{sheet}：{name}"),
                reason: "表头中没有这一列".into(),
            })
            .collect();
        if problems.is_empty() {
            Ok(Table {
                sheet,
                header_row,
                columns,
            })
        } else {
            Err(problems)
        }
    }

    /// The findings sheet's columns.
    pub fn findings(header_row: u32, header: &[String]) -> Result<Table, Vec<Problem>> {
        Table::new(
            FINDINGS_SHEET,
            header_row,
            header,
            &FINDING_HEADERS,
            &FINDING_REQUIRED,
        )
    }

    /// The suggestions sheet's columns.
    pub fn suggestions(header_row: u32, header: &[String]) -> Result<Table, Vec<Problem>> {
        Table::new(
            SUGGESTIONS_SHEET,
            header_row,
            header,
            &SUGGESTION_HEADERS,
            &SUGGESTION_REQUIRED,
        )
    }

    /// Whether a row is the findings sheet's header.
    pub fn is_findings_header(cells: &[String]) -> bool {
        has_all(cells, &["整改事项", "检查日期"])
    }

    /// Whether a row is the suggestions sheet's header.
    pub fn is_suggestions_header(cells: &[String]) -> bool {
        has_all(cells, &["编号", "领衔代表"])
    }

    fn row<'a>(&'a self, row: u32, cells: &'a [Value]) -> Cells<'a> {
        Cells {
            table: self,
            row,
            cells,
            problems: Vec::new(),
        }
    }

    /// A findings row read; `today` is the importing organisation's.
    pub fn finding(
        &self,
        row: u32,
        cells: &[Value],
        today: NaiveDate,
    ) -> Result<FindingLine, Vec<Problem>> {
        let mut cell = self.row(row, cells);
        let project = cell
            .text("项目名称", limits::TITLE)
            .filter(|p| p != NO_PROJECT);
        let inspected_on = cell.date("检查日期", true);
        let description = cell.long_text("整改事项", limits::DESCRIPTION);
        if description.is_none()
            && cell
                .problems
                .iter()
                .all(|p| !p.column.ends_with("整改事项"))
        {
            cell.problem("整改事项", "不能为空".into());
        }
        let leader = cell.required_text("责任领导", limits::NAME);
        let unit = cell.required_text("责任单位", limits::NAME);
        let deadline = cell.date("整改期限", true);
        let original = cell.date("原定期限", false);
        let times = cell.whole("调整次数", 1000);
        let status = cell.choice(
            "状态",
            FindingStatus::ALL,
            "待整改、整改中、已报整改（待核实）、已整改（已核实）",
        );
        let state = cell.said("期限状态");
        let late_by = cell.whole("逾期天数", 100_000).unwrap_or(0);
        let resolution = cell.long_text("整改情况", limits::NOTE);
        if inspected_on.is_some_and(|day| day > today) {
            cell.problem("检查日期", "检查日期还没有到".into());
        }
        let (Some(inspected_on), Some(description), Some(leader), Some(unit), Some(deadline)) =
            (inspected_on, description, leader, unit, deadline)
        else {
            return Err(cell.problems);
        };
        let Some(status) = status else {
            return Err(cell.problems);
        };
        if !cell.problems.is_empty() {
            return Err(cell.problems);
        }
        let done_late = state.as_deref() == Some(DeadlineState::DoneLate.label());
        let original_deadline = original.unwrap_or(deadline);
        Ok(FindingLine {
            row,
            project,
            inspected_on,
            description,
            leader,
            unit,
            original_deadline,
            deadline,
            times_rescheduled: times.unwrap_or(u32::from(original_deadline != deadline)),
            status,
            late_by: if done_late && !status.is_open() {
                late_by
            } else {
                0
            },
            resolution,
        })
    }

    /// A suggestions row read.
    pub fn suggestion(&self, row: u32, cells: &[Value]) -> Result<SuggestionLine, Vec<Problem>> {
        let mut cell = self.row(row, cells);
        let number = cell.required_text("编号", limits::NAME);
        let numbered = number.as_deref().and_then(parse_number);
        if number.is_some() && numbered.is_none() {
            cell.problem("编号", "编号应写作“2021-007”（年份-序号）".into());
        }
        let title = cell.required_text("标题", limits::TITLE);
        let lead_deputy = cell.required_text("领衔代表", limits::NAME);
        let unit = cell.text("主办单位", limits::NAME);
        let leader = cell.text("分管领导", limits::NAME);
        let assigned_on = cell.date("交办日期", false);
        let deadline = cell.date("答复期限", false);
        let answered_on = cell.date("答复日期", false);
        let class = cell.said("类别").map(|said| {
            let letter = said.trim_end_matches('类');
            letter.parse::<AnswerClass>().map_err(|_| said.clone())
        });
        let class = match class {
            Some(Ok(class)) => Some(class),
            Some(Err(said)) => {
                cell.problem(
                    "类别",
                    format!("「{said}」不是答复类别（A类、B类、C类、D类）"),
                );
                None
            }
            None => None,
        };
        let met = match cell.said("见面沟通").as_deref() {
            None | Some("否") => false,
            Some("是") => true,
            Some(other) => {
                cell.problem("见面沟通", format!("「{other}」应为“是”或“否”"));
                false
            }
        };
        let feedback = match cell.said("代表意见").as_deref() {
            None | Some("待评价") => None,
            Some(said) => {
                let rating = Rating::ALL.iter().copied().find(|r| r.label() == said);
                if rating.is_none() {
                    cell.problem("代表意见", format!("「{said}」不是满意、基本满意或不满意"));
                }
                rating
            }
        };
        let status = cell.said("状态").map(|said| {
            let plain = said.trim_end_matches("（跟踪）").to_string();
            SuggestionStatus::ALL
                .iter()
                .copied()
                .find(|s| s.label() == plain)
                .ok_or(said)
        });
        let status = match status {
            Some(Ok(status)) => Some(status),
            Some(Err(said)) => {
                cell.problem(
                    "状态",
                    format!("「{said}」不是建议的状态（已登记、已交办、已答复、已办结、已撤回）"),
                );
                None
            }
            None => {
                cell.problem("状态", "不能为空".into());
                None
            }
        };
        if class.is_none() && answered_on.is_some() {
            cell.problem("类别", "有答复日期的建议要写明答复类别".into());
        }
        if let Some(status) = status {
            let assigned = !matches!(status, SuggestionStatus::Registered);
            if assigned && status != SuggestionStatus::Withdrawn {
                for (name, missing) in [
                    ("交办日期", assigned_on.is_none()),
                    ("答复期限", deadline.is_none()),
                    ("主办单位", unit.is_none()),
                    ("分管领导", leader.is_none()),
                ] {
                    if missing {
                        cell.problem(name, format!("「{}」的建议要写明{name}", status.label()));
                    }
                }
            }
            if matches!(status, SuggestionStatus::Answered) && class.is_none() {
                cell.problem("类别", "已答复的建议要写明答复类别".into());
            }
        }
        if let (Some(on), Some(deadline)) = (assigned_on, deadline)
            && deadline < on
        {
            cell.problem("答复期限", "答复期限早于交办日期".into());
        }
        let (Some(number), Some((year, sequence)), Some(title), Some(lead_deputy), Some(status)) =
            (number, numbered, title, lead_deputy, status)
        else {
            return Err(cell.problems);
        };
        if !cell.problems.is_empty() {
            return Err(cell.problems);
        }
        Ok(SuggestionLine {
            row,
            number,
            year,
            sequence,
            title,
            lead_deputy,
            unit,
            leader,
            assigned_on,
            deadline,
            answered_on,
            answer: class.map(|class| (class, met)),
            feedback,
            status,
        })
    }

    /// The header's row, for problems of a sheet as a whole.
    pub fn header_row(&self) -> u32 {
        self.header_row
    }
}

fn has_all(cells: &[String], names: &[&str]) -> bool {
    let header: Vec<String> = cells.iter().map(|c| normalize_header(c)).collect();
    names.iter().all(|name| header.iter().any(|h| h == name))
}

/// 2021-007 → (2021, 7).
fn parse_number(number: &str) -> Option<(i32, i32)> {
    let (year, sequence) = number.trim().split_once('-')?;
    let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y))?;
    let sequence: i32 = sequence.parse().ok().filter(|s| (1..=99_999).contains(s))?;
    Some((year, sequence))
}
