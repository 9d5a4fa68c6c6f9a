//! The presidium runs the notice scan for today, or for a day of the last week the server
//! missed — never for a day to come, whose orders would go out numbered and delivered for real,
//! nor for a day long past. (The other tests walk the ladder over days to come through the test
//! hooks; here the server runs as it does in production.)

use jiandu_tests::town::{Town, day};
use jiandu_tests::{Backend, TestApp, code};
use serde_json::{Value, json};

const RUN: &str = "mutation($d:Date){ runNoticesNow(asOf:$d){ asOf issued } }";

fn refusal(body: &Value) -> (&str, &str, &str) {
    let extensions = &body["errors"][0]["extensions"];
    (
        code(body),
        extensions["field"].as_str().unwrap_or_default(),
        extensions["reason"].as_str().unwrap_or_default(),
    )
}

async fn the_scan_runs_for_today_or_the_last_week_only(backend: Backend) {
    let app = TestApp::spawn_with(backend, |config| config.test_hooks = false).await;
    let town = Town::setup(&app, "思蒙镇").await;
    let t = town.presidium.as_str();
    town.milestone(&app, json!({ "title": "桥面铺装", "deadline": day(-12) }))
        .await;
    let cases = [
        (day(1), "IN_FUTURE"),
        ("2099-12-31".to_string(), "IN_FUTURE"),
        (day(-8), "BACKDATE_LIMIT"),
        ("1900-01-01".to_string(), "BACKDATE_LIMIT"),
    ];
    for (on, reason) in cases {
        let body = app.gql(Some(t), RUN, json!({ "d": on })).await;
        assert_eq!(
            refusal(&body),
            ("VALIDATION_FAILED", "asOf", reason),
            "{on}: {body}"
        );
    }
    let none = app.ok(t, "{ notices { totalCount } }", json!({})).await;
    assert_eq!(
        none["notices"]["totalCount"], 0,
        "a refused run issues nothing"
    );

    let today = app.ok(t, RUN, json!({ "d": null })).await;
    assert_eq!(today["runNoticesNow"]["asOf"], day(0));
    assert_eq!(
        app.ok(t, RUN, json!({ "d": day(-7) })).await["runNoticesNow"]["asOf"],
        day(-7)
    );
    // Catching up the whole last week issues the overdue item's notices on its working days.
    for back in 1..=7 {
        app.ok(t, RUN, json!({ "d": day(-back) })).await;
    }
    let issued = app.ok(t, "{ notices { totalCount } }", json!({})).await;
    assert!(
        issued["notices"]["totalCount"].as_i64().unwrap() >= 1,
        "{issued}"
    );
}

jiandu_tests::on_both_backends!(
    the_scan_runs_for_today_or_the_last_week_only
        => the_scan_runs_for_today_or_the_last_week_only_on_sqlite,
           the_scan_runs_for_today_or_the_last_week_only_on_postgres
);
