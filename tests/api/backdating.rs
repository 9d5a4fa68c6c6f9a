//! Back-dated completions (补报): those supervised may report a completion a few days late (an
//! organisation setting, default 7), never before the item started; the presidium may go
//! further; every back-dated completion is marked in history and the ledger.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

const COMPLETE: &str = "mutation($id:ID!,$v:Int!,$on:Date){ completeMilestone(id:$id,expectedVersion:$v,completedOn:$on){ status completedOn completionBackdated deadlineState } }";
const SETTINGS: &str = "mutation($o:ID,$d:Int){ updateOrganizationSettings(organizationId:$o, input:{backdateDays:$d}){ id settings { backdateDays } } }";

async fn complete(app: &TestApp, token: &str, m: &Value, on: String) -> Value {
    app.gql(
        Some(token),
        COMPLETE,
        json!({ "id": m["id"], "v": m["version"], "on": on }),
    )
    .await
}

async fn a_leader_back_dates_a_week_at_most_and_the_presidium_further(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let node = |title: &str| {
        town.milestone(
            &app,
            json!({ "title": title, "deadline": day(-10), "startDate": day(-60) }),
        )
    };

    // The back-dating of the security probe: a completion "in 2000" turned an overdue node
    // on-time. Now it is refused, whoever asks.
    let probe = node("方案设计").await;
    let refused = complete(&app, &town.liming, &probe, "2000-01-01".into()).await;
    assert_eq!(code(&refused), "VALIDATION_FAILED");
    assert_eq!(refused["errors"][0]["extensions"]["field"], "completedOn");
    let before_start = complete(&app, &town.presidium, &probe, day(-61)).await;
    assert_eq!(code(&before_start), "VALIDATION_FAILED");
    let eight_days = complete(&app, &town.liming, &probe, day(-8)).await;
    assert_eq!(code(&eight_days), "VALIDATION_FAILED");
    let message = eight_days["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("7 days"), "{message}");

    let week = complete(&app, &town.liming, &probe, day(-7)).await;
    let done = &week["data"]["completeMilestone"];
    assert_eq!(done["completedOn"], day(-7), "{week}");
    assert_eq!(done["completionBackdated"], true);
    // Reported today for today is no 补报.
    let today = node("施工图设计").await;
    let on_the_day = complete(&app, &town.liming, &today, day(0)).await;
    assert_eq!(
        on_the_day["data"]["completeMilestone"]["completionBackdated"],
        false
    );
    // Nothing is done before it starts, today included: an item that starts tomorrow cannot
    // be reported done today, with the day given or not.
    let later = town
        .milestone(
            &app,
            json!({ "title": "竣工验收", "deadline": day(20), "startDate": day(1) }),
        )
        .await;
    for on in [Value::Null, json!(day(0))] {
        let early = app
            .gql(
                Some(&town.liming),
                COMPLETE,
                json!({ "id": later["id"], "v": later["version"], "on": on }),
            )
            .await;
        assert_eq!(code(&early), "VALIDATION_FAILED", "{early}");
        assert_eq!(early["errors"][0]["extensions"]["reason"], "BEFORE_START");
        assert_eq!(
            early["errors"][0]["extensions"]["params"],
            json!({ "start": day(1) })
        );
    }
    // The presidium enters what it knows happened a month ago.
    let month = node("立项审批").await;
    let entered = complete(&app, &town.presidium, &month, day(-30)).await;
    assert_eq!(
        entered["data"]["completeMilestone"]["deadlineState"], "DONE_ON_TIME",
        "{entered}"
    );
    assert_eq!(
        entered["data"]["completeMilestone"]["completionBackdated"],
        true
    );

    // History says when it was reported, beside the day it gives.
    let event = app
        .event(&town.presidium, &probe["id"], "milestone.complete")
        .await;
    assert_eq!(event["after"]["completion_backdated"], true, "{event}");
    assert_eq!(event["after"]["reportedOn"], day(0));

    // The ledger marks it.
    let csv = app.text(&town.presidium, "/export/ledger.csv").await;
    let line = |title: &str| {
        csv.lines()
            .find(|l| l.contains(&format!(",{title},")))
            .unwrap_or_else(|| panic!("{title} in {csv}"))
            .to_string()
    };
    assert!(
        line("方案设计").contains("已报办结（待销号，补报）"),
        "{csv}"
    );
    assert!(line("方案设计").contains(&day(-7)));
    assert!(!line("施工图设计").contains("补报"));
}
e2e!(a_leader_back_dates_a_week_at_most_and_the_presidium_further);

async fn the_presidium_sets_how_far_back_within_its_own_organisation(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let shown = app
        .ok(
            &town.liming,
            "{ organizations { settings { backdateDays } } }",
            json!({}),
        )
        .await;
    assert_eq!(shown["organizations"][0]["settings"]["backdateDays"], 7);

    let changed = app
        .ok(&town.presidium, SETTINGS, json!({ "o": null, "d": 0 }))
        .await;
    assert_eq!(
        changed["updateOrganizationSettings"]["settings"]["backdateDays"],
        0
    );
    let m = town
        .milestone(&app, json!({ "title": "桥面铺装", "deadline": day(5) }))
        .await;
    let yesterday = complete(&app, &town.liming, &m, day(-1)).await;
    assert_eq!(code(&yesterday), "VALIDATION_FAILED");
    // The other township keeps its own.
    let theirs = other
        .milestone(&app, json!({ "title": "桥面铺装", "deadline": day(5) }))
        .await;
    let allowed = complete(&app, &other.liming, &theirs, day(-1)).await;
    assert!(allowed["errors"].is_null(), "{allowed}");

    for (days, field_error) in [(-1, true), (91, true), (90, false)] {
        let body = app
            .gql(
                Some(&town.presidium),
                SETTINGS,
                json!({ "o": town.org, "d": days }),
            )
            .await;
        if field_error {
            assert_eq!(code(&body), "VALIDATION_FAILED", "{days}");
            assert_eq!(body["errors"][0]["extensions"]["field"], "backdateDays");
        } else {
            assert!(body["errors"].is_null(), "{body}");
        }
    }
    // A value left out stays as it was.
    let kept = app
        .ok(
            &town.presidium,
            "mutation{ updateOrganizationSettings(input:{}){ settings { backdateDays } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        kept["updateOrganizationSettings"]["settings"]["backdateDays"],
        90
    );
    app.refused(
        &other.presidium,
        SETTINGS,
        json!({ "o": town.org, "d": 30 }),
        "NOT_FOUND",
    )
    .await;
    app.refused(
        &town.liming,
        SETTINGS,
        json!({ "o": null, "d": 30 }),
        "FORBIDDEN",
    )
    .await;
}
e2e!(the_presidium_sets_how_far_back_within_its_own_organisation);

async fn every_organisations_settings_are_read_in_one_statement(app: TestApp) {
    let (county, token) = app.organization("县人大常委会", None, None).await;
    for name in ["城关镇", "白马镇", "思蒙镇", "汉阳镇"] {
        app.organization(name, None, Some(county)).await;
    }
    let query = "{ organizations { name settings { backdateDays } } }";
    app.ok(&token, query, json!({})).await; // the organisation table is cached now
    let before = app.sql_statements().await;
    let answer = app.ok(&token, query, json!({})).await;
    let statements = app.sql_statements().await - before;
    assert_eq!(answer["organizations"].as_array().unwrap().len(), 5);
    // Signing the request in, the organisations, and all five settings at once.
    assert!(statements <= 3, "{statements} statements");
}
e2e!(every_organisations_settings_are_read_in_one_statement);
