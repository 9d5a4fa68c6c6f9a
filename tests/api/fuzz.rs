//! Generated input: strings of every kind (control characters, NUL, lone combining marks, SQL
//! and JSON metacharacters, very long) and numbers of every size go into the text and number
//! arguments of every mutation; whatever is refused is refused with a code a client can act on,
//! never INTERNAL.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{Backend, TestApp};
use proptest::prelude::*;
use serde_json::{Value, json};

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,40}",
        "[\\x00-\\x1f\\x7f]{0,8}",
        Just(String::new()),
        Just("   ".to_string()),
        Just("'; DROP TABLE project; --".to_string()),
        Just("%_\\\"'`".to_string()),
        Just("\u{feff}\u{200b}\u{202e}".to_string()),
        "[a-z桥]{190,260}",
    ]
}

fn number() -> impl Strategy<Value = i64> {
    prop_oneof![
        any::<i32>().prop_map(i64::from),
        -2i64..=102,
        Just(i64::from(i32::MAX)),
        Just(i64::from(i32::MIN)),
    ]
}

struct Fixture {
    runtime: tokio::runtime::Runtime,
    app: TestApp,
    town: Town,
    milestone: Value,
    finding: Value,
}

fn fixture() -> Fixture {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (app, town, milestone, finding) = runtime.block_on(async {
        let app = TestApp::spawn(Backend::Sqlite).await;
        let town = Town::setup(&app, "思蒙镇").await;
        let milestone = town
            .milestone(&app, json!({ "title": "桥面铺装", "deadline": day(30) }))
            .await;
        let visit = app
            .ok(
                &town.deputy,
                "mutation($i:LogInspectionInput!){ logInspection(input:$i){ findings{ id version } } }",
                json!({ "i": { "kind": "VISIT", "projectId": town.bridge, "visitedOn": day(-1),
                    "participantIds": [town.yang], "summary": "视察",
                    "findings": [{ "description": "防护栏缺失", "responsibleLeaderId": town.li,
                                   "responsibleUnitId": town.cunjian, "deadline": day(7) }] } }),
            )
            .await;
        let finding = visit["logInspection"]["findings"][0].clone();
        (app, town, milestone, finding)
    });
    Fixture {
        runtime,
        app,
        town,
        milestone,
        finding,
    }
}

/// Sends every mutation with `s` in its text arguments and `n` in its number arguments.
async fn send_all(f: &Fixture, s: &str, n: i64) -> Vec<(String, Value)> {
    let t = &f.town;
    let id = &f.milestone["id"];
    let calls: Vec<(&str, &str, Value)> = vec![
        (
            "createProject",
            "mutation($s:String!){ createProject(input:{title:$s, description:$s, location:$s, origin:OTHER}){ id } }",
            json!({}),
        ),
        (
            "createUnit",
            "mutation($s:String!){ createUnit(input:{name:$s}){ id } }",
            json!({}),
        ),
        (
            "createPerson",
            "mutation($s:String!){ createPerson(input:{name:$s, title:$s}){ id } }",
            json!({}),
        ),
        (
            "createUser",
            "mutation($s:String!){ createUser(input:{username:$s, password:$s, role:VIEWER}){ id } }",
            json!({}),
        ),
        (
            "addMilestone",
            "mutation($s:String!,$n:Int!,$p:ID!,$l:ID!,$u:ID!){ addMilestone(input:{projectId:$p, title:$s, description:$s, responsibleLeaderId:$l, responsibleUnitId:$u, deadline:\"2026-12-31\", weight:$n}){ id } }",
            json!({ "p": t.bridge, "l": t.li, "u": t.cunjian }),
        ),
        (
            "updateMilestone",
            "mutation($s:String!,$n:Int!,$id:ID!){ updateMilestone(id:$id, expectedVersion:$n, input:{title:$s, description:$s}){ id } }",
            json!({ "id": id }),
        ),
        (
            "reportProgress",
            "mutation($s:String!,$n:Int!,$id:ID!){ reportProgress(milestoneId:$id, progress:$n, note:$s){ id } }",
            json!({ "id": id }),
        ),
        (
            "rescheduleMilestone",
            "mutation($s:String!,$n:Int!,$id:ID!){ rescheduleMilestone(id:$id, expectedVersion:$n, newDeadline:\"2027-01-15\", reason:$s){ id } }",
            json!({ "id": id }),
        ),
        (
            "cancelMilestone",
            "mutation($s:String!,$n:Int!){ cancelMilestone(id:\"00000000-0000-0000-0000-000000000000\", expectedVersion:$n, reason:$s){ id } }",
            json!({}),
        ),
        (
            "projects",
            "query($s:String!,$n:Int!){ projects(first:$n, filter:{search:$s}){ totalCount } }",
            json!({}),
        ),
        (
            "logInspection",
            "mutation($s:String!,$y:ID!,$l:ID!,$u:ID!){ logInspection(input:{kind:CHECK, topic:$s, location:$s, visitedOn:\"2026-01-05\", participantIds:[$y], summary:$s, findings:[{description:$s, responsibleLeaderId:$l, responsibleUnitId:$u, deadline:\"2026-02-01\"}]}){ id } }",
            json!({ "y": t.yang, "l": t.li, "u": t.cunjian }),
        ),
        (
            "updateFinding",
            "mutation($s:String!,$n:Int!,$id:ID!){ updateFinding(id:$id, expectedVersion:$n, status:RESOLVED, resolution:$s, note:$s){ id } }",
            json!({ "id": f.finding["id"] }),
        ),
        (
            "annualReport",
            "query($n:Int!){ annualReport(year:$n){ summary } }",
            json!({}),
        ),
        (
            "history",
            "query($s:String!,$n:Int!,$id:ID!){ history(entityId:$id, first:$n, after:$s){ totalCount } }",
            json!({ "id": id }),
        ),
    ];
    let mut answers = Vec::new();
    for (name, query, mut variables) in calls {
        variables["s"] = json!(s);
        variables["n"] = json!(n);
        let token = if name == "reportProgress" || name == "updateFinding" {
            &t.liming
        } else {
            &t.presidium
        };
        let body = f.app.gql(Some(token), query, variables).await;
        answers.push((name.to_string(), body));
    }
    answers
}

#[test]
fn generated_text_and_numbers_never_make_an_internal_error() {
    let f = fixture();
    let config = ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(s in text(), n in number())| {
        let answers = f.runtime.block_on(send_all(&f, &s, n));
        for (name, body) in answers {
            let codes: Vec<&str> = body["errors"]
                .as_array()
                .map(|errors| errors.iter().filter_map(|e| e["extensions"]["code"].as_str()).collect())
                .unwrap_or_default();
            prop_assert!(
                body.get("data").is_some() || !codes.is_empty(),
                "{name}: neither data nor a coded error: {body}"
            );
            prop_assert!(!codes.contains(&"INTERNAL"), "{name} with {s:?}, {n}: {body}");
            if let Some(errors) = body["errors"].as_array() {
                prop_assert!(errors.iter().all(|e| e["extensions"]["code"].is_string()), "{name}: an uncoded error: {body}");
            }
        }
    });
    // After all that, the server still answers and its data is readable.
    let data = f.runtime.block_on(f.app.ok(
        &f.town.viewer,
        "{ projects(first:100) { totalCount nodes { title } } }",
        json!({}),
    ));
    assert!(data["projects"]["totalCount"].as_i64().unwrap() >= 1);
}
