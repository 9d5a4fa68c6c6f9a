//! Bringing an office's Excel 督办台账 in: the ledger export read back into an empty township gives
//! the same ledger; a ledger in an office's own layout is read by its column names; a bad row
//! fails the whole import; hostile files are refused in bounded memory.

use std::io::Write;

use calamine::Data;
use jiandu_tests::{TestApp, code, e2e};
use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet};
use serde_json::{Value, json};

/// The sheet `name` of an exported workbook, as text, row by row.
fn sheet_rows(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    jiandu_tests::ledger::table(bytes, name)
        .iter()
        .map(|row| row.iter().map(Data::to_string).collect())
        .collect()
}

/// The 督办台账 sheet of an exported workbook.
fn ledger_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    sheet_rows(bytes, "督办台账")
}

/// The workbook's three sheets: 督办台账, 整改事项, 代表建议办理台账.
const SHEETS: [&str; 3] = ["督办台账", "整改事项", "代表建议办理台账"];

fn all_sheets(bytes: &[u8]) -> Vec<Vec<Vec<String>>> {
    SHEETS.iter().map(|name| sheet_rows(bytes, name)).collect()
}

/// What [`count`] finds in a town with nothing in it yet: the person who holds its presidium
/// account.
pub(crate) const EMPTY: (u64, u64, u64, u64) = (0, 0, 1, 0);

/// The presidium's token of a new town `name` with nothing in it yet.
pub(crate) async fn empty_town(app: &TestApp, name: &str) -> String {
    let (_, presidium) = app.organization(name, Some("Asia/Shanghai"), None).await;
    presidium
}

async fn export(app: &TestApp, token: &str, as_of: &str) -> Vec<u8> {
    let response = app
        .get(Some(token), &format!("/export/ledger.xlsx?asOf={as_of}"))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    response.bytes().await.unwrap().to_vec()
}

pub(crate) fn imported(answer: &Value) -> &Value {
    assert!(
        answer.get("errors").is_none(),
        "unexpected errors: {answer:#}"
    );
    &answer["data"]["importLedger"]
}

/// A workbook whose first sheet holds `table`, row by row, as text.
pub(crate) fn workbook_of(table: &[&[&str]]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, row) in table.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// The short ledger's five headers, in the first row of `sheet`.
pub(crate) fn short_headers(sheet: &mut Worksheet) {
    for (c, header) in ["项目名称", "节点", "责任领导", "责任单位", "期限"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *header).unwrap();
    }
}

pub(crate) async fn count(app: &TestApp, token: &str) -> (u64, u64, u64, u64) {
    let data = app
        .ok(
            token,
            "{ projects{ totalCount } milestones(first:1){ totalCount } people{ id } units{ id } }",
            json!({}),
        )
        .await;
    (
        data["projects"]["totalCount"].as_u64().unwrap(),
        data["milestones"]["totalCount"].as_u64().unwrap(),
        data["people"].as_array().unwrap().len() as u64,
        data["units"].as_array().unwrap().len() as u64,
    )
}

