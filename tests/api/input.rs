//! Bad input gets the right code and changes nothing.

use jiandu_api::entity::audit_event;
use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;

async fn audit_events(app: &TestApp) -> u64 {
    audit_event::Entity::find()
        .count(app.ctx.db.conn())
        .await
        .expect("count")
}

/// The design milestone, started `started` days from today and due in ten.
async fn design(app: &TestApp, town: &Town, started: i64) -> serde_json::Value {
    let spec = json!({ "title": "方案设计", "startDate": day(started), "deadline": day(10) });
    town.milestone(app, spec).await
}

/// The variables of `addMilestone` for the tender milestone on the bridge, with `extra` in its
/// input.
fn tender(town: &Town, extra: serde_json::Value) -> serde_json::Value {
    let mut i = json!({ "projectId": town.bridge, "title": "招标", "responsibleLeaderId": town.li, "responsibleUnitId": town.cunjian, "deadline": day(20) });
    for (k, v) in extra.as_object().unwrap() {
        i[k] = v.clone();
    }
    json!({ "i": i })
}

async fn bad_input_is_refused_with_a_code_and_nothing_is_written(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = design(&app, &town, -10).await;
    let unknown = uuid::Uuid::now_v7().to_string();
    let add = "mutation($i:AddMilestoneInput!){ addMilestone(input:$i){ id } }";
    let input = |extra| tender(&town, extra);
    let cases: Vec<(&str, &str, serde_json::Value, &str, Option<&str>)> = vec![
        (
            "empty title",
            add,
            input(json!({ "title": "   " })),
            "VALIDATION_FAILED",
            Some("title"),
        ),
        (
            "title over 200 characters",
            add,
            input(json!({ "title": "桥".repeat(201) })),
            "VALIDATION_FAILED",
            Some("title"),
        ),
        (
            "control characters",
            add,
            input(json!({ "title": "桥\u{0}梁" })),
            "VALIDATION_FAILED",
            Some("title"),
        ),
        (
            "deadline before start",
            add,
            input(json!({ "startDate": day(30) })),
            "VALIDATION_FAILED",
            Some("deadline"),
        ),
        (
            "impossible date",
            add,
            input(json!({ "deadline": "2026-02-30" })),
            "VALIDATION_FAILED",
            None,
        ),
        (
            "not a date",
            add,
            input(json!({ "deadline": "下周三" })),
            "VALIDATION_FAILED",
            None,
        ),
        (
            "unknown leader",
            add,
            input(json!({ "responsibleLeaderId": unknown })),
            "VALIDATION_FAILED",
            Some("responsibleLeaderId"),
        ),
        (
            "unknown unit",
            add,
            input(json!({ "responsibleUnitId": unknown })),
            "VALIDATION_FAILED",
            Some("responsibleUnitId"),
        ),
        (
            "unknown project",
            add,
            input(json!({ "projectId": unknown })),
            "NOT_FOUND",
            None,
        ),
        (
            "malformed id",
            add,
            input(json!({ "responsibleLeaderId": "1 OR 1=1" })),
            "VALIDATION_FAILED",
            Some("responsibleLeaderId"),
        ),
        (
            "weight 0",
            add,
            input(json!({ "weight": 0 })),
            "VALIDATION_FAILED",
            Some("weight"),
        ),
        (
            "progress 120",
            "mutation($id:ID!){ reportProgress(milestoneId:$id,progress:120){ id } }",
            json!({ "id": m["id"] }),
            "VALIDATION_FAILED",
            Some("progress"),
        ),
        (
            "unknown milestone",
            "mutation($id:ID!){ reportProgress(milestoneId:$id,progress:10){ id } }",
            json!({ "id": unknown }),
            "NOT_FOUND",
            None,
        ),
        (
            "completion in the future",
            "mutation($id:ID!,$v:Int!,$on:Date){ completeMilestone(id:$id,expectedVersion:$v,completedOn:$on){ id } }",
            json!({ "id": m["id"], "v": m["version"], "on": day(2) }),
            "VALIDATION_FAILED",
            Some("completedOn"),
        ),
        (
            "reschedule without a reason",
            "mutation($id:ID!,$v:Int!,$d:Date!){ rescheduleMilestone(id:$id,expectedVersion:$v,newDeadline:$d,reason:\" \"){ id } }",
            json!({ "id": m["id"], "v": m["version"], "d": day(40) }),
            "VALIDATION_FAILED",
            Some("reason"),
        ),
        (
            "verifying an open milestone",
            "mutation($id:ID!,$v:Int!){ verifyMilestone(id:$id,expectedVersion:$v,verdict:ACCEPTED){ id } }",
            json!({ "id": m["id"], "v": m["version"] }),
            "VALIDATION_FAILED",
            Some("status"),
        ),
        (
            "starting the project",
            "mutation($id:ID!){ updateProject(id:$id,expectedVersion:1,input:{status:IN_PROGRESS}){ id } }",
            json!({ "id": town.bridge }),
            "OK",
            None,
        ),
        (
            "page size 101",
            "{ milestones(first:101){ totalCount } }",
            json!({}),
            "VALIDATION_FAILED",
            Some("first"),
        ),
        (
            "forged cursor",
            "{ projects(after:\"bm90LWEtY3Vyc29y\"){ totalCount } }",
            json!({}),
            "VALIDATION_FAILED",
            Some("after"),
        ),
        (
            "short password",
            "mutation{ createUser(input:{username:\"wang\",password:\"123\",role:VIEWER}){ id } }",
            json!({}),
            "VALIDATION_FAILED",
            Some("password"),
        ),
    ];
    for (name, query, vars, expected, field) in cases {
        let before = audit_events(&app).await;
        let body = app.gql(Some(&town.presidium), query, vars).await;
        if expected == "OK" {
            assert!(body.get("errors").is_none(), "{name}: {body}");
            continue;
        }
        assert_eq!(code(&body), expected, "{name}: {body}");
        if let Some(field) = field {
            assert_eq!(
                body["errors"][0]["extensions"]["field"], field,
                "{name}: {body}"
            );
        }
        assert_eq!(audit_events(&app).await, before, "{name} wrote something");
    }
    app
        .refused(
            &town.presidium,
            "mutation($id:ID!){ updateProject(id:$id,expectedVersion:2,input:{status:COMPLETED}){ id } }",
            json!({ "id": town.bridge }),
            "VALIDATION_FAILED",
        )
        .await;
    let still = app
        .ok(
            &town.viewer,
            "query($id:ID!){ milestone(id:$id){ progress status version } }",
            json!({ "id": m["id"] }),
        )
        .await;
    assert_eq!(
        still["milestone"],
        json!({ "progress": 0, "status": "NOT_STARTED", "version": 1 })
    );
}
e2e!(bad_input_is_refused_with_a_code_and_nothing_is_written);

