//! The figures of the work report the product grew from: a year of 11 deputies' suggestions all
//! concluded (one redone), 25 visits and 3 letters answered come out as the report writes them —
//! "办理代表意见建议11件，办结率100%", "接待群众来访25次，答复来信3件，答复率100%" — with
//! suggestionStats' rates; and the 代表建议办理台账 that lists them.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, e2e};
use serde_json::{Value, json};

const REGISTER: &str =
    "mutation($i:RegisterSuggestionInput!){ registerSuggestion(input:$i){ id version } }";
const ASSIGN: &str = "mutation($id:ID!,$v:Int!,$i:AssignSuggestionInput!){ assignSuggestion(id:$id, expectedVersion:$v, input:$i){ id version } }";
const ANSWER: &str = "mutation($id:ID!,$v:Int!,$i:AnswerSuggestionInput!){ answerSuggestion(id:$id, expectedVersion:$v, input:$i){ id version } }";
const RATE: &str = "mutation($id:ID!,$v:Int!,$f:Rating!){ recordSuggestionFeedback(id:$id, expectedVersion:$v, feedback:$f){ id version } }";
const CONCLUDE: &str =
    "mutation($id:ID!,$v:Int!){ concludeSuggestion(id:$id, expectedVersion:$v){ id version } }";
const LOG: &str = "mutation($i:LogContactInput!){ logContact(input:$i){ id version } }";

async fn step(app: &TestApp, token: &str, query: &str, s: &Value, extra: Value) -> Value {
    let mut vars = json!({ "id": s["id"], "v": s["version"] });
    for (k, v) in extra.as_object().unwrap() {
        vars[k] = v.clone();
    }
    let answer = app.ok(token, query, vars).await;
    answer.as_object().unwrap().values().next().unwrap().clone()
}

e2e!(a_years_suggestions_and_letters_read_as_the_work_report_writes_them);
async fn a_years_suggestions_and_letters_read_as_the_work_report_writes_them(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let p = &town.presidium;
    let answer = |class: &str| json!({ "i": { "answerClass": class, "text": "已办理并答复代表", "answeredOn": day(0), "metDeputy": true } });
    for n in 0..11 {
        let s = app
            .ok(p, REGISTER, json!({ "i": { "title": format!("代表建议{n}"), "content": "群众反映的问题", "source": "CONGRESS_SESSION", "leadDeputyId": town.yang, "receivedOn": day(-1) } }))
            .await["registerSuggestion"]
            .clone();
        let s = step(
            &app,
            p,
            ASSIGN,
            &s,
            json!({ "i": { "leadUnitId": town.cunjian, "responsibleLeaderId": town.li } }),
        )
        .await;
        let mut s = step(
            &app,
            &town.liming,
            ANSWER,
            &s,
            answer(if n < 9 { "A" } else { "B" }),
        )
        .await;
        if n == 0 {
            // 杨秀英 was not satisfied the first time: redone, then answered again.
            s = step(&app, &town.deputy, RATE, &s, json!({ "f": "DISSATISFIED" })).await;
            s = step(&app, &town.liming, ANSWER, &s, answer("A")).await;
        }
        let s = step(
            &app,
            &town.deputy,
            RATE,
            &s,
            json!({ "f": if n == 10 { "BASICALLY_SATISFIED" } else { "SATISFIED" } }),
        )
        .await;
        step(&app, p, CONCLUDE, &s, json!({})).await;
    }
    for n in 0..28 {
        let kind = if n < 25 { "VISIT" } else { "LETTER" };
        let c = app
            .ok(p, LOG, json!({ "i": { "kind": kind, "receivedOn": day(-2), "summary": format!("群众反映{n}"), "receivedByIds": [town.yang] } }))
            .await["logContact"]
            .clone();
        if kind == "LETTER" {
            step(&app, p, "mutation($id:ID!,$v:Int!,$d:Date!){ replyContact(id:$id, expectedVersion:$v, reply:\"已书面答复\", repliedOn:$d){ id version } }", &c, json!({ "d": day(0) })).await;
        }
    }

    let year: i32 = day(-2)[..4].parse().unwrap();
    let report = app
        .ok(
            p,
            "query($y:Int!){ annualReport(year:$y){ summary suggestions { received concluded concludedRate answerRate metRate classA classB satisfiedRate redone answeredOnTime } contacts { visits letters replied replyRate } } suggestionStats(year:$y){ received concludedRate } }",
            json!({ "y": year }),
        )
        .await;
    let summary = report["annualReport"]["summary"].as_str().unwrap();
    assert!(
        summary.contains(
            "办理代表意见建议11件，办结率100%；接待群众来访25次，答复来信3件，答复率100%。"
        ),
        "{summary}"
    );
    let s = &report["annualReport"]["suggestions"];
    assert_eq!(
        (
            s["received"].clone(),
            s["concluded"].clone(),
            s["classA"].clone(),
            s["classB"].clone(),
            s["redone"].clone(),
            s["answeredOnTime"].clone()
        ),
        (
            json!(11),
            json!(11),
            json!(9),
            json!(2),
            json!(1),
            json!(11)
        )
    );
    assert_eq!(
        (
            s["concludedRate"].as_f64(),
            s["answerRate"].as_f64(),
            s["metRate"].as_f64(),
            s["satisfiedRate"].as_f64()
        ),
        (Some(1.0), Some(1.0), Some(1.0), Some(1.0))
    );
    let c = &report["annualReport"]["contacts"];
    assert_eq!(
        (
            c["visits"].clone(),
            c["letters"].clone(),
            c["replied"].clone()
        ),
        (json!(25), json!(3), json!(3))
    );
    assert_eq!(c["replyRate"].as_f64(), Some(1.0));
    assert_eq!(report["suggestionStats"]["received"], 11);
    assert_eq!(
        report["suggestionStats"]["concludedRate"].as_f64(),
        Some(1.0)
    );
}

