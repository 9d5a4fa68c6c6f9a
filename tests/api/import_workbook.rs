//! The whole workbook comes in (docs/import.md, "The whole workbook"): the export's 整改事项 and
//! 代表建议办理台账 sheets beside its 督办台账 — findings under an inspection per project and day,
//! suggestions by number with their answers and ratings — and what is open past its deadline
//! arrives quiet until the presidium confirms it, in the API and on the 历史事项 page.

use jiandu_tests::town::day;
use jiandu_tests::web::Visitor;
use jiandu_tests::{TestApp, code, e2e};
use rust_xlsxwriter::Workbook;
use serde_json::{Value, json};

use crate::import::{EMPTY, count, empty_town, imported};

const FINDINGS: [&str; 13] = [
    "项目名称",
    "检查日期",
    "整改事项",
    "责任领导",
    "责任单位",
    "原定期限",
    "整改期限",
    "调整次数",
    "状态",
    "期限状态",
    "逾期天数",
    "整改情况",
    "亮灯",
];

const SUGGESTIONS: [&str; 13] = [
    "编号",
    "标题",
    "领衔代表",
    "主办单位",
    "分管领导",
    "交办日期",
    "答复期限",
    "答复日期",
    "类别",
    "见面沟通",
    "代表意见",
    "状态",
    "亮灯",
];