async fn the_exported_ledger_imported_into_an_empty_township_exports_the_same(app: TestApp) {
    jiandu_api::seed::demo::load(&app.ctx).await.unwrap();
    let renda = app
        .login("renda", jiandu_api::seed::demo::DEMO_PASSWORD)
        .await;
    let as_of = jiandu_tests::town::today().to_string();
    let exported = export(&app, &renda, &as_of).await;
    let original = ledger_rows(&exported);
    assert!(
        original.len() > 10,
        "the demo's ledger has rows: {original:?}"
    );
    let workbook = all_sheets(&exported);
    let (findings, suggestions) = (workbook[1].len() - 1, workbook[2].len() - 1);
    assert!(
        findings >= 3 && suggestions >= 5,
        "the demo has findings and suggestions: {workbook:?}"
    );

    let presidium = empty_town(&app, "新建镇").await;
    // A dry run says what would happen and writes nothing.
    let dry = app.import_ledger(&presidium, exported.clone(), true).await;
    let dry = imported(&dry).clone();
    assert_eq!(dry["dryRun"], true);
    assert_eq!(count(&app, &presidium).await, EMPTY);
    let rows = dry["rows"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        original.len() - 1 + findings + suggestions,
        "one outcome per row of each sheet"
    );
    assert_eq!(dry["findingsCreated"], findings);
    assert_eq!(dry["suggestionsCreated"], suggestions);
    assert_eq!(rows.last().unwrap()["sheet"], "代表建议办理台账");
    assert_eq!(
        rows[0]["row"], 4,
        "rows are numbered as the sheet shows them"
    );
    assert!(rows.iter().all(|r| r["outcome"] == "CREATED"), "{rows:?}");
    assert!(
        rows[0]["message"].as_str().unwrap().contains("新建项目"),
        "{}",
        rows[0]
    );

    let done = app.import_ledger(&presidium, exported.clone(), false).await;
    let done = imported(&done).clone();
    assert_eq!(done["dryRun"], false);
    for counted in [
        "projectsCreated",
        "milestonesCreated",
        "peopleCreated",
        "unitsCreated",
        "inspectionsCreated",
        "findingsCreated",
        "suggestionsCreated",
        "historicalItems",
    ] {
        assert_eq!(
            done[counted], dry[counted],
            "{counted}: the dry run said what happened"
        );
    }
    let (projects, milestones, people, units) = count(&app, &presidium).await;
    assert_eq!(projects, done["projectsCreated"].as_u64().unwrap());
    assert_eq!(milestones, done["milestonesCreated"].as_u64().unwrap());
    assert!(
        milestones > original.len() as u64 - 1,
        "the parents named in 上级节点 are made too"
    );
    assert_eq!(
        (people - EMPTY.2, units),
        (
            done["peopleCreated"].as_u64().unwrap(),
            done["unitsCreated"].as_u64().unwrap()
        )
    );

    let again = export(&app, &presidium, &as_of).await;
    assert_eq!(ledger_rows(&again), original, "export → import → export");
    assert_eq!(
        all_sheets(&again),
        workbook,
        "export → import → export, every sheet cell for cell"
    );

    // Imported again, every row is found and nothing changes.
    let twice = app.import_ledger(&presidium, again, false).await;
    let twice = imported(&twice);
    assert_eq!(twice["milestonesCreated"], 0);
    assert_eq!(twice["projectsCreated"], 0);
    assert_eq!(twice["findingsCreated"], 0);
    assert_eq!(twice["suggestionsCreated"], 0);
    assert_eq!(twice["inspectionsCreated"], 0);
    assert!(
        twice["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["outcome"] == "EXISTS")
    );
    assert_eq!(
        count(&app, &presidium).await,
        (projects, milestones, people, units)
    );
    assert_eq!(
        all_sheets(&export(&app, &presidium, &as_of).await),
        workbook
    );
}
e2e!(the_exported_ledger_imported_into_an_empty_township_exports_the_same);

/// An office's own ledger: a title row merged across the top, the project merged down its
/// rows, headers in its own words in its own order, a row number made by a formula, dates typed
/// as text, and a deadline computed by a formula.
pub(crate) fn office_ledger() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("2021年").unwrap();
    let plain = Format::new();
    sheet
        .merge_range(0, 0, 0, 6, "2021年思蒙镇重点项目督办台账", &plain)
        .unwrap();
    for (col, header) in [
        "序号",
        "项 目",
        "督办事项",
        "所属节点",
        "责任领导",
        "牵头单位",
        "完成时限",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(1, col as u16, *header).unwrap();
    }
    let rows: [[&str; 6]; 4] = [
        [
            "健身步道风雨桥",
            "主体工程",
            "",
            "李明",
            "村建办",
            "2021年8月31日",
        ],
        [
            "健身步道风雨桥",
            "桥面\n铺装",
            "主体工程",
            "李明",
            "村建办",
            "2021.8.20",
        ],
        [
            "健身步道风雨桥",
            "廊亭建设",
            "主体工程",
            "王强",
            "城建公司",
            "",
        ],
        ["村道硬化", "路基施工", "", "陈刚", "村建办", "2021/9/15"],
    ];
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        sheet
            .write_formula(
                r,
                0,
                Formula::new("=ROW()-2").set_result((i + 1).to_string()),
            )
            .unwrap();
        for (j, cell) in row.iter().enumerate().skip(1) {
            sheet.write_string(r, j as u16 + 1, *cell).unwrap();
        }
    }
    // The project merged down the bridge's three rows (only the first holds it).
    sheet
        .merge_range(2, 1, 4, 1, "健身步道风雨桥", &plain)
        .unwrap();
    sheet.write_string(5, 1, "村道硬化").unwrap();
    sheet
        .write_formula(4, 6, Formula::new("=DATE(2021,9,30)").set_result("44469"))
        .unwrap();
    workbook.save_to_buffer().unwrap()
}

