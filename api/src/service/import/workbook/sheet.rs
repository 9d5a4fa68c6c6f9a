//! One sheet of a workbook read a cell at a time into its header and rows, merged cells filled
//! from their top-left cell.

use std::io::Cursor;

use calamine::Xlsx;
use jiandu_domain::import::Value;

use super::{
    CELLS_BETWEEN_LOOKS, HEADER_WITHIN, MAX_COLUMNS, MAX_MERGED, MAX_ROWS, Sheet, Stop, Unreadable,
    as_text, value,
};

/// Reads the sheet `name`: its header (the first row `is_header` takes, within the first
/// [`HEADER_WITHIN`] rows) and the rows below it.
pub(super) fn read_sheet(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    is_header: fn(&[String]) -> bool,
    stop: &Stop,
) -> Result<Sheet, Unreadable> {
    let merged = workbook
        .merge_cells_by_sheet_name(name)
        .map_err(|_| Unreadable::NotAWorkbook)?;
    if merged.len() > MAX_MERGED {
        return Err(Unreadable::TooManyMerged);
    }
    let mut cells = workbook
        .worksheet_cells_reader(name)
        .map_err(|_| Unreadable::NotAWorkbook)?;

    let mut rows: Vec<(u32, Vec<Value>)> = Vec::new();
    let mut header: Option<usize> = None;
    let mut current: Option<(u32, Vec<Value>)> = None;
    let finish_row = |row: (u32, Vec<Value>), rows: &mut Vec<(u32, Vec<Value>)>| {
        if row.1.iter().any(|v| *v != Value::Empty) {
            rows.push(row);
        }
    };
    let mut read = 0u32;
    while let Some(cell) = cells.next_cell().map_err(|_| Unreadable::NotAWorkbook)? {
        read = read.wrapping_add(1);
        if read.is_multiple_of(CELLS_BETWEEN_LOOKS) && stop.asked() {
            return Err(Unreadable::Stopped);
        }
        let (row, column) = cell.get_position();
        let column = column as usize;
        if column >= MAX_COLUMNS {
            continue;
        }
        if current.as_ref().is_some_and(|(r, _)| *r != row) {
            if let Some(done) = current.take() {
                finish_row(done, &mut rows);
            }
            if header.is_none() {
                header = rows
                    .iter()
                    .position(|(_, cells)| is_header(&as_text(cells)));
                if header.is_none() && rows.len() as u32 >= HEADER_WITHIN {
                    break;
                }
            }
            if let Some(at) = header
                && rows.len() - at > MAX_ROWS as usize
            {
                return Err(Unreadable::TooManyRows);
            }
        }
        let (_, values) = current.get_or_insert_with(|| (row, Vec::new()));
        if values.len() <= column {
            values.resize(column + 1, Value::Empty);
        }
        values[column] = value(cell.get_value());
    }
    if let Some(done) = current.take() {
        finish_row(done, &mut rows);
    }
    let at = header
        .or_else(|| {
            rows.iter()
                .position(|(_, cells)| is_header(&as_text(cells)))
        })
        .ok_or(Unreadable::NoHeader)?;
    if rows.len() - at - 1 > MAX_ROWS as usize {
        return Err(Unreadable::TooManyRows);
    }
    fill_merged(&mut rows, &merged, stop)?;
    let year = rows[..at]
        .iter()
        .flat_map(|(_, cells)| as_text(cells))
        .chain(std::iter::once(name.to_string()))
        .find_map(|text| jiandu_domain::import::year_in_title(&text));
    let mut rows = rows.split_off(at);
    let (header_row, header) = rows.remove(0);
    Ok(Sheet {
        year,
        header_row: header_row + 1,
        header: as_text(&header),
        rows: rows
            .into_iter()
            .map(|(row, cells)| (row + 1, cells))
            .collect(),
    })
}

/// A merged cell's value is its top-left cell's: a project name merged down the rows of its
/// milestones belongs to each of them. `rows` are in order, so each region finds its rows by
/// search; regions of a real sheet never overlap, so all of them together cover at most the
/// sheet, and more than that is refused.
fn fill_merged(
    rows: &mut [(u32, Vec<Value>)],
    merged: &[calamine::Dimensions],
    stop: &Stop,
) -> Result<(), Unreadable> {
    let most_cells = rows.len() * MAX_COLUMNS;
    let mut covered = 0usize;
    for region in merged {
        if stop.asked() {
            return Err(Unreadable::Stopped);
        }
        let (top, left) = region.start;
        let (bottom, right) = region.end;
        let (left, right) = (left as usize, (right as usize).min(MAX_COLUMNS - 1));
        if left > right {
            continue;
        }
        let first = rows.partition_point(|(row, _)| *row < top);
        let end = rows.partition_point(|(row, _)| *row <= bottom);
        if first >= end {
            continue;
        }
        covered += (end - first) * (right - left + 1);
        if covered > most_cells {
            return Err(Unreadable::TooManyMerged);
        }
        let value = match &rows[first] {
            (row, cells) if *row == top => cells.get(left).cloned(),
            _ => None,
        };
        let Some(value) = value else {
            continue;
        };
        for (_, cells) in &mut rows[first..end] {
            if cells.len() <= right {
                cells.resize(right + 1, Value::Empty);
            }
            for cell in &mut cells[left..=right] {
                if *cell == Value::Empty {
                    *cell = value.clone();
                }
            }
        }
    }
    Ok(())
}
