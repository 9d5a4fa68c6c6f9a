//! Which column is which, and what a single cell's text or number means: header names and
//! their variants, dates typed as text, Excel's day numbers, statuses in the ledger's words.

use chrono::{Days, NaiveDate};

use crate::report::Label;
use crate::status::MilestoneStatus;

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
            "重点工作",
            "项目名称及内容",
        ],
    ),
    (
        Field::Title,
        &[
            "节点",
            "督办事项",
            "节点名称",
            "推进节点",
            "工作节点",
            "督办内容",
            "事项",
            "任务",
            "工作任务",
            "具体任务",
            "目标任务",
            "具体内容",
            "工作内容",
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
            "时间节点",
            "完成时间",
            "办结时限",
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
        &[
            "最新进展",
            "进展情况",
            "推进情况",
            "工作进展",
            "最新进度",
            "完成情况",
            "工作进度",
            "落实情况",
        ],
    ),
];

/// A header as offices write it, made comparable: no spaces or line breaks, no required-field
/// marks, full-width brackets as ASCII (`进度（%）` is `进度(%)`).
pub(super) fn normalize_header(raw: &str) -> String {
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
    pub(super) fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as the sheet shows it, for a problem's message.
    pub(super) fn shown(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(text) => text.trim().to_string(),
            Value::Number(n) => n.to_string(),
            Value::Date(day) => day.to_string(),
        }
    }
}

/// A date typed as text: 2021-08-31, 2021/8/31, 2021.8.31, 2021年8月31日 (spaces allowed), or
/// 20210831.
pub fn parse_date_text(text: &str) -> Option<NaiveDate> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(&text, "%Y%m%d").ok();
    }
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

/// A number in a date column: 20210831 typed as a number, or a whole number of Excel's days
/// after its epoch (1899-12-30, as every spreadsheet counts since Lotus) — a date cell that lost
/// its date format.
pub(super) fn excel_serial(n: f64) -> Option<NaiveDate> {
    if n.fract() != 0.0 {
        return None;
    }
    if (19_000_101.0..=21_001_231.0).contains(&n) {
        return parse_date_text(&format!("{n:.0}"));
    }
    if !(1.0..=2_958_465.0).contains(&n) {
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
