//! The figures of the work report the product grew from: a year of 11 deputies' suggestions all
//! concluded (one redone), 25 visits and 3 letters answered come out as the report writes them —
//! "办理代表意见建议11件，办结率100%", "接待群众来访25次，答复来信3件，答复率100%" — with
//! suggestionStats' rates.

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