async fn an_offices_own_layout_is_read_by_its_column_names(app: TestApp) {
    let presidium = empty_town(&app, "思蒙镇").await;
    // A unit and a leader the township already has are found, not made again.
    app.ok(
        &presidium,
        "mutation{ createUnit(input:{name:\"村建办\"}){ id } }",
        json!({}),
    )
    .await;
    app.ok(
        &presidium,
        "mutation{ createPerson(input:{name:\"李明\"}){ id } }",
        json!({}),
    )
    .await;
    let answer = app.import_ledger(&presidium, office_ledger(), false).await;
    let done = imported(&answer);
    assert_eq!(done["projectsCreated"], 2);
    assert_eq!(done["milestonesCreated"], 4);
    assert_eq!(done["peopleCreated"], 2, "王强 and 陈刚");
    assert_eq!(done["unitsCreated"], 1, "城建公司");
    let rows: Vec<i64> = done["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["row"].as_i64().unwrap())
        .collect();
    assert_eq!(
        rows,
        [3, 4, 5, 6],
        "the title row and header are not rows of the ledger"
    );

    let data = app
        .ok(
            &presidium,
            "{ milestones(first:100){ nodes{ project{ title } title deadline isItem parent{ title } responsibleLeader{ name } responsibleUnit{ name } } } }",
            json!({}),
        )
        .await;
    let mut found: Vec<(String, String, String, Option<String>, String, String)> = Vec::new();
    for m in data["milestones"]["nodes"].as_array().unwrap() {
        found.push((
            m["project"]["title"].as_str().unwrap().into(),
            m["title"].as_str().unwrap().into(),
            m["deadline"].as_str().unwrap().into(),
            m["parent"]["title"].as_str().map(Into::into),
            m["responsibleLeader"]["name"].as_str().unwrap().into(),
            m["responsibleUnit"]["name"].as_str().unwrap().into(),
        ));
    }
    found.sort();
    let items: Vec<(&str, bool)> = data["milestones"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["title"].as_str().unwrap(), m["isItem"].as_bool().unwrap()))
        .filter(|(title, _)| *title == "主体工程" || *title == "桥面铺装")
        .collect();
    assert!(
        items.contains(&("主体工程", false)) && items.contains(&("桥面铺装", true)),
        "{items:?}"
    );
    let row = |p: &str, t: &str, d: &str, parent: Option<&str>, l: &str, u: &str| {
        (
            p.into(),
            t.into(),
            d.into(),
            parent.map(Into::into),
            l.into(),
            u.into(),
        )
    };
    assert_eq!(
        found,
        [
            row(
                "健身步道风雨桥",
                "主体工程",
                "2021-08-31",
                None,
                "李明",
                "村建办"
            ),
            row(
                "健身步道风雨桥",
                "廊亭建设",
                "2021-09-30",
                Some("主体工程"),
                "王强",
                "城建公司"
            ),
            row(
                "健身步道风雨桥",
                "桥面铺装",
                "2021-08-20",
                Some("主体工程"),
                "李明",
                "村建办"
            ),
            row("村道硬化", "路基施工", "2021-09-15", None, "陈刚", "村建办"),
        ]
    );
    let people = app
        .ok(&presidium, "{ people{ name } units{ name } }", json!({}))
        .await;
    let named = |list: &str, name: &str| {
        people[list]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["name"] == name)
            .count()
    };
    assert_eq!((named("people", "李明"), named("units", "村建办")), (1, 1));
}
e2e!(an_offices_own_layout_is_read_by_its_column_names);

async fn one_bad_row_fails_the_whole_import_naming_row_column_and_reason(app: TestApp) {
    let presidium = empty_town(&app, "思蒙镇").await;
    let bytes = workbook_of(&[
        &[
            "项目名称",
            "节点",
            "责任领导",
            "责任单位",
            "期限",
            "进度(%)",
        ],
        &["风雨桥", "桩基施工", "李明", "村建办", "2021-06-30", "100"],
        &[
            "风雨桥",
            "桥面铺装",
            "李明",
            "村建办",
            "2021年13月1日",
            "50",
        ],
        &["风雨桥", "", "李明", "村建办", "2021-09-30", "20"],
        &["风雨桥", "廊亭建设", "李明", "村建办", "2021-10-30", "一半"],
    ]);
    for dry_run in [true, false] {
        let answer = app.import_ledger(&presidium, bytes.clone(), dry_run).await;
        assert_eq!(code(&answer), "VALIDATION_FAILED", "{answer:#}");
        assert_eq!(answer["errors"][0]["extensions"]["field"], "file");
        let message = answer["errors"][0]["message"].as_str().unwrap();
        for problem in [
            "第3行「期限」",
            "2021年13月1日",
            "第4行「节点」：不能为空",
            "第5行「进度(%)」",
            "一半",
        ] {
            assert!(message.contains(problem), "{problem} in {message}");
        }
        assert!(!message.contains("第2行"), "{message}");
    }
    assert_eq!(count(&app, &presidium).await, EMPTY, "nothing was written");
}
e2e!(one_bad_row_fails_the_whole_import_naming_row_column_and_reason);