/// A workbook of the export's three sheets holding `findings` and `suggestions` (as text), and
/// one ledger row.
fn workbook(findings: &[[&str; 13]], suggestions: &[[&str; 13]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let ledger = book.add_worksheet().set_name("督办台账").unwrap();
    for (c, cell) in [
        "项目名称",
        "节点",
        "责任领导",
        "责任单位",
        "当前期限",
        "状态",
    ]
    .iter()
    .enumerate()
    {
        ledger.write_string(0, c as u16, *cell).unwrap();
    }
    for (c, cell) in [
        "湿地公园风雨桥",
        "桥面铺装",
        "李明",
        "村建办",
        &day(30),
        "推进中",
    ]
    .iter()
    .enumerate()
    {
        ledger.write_string(1, c as u16, *cell).unwrap();
    }
    for (name, header, rows) in [
        ("整改事项", FINDINGS, findings),
        ("代表建议办理台账", SUGGESTIONS, suggestions),
    ] {
        let sheet = book.add_worksheet().set_name(name).unwrap();
        for (r, row) in std::iter::once(&header).chain(rows).enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// 2021's: a finding still open long past its deadline and one verified late; a suggestion
/// awaiting its answer long past its deadline, and one answered, rated and concluded.
pub(crate) fn old_workbook() -> Vec<u8> {
    workbook(
        &[
            [
                "湿地公园风雨桥",
                "2021-06-10",
                "临河一侧防护栏缺失",
                "李明",
                "村建办",
                "2021-06-30",
                "2021-06-30",
                "0",
                "整改中",
                "已逾期",
                "1800",
                "",
                "红灯",
            ],
            [
                "湿地公园风雨桥",
                "2021-06-10",
                "廊亭木构件防腐不到位",
                "李明",
                "思蒙镇村建办",
                "2021-07-15",
                "2021-07-15",
                "0",
                "已整改（已核实）",
                "逾期完成",
                "5",
                "已返工并刷防腐漆",
                "—",
            ],
            [
                "湿地公园风雨桥",
                "2021-06-10",
                "桥面排水不畅\n需增设排水孔",
                "李明",
                "村建办",
                "2021-07-30",
                "2021-07-30",
                "0",
                "已整改（已核实）",
                "按期完成",
                "0",
                "已增设排水孔\n经复查无积水",
                "—",
            ],
            [
                "（专题检查）",
                "2021-03-02",
                "护林员配备不足",
                "张丽",
                "社会事务办",
                "2021-04-30",
                "2021-04-30",
                "0",
                "已报整改（待核实）",
                "按期完成",
                "0",
                "已配齐护林员",
                "—",
            ],
        ],
        &[
            [
                "2021-001",
                "老街增设路灯",
                "杨秀英",
                "村建办",
                "李明",
                "2021-03-10",
                "2021-06-08",
                "2021-05-20",
                "A类",
                "是",
                "满意",
                "已办结",
                "—",
            ],
            [
                "2021-003",
                "农贸市场增设停车位",
                "吴德华",
                "经发办",
                "陈刚",
                "2021-04-01",
                "2021-06-30",
                "",
                "",
                "",
                "",
                "已交办",
                "红灯",
            ],
        ],
    )
}

async fn findings(app: &TestApp, token: &str) -> Vec<Value> {
    let read = app
        .ok(
            token,
            "{ findings(first: 20) { nodes { id version description status historical deadline resolvedOn timesRescheduled project { title } } } }",
            json!({}),
        )
        .await;
    read["findings"]["nodes"].as_array().unwrap().clone()
}

async fn suggestions(app: &TestApp, token: &str) -> Vec<Value> {
    let read = app
        .ok(
            token,
            "{ suggestions(first: 20) { nodes { id version number status historical deadline answers { answerClass metDeputy feedback } } } }",
            json!({}),
        )
        .await;
    read["suggestions"]["nodes"].as_array().unwrap().clone()
}

fn named<'a>(list: &'a [Value], key: &str, value: &str) -> &'a Value {
    list.iter()
        .find(|v| v[key] == value)
        .unwrap_or_else(|| panic!("{value} in {list:?}"))
}

/// How many notices `subject` has.
async fn notices_about(app: &TestApp, token: &str, subject: &Value) -> i64 {
    app.ok(
        token,
        "query($s:ID!){ notices(first: 10, filter: { subjectId: $s }) { totalCount } }",
        json!({ "s": subject["id"] }),
    )
    .await["notices"]["totalCount"]
        .as_i64()
        .unwrap()
}

e2e!(old_findings_and_suggestions_arrive_quiet_until_the_presidium_confirms_them);
async fn old_findings_and_suggestions_arrive_quiet_until_the_presidium_confirms_them(app: TestApp) {
    let presidium = empty_town(&app, "思蒙镇").await;
    let preview = app.import_ledger(&presidium, old_workbook(), true).await;
    let preview = imported(&preview).clone();
    assert_eq!(
        count(&app, &presidium).await,
        EMPTY,
        "a preview writes nothing"
    );
    assert_eq!(preview["findingsCreated"], 4, "{preview:#}");
    assert_eq!(
        preview["inspectionsCreated"], 2,
        "one inspection per project and day"
    );
    assert_eq!(preview["suggestionsCreated"], 2);
    assert_eq!(
        preview["historicalItems"], 2,
        "the open finding and the unanswered suggestion"
    );
    let rows = preview["rows"].as_array().unwrap();
    let on_sheet = |sheet: &str, row: i64| {
        rows.iter()
            .find(|r| r["sheet"] == sheet && r["row"] == row)
            .unwrap_or_else(|| panic!("{sheet} {row} in {rows:?}"))["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        on_sheet("整改事项", 2).contains("已过期限，导入后待确认，不发督办"),
        "{rows:?}"
    );
    assert!(
        !on_sheet("整改事项", 3).contains("已过期限"),
        "finished: {rows:?}"
    );
    assert!(
        on_sheet("代表建议办理台账", 3).contains("已过期限，导入后待确认，不发督办"),
        "{rows:?}"
    );
    assert!(
        on_sheet("代表建议办理台账", 2).contains("新建代表「杨秀英」"),
        "{rows:?}"
    );

    imported(&app.import_ledger(&presidium, old_workbook(), false).await);
    let found = findings(&app, &presidium).await;
    let open = named(&found, "description", "临河一侧防护栏缺失").clone();
    assert_eq!(
        (open["status"].as_str(), open["historical"].as_bool()),
        (Some("RECTIFYING"), Some(true))
    );
    let late = named(&found, "description", "廊亭木构件防腐不到位");
    assert_eq!(late["status"], "VERIFIED");
    assert_eq!(late["historical"], false);
    assert_eq!(
        late["resolvedOn"], "2021-07-20",
        "five days late, as the sheet says"
    );
    let topic = named(&found, "description", "护林员配备不足");
    assert_eq!(topic["project"], Value::Null, "a topic inspection's");
    let asked = suggestions(&app, &presidium).await;
    let waiting = named(&asked, "number", "2021-003").clone();
    assert_eq!(
        (waiting["status"].as_str(), waiting["historical"].as_bool()),
        (Some("ASSIGNED"), Some(true))
    );
    let settled = named(&asked, "number", "2021-001");
    assert_eq!(settled["status"], "CONCLUDED");
    assert_eq!(
        settled["answers"][0],
        json!({ "answerClass": "A", "metDeputy": true, "feedback": "SATISFIED" })
    );
    // The same person however the sheets write the unit: 思蒙镇村建办 is 村建办.
    let units = app.ok(&presidium, "{ units { name } }", json!({})).await;
    assert_eq!(
        units["units"].as_array().unwrap().len(),
        3,
        "村建办, 社会事务办 and 经发办: {units}"
    );

    // The next days' scans issue nothing for them, and no order may be issued by hand.
    for offset in 0..=3 {
        app.ok(
            &presidium,
            "mutation($d:Date!){ runNoticesNow(asOf:$d){ issued } }",
            json!({ "d": day(offset) }),
        )
        .await;
    }
    for quiet in [&open, &waiting] {
        assert_eq!(notices_about(&app, &presidium, quiet).await, 0, "{quiet}");
        let ordered = app
            .gql(
                Some(&presidium),
                "mutation($id:ID!,$d:Date!){ issueSupervisionOrder(entityId:$id, replyDue:$d){ id } }",
                json!({ "id": quiet["id"], "d": day(5) }),
            )
            .await;
        assert_eq!(code(&ordered), "VALIDATION_FAILED", "{ordered}");
        assert_eq!(ordered["errors"][0]["extensions"]["reason"], "WRONG_STATE");
    }
    let listed = app
        .ok(
            &presidium,
            "{ findings(first: 10, filter: { historical: true }) { totalCount } suggestions(first: 10, filter: { historical: true }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(listed["findings"]["totalCount"], 1, "{listed}");
    assert_eq!(listed["suggestions"]["totalCount"], 1, "{listed}");

    // A finding is not cancelled; kept open, its new deadline is a late change and the ladder
    // acts on it from then on.
    let finding = "mutation($id:ID!,$v:Int!,$d:HistoricalDecision!,$on:Date,$new:Date,$n:String){ confirmHistoricalFinding(id:$id, expectedVersion:$v, decision:$d, completedOn:$on, newDeadline:$new, note:$n){ status historical deadline timesRescheduled } }";
    let refused = app
        .gql(
            Some(&presidium),
            finding,
            json!({ "id": open["id"], "v": open["version"], "d": "CANCEL" }),
        )
        .await;
    assert_eq!(code(&refused), "VALIDATION_FAILED", "{refused}");
    let stale = app
        .gql(
            Some(&presidium),
            finding,
            json!({ "id": open["id"], "v": 99, "d": "KEEP_OPEN", "new": day(1) }),
        )
        .await;
    assert_eq!(code(&stale), "CONFLICT", "{stale}");
    let kept = app
        .ok(
            &presidium,
            finding,
            json!({ "id": open["id"], "v": open["version"], "d": "KEEP_OPEN", "new": day(1), "n": "防护栏材料已到场" }),
        )
        .await["confirmHistoricalFinding"]
        .clone();
    assert_eq!(kept["historical"], false);
    assert_eq!(kept["deadline"], day(1));
    assert_eq!(kept["timesRescheduled"], 1);
    app.ok(
        &presidium,
        "mutation($d:Date!){ runNoticesNow(asOf:$d){ issued } }",
        json!({ "d": day(0) }),
    )
    .await;
    assert!(
        notices_about(&app, &presidium, &open).await >= 1,
        "reminded once kept open"
    );

    // A suggestion withdrawn says why; confirmed once, it awaits nothing more.
    let suggestion = "mutation($id:ID!,$v:Int!,$d:HistoricalDecision!,$n:String){ confirmHistoricalSuggestion(id:$id, expectedVersion:$v, decision:$d, note:$n){ status historical withdrawnReason } }";
    let withdrawn = app
        .ok(
            &presidium,
            suggestion,
            json!({ "id": waiting["id"], "v": waiting["version"], "d": "CANCEL", "n": "市场已搬迁" }),
        )
        .await["confirmHistoricalSuggestion"]
        .clone();
    assert_eq!(withdrawn["status"], "WITHDRAWN");
    assert_eq!(withdrawn["withdrawnReason"], "市场已搬迁");
    assert_eq!(withdrawn["historical"], false);
    let again = app
        .gql(
            Some(&presidium),
            suggestion,
            json!({ "id": waiting["id"], "v": waiting["version"].as_i64().unwrap() + 1, "d": "CANCEL" }),
        )
        .await;
    assert_eq!(
        again["errors"][0]["extensions"]["reason"], "WRONG_STATE",
        "{again}"
    );

    // The year's numbering goes on after the numbers brought in.
    let deputy = app
        .ok(&presidium, "{ people { id name } }", json!({}))
        .await["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "杨秀英")
        .unwrap()["id"]
        .clone();
    let registered = app
        .ok(
            &presidium,
            "mutation($d:ID!){ registerSuggestion(input:{ title:\"修缮村小操场\", content:\"操场积水\", source: INTERSESSION, leadDeputyId:$d, receivedOn:\"2021-09-01\" }){ number } }",
            json!({ "d": deputy }),
        )
        .await;
    assert_eq!(registered["registerSuggestion"]["number"], "2021-004");

    // Imported again, every row of every sheet is found and nothing changes.
    let twice = app.import_ledger(&presidium, old_workbook(), false).await;
    let twice = imported(&twice);
    for counted in [
        "findingsCreated",
        "suggestionsCreated",
        "inspectionsCreated",
    ] {
        assert_eq!(twice[counted], 0, "{counted}: {twice:#}");
    }
    let found = findings(&app, &presidium).await;
    assert_eq!(
        found.len(),
        4,
        "nothing twice, a finding of two lines included"
    );
    assert!(
        found
            .iter()
            .any(|f| f["description"] == "桥面排水不畅\n需增设排水孔"),
        "its lines kept: {found:?}"
    );
}

e2e!(a_bad_cell_on_another_sheet_keeps_the_whole_workbook_out);
async fn a_bad_cell_on_another_sheet_keeps_the_whole_workbook_out(app: TestApp) {
    let presidium = empty_town(&app, "思蒙镇").await;
    let mut bad = [
        "湿地公园风雨桥",
        "2021-06-10",
        "临河一侧防护栏缺失",
        "李明",
        "村建办",
        "2021-06-30",
        "2021-06-30",
        "0",
        "已完成",
        "",
        "",
        "",
        "",
    ];
    let answer = app
        .import_ledger(&presidium, workbook(&[bad], &[]), false)
        .await;
    assert_eq!(code(&answer), "VALIDATION_FAILED", "{answer}");
    let message = answer["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("第2行「整改事项：状态」：「已完成」不是可用的状态"),
        "{message}"
    );
    bad[8] = "整改中";
    bad[1] = "2099-01-01";
    let numbered = [
        "第三号",
        "标题",
        "杨秀英",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "已登记",
        "",
    ];
    let answer = app
        .import_ledger(&presidium, workbook(&[bad], &[numbered]), false)
        .await;
    let message = answer["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("「整改事项：检查日期」：检查日期还没有到"),
        "{message}"
    );
    assert!(
        message.contains("第2行「代表建议办理台账：编号」"),
        "{message}"
    );
    assert_eq!(count(&app, &presidium).await, EMPTY, "nothing written");
}

e2e!(the_presidium_confirms_old_findings_and_suggestions_in_the_workbench);
async fn the_presidium_confirms_old_findings_and_suggestions_in_the_workbench(app: TestApp) {
    let presidium = empty_town(&app, "思蒙镇").await;
    let visitor = Visitor::new(&app, Some(&presidium));
    imported(&app.import_ledger(&presidium, old_workbook(), false).await);
    let open = findings(&app, &presidium)
        .await
        .into_iter()
        .find(|f| f["historical"] == true)
        .unwrap();
    let page = visitor
        .get(&format!("/findings/{}", open["id"].as_str().unwrap()))
        .await;
    assert!(
        page.html.contains("历史事项：从台账导入时整改期限已过"),
        "{}",
        page.html
    );
    let list = visitor.get("/historical").await;
    assert_eq!(list.status, 200, "{}", list.html);
    assert!(
        list.html.contains("整改事项 1 项，代表建议 1 件"),
        "{}",
        list.html
    );
    assert!(
        list.html.contains("临河一侧防护栏缺失")
            && list.html.contains("2021-003 农贸市场增设停车位")
    );

    let form = format!("/historical/findings/{}", open["id"].as_str().unwrap());
    let future = day(3);
    let refused = visitor
        .submit(
            "/historical",
            &form,
            &[("decision", "done"), ("completed_on", &future)],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(refused.refusal().is_some(), "{}", refused.html);
    assert!(
        refused.html.contains(&format!("value=\"{future}\"")),
        "kept"
    );
    let done = visitor
        .submit(
            "/historical",
            &form,
            &[
                ("decision", "done"),
                ("completed_on", "2021-08-01"),
                ("note", "防护栏已安装"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.html);
    let list = visitor.get("/historical?confirmed=1").await;
    assert!(
        list.html.contains("整改事项 0 项，代表建议 1 件"),
        "{}",
        list.html
    );
    let verified = findings(&app, &presidium)
        .await
        .into_iter()
        .find(|f| f["id"] == open["id"])
        .unwrap();
    assert_eq!(verified["status"], "VERIFIED");
    assert_eq!(verified["resolvedOn"], "2021-08-01");
}

e2e!(only_the_presidium_confirms_old_findings_and_suggestions);
async fn only_the_presidium_confirms_old_findings_and_suggestions(app: TestApp) {
    let town = jiandu_tests::town::Town::setup(&app, "思蒙镇").await;
    imported(
        &app.import_ledger(&town.presidium, old_workbook(), false)
            .await,
    );
    let open = findings(&app, &town.presidium)
        .await
        .into_iter()
        .find(|f| f["historical"] == true)
        .unwrap();
    let waiting = suggestions(&app, &town.presidium)
        .await
        .into_iter()
        .find(|s| s["historical"] == true)
        .unwrap();
    let other = jiandu_tests::town::Town::setup(&app, "白马镇").await;
    for (mutation, item) in [
        ("confirmHistoricalFinding", &open),
        ("confirmHistoricalSuggestion", &waiting),
    ] {
        let query = format!(
            "mutation($id:ID!,$v:Int!,$new:Date){{ {mutation}(id:$id, expectedVersion:$v, decision: KEEP_OPEN, newDeadline:$new){{ id }} }}"
        );
        let vars = json!({ "id": item["id"], "v": item["version"], "new": day(5) });
        for (who, token, expected) in [
            ("leader", &town.liming, "FORBIDDEN"),
            ("deputy", &town.deputy, "FORBIDDEN"),
            ("viewer", &town.viewer, "FORBIDDEN"),
            ("another township", &other.presidium, "NOT_FOUND"),
        ] {
            let answer = app.gql(Some(token), &query, vars.clone()).await;
            assert_eq!(code(&answer), expected, "{who} on {mutation}: {answer}");
        }
    }
    let listed = app
        .ok(
            &town.presidium,
            "{ findings(first: 10, filter: { historical: true }) { totalCount } suggestions(first: 10, filter: { historical: true }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        (
            &listed["findings"]["totalCount"],
            &listed["suggestions"]["totalCount"]
        ),
        (&json!(1), &json!(1)),
        "nothing changed: {listed}"
    );
}
