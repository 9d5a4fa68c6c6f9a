//! An exported ledger's sheet read as its table: the header row and the rows under it, without
//! the title rows above the header and the 序号 column, each merged cell's value in every cell
//! it covers — what a reader of the printed ledger sees in each row.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

/// The table of sheet `name` of the workbook `bytes`.
pub fn table(bytes: &[u8], name: &str) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let merged = workbook.merge_cells_by_sheet_name(name).unwrap();
    let range = workbook.worksheet_range(name).unwrap();
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut grid: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    for region in merged {
        let value = cell(&grid, region.start, (top, left));
        for row in region.start.0..=region.end.0 {
            for col in region.start.1..=region.end.1 {
                let (r, c) = ((row - top) as usize, (col - left) as usize);
                if let Some(slot) = grid.get_mut(r).and_then(|cells| cells.get_mut(c)) {
                    *slot = value.clone();
                }
            }
        }
    }
    let header = grid
        .iter()
        .position(|row| row.first().is_some_and(|c| *c == "序号"))
        .unwrap_or_else(|| panic!("a header row beginning with 序号 in {name}"));
    grid.drain(..header);
    grid.into_iter()
        .map(|row| row.into_iter().skip(1).collect())
        .collect()
}

/// The same, each cell as text (a date as 2026-03-13).
pub fn text_table(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    table(bytes, name)
        .into_iter()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::DateTime(d) => d
                        .as_datetime()
                        .map_or_else(|| cell.to_string(), |t| t.date().to_string()),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn cell(grid: &[Vec<Data>], (row, col): (u32, u32), (top, left): (u32, u32)) -> Data {
    grid.get((row - top) as usize)
        .and_then(|cells| cells.get((col - left) as usize))
        .cloned()
        .unwrap_or(Data::Empty)
}

/// The first cells of the rows above and at the header of sheet `name`, as printed: the title,
/// the day, and 序号.
pub fn printed(bytes: &[u8], name: &str) -> Vec<String> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = workbook.worksheet_range(name).unwrap();
    range
        .rows()
        .take(3)
        .map(|row| row.first().map(Data::to_string).unwrap_or_default())
        .collect()
}
