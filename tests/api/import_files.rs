//! Ledgers as offices' spreadsheet programs write them (docs/import.md): a merged title row
//! giving the year, 序号, a project's name merged down its rows, dates as text and as date cells,
//! a 备注 column, a hidden helper column, a second sheet of notes — written as Excel writes them,
//! and the same workbook saved again by LibreOffice Calc (`tests/fixtures/import/`). Both come
//! in alike.

use jiandu_tests::town::Town;
use jiandu_tests::{TestApp, e2e};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook};
use serde_json::{Value, json};

/// The workbook below, opened and saved by LibreOffice Calc 7.4 (`soffice --headless
/// --convert-to xlsx`).
const SAVED_BY_LIBREOFFICE: &[u8] = include_bytes!("../fixtures/import/office_libreoffice.xlsx");

/// 思蒙镇2030年重点工作督办台账 as an office keeps it.
pub(crate) fn office_workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("督办台账").unwrap();
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let plain = Format::new().set_align(FormatAlign::VerticalCenter);
    let day = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    sheet
        .merge_range(0, 0, 0, 8, "思蒙镇2030年重点工作督办台账", &title)
        .unwrap();
    let header = [
        "序号",
        "重点工作",
        "目标任务",
        "牵头领导",
        "承办单位",
        "时间节点",
        "进展情况",
        "辅助列",
        "备注",
    ];
    for (c, text) in header.iter().enumerate() {
        sheet.write_string(1, c as u16, *text).unwrap();
    }
    // 序号, 目标任务, 牵头领导, 承办单位, 时间节点 (text; empty where a date cell goes), 进展情况, 备注
    let rows: [(&str, &str, &str, &str, &str, &str); 5] = [
        (
            "管网铺设",
            "李明",
            "思蒙镇村建办",
            "2030年8月底前",
            "正在推进",
            "雨季注意安全",
        ),
        ("入户接驳", "李明", "村建办", "", "完成60%", ""),
        ("竣工验收", "陈刚", "经发办", "年底前", "", ""),
        (
            "护栏巡查",
            "李 明",
            "村建办",
            "长期坚持",
            "持续推进",
            "每月一次",
        ),
        (
            "廊亭彩绘",
            "陈刚",
            "经发办",
            "2026年3月31日",
            "已完工待验收",
            "",
        ),
    ];
    for (i, (task, leader, unit, due, progress, note)) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        sheet.write_number(r, 0, i as f64 + 1.0).unwrap();
        sheet.write_string(r, 2, *task).unwrap();
        sheet.write_string(r, 3, *leader).unwrap();
        sheet.write_string(r, 4, *unit).unwrap();
        if due.is_empty() {
            let date = ExcelDateTime::from_ymd(2030, 9, 30).unwrap();
            sheet.write_datetime_with_format(r, 5, &date, &day).unwrap();
        } else {
            sheet.write_string(r, 5, *due).unwrap();
        }
        if !progress.is_empty() {
            sheet.write_string(r, 6, *progress).unwrap();
        }
        sheet.write_string(r, 7, "核对").unwrap();
        if !note.is_empty() {
            sheet.write_string(r, 8, *note).unwrap();
        }
    }
    sheet
        .merge_range(2, 1, 4, 1, "场镇污水管网", &plain)
        .unwrap();
    sheet.write_string(5, 1, "湿地公园风雨桥").unwrap();
    sheet.write_string(6, 1, "湿地公园风雨桥").unwrap();
    sheet.set_column_hidden(7).unwrap();
    let notes = workbook.add_worksheet();
    notes.set_name("填表说明").unwrap();
    notes
        .write_string(0, 0, "1. 时间节点写明年月日；长期工作写“长期坚持”。")
        .unwrap();
    notes
        .write_string(1, 0, "2. 进展情况每月25日前更新。")
        .unwrap();
    workbook.save_to_buffer().unwrap()
}

