//! Constituents' letters and visits (来信来访): a deputy logs one with who received it; the
//! presidium transfers it to a unit with a reply date, records the reply and closes it. The
//! constituent's name and phone reach the presidium only — not other roles' lists, not the
//! record's history — and bad input writes nothing.

use jiandu_tests::town::{Town, assert_whole_ladder, day};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

const FIELDS: &str = "id kind status version receivedOn constituentName constituentPhone summary receivedBy { name } transferredTo { name } replyDue deadlineState reply repliedOn";

fn log_query() -> String {
    format!("mutation($i:LogContactInput!){{ logContact(input:$i){{ {FIELDS} }} }}")
}

fn letter(town: &Town) -> Value {
    json!({
        "kind": "LETTER",
        "receivedOn": day(-5),
        "constituentName": "王德明",
        "constituentPhone": "13800001234",
        "summary": "反映三组村道雨后积水，出行困难",
        "receivedByIds": [town.yang],
    })
}

async fn list(app: &TestApp, token: &str) -> Value {
    app.ok(
        token,
        &format!("{{ contacts {{ totalCount nodes {{ {FIELDS} }} }} }}"),
        json!({}),
    )
    .await["contacts"]
        .clone()
}

e2e!(a_letter_is_logged_transferred_replied_and_closed);
async fn a_letter_is_logged_transferred_replied_and_closed(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    for token in [&town.liming, &town.viewer] {
        app.refused(
            token,
            &log_query(),
            json!({ "i": letter(&town) }),
            "FORBIDDEN",
        )
        .await;
    }
    let logged = app
        .ok(&town.deputy, &log_query(), json!({ "i": letter(&town) }))
        .await["logContact"]
        .clone();
    assert_eq!(logged["status"], "OPEN");
    assert_eq!(logged["receivedBy"][0]["name"], "杨秀英");
    assert_eq!(
        (&logged["constituentName"], &logged["constituentPhone"]),
        (&Value::Null, &Value::Null),
        "a deputy does not read it back"
    );
    let id = logged["id"].clone();

    // Personal information: the presidium only, nowhere else.
    let presidium = list(&app, &town.presidium).await;
    assert_eq!(presidium["nodes"][0]["constituentName"], "王德明");
    assert_eq!(presidium["nodes"][0]["constituentPhone"], "13800001234");
    for token in [&town.deputy, &town.liming, &town.viewer] {
        let seen = list(&app, token).await;
        assert_eq!(seen["totalCount"], 1);
        let text = seen.to_string();
        assert!(
            !text.contains("王德明") && !text.contains("13800001234"),
            "{text}"
        );
        let history = Value::from(app.history(token, &id).await).to_string();
        assert!(
            !history.contains("王德明") && !history.contains("13800001234"),
            "{history}"
        );
    }

    let transfer = format!(
        "mutation($id:ID!,$v:Int!,$u:ID!,$d:Date!){{ transferContact(id:$id, expectedVersion:$v, unitId:$u, replyDue:$d){{ {FIELDS} }} }}"
    );
    app.refused(
        &town.deputy,
        &transfer,
        json!({ "id": id, "v": logged["version"], "u": town.cunjian, "d": day(5) }),
        "FORBIDDEN",
    )
    .await;
    let past = app
        .refused(
            &town.presidium,
            &transfer,
            json!({ "id": id, "v": logged["version"], "u": town.cunjian, "d": day(-1) }),
            "VALIDATION_FAILED",
        )
        .await;
    assert_eq!(past["errors"][0]["extensions"]["field"], "replyDue");
    let c = app
        .ok(
            &town.presidium,
            &transfer,
            json!({ "id": id, "v": logged["version"], "u": town.cunjian, "d": day(5) }),
        )
        .await["transferContact"]
        .clone();
    assert_eq!(c["status"], "TRANSFERRED");
    assert_eq!(c["transferredTo"]["name"], "村建办");
    assert_eq!(c["replyDue"], day(5));

    let reply = format!(
        "mutation($id:ID!,$v:Int!,$r:String!,$d:Date!){{ replyContact(id:$id, expectedVersion:$v, reply:$r, repliedOn:$d){{ {FIELDS} }} }}"
    );
    app.refused(
        &town.presidium,
        &reply,
        json!({ "id": id, "v": logged["version"], "r": "已疏通排水沟", "d": day(0) }),
        "CONFLICT",
    )
    .await;
    let c = app
        .ok(&town.presidium, &reply, json!({ "id": id, "v": c["version"], "r": "村建办已疏通排水沟，并回复王德明", "d": day(0) }))
        .await["replyContact"]
        .clone();
    assert_eq!(
        (c["status"].as_str(), c["deadlineState"].as_str()),
        (Some("REPLIED"), Some("DONE_ON_TIME"))
    );
    let again = app
        .gql(
            Some(&town.presidium),
            &transfer,
            json!({ "id": id, "v": c["version"], "u": town.jingfa, "d": day(5) }),
        )
        .await;
    assert_eq!(
        code(&again),
        "VALIDATION_FAILED",
        "replied: close it, not transfer it"
    );
    let close = format!(
        "mutation($id:ID!,$v:Int!){{ closeContact(id:$id, expectedVersion:$v){{ {FIELDS} }} }}"
    );
    let c = app
        .ok(
            &town.presidium,
            &close,
            json!({ "id": id, "v": c["version"] }),
        )
        .await["closeContact"]
        .clone();
    assert_eq!(c["status"], "CLOSED");
}

