//! From a sheet's rows to what an import answers: each row read ([`lines_of`]), and the plan
//! said back row by row ([`outcome`]) — what it creates, how its words were read, whether it
//! arrives as history.

use std::collections::HashMap;

use chrono::NaiveDate;
use jiandu_domain::import::{
    FINDINGS_SHEET, FindingLine, Line, Problem, Reader, SUGGESTIONS_SHEET, SuggestionLine, Table,
};
use jiandu_domain::suggestion::SuggestionStatus;

use super::plan::Plan;
use super::workbook::{Sheet, Workbook};
use super::{Failure, LedgerImport, RowOutcome, Unreadable};

/// The ledger sheet's name in what an import answers.
pub const LEDGER_SHEET: &str = "督办台账";

/// Every sheet of a workbook read: the ledger's rows, and the findings' and suggestions' of the
/// export's other sheets.
#[derive(Default)]
pub(super) struct Lines {
    pub(super) ledger: Vec<Line>,
    pub(super) findings: Vec<FindingLine>,
    pub(super) suggestions: Vec<SuggestionLine>,
}

/// Every row of every sheet of `book` read, or every cell of them that cannot be.
pub(super) fn read_workbook(
    book: &Workbook,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<Lines, Failure> {
    let mut problems: Vec<Problem> = Vec::new();
    let mut lines = Lines::default();
    if let Some(sheet) = book.ledger.as_ref().filter(|s| !s.rows.is_empty()) {
        match lines_of(sheet, year, today) {
            Ok(read) => lines.ledger = read,
            Err(Failure::Rows(found)) => problems.extend(found),
            Err(other) => return Err(other),
        }
    }
    if let Some(sheet) = &book.findings {
        match Table::findings(sheet.header_row, &sheet.header) {
            Ok(table) => {
                for (row, cells) in &sheet.rows {
                    match table.finding(*row, cells, today) {
                        Ok(line) => lines.findings.push(line),
                        Err(found) => problems.extend(found),
                    }
                }
            }
            Err(found) => problems.extend(found),
        }
    }
    if let Some(sheet) = &book.suggestions {
        match Table::suggestions(sheet.header_row, &sheet.header) {
            Ok(table) => {
                for (row, cells) in &sheet.rows {
                    match table.suggestion(*row, cells) {
                        Ok(line) => lines.suggestions.push(line),
                        Err(found) => problems.extend(found),
                    }
                }
            }
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() {
        Ok(lines)
    } else {
        Err(Failure::Rows(problems))
    }
}

/// Whether a finding's row arrives as history: open, and past its deadline before `today`.
pub(super) fn finding_is_history(line: &FindingLine, today: NaiveDate) -> bool {
    line.status.is_open() && line.deadline < today
}

/// Whether a suggestion's row arrives as history: awaiting its answer past its deadline.
pub(super) fn suggestion_is_history(line: &SuggestionLine, today: NaiveDate) -> bool {
    line.status == SuggestionStatus::Assigned && line.deadline.is_some_and(|d| d < today)
}

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
pub(super) fn outcome(lines: &Lines, plan: &Plan, today: NaiveDate, dry_run: bool) -> LedgerImport {
    let by_row: HashMap<u32, &Line> = lines.ledger.iter().map(|line| (line.row, line)).collect();
    // History is not an emergency: an open item already past its deadline waits for the
    // presidium's word before any notice is issued for it.
    let ledger: HashMap<u32, bool> = lines
        .ledger
        .iter()
        .map(|line| (line.row, line.status.is_open() && line.deadline < today))
        .collect();
    let findings: HashMap<u32, bool> = lines
        .findings
        .iter()
        .map(|line| (line.row, finding_is_history(line, today)))
        .collect();
    let suggestions: HashMap<u32, bool> = lines
        .suggestions
        .iter()
        .map(|line| (line.row, suggestion_is_history(line, today)))
        .collect();
    let mut rows = Vec::new();
    let mut historical_items = 0;
    for (sheet, list, history, what) in [
        (LEDGER_SHEET, &plan.rows, &ledger, "节点"),
        (FINDINGS_SHEET, &plan.finding_rows, &findings, "整改事项"),
        (
            SUGGESTIONS_SHEET,
            &plan.suggestion_rows,
            &suggestions,
            "建议",
        ),
    ] {
        for row in list {
            // What else it brings, how its words were read, and whether it waits.
            let mut said = row.also.clone();
            if sheet == LEDGER_SHEET
                && let Some(line) = by_row.get(&row.row)
            {
                said.extend(line.readings.iter().cloned());
            }
            if row.created && history.get(&row.row).copied().unwrap_or(false) {
                historical_items += 1;
                said.push("已过期限，导入后待确认，不发督办".into());
            }
            rows.push(RowOutcome {
                sheet,
                row: row.row,
                created: row.created,
                message: match (row.created, said.is_empty()) {
                    (false, _) => format!("已有此{what}，未改动"),
                    (true, true) => format!("新建{what}"),
                    (true, false) => format!("新建{what}；{}", said.join("；")),
                },
            });
        }
    }
    LedgerImport {
        dry_run,
        draft_id: None,
        new_names: plan.new_names.clone(),
        historical_items,
        projects_created: plan.projects.len(),
        milestones_created: plan.milestones.len(),
        people_created: plan.people.len(),
        units_created: plan.units.len(),
        inspections_created: plan.inspections.len(),
        findings_created: plan.findings.len(),
        suggestions_created: plan.suggestions.len(),
        rows,
    }
}
