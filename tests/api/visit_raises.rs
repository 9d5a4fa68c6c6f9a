//! A visit to constituents raises a suggestion and takes in a letter or visit in the same step
//! (docs/deputies.md): the deputy leads the suggestion and received the letter, on the day of the
//! visit; the duty names both. All of it is written, or none of it — a refusal of any part names
//! the part (`suggestion.title`) and leaves no visit, no suggestion, no letter and no number
//! taken.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

const LOG: &str = "mutation($i:LogDutyActivityInput!){ logDutyActivity(input:$i){ id village suggestion { number title source receivedOn leadDeputy { name } } contact { kind receivedOn summary constituentName receivedBy { name } } } }";

const WRITTEN: &str = "query($y:Int!){ dutyActivities(year:$y){ id suggestion { number } contact { constituentName } } suggestions(first:50){ totalCount } contacts(first:50){ totalCount } }";

/// The visits logged in `year`, and the suggestions and letters on record, as the presidium
/// reads them.
async fn written(app: &TestApp, town: &Town, year: i32) -> (usize, i64, i64) {
    let read = app.ok(&town.presidium, WRITTEN, json!({ "y": year })).await;
    (
        read["dutyActivities"].as_array().unwrap().len(),
        read["suggestions"]["totalCount"].as_i64().unwrap(),
        read["contacts"]["totalCount"].as_i64().unwrap(),
    )
}

fn visit(on: &str, extra: Value) -> Value {
    let mut input = json!({ "kind": "CONSTITUENT_VISIT", "on": on, "village": "红岩村", "topic": "群众反映村道破损", "people": 15 });
    for (key, value) in extra.as_object().unwrap() {
        input[key] = value.clone();
    }
    input
}

e2e!(a_visit_raises_a_suggestion_and_takes_in_a_letter_in_one_step);
async fn a_visit_raises_a_suggestion_and_takes_in_a_letter_in_one_step(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let on = day(-2);
    let year: i32 = on[..4].parse().unwrap();
    town.on_roster(&app, &town.yang, &["红岩村"]).await;

    let logged = app
        .ok(
            &town.deputy,
            LOG,
            json!({ "i": visit(&on, json!({
                "suggestion": { "title": "关于修复红岩村村道的建议", "content": "红岩村三组村道破损严重，雨天难行" },
                "contact": { "kind": "VISIT", "constituentName": "王大爷", "constituentPhone": "13800001111", "summary": "反映村道破损，雨天难行" },
            })) }),
        )
        .await["logDutyActivity"]
        .clone();
    let suggestion = &logged["suggestion"];
    assert_eq!(suggestion["number"], format!("{year}-001"), "{logged}");
    assert_eq!(suggestion["title"], "关于修复红岩村村道的建议");
    assert_eq!(suggestion["source"], "INTERSESSION");
    assert_eq!(suggestion["receivedOn"], on.as_str());
    assert_eq!(suggestion["leadDeputy"]["name"], "杨秀英");
    let contact = &logged["contact"];
    assert_eq!(
        (
            &contact["kind"],
            &contact["receivedOn"],
            &contact["summary"]
        ),
        (
            &json!("VISIT"),
            &json!(on),
            &json!("反映村道破损，雨天难行")
        )
    );
    assert_eq!(contact["receivedBy"], json!([{ "name": "杨秀英" }]));
    assert_eq!(
        contact["constituentName"],
        Value::Null,
        "the constituent's name is the presidium's to read, not the deputy's"
    );
    let read = app.ok(&town.presidium, WRITTEN, json!({ "y": year })).await;
    assert_eq!(read["dutyActivities"][0]["id"], logged["id"]);
    assert_eq!(
        read["dutyActivities"][0]["contact"]["constituentName"],
        "王大爷"
    );
    assert_eq!(written(&app, &town, year).await, (1, 1, 1));

    // The presidium raises one for a deputy: the deputy leads it.
    let wu = town.new_deputy(&app, "吴德华").await;
    town.on_roster(&app, &wu, &["红岩村"]).await;
    let for_wu = app
        .ok(
            &town.presidium,
            LOG,
            json!({ "i": visit(&on, json!({ "deputyId": wu, "suggestion": { "title": "关于疏通白马村灌溉渠的建议", "content": "灌溉渠堵塞，影响春耕", "coSignerIds": [town.yang] } })) }),
        )
        .await["logDutyActivity"]
        .clone();
    assert_eq!(for_wu["suggestion"]["leadDeputy"]["name"], "吴德华");
    assert_eq!(for_wu["suggestion"]["number"], format!("{year}-002"));
    assert_eq!(for_wu["contact"], Value::Null);
    let records = app
        .ok(
            &town.presidium,
            "query($y:Int!){ deputyRecords(year:$y){ deputy { name } suggestions contactsReceived constituentVisits } }",
            json!({ "y": year }),
        )
        .await["deputyRecords"]
        .clone();
    let yang = records
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["deputy"]["name"] == "杨秀英")
        .unwrap();
    assert_eq!(
        (
            &yang["suggestions"],
            &yang["contactsReceived"],
            &yang["constituentVisits"]
        ),
        (&json!(2), &json!(1), &json!(1)),
        "led one, co-signed one, received the letter, made the visit: {yang}"
    );
}