/// A date cell far outside any calendar (a number formatted as a date: -1e300, 1e300) is a bad
/// cell named by its row and column, not a failure of the reader.
async fn a_date_cell_out_of_any_calendar_is_a_bad_cell(app: TestApp) {
    let presidium = empty_town(&app, "思蒙镇").await;
    for serial in [-1e300, 1e300, -1.0] {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        short_headers(sheet);
        for (col, text) in ["风雨桥", "桩基施工", "李明", "村建办"].iter().enumerate() {
            sheet.write_string(1, col as u16, *text).unwrap();
        }
        let date = Format::new().set_num_format("yyyy-mm-dd");
        sheet.write_number_with_format(1, 4, serial, &date).unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let answer = app.import_ledger(&presidium, bytes, true).await;
        assert_eq!(code(&answer), "VALIDATION_FAILED", "{serial}: {answer:#}");
        let message = answer["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("第2行「期限」"), "{serial}: {message}");
    }
    assert_eq!(count(&app, &presidium).await, EMPTY);
}
e2e!(a_date_cell_out_of_any_calendar_is_a_bad_cell);

/// A zip of one part that unpacks to `megabytes` of zeros: a few hundred kilobytes sent.
fn zip_bomb(megabytes: usize) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/workbook.xml", options).unwrap();
    let block = vec![0u8; 1024 * 1024];
    for _ in 0..megabytes {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

async fn hostile_files_are_refused_and_change_nothing(app: TestApp) {
    let presidium = empty_town(&app, "思蒙镇").await;
    let refusal = |answer: &Value| {
        assert_eq!(code(answer), "VALIDATION_FAILED", "{answer:#}");
        answer["errors"][0]["message"].as_str().unwrap().to_string()
    };
    // Not a workbook at all, and a zip that is not one.
    let text = app
        .import_ledger(&presidium, b"project,milestone\n".to_vec(), false)
        .await;
    assert!(refusal(&text).contains("not an Excel workbook"));
    let mut other = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut other);
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(b"<w:document/>").unwrap();
    zip.finish().unwrap();
    let docx = app
        .import_ledger(&presidium, other.into_inner(), false)
        .await;
    assert!(refusal(&docx).contains("not an Excel workbook"));

    // A zip bomb: 200 MiB of zeros in about 200 KiB.
    let bomb = zip_bomb(200);
    assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
    let answer = app.import_ledger(&presidium, bomb, false).await;
    assert!(refusal(&answer).contains("unpacks to more than"));

    // 100 000 rows: refused past the row limit, without reading them all.
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory().unwrap();
    short_headers(sheet);
    for r in 1..=100_000u32 {
        sheet.write_string(r, 0, "风雨桥").unwrap();
        sheet.write_string(r, 1, format!("节点{r}")).unwrap();
        sheet.write_string(r, 2, "李明").unwrap();
        sheet.write_string(r, 3, "村建办").unwrap();
        sheet.write_string(r, 4, "2021-08-31").unwrap();
    }
    let big = workbook.save_to_buffer().unwrap();
    let answer = app.import_ledger(&presidium, big, false).await;
    assert!(
        refusal(&answer).contains("more than 10000 rows"),
        "{answer:#}"
    );

    // A sheet without a ledger's header.
    let answer = app
        .import_ledger(&presidium, workbook_of(&[&["会议记录"]]), false)
        .await;
    assert!(refusal(&answer).contains("no header row"));
    assert_eq!(count(&app, &presidium).await, EMPTY);
}
e2e!(hostile_files_are_refused_and_change_nothing);

async fn only_the_presidium_imports_a_ledger(app: TestApp) {
    let town = jiandu_tests::town::Town::setup(&app, "思蒙镇").await;
    let before = count(&app, &town.presidium).await;
    for token in [&town.deputy, &town.liming, &town.viewer] {
        let answer = app.import_ledger(token, office_ledger(), false).await;
        assert_eq!(code(&answer), "FORBIDDEN", "{answer:#}");
    }
    assert_eq!(count(&app, &town.presidium).await, before);
}
e2e!(only_the_presidium_imports_a_ledger);

async fn the_command_line_imports_a_ledger_file_into_a_named_township(app: TestApp) {
    let presidium = empty_town(&app, "汉阳镇").await;
    let file = std::env::temp_dir().join(format!("jiandu-ledger-{}.xlsx", uuid::Uuid::now_v7()));
    std::fs::write(&file, office_ledger()).unwrap();
    let path = file.to_str().unwrap().to_string();
    let url = app.database_url().to_string();
    let run = |args: Vec<String>| {
        let url = url.clone();
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            crate::cli::jiandu(&url, &args, "")
        })
    };
    let args = |extra: &[&str]| {
        let mut args: Vec<String> = ["import", "ledger", &path, "--org", "汉阳镇"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    let (ok, out) = run(args(&["--dry-run"])).await.unwrap();
    assert!(ok, "{out}");
    assert!(
        out.contains("would create 2 projects, 4 milestones"),
        "{out}"
    );
    assert!(out.contains("nothing was written"), "{out}");
    assert_eq!(count(&app, &presidium).await, EMPTY);
    let (ok, out) = run(args(&[])).await.unwrap();
    assert!(ok, "{out}");
    assert!(
        out.contains("row     3  新建节点；新建项目「健身步道风雨桥」"),
        "{out}"
    );
    assert!(
        out.contains("created 2 projects, 4 milestones, 0 findings (0 inspections), 0 suggestions, 3 people and 2 units into 汉阳镇"),
        "{out}"
    );
    // The server running beside the command line notices its writes within a fraction of a
    // second (it asks SQLite whether another process committed), and keeps nothing from before.
    let waited = std::time::Instant::now();
    while count(&app, &presidium).await != (2, 4, 4, 2) {
        assert!(
            waited.elapsed() < std::time::Duration::from_secs(2),
            "the server still shows {:?}",
            count(&app, &presidium).await
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // A township that is not there, and a file that is not a ledger, fail with a reason.
    let (ok, out) = run(vec![
        "import".into(),
        "ledger".into(),
        path.clone(),
        "--org".into(),
        "无名镇".into(),
    ])
    .await
    .unwrap();
    assert!(!ok && out.contains("no organisation named"), "{out}");
    std::fs::write(&file, b"not a workbook").unwrap();
    let (ok, out) = run(args(&[])).await.unwrap();
    assert!(!ok && out.contains("not an Excel workbook"), "{out}");
    let _ = std::fs::remove_file(&file);
}
e2e!(the_command_line_imports_a_ledger_file_into_a_named_township);

async fn a_parent_only_named_is_finished_when_all_its_children_are(app: TestApp) {
    let presidium = empty_town(&app, "思蒙镇").await;
    let bytes = workbook_of(&[
        &[
            "项目名称",
            "节点",
            "上级节点",
            "责任领导",
            "责任单位",
            "当前期限",
            "状态",
            "完成日期",
            "进度(%)",
        ],
        &[
            "风雨桥",
            "桩基施工",
            "主体工程",
            "李明",
            "村建办",
            "2021-06-30",
            "已销号",
            "2021-06-28",
            "100",
        ],
        &[
            "风雨桥",
            "桥面铺装",
            "主体工程",
            "李明",
            "村建办",
            "2021-07-31",
            "已报办结（待销号）",
            "2021-07-20",
            "100",
        ],
        &[
            "村道硬化",
            "路基施工",
            "一期工程",
            "陈刚",
            "村建办",
            "2031-09-30",
            "推进中",
            "",
            "30",
        ],
    ]);
    let answer = app.import_ledger(&presidium, bytes, false).await;
    assert_eq!(imported(&answer)["milestonesCreated"], 5);
    let data = app
        .ok(
            &presidium,
            "{ milestones(first:10){ nodes{ title status progress completedOn deadline deadlineState isItem } } }",
            json!({}),
        )
        .await;
    let find = |title: &str| {
        data["milestones"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["title"] == title)
            .unwrap()
            .clone()
    };
    // Its children finished, the parent is finished as the least advanced of them, on the day
    // the last was done, within its latest child's deadline: not an overdue open parent.
    let main = find("主体工程");
    assert_eq!(main["isItem"], false);
    assert_eq!(main["status"], "DONE");
    assert_eq!(main["completedOn"], "2021-07-20");
    assert_eq!(main["deadline"], "2021-07-31");
    assert_eq!(main["deadlineState"], "DONE_ON_TIME");
    assert_eq!(main["progress"], 100);
    // A child still under way: the parent is open and takes its progress.
    let first = find("一期工程");
    assert_eq!(first["status"], "IN_PROGRESS");
    assert_eq!(first["progress"], 30);
}
e2e!(a_parent_only_named_is_finished_when_all_its_children_are);
