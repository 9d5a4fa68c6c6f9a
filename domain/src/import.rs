//! Reading a 督办台账 kept in Excel: which column is which (by its header, in the ledger export's
//! words or the variants offices use), and what each cell of a row says — dates typed as text
//! (2021年8月31日, 2021.8.31), statuses in the export's words — with the reason, in the words of
//! the sheet, when a cell cannot be read. The spreadsheet itself is read by the server; this is
//! only what its cells mean.

use chrono::{Days, NaiveDate};

use crate::report::Label;
use crate::status::MilestoneStatus;
use crate::validate::limits;

/// What a column of the ledger holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Project,
    Title,
    Parent,
    Leader,
    Unit,
    Person,
    Start,
    Deadline,
    OriginalDeadline,
    TimesRescheduled,
    Status,
    CompletedOn,
    DeadlineState,
    DaysOverdue,
    Progress,
    Note,
}

/// Each field with the header names it is known by; the first is the ledger export's own.
const HEADERS: &[(Field, &[&str])] = &[
    (
        Field::Project,
        &[
            "项目名称",
            "项目",
            "督办项目",
            "项目名",
            "重点项目",
            "工程名称",
            "工程项目",
        ],
    ),
    (
        Field::Title,
        &[
            "节点",
            "督办事项",
            "节点名称",
            "推进节点",
            "时间节点",
            "工作节点",
            "督办内容",
            "事项",
            "任务",
            "工作任务",
            "具体任务",
        ],
    ),
    (
        Field::Parent,
        &["上级节点", "所属节点", "上级事项", "父节点"],
    ),
    (
        Field::Leader,
        &["责任领导", "分管领导", "牵头领导", "包保领导", "联系领导"],
    ),
    (
        Field::Unit,
        &["责任单位", "牵头单位", "承办单位", "主办单位", "责任部门"],
    ),
    (Field::Person, &["具体责任人", "责任人", "经办人"]),
    (
        Field::Start,
        &[
            "开始日期",
            "计划开始",
            "开始时间",
            "计划开始时间",
            "计划开始日期",
        ],
    ),
    (
        Field::Deadline,
        &[
            "当前期限",
            "期限",
            "完成时限",
            "完成期限",
            "时限",
            "截止日期",
            "截止时间",
            "计划完成时间",
            "完成时间节点",
        ],
    ),
    (
        Field::OriginalDeadline,
        &["原定期限", "原期限", "原定完成时限"],
    ),
    (Field::TimesRescheduled, &["调整次数"]),
    (Field::Status, &["状态", "办理状态", "推进状态"]),
    (
        Field::CompletedOn,
        &["完成日期", "办结日期", "实际完成日期", "实际完成时间"],
    ),
    (Field::DeadlineState, &["期限状态"]),
    (Field::DaysOverdue, &["逾期天数"]),
    (
        Field::Progress,
        &["进度(%)", "进度", "完成进度", "形象进度(%)", "完成比例(%)"],
    ),
    (
        Field::Note,
        &["最新进展", "进展情况", "推进情况", "工作进展", "最新进度"],
    ),
];

/// A header as offices write it, made comparable: no spaces or line breaks, no required-field
/// marks, full-width brackets as ASCII (`进度（%）` is `进度(%)`).
fn normalize_header(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '＊'))
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '％' => '%',
            other => other,
        })
        .collect()
}

/// The field a header names, if any.
pub fn field_of(header: &str) -> Option<Field> {
    let header = normalize_header(header);
    HEADERS
        .iter()
        .find(|(_, names)| names.contains(&header.as_str()))
        .map(|(field, _)| *field)
}

/// The name the ledger export gives a field: how problems name a column that is missing.
pub fn export_name(field: Field) -> &'static str {
    HEADERS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or("", |(_, names)| names[0])
}

/// A cell's value as the spreadsheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Value {
    fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as the sheet shows it, for a problem's message.
    fn shown(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(text) => text.trim().to_string(),
            Value::Number(n) => n.to_string(),
            Value::Date(day) => day.to_string(),
        }
    }
}

/// A date typed as text: 2021-08-31, 2021/8/31, 2021.8.31, 2021年8月31日 (spaces allowed).
pub fn parse_date_text(text: &str) -> Option<NaiveDate> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let text = text.strip_suffix('日').unwrap_or(&text);
    let parts: Vec<&str> = text.split(['-', '/', '.', '年', '月']).collect();
    let [year, month, day] = parts.as_slice() else {
        return None;
    };
    let number = |part: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let year = i32::try_from(number(year, 4..=4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(month, 1..=2)?, number(day, 1..=2)?)
}

/// A day a whole number of Excel's days after its epoch (1899-12-30, as every spreadsheet
/// counts since Lotus): a date cell that lost its date format.
fn excel_serial(n: f64) -> Option<NaiveDate> {
    if n.fract() != 0.0 || !(1.0..=2_958_465.0).contains(&n) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(n as u64))
}

