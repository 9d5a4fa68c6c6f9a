//! The ledger's own sheets — 督办台账, the findings and the suggestions — as rows of cells.

use jiandu_domain::Light;
use jiandu_domain::report::Label;
use jiandu_domain::suggestion::SuggestionStatus;

use super::{Cell, Row, Sheet};
use crate::service::ledger::{FindingRow, MilestoneRow, SuggestionRow};
use crate::service::views::MilestoneView;

pub const MILESTONES: Sheet = Sheet {
    name: "督办台账",
    title: "重点工作督办台账",
    columns: MILESTONE_COLUMNS,
    merge_projects: true,
};

pub const FINDINGS: Sheet = Sheet {
    name: "整改事项",
    title: "视察检查发现问题整改台账",
    columns: FINDING_COLUMNS,
    merge_projects: false,
};

pub const SUGGESTIONS: Sheet = Sheet {
    name: "代表建议办理台账",
    title: "代表建议办理台账",
    columns: SUGGESTION_COLUMNS,
    merge_projects: false,
};

/// Widths fit A4 landscape one page wide at about 80 %, long text wrapping within its cell.
const MILESTONE_COLUMNS: &[(&str, f64)] = &[
    ("项目名称", 16.0),
    ("节点", 18.0),
    ("上级节点", 12.0),
    ("责任领导", 9.0),
    ("责任单位", 10.0),
    ("具体责任人", 9.0),
    ("开始日期", 11.0),
    ("原定期限", 11.0),
    ("当前期限", 11.0),
    ("调整次数", 4.6),
    ("状态", 12.0),
    ("完成日期", 11.0),
    ("期限状态", 9.0),
    ("逾期天数", 4.6),
    ("进度(%)", 4.6),
    ("最新进展", 24.0),
    ("亮灯", 5.0),
];

const FINDING_COLUMNS: &[(&str, f64)] = &[
    ("项目名称", 16.0),
    ("检查日期", 11.0),
    ("整改事项", 24.0),
    ("责任领导", 9.0),
    ("责任单位", 10.0),
    ("原定期限", 11.0),
    ("整改期限", 11.0),
    ("调整次数", 4.6),
    ("状态", 9.0),
    ("期限状态", 9.0),
    ("逾期天数", 4.6),
    ("整改情况", 24.0),
    ("亮灯", 5.0),
];

const SUGGESTION_COLUMNS: &[(&str, f64)] = &[
    ("编号", 9.0),
    ("标题", 24.0),
    ("领衔代表", 9.0),
    ("主办单位", 10.0),
    ("分管领导", 9.0),
    ("交办日期", 11.0),
    ("答复期限", 11.0),
    ("答复日期", 11.0),
    ("类别", 5.0),
    ("见面沟通", 4.6),
    ("代表意见", 9.0),
    ("状态", 12.0),
    ("亮灯", 5.0),
];

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
