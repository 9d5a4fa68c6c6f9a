//! A ledger as an office keeps it (docs/import.md): its own headers, deadlines in words (8月底前,
//! 年底前, 长期坚持) read in the year its title gives, states from its 进展情况 — and history that
//! is not an emergency: an open row long past its deadline arrives quiet, and the daily scan
//! issues nothing for it.

use jiandu_tests::town::{Town, day};
use jiandu_tests::web::Visitor;
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

use crate::import::{empty_town, imported, workbook_of};

const HEADER: [&str; 7] = [
    "序号",
    "重点工作",
    "目标任务",
    "牵头领导",
    "承办单位",
    "时间节点",
    "进展情况",
];

/// 思蒙镇2021年重点工作督办台账: one row going, one finished awaiting its check, one ongoing.
pub(crate) fn office_ledger_2021() -> Vec<u8> {
    workbook_of(&[
        &["思蒙镇2021年重点工作督办台账"],
        &HEADER,
        &[
            "1",
            "湿地公园风雨桥",
            "桥体建设",
            "李明",
            "村建办",
            "2021年8月底前",
            "正在推进",
        ],
        &[
            "2",
            "湿地公园风雨桥",
            "廊亭彩绘",
            "李明",
            "村建办",
            "年底前",
            "已完工待验收",
        ],
        &[
            "3",
            "湿地公园风雨桥",
            "护栏巡查",
            "李明",
            "村建办",
            "长期坚持",
            "完成60%",
        ],
    ])
}

async fn items(app: &TestApp, token: &str) -> Vec<Value> {
    let read = app
        .ok(
            token,
            "{ milestones(first: 50) { nodes { id title deadline status progress historical longTerm } } }",
            json!({}),
        )
        .await;
    read["milestones"]["nodes"].as_array().unwrap().clone()
}