/// Text as one line: a line break typed inside a cell (Alt+Enter) is dropped between Chinese
/// characters and becomes a space elsewhere; surrounding space is trimmed.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_break = false;
    for c in text.trim().chars() {
        if matches!(c, '\n' | '\r' | '\t') {
            pending_break = true;
            continue;
        }
        if pending_break {
            let between_chinese =
                out.chars().last().is_some_and(|b| !b.is_ascii()) && !c.is_ascii();
            if !between_chinese && !out.ends_with(' ') && c != ' ' {
                out.push(' ');
            }
            pending_break = false;
        }
        out.push(c);
    }
    out
}

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
    /// The latest deadline set before the one before it had passed (DESIGN §8): the deadline,
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

/// The status in the export's words (and the plain ones offices use), and whether it says 补报.
pub fn parse_status(text: &str) -> Option<(MilestoneStatus, bool)> {
    let text: String = normalize_header(text);
    let backdated = text.contains("补报");
    let plain = text
        .replace("，补报", "")
        .replace(",补报", "")
        .replace("(补报)", "");
    let status = MilestoneStatus::ALL
        .iter()
        .copied()
        .find(|s| normalize_header(s.label()) == plain)
        .or(match plain.as_str() {
            "进行中" | "正在推进" | "在建" | "推进" => Some(MilestoneStatus::InProgress),
            "已报办结" | "待销号" => Some(MilestoneStatus::Done),
            "已核验" => Some(MilestoneStatus::Verified),
            "已完成" | "完成" | "已办结" | "办结" => Some(MilestoneStatus::Closed),
            "取消" => Some(MilestoneStatus::Cancelled),
            _ => None,
        })?;
    Some((status, backdated))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn dates_are_read_as_offices_type_them() {
        for typed in [
            "2021-08-31",
            "2021/8/31",
            "2021.8.31",
            "2021年8月31日",
            "2021 年 8 月 31 日",
            "2021年08月31",
        ] {
            assert_eq!(parse_date_text(typed), Some(day(2021, 8, 31)), "{typed}");
        }
        for wrong in [
            "2021年13月1日",
            "8月31日",
            "2021.8",
            "21.8.31",
            "2021-02-30",
            "明年",
            "",
        ] {
            assert_eq!(parse_date_text(wrong), None, "{wrong}");
        }
        assert_eq!(excel_serial(44439.0), Some(day(2021, 8, 31)));
        assert_eq!(excel_serial(44439.5), None);
    }

    #[test]
    fn headers_match_by_name_in_the_exports_words_or_a_variant() {
        assert_eq!(field_of("项目名称"), Some(Field::Project));
        assert_eq!(field_of(" 项 目 "), Some(Field::Project));
        assert_eq!(field_of("督办事项"), Some(Field::Title));
        assert_eq!(field_of("完成\n时限"), Some(Field::Deadline));
        assert_eq!(field_of("进度（%）"), Some(Field::Progress));
        assert_eq!(field_of("*责任单位"), Some(Field::Unit));
        assert_eq!(field_of("序号"), None);
        assert!(Reader::is_header(&header(&["序号", "项目", "督办事项"])));
        assert!(!Reader::is_header(&header(&[
            "2021年西门镇重点项目督办台账"
        ])));
    }

    #[test]
    fn a_header_without_the_needed_columns_names_them() {
        let Err(problems) = Reader::new(2, &header(&["项目", "节点", "责任领导"])) else {
            panic!("a header without unit and deadline was accepted");
        };
        let columns: Vec<&str> = problems.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(columns, ["责任单位", "当前期限"]);
        assert!(problems.iter().all(|p| p.row == 2));
        let Err(problems) = Reader::new(
            1,
            &header(&["项目", "节点", "责任领导", "责任单位", "期限", "完成时限"]),
        ) else {
            panic!("two deadline columns were accepted");
        };
        assert_eq!(problems[0].column, "完成时限");
    }

    #[test]
    fn a_row_in_a_variant_layout_is_read_by_column_name_not_position() {
        let reader = Reader::new(
            1,
            &header(&[
                "完成时限",
                "责任单位",
                "督办事项",
                "序号",
                "项目",
                "责任领导",
            ]),
        )
        .unwrap();
        let line = reader
            .line(
                4,
                &[
                    text("2021年8月31日"),
                    text("镇建设办"),
                    text("桥面\n铺装"),
                    Value::Number(3.0),
                    text("廊桥"),
                    text("陈刚"),
                ],
                day(2021, 9, 1),
            )
            .unwrap();
        assert_eq!(line.project, "廊桥");
        assert_eq!(line.title, "桥面铺装");
        assert_eq!(line.unit, "镇建设办");
        assert_eq!(line.leader, "陈刚");
        assert_eq!(line.deadline, day(2021, 8, 31));
        assert_eq!(line.original_deadline, day(2021, 8, 31));
        assert_eq!(
            (line.status, line.progress, line.times_rescheduled),
            (MilestoneStatus::NotStarted, None, 0)
        );
    }

    #[test]
    fn every_bad_cell_of_a_row_is_named_with_its_column() {
        let reader = Reader::new(
            1,
            &header(&[
                "项目名称",
                "节点",
                "责任领导",
                "责任单位",
                "当前期限",
                "进度(%)",
                "状态",
            ]),
        )
        .unwrap();
        let problems = reader
            .line(
                7,
                &[
                    text("廊桥"),
                    Value::Empty,
                    text("陈刚"),
                    text("建设办"),
                    text("2021年13月1日"),
                    Value::Number(120.0),
                    text("差不多了"),
                ],
                day(2021, 9, 1),
            )
            .unwrap_err();
        let columns: Vec<&str> = problems.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(columns, ["节点", "当前期限", "状态", "进度(%)"]);
        assert!(problems.iter().all(|p| p.row == 7));
        assert_eq!(problems[0].to_string(), "第7行「节点」：不能为空");
        assert!(
            problems[1].reason.contains("2021年13月1日"),
            "{}",
            problems[1].reason
        );
    }

    #[test]
    fn the_exports_state_columns_are_read_back() {
        let reader = Reader::new(
            1,
            &header(&[
                "项目名称",
                "节点",
                "上级节点",
                "责任领导",
                "责任单位",
                "原定期限",
                "当前期限",
                "调整次数",
                "状态",
                "完成日期",
                "期限状态",
                "逾期天数",
                "进度(%)",
                "最新进展",
            ]),
        )
        .unwrap();
        let line = reader
            .line(
                3,
                &[
                    text("廊桥"),
                    text("桥面铺装"),
                    text("主体工程"),
                    text("陈刚"),
                    text("建设办"),
                    Value::Date(day(2021, 6, 30)),
                    Value::Date(day(2021, 8, 31)),
                    Value::Number(2.0),
                    text("已报办结（待销号，补报）"),
                    Value::Date(day(2021, 9, 3)),
                    text("逾期完成"),
                    Value::Number(5.0),
                    Value::Number(100.0),
                    text("已完工"),
                ],
                day(2021, 9, 10),
            )
            .unwrap();
        assert_eq!(line.parent.as_deref(), Some("主体工程"));
        assert_eq!(
            (
                line.original_deadline,
                line.deadline,
                line.times_rescheduled
            ),
            (day(2021, 6, 30), day(2021, 8, 31), 2)
        );
        assert_eq!((line.status, line.backdated), (MilestoneStatus::Done, true));
        assert_eq!(line.completed_on, Some(day(2021, 9, 3)));
        // Done five days late: on time meant by 2021-08-29 (the deadline was moved after that).
        assert_eq!(line.on_time_deadline, day(2021, 8, 29));
        assert_eq!(
            (line.progress, line.note.as_deref()),
            (Some(100), Some("已完工"))
        );
    }

    #[test]
    fn a_completion_needs_a_finished_status_and_a_past_day() {
        let reader = Reader::new(
            1,
            &header(&[
                "项目",
                "节点",
                "责任领导",
                "责任单位",
                "期限",
                "状态",
                "完成日期",
            ]),
        )
        .unwrap();
        let row = |status: &str, done: Value| {
            reader.line(
                2,
                &[
                    text("廊桥"),
                    text("验收"),
                    text("陈刚"),
                    text("建设办"),
                    text("2021.8.31"),
                    text(status),
                    done,
                ],
                day(2021, 9, 1),
            )
        };
        assert_eq!(
            row("已销号", Value::Empty).unwrap_err()[0].column,
            "完成日期"
        );
        assert_eq!(
            row("推进中", text("2021.8.20")).unwrap_err()[0].column,
            "完成日期"
        );
        assert!(
            row("已销号", text("2021.9.2")).unwrap_err()[0]
                .reason
                .contains("还没有到")
        );
        let done = row("", text("2021.8.20")).unwrap();
        assert_eq!(
            (done.status, done.completed_on),
            (MilestoneStatus::Closed, Some(day(2021, 8, 20)))
        );
        assert_eq!(
            row("已完成", text("2021.8.20")).unwrap().status,
            MilestoneStatus::Closed
        );
    }

    #[test]
    fn statuses_are_read_in_the_exports_words_and_plain_ones() {
        for &status in MilestoneStatus::ALL {
            assert_eq!(parse_status(status.label()), Some((status, false)));
        }
        assert_eq!(
            parse_status("已销号（补报）"),
            Some((MilestoneStatus::Closed, true))
        );
        assert_eq!(
            parse_status("进行中"),
            Some((MilestoneStatus::InProgress, false))
        );
        assert_eq!(parse_status("好"), None);
    }

    #[test]
    fn a_line_break_inside_a_cell_joins_chinese_and_spaces_latin() {
        assert_eq!(one_line(" 桥面\n铺装 "), "桥面铺装");
        assert_eq!(one_line("LED\nlights"), "LED lights");
        assert_eq!(one_line("路灯\r\n100 盏"), "路灯 100 盏");
    }
}