/// Imports `bytes` into `town` and reads back what came in.
async fn imported(app: &TestApp, town: &Town, bytes: Vec<u8>) -> (Value, Vec<Value>) {
    let answer = app.import_ledger(&town.presidium, bytes, false).await;
    assert!(answer.get("errors").is_none(), "{answer:#}");
    let read = app
        .ok(
            &town.presidium,
            "{ milestones(first:50){ nodes{ title deadline status progress longTerm historical project{ title } responsibleLeader{ name } responsibleUnit{ name } } } }",
            json!({}),
        )
        .await;
    let mut items: Vec<Value> = read["milestones"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["project"]["title"] != "思蒙国家湿地公园健身步道风雨桥")
        .cloned()
        .collect();
    items.sort_by_key(|m| m["title"].as_str().unwrap().to_string());
    (answer["data"]["importLedger"].clone(), items)
}

fn item<'a>(items: &'a [Value], title: &str) -> &'a Value {
    items
        .iter()
        .find(|m| m["title"] == title)
        .unwrap_or_else(|| panic!("{title} in {items:#?}"))
}

e2e!(a_ledger_as_an_office_keeps_it_comes_in_from_excel_and_from_libreoffice);
async fn a_ledger_as_an_office_keeps_it_comes_in_from_excel_and_from_libreoffice(app: TestApp) {
    let excel = Town::setup(&app, "思蒙镇").await;
    let (done, items) = imported(&app, &excel, office_workbook()).await;
    assert_eq!(done["milestonesCreated"], 5, "{done:#}");
    assert_eq!(done["projectsCreated"], 2);
    // 思蒙镇村建办 is the 村建办 the township keeps, 李 明 is 李明: nobody and no unit is new.
    assert_eq!(
        (
            done["peopleCreated"].as_i64(),
            done["unitsCreated"].as_i64()
        ),
        (Some(0), Some(0))
    );
    assert_eq!(items.len(), 5, "{items:#?}");
    // A name merged down three rows is each row's project.
    for title in ["管网铺设", "入户接驳", "竣工验收"] {
        assert_eq!(item(&items, title)["project"]["title"], "场镇污水管网");
    }
    assert_eq!(
        item(&items, "管网铺设")["deadline"],
        "2030-08-31",
        "text, 月底前"
    );
    assert_eq!(
        item(&items, "入户接驳")["deadline"],
        "2030-09-30",
        "a date cell"
    );
    assert_eq!(item(&items, "入户接驳")["progress"], 60);
    assert_eq!(
        item(&items, "竣工验收")["deadline"],
        "2030-12-31",
        "年底前 in the title's year"
    );
    let ongoing = item(&items, "护栏巡查");
    assert_eq!(
        (ongoing["deadline"].as_str(), ongoing["longTerm"].as_bool()),
        (Some("2030-12-31"), Some(true))
    );
    assert_eq!(ongoing["responsibleLeader"]["name"], "李明");
    let done_item = item(&items, "廊亭彩绘");
    assert_eq!(
        done_item["status"], "DONE",
        "已完工待验收: reported, awaiting sign-off"
    );
    assert_eq!(
        done_item["historical"], false,
        "a finished item is not history to confirm"
    );
    assert_eq!(
        item(&items, "管网铺设")["responsibleUnit"]["name"],
        "村建办"
    );

    // The same workbook saved by LibreOffice Calc comes in the same.
    // Another 思蒙镇 (under a county: top-level names are one each) to import it into.
    let (county, _) = app
        .organization("青神县", Some("Asia/Shanghai"), None)
        .await;
    let calc = Town::setup_in(&app, "思蒙镇", Some(county)).await;
    let (again, calc_items) = imported(&app, &calc, SAVED_BY_LIBREOFFICE.to_vec()).await;
    assert_eq!(again["rows"], done["rows"], "{again:#}");
    assert_eq!(calc_items, items);
}
