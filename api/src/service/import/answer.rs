//! From a sheet's rows to what an import answers: each row read ([`lines_of`]), and the plan
//! said back row by row ([`outcome`]) — what it creates, how its words were read, whether it
//! arrives as history.

use std::collections::HashMap;

use chrono::NaiveDate;
use jiandu_domain::import::{Line, Reader};

use super::plan::Plan;
use super::workbook::Sheet;
use super::{Failure, LedgerImport, RowOutcome, Unreadable};

/// Every row of `sheet` read, dates without a year in the sheet's year or else `year`; or every
/// cell that cannot be.
pub(super) fn lines_of(
    sheet: &Sheet,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<Vec<Line>, Failure> {
    let reader = Reader::new(sheet.header_row, &sheet.header)
        .map_err(Failure::Rows)?
        .in_year(sheet.year.or(year));
    let mut lines = Vec::with_capacity(sheet.rows.len());
    let mut problems = Vec::new();
    for (row, cells) in &sheet.rows {
        match reader.line(*row, cells, today) {
            Ok(line) => lines.push(line),
            Err(found) => problems.extend(found),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::Rows(problems));
    }
    if lines.is_empty() {
        return Err(Failure::File(Unreadable::NoRows));
    }
    Ok(lines)
}

/// What importing `lines` as `plan` decided does (or with `dry_run` would do), row by row.
pub(super) fn outcome(
    lines: &[Line],
    plan: &Plan,
    today: NaiveDate,
    dry_run: bool,
) -> LedgerImport {
    let by_row: HashMap<u32, &Line> = lines.iter().map(|line| (line.row, line)).collect();
    // History is not an emergency: an open item already past its deadline waits for the
    // presidium's word before any notice is issued for it.
    let historical = |row: u32| {
        by_row
            .get(&row)
            .is_some_and(|line| line.status.is_open() && line.deadline < today)
    };
    LedgerImport {
        dry_run,
        draft_id: None,
        new_names: plan.new_names.clone(),
        historical_items: plan
            .rows
            .iter()
            .filter(|row| row.created && historical(row.row))
            .count(),
        projects_created: plan.projects.len(),
        milestones_created: plan.milestones.len(),
        people_created: plan.people.len(),
        units_created: plan.units.len(),
        rows: plan
            .rows
            .iter()
            .map(|row| {
                // What else it brings, how its words were read, and whether it waits.
                let mut said = row.also.clone();
                if let Some(line) = by_row.get(&row.row) {
                    said.extend(line.readings.iter().cloned());
                }
                if row.created && historical(row.row) {
                    said.push("已过期限，导入后待确认，不发督办".into());
                }
                RowOutcome {
                    row: row.row,
                    created: row.created,
                    message: match (row.created, said.is_empty()) {
                        (false, _) => "已有此节点，未改动".into(),
                        (true, true) => "新建节点".into(),
                        (true, false) => format!("新建节点；{}", said.join("；")),
                    },
                }
            })
            .collect(),
    }
}