e2e!(a_refused_part_leaves_nothing_written);
async fn a_refused_part_leaves_nothing_written(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let on = day(-1);
    let year: i32 = on[..4].parse().unwrap();
    town.on_roster(&app, &town.yang, &["红岩村"]).await;
    let good_suggestion = json!({ "title": "关于修复村道的建议", "content": "村道破损" });
    let good_contact = json!({ "kind": "LETTER", "summary": "反映村道破损" });
    for (input, field, reason) in [
        (
            visit(
                &on,
                json!({ "suggestion": { "title": " ", "content": "村道破损" } }),
            ),
            "suggestion.title",
            "REQUIRED",
        ),
        (
            // The suggestion is written first; the letter refused after it takes it back.
            visit(
                &on,
                json!({ "suggestion": good_suggestion, "contact": { "kind": "LETTER", "summary": "" } }),
            ),
            "contact.summary",
            "REQUIRED",
        ),
        (
            visit(
                &on,
                json!({ "suggestion": { "title": "关于修复村道的建议", "content": "村道破损", "coSignerIds": [other.yang] }, "contact": good_contact }),
            ),
            "suggestion.coSignerIds",
            "UNKNOWN_RECORD",
        ),
        (
            json!({ "kind": "TRAINING", "on": on, "topic": "代表履职培训", "hours": 2, "suggestion": good_suggestion }),
            "suggestion",
            "NOT_FOR_THIS_KIND",
        ),
        (
            json!({ "kind": "TRAINING", "on": on, "topic": "代表履职培训", "hours": 2, "contact": good_contact }),
            "contact",
            "NOT_FOR_THIS_KIND",
        ),
        (
            visit(&day(1), json!({ "suggestion": good_suggestion })),
            "on",
            "IN_FUTURE",
        ),
    ] {
        let refused = app
            .gql(Some(&town.deputy), LOG, json!({ "i": input }))
            .await;
        assert_eq!(code(&refused), "VALIDATION_FAILED", "{refused}");
        let error = &refused["errors"][0]["extensions"];
        assert_eq!(
            (error["field"].as_str(), error["reason"].as_str()),
            (Some(field), Some(reason)),
            "{refused}"
        );
        assert_eq!(written(&app, &town, year).await, (0, 0, 0), "{input}");
    }
    // No number was taken by the suggestions taken back: the next is the first.
    let logged = app
        .ok(
            &town.deputy,
            LOG,
            json!({ "i": visit(&on, json!({ "suggestion": good_suggestion })) }),
        )
        .await;
    assert_eq!(
        logged["logDutyActivity"]["suggestion"]["number"],
        format!("{year}-001")
    );
    // A leader neither logs duties nor raises through them.
    let leader = app
        .gql(
            Some(&town.liming),
            LOG,
            json!({ "i": visit(&on, json!({ "deputyId": town.yang, "suggestion": good_suggestion })) }),
        )
        .await;
    assert_eq!(code(&leader), "FORBIDDEN", "{leader}");
    assert_eq!(written(&app, &town, year).await, (1, 1, 0));
}
