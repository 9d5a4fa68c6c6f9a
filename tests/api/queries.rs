//! Query shape: the SQL statement count of nested queries does not grow with the data, and the
//! published schema is the one the server runs.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, e2e};
use serde_json::json;

const NESTED: &str = "{ projects(first:20){ nodes{ title light counts{ overdue } leadLeader{ name }
    milestones(first:30){ nodes{ title light responsibleLeader{ name } responsibleUnit{ name } parent{ title } children{ title } deadlineChanges{ reason } } } } } }";

/// Sign-in (3), the page and its count (2), then one per relation kind and tree level.
const BOUND: u64 = 12;

async fn statements_for_nested_query(app: &TestApp, token: &str) -> u64 {
    let before = app.sql_statements().await;
    app.ok(token, NESTED, json!({})).await;
    app.sql_statements().await - before
}

async fn add_projects(app: &TestApp, town: &Town, count: usize) {
    for p in 0..count {
        let project = app
            .ok(
                &town.presidium,
                "mutation($t:String!,$l:ID){ createProject(input:{title:$t,origin:WORK_REPORT,leadLeaderId:$l}){ id } }",
                json!({ "t": format!("项目{p}"), "l": town.chen }),
            )
            .await["createProject"]["id"]
            .clone();
        let add = "mutation($i:AddMilestoneInput!){ addMilestone(input:$i){ id } }";
        let root = app
            .ok(&town.presidium, add, json!({ "i": { "projectId": project, "title": "施工", "responsibleLeaderId": town.li, "responsibleUnitId": town.cunjian, "deadline": day(30) } }))
            .await["addMilestone"]["id"]
            .clone();
        for (i, leader) in [&town.li, &town.chen].into_iter().enumerate() {
            app.ok(
                &town.presidium,
                add,
                json!({ "i": { "projectId": project, "parentId": root, "title": format!("步骤{i}"), "responsibleLeaderId": leader, "responsibleUnitId": town.jingfa, "deadline": day(i as i64 - 3) } }),
            )
            .await;
        }
    }
}

async fn nested_queries_run_a_constant_number_of_statements(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    add_projects(&app, &town, 2).await;
    let few = statements_for_nested_query(&app, &town.viewer).await;
    add_projects(&app, &town, 17).await;
    let many = statements_for_nested_query(&app, &town.viewer).await;
    // One statement per relation and level, never one per project: with 20 projects and 60
    // milestones an N+1 would need dozens. DataLoader batches form within a short window, so
    // two batches of one kind may merge or not; the bound holds either way.
    assert!(
        few <= BOUND && many <= BOUND,
        "statements with 3 projects: {few}, with 20: {many}"
    );
}
e2e!(nested_queries_run_a_constant_number_of_statements);

#[test]
fn schema_graphql_is_what_the_server_runs() {
    let published = include_str!("../../schema.graphql");
    let running = jiandu_api::graphql::sdl();
    assert!(
        published == running,
        "schema.graphql is stale: run `cargo run -p jiandu-api -- schema > schema.graphql`"
    );
}
