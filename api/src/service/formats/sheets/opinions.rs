//! The 审议意见 sheet: one row a point, as offices file a deliberation opinion — the hearing,
//! the opinion and its point (条次), the leader and the reply deadline, the feedback and the judgement.

use jiandu_domain::report::Label;

use super::{Cell, Row, Sheet};
use crate::service::ledger::OpinionRow;

pub const OPINIONS: Sheet = Sheet {
    name: "审议意见",
    title: "审议意见落实台账",
    columns: OPINION_COLUMNS,
    merge_projects: false,
};

const OPINION_COLUMNS: &[(&str, f64)] = &[
    ("会议", 20.0),
    ("会议日期", 11.0),
    ("审议意见", 20.0),
    ("条次", 5.0),
    ("意见内容", 26.0),
    ("责任领导", 9.0),
    ("交办日期", 11.0),
    ("反馈期限", 11.0),
    ("反馈日期", 11.0),
    ("落实情况反馈", 24.0),
    ("评议", 8.0),
    ("期限状态", 9.0),
    ("亮灯", 5.0),
];

/// The opinion's rows, one a point; a point not yet judged says where the opinion stands.
pub fn opinion_rows(row: &OpinionRow) -> Vec<Row> {
    let o = &row.opinion;
    o.points
        .iter()
        .enumerate()
        .map(|(i, point)| {
            let cells = vec![
                Cell::text(&row.meeting),
                row.held_on.map_or(Cell::Empty, Cell::Date),
                Cell::text(&o.title),
                Cell::Number((i + 1) as f64),
                Cell::text(&point.text),
                Cell::text(&row.leader),
                Cell::Date(o.sent_on),
                Cell::Date(o.reply_deadline),
                o.answered_on.map_or(Cell::Empty, Cell::Date),
                Cell::optional(point.feedback.clone()),
                Cell::text(point.judgement.map_or(o.status.label(), Label::label)),
                Cell::text(row.state.label()),
                Cell::text(row.light.label()),
            ];
            (row.light, cells)
        })
        .collect()
}