/// Every VALIDATION_FAILED says which rule it broke (`extensions.reason`) with the values the
/// rule needed (`extensions.params`), so a client can say it in its own words.
async fn each_refusal_names_its_rule_with_the_values_it_needed(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = design(&app, &town, -30).await;
    let add = "mutation($i:AddMilestoneInput!){ addMilestone(input:$i){ id } }";
    let input = |extra| tender(&town, extra);
    let complete = "mutation($id:ID!,$on:Date){ completeMilestone(id:$id,expectedVersion:1,completedOn:$on){ id } }";
    let progress = "mutation($id:ID!){ reportProgress(milestoneId:$id,progress:101){ id } }";
    let unknown = uuid::Uuid::now_v7().to_string();
    let cases = [
        (
            "an empty title",
            &town.presidium,
            add,
            input(json!({ "title": " " })),
            "REQUIRED",
            json!({}),
        ),
        (
            "a long title",
            &town.presidium,
            add,
            input(json!({ "title": "桥".repeat(201) })),
            "TOO_LONG",
            json!({ "max": 200 }),
        ),
        (
            "a control character",
            &town.presidium,
            add,
            input(json!({ "title": "桥\u{7}" })),
            "CONTROL_CHARACTERS",
            json!({}),
        ),
        (
            "a deadline before the start",
            &town.presidium,
            add,
            input(json!({ "startDate": day(30) })),
            "BEFORE_START",
            json!({ "start": day(30) }),
        ),
        (
            "a leader who is not there",
            &town.presidium,
            add,
            input(json!({ "responsibleLeaderId": unknown })),
            "UNKNOWN_RECORD",
            json!({}),
        ),
        (
            "done tomorrow",
            &town.liming,
            complete,
            json!({ "id": m["id"], "on": day(1) }),
            "IN_FUTURE",
            json!({ "today": day(0) }),
        ),
        (
            "done 16 days back",
            &town.liming,
            complete,
            json!({ "id": m["id"], "on": day(-16) }),
            "BACKDATE_LIMIT",
            json!({ "days": 7 }),
        ),
        (
            "progress over 100",
            &town.liming,
            progress,
            json!({ "id": m["id"] }),
            "OUT_OF_RANGE",
            json!({ "min": 0, "max": 100 }),
        ),
        (
            "a finding due before the visit",
            &town.deputy,
            "mutation($i:LogInspectionInput!){ logInspection(input:$i){ id } }",
            json!({ "i": {
                "kind": "VISIT", "projectId": town.bridge, "visitedOn": day(-2),
                "participantIds": [town.yang], "summary": "代表视察风雨桥",
                "findings": [{ "description": "护栏缺失", "responsibleLeaderId": town.li,
                    "responsibleUnitId": town.cunjian, "deadline": day(-3) }]
            } }),
            "TOO_EARLY",
            json!({ "date": day(-2) }),
        ),
        (
            "a deadline moved to itself",
            &town.presidium,
            "mutation($id:ID!,$d:Date!){ rescheduleMilestone(id:$id,expectedVersion:1,newDeadline:$d,reason:\"顺延\"){ id } }",
            json!({ "id": m["id"], "d": day(10) }),
            "UNCHANGED",
            json!({}),
        ),
    ];
    for (name, token, query, variables, reason, params) in cases {
        let body = app.gql(Some(token), query, variables).await;
        assert_eq!(code(&body), "VALIDATION_FAILED", "{name}: {body}");
        let extensions = &body["errors"][0]["extensions"];
        assert_eq!(extensions["reason"], reason, "{name}: {body}");
        assert_eq!(extensions["params"], params, "{name}: {body}");
    }
    // Progress that goes back says why.
    let report = "mutation($id:ID!,$p:Int!,$n:String){ reportProgress(milestoneId:$id,progress:$p,note:$n){ progress } }";
    app.ok(&town.liming, report, json!({ "id": m["id"], "p": 60 }))
        .await;
    let dropped = app
        .gql(
            Some(&town.liming),
            report,
            json!({ "id": m["id"], "p": 20 }),
        )
        .await;
    assert_eq!(code(&dropped), "VALIDATION_FAILED", "{dropped}");
    let extensions = &dropped["errors"][0]["extensions"];
    assert_eq!(extensions["reason"], "PROGRESS_DROPPED", "{dropped}");
    assert_eq!(extensions["params"], json!({ "was": 60 }));
    let said = app
        .ok(
            &town.liming,
            report,
            json!({ "id": m["id"], "p": 20, "n": "返工：图纸审查未通过" }),
        )
        .await;
    assert_eq!(said["reportProgress"]["progress"], 20);

    // Refused before any query runs, in a plain answer: the same extensions.
    let response = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&town.presidium)
        .header("content-type", "text/plain")
        .body("{ __typename }")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(code(&body), "VALIDATION_FAILED");
    assert_eq!(
        body["errors"][0]["extensions"]["reason"],
        "UNSUPPORTED_MEDIA_TYPE"
    );
    assert_eq!(body["errors"][0]["extensions"]["params"], json!({}));
}
e2e!(each_refusal_names_its_rule_with_the_values_it_needed);

