//! The roster of deputies and the duties they log (docs/deputies.md): the presidium keeps the
//! roster; a deputy logs their own visits and trainings, the presidium any serving deputy's; a
//! village the deputy does not link is taken and marked; bad input is refused and writes
//! nothing; a deputy reads only their own duties, another township none.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

const PROFILE: &str = "mutation($p:ID!,$i:DeputyProfileInput!){ setDeputyProfile(personId:$p, input:$i){ id name deputy { level term constituency group villages active } } }";
const LOG: &str = "mutation($i:LogDutyActivityInput!){ logDutyActivity(input:$i){ id kind deputy { name } on village villageLinked topic people hours } }";
const LIST: &str =
    "query($y:Int!,$d:ID){ dutyActivities(year:$y, deputyId:$d){ id kind deputy { name } topic } }";

fn year_of(on: &str) -> i32 {
    on[..4].parse().unwrap()
}

/// 杨秀英 on the roster: 第二届, 第三选区, 第一代表小组, linking 思蒙村 and 红岩村.
async fn rostered(app: &TestApp, town: &Town) -> Value {
    app.ok(
        &town.presidium,
        PROFILE,
        json!({ "p": town.yang, "i": { "level": "TOWNSHIP", "term": "第二届", "constituency": "第三选区", "group": "第一代表小组", "villages": ["思蒙村", "红岩村", "思蒙村"] } }),
    )
    .await["setDeputyProfile"]
        .clone()
}

fn refusal(body: &Value) -> (&str, &str, &str) {
    let e = &body["errors"][0]["extensions"];
    (
        code(body),
        e["field"].as_str().unwrap_or(""),
        e["reason"].as_str().unwrap_or(""),
    )
}

e2e!(the_presidium_keeps_the_roster_of_deputies);
async fn the_presidium_keeps_the_roster_of_deputies(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let yang = rostered(&app, &town).await;
    let profile = &yang["deputy"];
    assert_eq!(profile["term"], "第二届");
    assert_eq!(profile["group"], "第一代表小组");
    assert_eq!(
        profile["villages"],
        json!(["思蒙村", "红岩村"]),
        "each village once"
    );
    assert_eq!(profile["active"], true);

    // Changed later: the term ends; the villages stay as given.
    let ended = app
        .ok(
            &town.presidium,
            PROFILE,
            json!({ "p": town.yang, "i": { "level": "COUNTY", "term": "第二届", "villages": ["思蒙村"], "active": false } }),
        )
        .await["setDeputyProfile"]["deputy"]
        .clone();
    assert_eq!(
        (&ended["level"], &ended["active"], &ended["group"]),
        (&json!("COUNTY"), &json!(false), &Value::Null)
    );
    let roster = app
        .ok(
            &town.viewer,
            "{ deputies { name deputy { active } } }",
            json!({}),
        )
        .await;
    assert_eq!(roster["deputies"][0]["name"], "杨秀英", "{roster}");
    let li = app
        .ok(
            &town.presidium,
            "query($p:ID!){ project(id:$p){ leadLeader { name deputy { term } } } }",
            json!({ "p": town.bridge }),
        )
        .await;
    assert!(
        li["project"]["leadLeader"]["deputy"].is_null(),
        "a leader is on no roster: {li}"
    );

    // Only the presidium keeps it; bad input is refused.
    for token in [&town.deputy, &town.liming, &town.viewer] {
        let body = app
            .gql(
                Some(token),
                PROFILE,
                json!({ "p": town.yang, "i": { "level": "TOWNSHIP", "term": "第二届" } }),
            )
            .await;
        assert_eq!(code(&body), "FORBIDDEN", "{body}");
    }
    let many: Vec<String> = (1..=31).map(|i| format!("村{i}")).collect();
    for (input, expected) in [
        (
            json!({ "level": "TOWNSHIP", "term": " " }),
            ("VALIDATION_FAILED", "term", "REQUIRED"),
        ),
        (
            json!({ "level": "TOWNSHIP", "term": "第二届", "villages": many }),
            ("VALIDATION_FAILED", "villages", "TOO_MANY"),
        ),
    ] {
        let body = app
            .gql(
                Some(&town.presidium),
                PROFILE,
                json!({ "p": town.li, "i": input }),
            )
            .await;
        assert_eq!(refusal(&body), expected, "{body}");
    }
    let other = Town::setup(&app, "汉阳镇").await;
    let foreign = app
        .gql(
            Some(&town.presidium),
            PROFILE,
            json!({ "p": other.yang, "i": { "level": "TOWNSHIP", "term": "第二届" } }),
        )
        .await;
    assert_eq!(
        refusal(&foreign),
        ("VALIDATION_FAILED", "personId", "UNKNOWN_RECORD")
    );
    let theirs = app
        .ok(&other.presidium, "{ deputies { name } }", json!({}))
        .await;
    assert_eq!(theirs["deputies"], json!([]), "another township's roster");
}