e2e!(the_suggestion_ledger_lists_each_with_its_latest_answer);
/// One suggestion concluded on a B answer (still followed), one redone after a dissatisfied
/// rating and late, one just registered: the ledger's third sheet and its CSV say so.
async fn the_suggestion_ledger_lists_each_with_its_latest_answer(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let p = &town.presidium;
    let register = |title: &str, received: i64| json!({ "i": { "title": title, "content": "群众反映的问题", "source": "CONGRESS_SESSION", "leadDeputyId": town.yang, "receivedOn": day(received) } });
    let assign = |deadline: i64| json!({ "i": { "leadUnitId": town.cunjian, "responsibleLeaderId": town.li, "deadline": day(deadline) } });
    let answer = |class: &str, met: bool| json!({ "i": { "answerClass": class, "text": "已办理并答复代表", "answeredOn": day(0), "metDeputy": met } });

    let lamp =
        app.ok(p, REGISTER, register("思蒙场镇增设路灯", -30)).await["registerSuggestion"].clone();
    let lamp = step(&app, p, ASSIGN, &lamp, assign(0)).await;
    let lamp = step(&app, &town.liming, ANSWER, &lamp, answer("B", true)).await;
    let lamp = step(
        &app,
        &town.deputy,
        RATE,
        &lamp,
        json!({ "f": "BASICALLY_SATISFIED" }),
    )
    .await;
    step(&app, p, CONCLUDE, &lamp, json!({})).await;

    let road =
        app.ok(p, REGISTER, register("修复二组村道", -20)).await["registerSuggestion"].clone();
    let road = step(&app, p, ASSIGN, &road, assign(0)).await;
    let road = step(&app, &town.liming, ANSWER, &road, answer("C", false)).await;
    step(
        &app,
        &town.deputy,
        RATE,
        &road,
        json!({ "f": "DISSATISFIED" }),
    )
    .await;

    app.ok(p, REGISTER, register("解决三组饮水问题", -1)).await;

    let response = app.get(Some(&town.viewer), "/export/ledger.xlsx").await;
    assert_eq!(response.status().as_u16(), 200);
    let bytes = response.bytes().await.unwrap().to_vec();
    let rows = jiandu_tests::ledger::text_table(&bytes, "代表建议办理台账");
    let year = &day(-30)[..4];
    let redo_due = app
        .ok(
            p,
            "query($id:ID!){ suggestion(id:$id){ deadline } }",
            json!({ "id": road["id"] }),
        )
        .await["suggestion"]["deadline"]
        .as_str()
        .unwrap()
        .to_string();
    let expected: Vec<Vec<String>> = [
        vec![
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
        ],
        vec![
            &format!("{year}-001"),
            "思蒙场镇增设路灯",
            "杨秀英",
            "村建办",
            "李明",
            &day(0),
            &day(0),
            &day(0),
            "B类",
            "是",
            "基本满意",
            "已办结（跟踪）",
            "—",
        ],
        vec![
            &format!("{year}-002"),
            "修复二组村道",
            "杨秀英",
            "村建办",
            "李明",
            &day(0),
            &redo_due,
            "",
            "C类",
            "否",
            "不满意",
            "已交办",
            "绿灯",
        ],
        vec![
            &format!("{year}-003"),
            "解决三组饮水问题",
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
            "—",
        ],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect();
    assert_eq!(rows, expected);

    // The same sheet on its own as CSV, with a BOM for Excel.
    let csv = app.text(&town.viewer, "/export/suggestions.csv").await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "\u{feff}编号,标题,领衔代表,主办单位,分管领导,交办日期,答复期限,答复日期,类别,见面沟通,代表意见,状态,亮灯"
    );
    assert_eq!(
        lines[1..],
        expected[1..]
            .iter()
            .map(|r| r.join(","))
            .collect::<Vec<_>>()
    );
    // Another town's presidium reads none of them.
    let other = Town::setup(&app, "汉阳镇").await;
    let csv = app.text(&other.presidium, "/export/suggestions.csv").await;
    assert_eq!(csv.lines().count(), 1, "{csv}");
}