e2e!(an_offices_ledger_comes_in_with_its_words_read_and_its_history_quiet);
async fn an_offices_ledger_comes_in_with_its_words_read_and_its_history_quiet(app: TestApp) {
    let presidium = empty_town(&app, "思蒙镇").await;
    let preview = app
        .import_ledger(&presidium, office_ledger_2021(), true)
        .await;
    let preview = imported(&preview);
    assert_eq!(preview["historicalItems"], 2, "{preview:#}");
    let messages: Vec<&str> = preview["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    assert!(
        messages[0].contains("「2021年8月底前」→ 2021年8月31日"),
        "{messages:?}"
    );
    assert!(
        messages[0].contains("已过期限，导入后待确认，不发督办"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("「年底前」→ 2021年12月31日"),
        "{messages:?}"
    );
    assert!(messages[1].contains("已报办结（补录）"), "{messages:?}");
    assert!(
        messages[2].contains("「长期坚持」→ 2021年12月31日（长期）"),
        "{messages:?}"
    );
    assert!(
        items(&app, &presidium).await.is_empty(),
        "a preview writes nothing"
    );

    imported(
        &app.import_ledger(&presidium, office_ledger_2021(), false)
            .await,
    );
    let items = items(&app, &presidium).await;
    let item = |title: &str| {
        items
            .iter()
            .find(|m| m["title"] == title)
            .unwrap_or_else(|| panic!("{title} imported: {items:?}"))
            .clone()
    };
    let going = item("桥体建设");
    assert_eq!(going["deadline"], "2021-08-31");
    assert_eq!(going["status"], "IN_PROGRESS");
    assert_eq!(going["historical"], true);
    let done = item("廊亭彩绘");
    assert_eq!(done["status"], "DONE");
    assert_eq!(done["historical"], false, "finished: nothing to chase");
    let ongoing = item("护栏巡查");
    assert_eq!(ongoing["longTerm"], true);
    assert_eq!(ongoing["progress"], 60);
    assert_eq!(ongoing["historical"], true);

    // The next working days' scans issue nothing for five-year-old items.
    for offset in 0..=3 {
        app.ok(
            &presidium,
            "mutation($d:Date!){ runNoticesNow(asOf:$d){ issued } }",
            json!({ "d": day(offset) }),
        )
        .await;
    }
    for quiet in [&going, &ongoing] {
        let notices = app
            .ok(
                &presidium,
                "query($s:ID!){ notices(first: 10, filter: { subjectId: $s }) { totalCount } }",
                json!({ "s": quiet["id"] }),
            )
            .await;
        assert_eq!(notices["notices"]["totalCount"], 0, "{quiet}");
    }
    // Nor may one be ordered by hand before it is confirmed.
    let ordered = app
        .gql(
            Some(&presidium),
            "mutation($id:ID!,$d:Date!){ issueSupervisionOrder(entityId:$id, replyDue:$d){ id } }",
            json!({ "id": going["id"], "d": day(5) }),
        )
        .await;
    assert_eq!(code(&ordered), "VALIDATION_FAILED", "{ordered}");
    assert_eq!(ordered["errors"][0]["extensions"]["reason"], "WRONG_STATE");

    // The presidium's word, item by item, from the list of those waiting.
    let waiting = app
        .ok(
            &presidium,
            "{ historicalItems(first: 10) { totalCount nodes { id version } } }",
            json!({}),
        )
        .await;
    assert_eq!(waiting["historicalItems"]["totalCount"], 2, "{waiting}");
    let version = |m: &Value| {
        waiting["historicalItems"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == m["id"])
            .unwrap()["version"]
            .clone()
    };
    let confirm = "mutation($id:ID!,$v:Int!,$d:HistoricalDecision!,$on:Date,$new:Date,$n:String){ confirmHistoricalItem(id:$id, expectedVersion:$v, decision:$d, completedOn:$on, newDeadline:$new, note:$n){ status historical deadline timesRescheduled completedOn completionBackdated } }";
    let refused = app
        .gql(
            Some(&presidium),
            confirm,
            json!({ "id": done["id"], "v": 1, "d": "CANCEL" }),
        )
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["reason"], "WRONG_STATE",
        "not waiting: {refused}"
    );
    let kept = app
        .ok(
            &presidium,
            confirm,
            json!({ "id": going["id"], "v": version(&going), "d": "KEEP_OPEN", "new": day(1), "n": "桥体主体尚未完工，顺延" }),
        )
        .await["confirmHistoricalItem"]
        .clone();
    assert_eq!(kept["historical"], false);
    assert_eq!(kept["deadline"], day(1));
    assert_eq!(kept["timesRescheduled"], 1, "a late change, on record");
    let closed = app
        .ok(
            &presidium,
            confirm,
            json!({ "id": ongoing["id"], "v": version(&ongoing), "d": "CLOSE_DONE", "on": "2021-12-20" }),
        )
        .await["confirmHistoricalItem"]
        .clone();
    assert_eq!(closed["status"], "CLOSED");
    assert_eq!(closed["completedOn"], "2021-12-20");
    assert_eq!(closed["completionBackdated"], true);
    let waiting = app
        .ok(
            &presidium,
            "{ historicalItems(first: 10) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(waiting["historicalItems"]["totalCount"], 0);

    // Kept open, it climbs the ladder from now on: due tomorrow, reminded today.
    app.ok(
        &presidium,
        "mutation($d:Date!){ runNoticesNow(asOf:$d){ issued } }",
        json!({ "d": day(0) }),
    )
    .await;
    let notices = app
        .ok(
            &presidium,
            "query($s:ID!){ notices(first: 10, filter: { subjectId: $s }) { totalCount } }",
            json!({ "s": going["id"] }),
        )
        .await;
    assert!(
        notices["notices"]["totalCount"].as_i64().unwrap() >= 1,
        "{notices}"
    );
}

e2e!(a_ledger_without_a_year_in_its_title_takes_the_year_chosen);
async fn a_ledger_without_a_year_in_its_title_takes_the_year_chosen(app: TestApp) {
    let presidium = empty_town(&app, "思蒙镇").await;
    let ledger = || {
        workbook_of(&[
            &HEADER,
            &[
                "1",
                "湿地公园风雨桥",
                "桥体建设",
                "李明",
                "村建办",
                "11月30日",
                "正在推进",
            ],
        ])
    };
    let refused = app.import_ledger(&presidium, ledger(), true).await;
    assert_eq!(code(&refused), "VALIDATION_FAILED", "{refused}");
    assert_eq!(refused["errors"][0]["extensions"]["reason"], "BAD_CELLS");
    let message = refused["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("年份"), "says a year is wanted: {message}");

    let answer = app
        .import_ledger_of(&presidium, ledger(), false, Some(2023))
        .await;
    imported(&answer);
    assert_eq!(items(&app, &presidium).await[0]["deadline"], "2023-11-30");

    let wrong = app
        .import_ledger_of(&presidium, ledger(), true, Some(1066))
        .await;
    assert_eq!(wrong["errors"][0]["extensions"]["reason"], "OUT_OF_RANGE");
}

e2e!(the_presidium_confirms_historical_items_in_the_workbench);
/// 历史事项 lists what waits; a refused confirmation says why next to its item and keeps what was
/// chosen; a confirmed item leaves the list. Only the presidium has the page.
async fn the_presidium_confirms_historical_items_in_the_workbench(app: TestApp) {
    let presidium = empty_town(&app, "思蒙镇").await;
    imported(
        &app.import_ledger(&presidium, office_ledger_2021(), false)
            .await,
    );
    let going = items(&app, &presidium)
        .await
        .into_iter()
        .find(|m| m["title"] == "桥体建设")
        .unwrap();
    let page = format!("/historical/{}", going["id"].as_str().unwrap());
    let visitor = Visitor::new(&app, Some(&presidium));
    let item = visitor
        .get(&format!("/milestones/{}", going["id"].as_str().unwrap()))
        .await;
    assert!(
        item.html.contains("历史事项：从台账导入时期限已过"),
        "{}",
        item.html
    );
    let list = visitor.get("/historical").await;
    assert_eq!(list.status, 200, "{}", list.html);
    assert!(list.html.contains("节点 2 项"), "{}", list.html);
    assert!(list.html.contains("桥体建设") && list.html.contains("护栏巡查"));

    let yesterday = day(-1);
    let refused = visitor
        .submit(
            "/historical",
            &page,
            &[
                ("decision", "open"),
                ("new_deadline", &yesterday),
                ("note", "顺延"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(
        refused.refusal().unwrap().contains("不能早于"),
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains(&format!("value=\"{yesterday}\"")),
        "kept"
    );

    let later = day(10);
    let done = visitor
        .submit(
            "/historical",
            &page,
            &[("decision", "open"), ("new_deadline", &later)],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.html);
    let list = visitor.get("/historical?confirmed=1").await;
    assert!(list.html.contains("节点 1 项"), "{}", list.html);
    assert!(!list.html.contains("桥体建设"), "{}", list.html);

    let town = Town::setup(&app, "白马镇").await;
    let leader = Visitor::new(&app, Some(&town.liming));
    assert_eq!(leader.get("/historical").await.status, 403);
}