e2e!(a_deputy_logs_visits_and_trainings_and_reads_their_own);
async fn a_deputy_logs_visits_and_trainings_and_reads_their_own(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    rostered(&app, &town).await;
    let on = day(-3);
    let visit = app
        .ok(
            &town.deputy,
            LOG,
            json!({ "i": { "kind": "CONSTITUENT_VISIT", "on": on, "village": "红岩村", "topic": "群众反映村道破损、路灯不亮", "people": 12 } }),
        )
        .await["logDutyActivity"]
        .clone();
    assert_eq!(visit["deputy"]["name"], "杨秀英", "the caller's own");
    assert_eq!(visit["villageLinked"], true);
    assert_eq!(visit["people"], 12);
    let elsewhere = app
        .ok(
            &town.deputy,
            LOG,
            json!({ "i": { "kind": "CONSTITUENT_VISIT", "on": on, "village": "白马村", "topic": "走访老党员" } }),
        )
        .await["logDutyActivity"]
        .clone();
    assert_eq!(
        elsewhere["villageLinked"], false,
        "taken, and marked: {elsewhere}"
    );
    let training = app
        .ok(
            &town.presidium,
            LOG,
            json!({ "i": { "kind": "TRAINING", "deputyId": town.yang, "on": on, "topic": "代表履职能力培训", "hours": 2.5 } }),
        )
        .await["logDutyActivity"]
        .clone();
    assert_eq!(training["hours"], 2.5);
    assert_eq!(training["deputy"]["name"], "杨秀英");

    // Bad input is refused and writes nothing.
    let good = json!({ "kind": "TRAINING", "on": on, "topic": "培训", "hours": 2 });
    let with = |key: &str, value: Value| {
        let mut input = good.clone();
        input[key] = value;
        input
    };
    for (input, expected) in [
        (
            with("hours", json!(0)),
            ("VALIDATION_FAILED", "hours", "OUT_OF_RANGE"),
        ),
        (
            with("hours", json!(24.5)),
            ("VALIDATION_FAILED", "hours", "OUT_OF_RANGE"),
        ),
        (
            with("hours", Value::Null),
            ("VALIDATION_FAILED", "hours", "REQUIRED"),
        ),
        (
            with("on", json!(day(1))),
            ("VALIDATION_FAILED", "on", "IN_FUTURE"),
        ),
        (
            with("topic", json!("")),
            ("VALIDATION_FAILED", "topic", "REQUIRED"),
        ),
        (
            with("people", json!(5)),
            ("VALIDATION_FAILED", "people", "NOT_FOR_THIS_KIND"),
        ),
        (
            json!({ "kind": "CONSTITUENT_VISIT", "on": on, "topic": "走访", "people": 0 }),
            ("VALIDATION_FAILED", "people", "OUT_OF_RANGE"),
        ),
    ] {
        let body = app
            .gql(Some(&town.deputy), LOG, json!({ "i": input }))
            .await;
        assert_eq!(refusal(&body), expected, "{input}: {body}");
    }
    // Someone not on the roster has no duties to log; a deputy logs no one else's; a leader
    // logs none.
    let unlisted = app
        .gql(
            Some(&town.presidium),
            LOG,
            json!({ "i": with("deputyId", json!(town.li)) }),
        )
        .await;
    assert_eq!(
        refusal(&unlisted),
        ("VALIDATION_FAILED", "deputyId", "NOT_IN_LIST")
    );
    let for_another = app
        .gql(
            Some(&town.deputy),
            LOG,
            json!({ "i": with("deputyId", json!(town.li)) }),
        )
        .await;
    assert_eq!(code(&for_another), "FORBIDDEN", "{for_another}");
    let leader = app.gql(Some(&town.liming), LOG, json!({ "i": good })).await;
    assert_eq!(code(&leader), "FORBIDDEN", "{leader}");

    let year = year_of(&on);
    let mine = app
        .ok(&town.deputy, LIST, json!({ "y": year, "d": null }))
        .await;
    assert_eq!(
        mine["dutyActivities"].as_array().unwrap().len(),
        3,
        "{mine}"
    );
    let asked_for_other = app
        .ok(&town.deputy, LIST, json!({ "y": year, "d": town.li }))
        .await;
    assert_eq!(asked_for_other["dutyActivities"], json!([]));
    let all = app
        .ok(&town.viewer, LIST, json!({ "y": year, "d": town.yang }))
        .await;
    assert_eq!(all["dutyActivities"].as_array().unwrap().len(), 3);
    assert_eq!(
        app.ok(&town.viewer, LIST, json!({ "y": year - 1, "d": null }))
            .await["dutyActivities"],
        json!([]),
        "another year"
    );
    let other = Town::setup(&app, "汉阳镇").await;
    assert_eq!(
        app.ok(&other.presidium, LIST, json!({ "y": year, "d": null }))
            .await["dutyActivities"],
        json!([])
    );
}
