//! Reading workbooks: merged regions, their limits, and stopping.

use std::io::Write as _;

use super::*;

/// A ledger of `rows` rows whose project name is merged down each pair of rows.
fn ledger(rows: u32) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let plain = rust_xlsxwriter::Format::new();
    for (c, header) in ["项目名称", "节点", "责任领导", "责任单位", "期限"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *header).unwrap();
    }
    for r in (1..=rows).step_by(2) {
        sheet
            .merge_range(r, 0, r + 1, 0, &format!("项目{r}"), &plain)
            .unwrap();
        for row in [r, r + 1] {
            sheet.write_string(row, 1, format!("节点{row}")).unwrap();
            sheet.write_string(row, 2, "李明").unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// `bytes` with the first sheet's merged regions replaced by `regions` (as A1:B2).
fn with_merged(bytes: &[u8], regions: impl Iterator<Item = String>) -> Vec<u8> {
    let cells: String = regions
        .map(|r| format!("<mergeCell ref=\"{r}\"/>"))
        .collect();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..zip.len() {
        let mut part = zip.by_index(index).unwrap();
        let name = part.name().unwrap().to_string();
        let mut text = Vec::new();
        part.read_to_end(&mut text).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(text).unwrap();
            let kept = match (xml.find("<mergeCells"), xml.find("</mergeCells>")) {
                (Some(from), Some(to)) => {
                    format!("{}{}", &xml[..from], &xml[to + "</mergeCells>".len()..])
                }
                _ => xml,
            };
            let merged = format!("</sheetData><mergeCells>{cells}</mergeCells>");
            text = kept.replacen("</sheetData>", &merged, 1).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&text).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn project_names(sheet: &Sheet) -> Vec<Value> {
    sheet
        .rows
        .iter()
        .map(|(_, cells)| cells[0].clone())
        .collect()
}

#[test]
fn a_merged_project_name_belongs_to_each_of_its_rows() {
    let sheet = read(&ledger(4), &Stop::default()).unwrap().ledger.unwrap();
    assert_eq!(
        project_names(&sheet),
        ["项目1", "项目1", "项目3", "项目3"].map(|t| Value::Text(t.into()))
    );
}

#[test]
fn more_merged_regions_than_a_ledger_has_are_refused() {
    // Each row's next cell merged with its neighbour: none over another, but too many.
    let many = (0..=MAX_MERGED as u32).map(|n| {
        let row = n / 4 + 100;
        let column = ["H", "J", "L", "N"][n as usize % 4];
        format!("{column}{row}:{column}{row}")
    });
    let bytes = with_merged(&ledger(4), many);
    assert!(matches!(
        read(&bytes, &Stop::default()),
        Err(Unreadable::TooManyMerged)
    ));
    // As many as allowed, over the real rows and each other: they cover more than the sheet.
    let stacked = (0..MAX_MERGED).map(|_| "A2:BL5".to_string());
    let bytes = with_merged(&ledger(4), stacked);
    assert!(matches!(
        read(&bytes, &Stop::default()),
        Err(Unreadable::TooManyMerged)
    ));
}

#[test]
fn a_read_stops_when_asked() {
    let stop = Stop::default();
    stop.ask();
    assert!(matches!(
        read(&ledger(2_000), &stop),
        Err(Unreadable::Stopped)
    ));
}