e2e!(bad_contact_input_is_refused_and_writes_nothing);
async fn bad_contact_input_is_refused_and_writes_nothing(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let bad: Vec<(&str, Value)> = vec![
        ("summary", json!({ "summary": " " })),
        ("receivedOn", json!({ "receivedOn": day(1) })),
        ("receivedByIds", json!({ "receivedByIds": [] })),
        ("receivedByIds", json!({ "receivedByIds": [other.yang] })),
        (
            "constituentName",
            json!({ "constituentName": "王".repeat(101) }),
        ),
    ];
    for (field, change) in bad {
        let mut input = letter(&town);
        for (k, v) in change.as_object().unwrap() {
            input[k] = v.clone();
        }
        let refused = app
            .gql(Some(&town.presidium), &log_query(), json!({ "i": input }))
            .await;
        assert_eq!(code(&refused), "VALIDATION_FAILED", "{field}: {refused}");
        assert_eq!(refused["errors"][0]["extensions"]["field"], field);
    }
    assert_eq!(
        list(&app, &town.presidium).await["totalCount"],
        0,
        "nothing written"
    );
    let logged = app
        .ok(&town.presidium, &log_query(), json!({ "i": letter(&town) }))
        .await["logContact"]
        .clone();
    app.refused(
        &other.presidium,
        "mutation($id:ID!,$v:Int!){ closeContact(id:$id, expectedVersion:$v){ id } }",
        json!({ "id": logged["id"], "v": logged["version"] }),
        "NOT_FOUND",
    )
    .await;
    assert_eq!(list(&app, &other.presidium).await["totalCount"], 0);
}

e2e!(a_transferred_letter_climbs_the_ladder_to_the_head_of_its_unit);
/// Transferred to 村建办 with a reply date, a letter is reminded, urged and ordered to the head
/// of that unit (刘芳) as it falls due and overdue; the notices name what was raised, never who
/// raised it; once replied to, nothing more is issued. One transferred to a unit without a head
/// has nobody to address and issues nothing.
async fn a_transferred_letter_climbs_the_ladder_to_the_head_of_its_unit(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    app.ok(
        &town.presidium,
        "mutation($u:ID!,$h:ID){ updateUnit(id:$u, input:{headId:$h}){ id } }",
        json!({ "u": town.cunjian, "h": town.liu }),
    )
    .await;
    let transfer = "mutation($id:ID!,$v:Int!,$u:ID!,$d:Date!){ transferContact(id:$id,expectedVersion:$v,unitId:$u,replyDue:$d){ id version } }";
    let logged = |unit: String| {
        let (app, town) = (&app, &town);
        async move {
            let c = app
                .ok(&town.presidium, &log_query(), json!({ "i": letter(town) }))
                .await["logContact"]
                .clone();
            app.ok(
                &town.presidium,
                transfer,
                json!({ "id": c["id"], "v": c["version"], "u": unit, "d": day(3) }),
            )
            .await["transferContact"]
                .clone()
        }
    };
    let c = logged(town.cunjian.clone()).await;
    let headless = logged(town.jingfa.clone()).await;
    let fields = "kind title body recipient { name } contact { id summary constituentName }";
    let notices = town.notices_through(&app, 0..=20, &c["id"], fields).await;
    assert_whole_ladder(&notices);
    for n in notices["nodes"].as_array().unwrap() {
        assert_eq!(n["recipient"]["name"], "刘芳");
        assert_eq!(n["contact"]["id"], c["id"]);
        let words = format!("{}{}", n["title"], n["body"]);
        assert!(words.contains("反映三组村道雨后积水"), "{words}");
        assert!(
            !words.contains("王德明") && !words.contains("13800001234"),
            "{words}"
        );
    }
    let about = format!(
        "query($s:ID!){{ notices(first:100, filter:{{subjectId:$s}}){{ totalCount nodes {{ {fields} }} }} }}"
    );
    // 刘芳 reads the notice and the letter it is about, without the constituent.
    let theirs = app.ok(&town.liufang, &about, json!({ "s": c["id"] })).await;
    assert_eq!(
        theirs["notices"]["nodes"][0]["contact"]["constituentName"],
        Value::Null
    );
    let none = app
        .ok(&town.presidium, &about, json!({ "s": headless["id"] }))
        .await;
    assert_eq!(none["notices"]["totalCount"], 0, "no head to address");

    // Replied to: the ladder stops.
    app.ok(
        &town.presidium,
        "mutation($id:ID!,$v:Int!,$d:Date!){ replyContact(id:$id,expectedVersion:$v,reply:\"已清淤\",repliedOn:$d){ id } }",
        json!({ "id": c["id"], "v": c["version"], "d": day(0) }),
    )
    .await;
    let after = town.notices_through(&app, 21..=27, &c["id"], fields).await;
    assert_eq!(after["totalCount"], notices["totalCount"]);
}
