//! The 来信来访 sheet: each letter, visit, call and message as offices keep them — the day, how
//! it came, who (the presidium's own only), what it said, where it went and the reply.

use jiandu_domain::report::Label;

use super::{Cell, Row, Sheet};
use crate::service::ledger::ContactRow;

pub const CONTACTS: Sheet = Sheet {
    name: "来信来访",
    title: "群众来信来访登记台账",
    columns: CONTACT_COLUMNS,
    merge_projects: false,
};

const CONTACT_COLUMNS: &[(&str, f64)] = &[
    ("收到日期", 11.0),
    ("方式", 6.0),
    ("来信来访人", 9.0),
    ("联系电话", 12.0),
    ("内容摘要", 30.0),
    ("状态", 8.0),
    ("转办单位", 10.0),
    ("答复期限", 11.0),
    ("答复日期", 11.0),
    ("答复情况", 24.0),
    ("期限状态", 9.0),
    ("亮灯", 5.0),
];

pub fn contact_row(row: &ContactRow) -> Row {
    let c = &row.contact;
    let cells = vec![
        Cell::Date(c.received_on),
        Cell::text(c.kind.label()),
        Cell::optional(c.constituent_name.clone()),
        Cell::optional(c.constituent_phone.clone()),
        Cell::text(&c.summary),
        Cell::text(c.status.label()),
        Cell::optional(row.transferred_to.clone()),
        c.reply_due.map_or(Cell::Empty, Cell::Date),
        c.replied_on.map_or(Cell::Empty, Cell::Date),
        Cell::optional(c.reply.clone()),
        row.state.map_or(Cell::Empty, |s| Cell::text(s.label())),
        Cell::text(row.light.label()),
    ];
    (row.light, cells)
}
