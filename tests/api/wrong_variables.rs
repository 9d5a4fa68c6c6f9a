//! A wrong value of a variable is refused with VALIDATION_FAILED, and a query sent once with
//! right values and then with wrong ones is refused: before any field runs where validation can
//! tell (never read as something else, such as a misspelt key dropped from a filter), and as the
//! field reads its argument where only the field can.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

/// The request was refused by validation: no field ran, so there is no data and no path.
fn refused_whole(body: &Value, what: &str) {
    assert_eq!(code(body), "VALIDATION_FAILED", "{what}: {body:#}");
    assert!(body["data"].is_null(), "{what}: a field ran: {body:#}");
    assert!(
        body["errors"][0].get("path").is_none(),
        "{what}: refused by a field, not before: {body:#}"
    );
}

e2e!(wrong_values_of_variables_are_refused_with_validation_failed);
async fn wrong_values_of_variables_are_refused_with_validation_failed(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let token = town.presidium.as_str();
    for (title, deadline) in [("桥面铺装", day(10)), ("廊亭彩绘", day(60))] {
        town.milestone(&app, json!({ "title": title, "deadline": deadline }))
            .await;
    }
    let due = "query($f: MilestoneFilter){ milestones(first: 5, filter: $f){ totalCount } }";
    let good = json!({ "f": { "deadlineTo": day(30) } });
    let total = app.ok(token, due, good.clone()).await["milestones"]["totalCount"].clone();
    assert_eq!(total, 1);

    for (what, variables) in [
        // Read field by field, a misspelt key would be dropped and the list come back unfiltered.
        ("a misspelt key", json!({ "f": { "deadlinTo": day(30) } })),
        (
            "a state that is not one",
            json!({ "f": { "deadlineState": ["LATE"] } }),
        ),
    ] {
        let body = app.gql(Some(token), due, variables).await;
        refused_whole(&body, what);
    }
    // What validation lets through is refused as the field reads its arguments: a date is the
    // scalar's own to read, and validation passes any value that is not an object where an
    // input object goes. Before, the number was an INTERNAL error.
    for (what, query, variables) in [
        (
            "a day that does not exist",
            due,
            json!({ "f": { "deadlineTo": "2026-02-30" } }),
        ),
        ("a number for a filter", due, json!({ "f": 7 })),
        (
            "no project",
            "query($id: ID!){ project(id: $id){ title } }",
            json!({}),
        ),
    ] {
        let body = app.gql(Some(token), query, variables).await;
        assert_eq!(code(&body), "VALIDATION_FAILED", "{what}: {body:#}");
        assert!(body["data"].is_null(), "{what}: {body:#}");
    }
    let after = app.ok(token, due, good).await;
    assert_eq!(after["milestones"]["totalCount"], total);

    // A mutation sent with a wrong value changes nothing.
    let create = "mutation($t:String!){ createProject(input:{title:$t, origin:OTHER}){ id } }";
    let count = "{ projects { totalCount } }";
    app.ok(token, create, json!({ "t": "健身步道风雨桥二期" }))
        .await;
    let projects = app.ok(token, count, json!({})).await["projects"]["totalCount"].clone();
    let body = app.gql(Some(token), create, json!({ "t": 5 })).await;
    refused_whole(&body, "a number for a title");
    let unchanged = app.ok(token, count, json!({})).await["projects"]["totalCount"].clone();
    assert_eq!(unchanged, projects);
}