async fn tokens_must_be_valid_and_unrevoked(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let me = "{ me{ username role organization{ name } } }";
    let anonymous = app.gql(None, me, json!({})).await;
    assert!(anonymous["data"]["me"].is_null());
    assert_eq!(
        code(&app.gql(None, "{ projects{ totalCount } }", json!({})).await),
        "UNAUTHENTICATED"
    );
    assert_eq!(
        code(&app.gql(Some("forged-token"), me, json!({})).await),
        "UNAUTHENTICATED"
    );
    let wrong = app
        .gql(
            None,
            "mutation{ login(username:\"nobody\",password:\"wrong-password\"){ token } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&wrong), "UNAUTHENTICATED");

    let signed = app.ok(&town.viewer, me, json!({})).await;
    assert_eq!(signed["me"]["role"], "VIEWER");
    assert_eq!(signed["me"]["organization"]["name"], "思蒙镇");
    assert_eq!(
        app.ok(&town.viewer, "mutation{ logout }", json!({})).await["logout"],
        true
    );
    assert_eq!(
        code(&app.gql(Some(&town.viewer), me, json!({})).await),
        "UNAUTHENTICATED"
    );

    // A body over the limit is refused before it is parsed.
    let huge = "x".repeat(300 * 1024);
    let response = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": format!("{{ me {{ username }} }} # {huge}") }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let health = app
        .client
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}
e2e!(tokens_must_be_valid_and_unrevoked);
