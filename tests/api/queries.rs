//! Query shape: the SQL statement count of nested queries does not grow with the data, and the
//! published schema is the one the server runs.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, e2e};
use serde_json::json;

const NESTED: &str = "{ projects(first:20){ nodes{ title light counts{ overdue } leadLeader{ name }
    milestones(first:30){ nodes{ title light responsibleLeader{ name } responsibleUnit{ name } parent{ title } children{ title } deadlineChanges{ reason } } } } } }";

/// The caller's session (1), the page and its count (2), then one per relation kind and tree
/// level.
const BOUND: u64 = 10;

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

const INSPECTIONS: &str = "query($id:ID!){ project(id:$id){ title inspections(first:50){ totalCount nodes{ kind summary
    recordedBy{ username } participants{ name } milestones{ title responsibleLeader{ name } } attachments{ id }
    findings{ description light deadlineState responsibleLeader{ name } responsibleUnit{ name } milestone{ title }
      deadlineChanges{ reason } attachments{ id } } } } } }";

/// The caller's session (1), the project, then one per relation kind and level: at most 16 when
/// people, milestones and attachments asked for at different levels land in separate batches
/// (measured 13–15; DataLoader batches of one kind merge or not by timing). With 12 inspections
/// and 24 findings, loading any relation per record would need dozens.
const INSPECTIONS_BOUND: u64 = 16;

async fn log_visits(app: &TestApp, town: &Town, count: usize) {
    let node = town
        .milestone(app, json!({ "title": "桥面铺装", "deadline": day(30) }))
        .await;
    for i in 0..count {
        app.ok(
            &town.deputy,
            "mutation($i:LogInspectionInput!){ logInspection(input:$i){ id } }",
            json!({ "i": {
                "kind": "VISIT", "projectId": town.bridge, "visitedOn": day(-(i as i64)),
                "participantIds": [town.yang, town.liu], "milestoneIds": [node["id"]],
                "summary": format!("第{i}次视察"),
                "findings": [
                    { "description": "防护栏缺失", "milestoneId": node["id"], "responsibleLeaderId": town.li,
                      "responsibleUnitId": town.cunjian, "deadline": day(7) },
                    { "description": "照明未接通", "responsibleLeaderId": town.chen,
                      "responsibleUnitId": town.jingfa, "deadline": day(14) },
                ],
            }}),
        )
        .await;
    }
}

async fn statements_for_inspections(app: &TestApp, town: &Town) -> (u64, serde_json::Value) {
    let before = app.sql_statements().await;
    let data = app
        .ok(&town.viewer, INSPECTIONS, json!({ "id": town.bridge }))
        .await;
    (app.sql_statements().await - before, data)
}

async fn inspections_with_findings_run_a_constant_number_of_statements(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    log_visits(&app, &town, 1).await;
    let (few, data) = statements_for_inspections(&app, &town).await;
    assert_eq!(data["project"]["inspections"]["totalCount"], 1);
    log_visits(&app, &town, 11).await;
    let (many, data) = statements_for_inspections(&app, &town).await;
    assert_eq!(data["project"]["inspections"]["totalCount"], 12);
    assert_eq!(
        data["project"]["inspections"]["nodes"][0]["findings"][0]["milestone"]["title"],
        "桥面铺装"
    );
    assert!(
        few <= INSPECTIONS_BOUND && many <= INSPECTIONS_BOUND,
        "statements with 1 inspection: {few}, with 12: {many}"
    );
}
e2e!(inspections_with_findings_run_a_constant_number_of_statements);

const LIGHTS: &str = "{ projects(first:20){ nodes{ title light counts{ total overdue } } } }";

e2e!(a_projects_lists_figures_are_kept_until_a_write_in_its_township);
async fn a_projects_lists_figures_are_kept_until_a_write_in_its_township(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    add_projects(&app, &town, 2).await;
    let list = |answer: serde_json::Value| answer["projects"]["nodes"].clone();
    let counted = app.sql_statements().await;
    let first = list(app.ok(&town.viewer, LIGHTS, json!({})).await);
    let computed = app.sql_statements().await - counted;
    let named = |list: &serde_json::Value, title: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|p| p["title"] == title)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        named(&first, "项目0")["counts"],
        json!({ "total": 2, "overdue": 2 })
    );

    // Asked again with nothing written: the same list and figures without a statement (the
    // township's projects, the page and the figures are all kept).
    let counted = app.sql_statements().await;
    let again = list(app.ok(&town.viewer, LIGHTS, json!({})).await);
    let kept = app.sql_statements().await - counted;
    assert_eq!(again, first);
    assert!(computed > 0);
    assert_eq!(kept, 0, "kept: {kept}, computed: {computed}");

    // A write in the township shows at once.
    let project = app
        .ok(
            &town.viewer,
            "{ projects(first:20){ nodes{ id title } } }",
            json!({}),
        )
        .await["projects"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "项目0")
        .unwrap()["id"]
        .clone();
    app.ok(
        &town.presidium,
        "mutation($i:AddMilestoneInput!){ addMilestone(input:$i){ id } }",
        json!({ "i": { "projectId": project, "title": "新增逾期节点", "responsibleLeaderId": town.li, "responsibleUnitId": town.cunjian, "deadline": day(-2) } }),
    )
    .await;
    let after = list(app.ok(&town.viewer, LIGHTS, json!({})).await);
    let changed = named(&after, "项目0");
    assert_eq!(changed["counts"], json!({ "total": 3, "overdue": 3 }));
    assert_eq!(changed["light"], "RED");
}

e2e!(the_headers_person_is_read_with_the_session);
/// The header names the signed-in person (周敏（人大主席）) without a statement of its own: a page
/// for an account a person holds costs what it costs an account of nobody.
async fn the_headers_person_is_read_with_the_session(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let mut costs = Vec::new();
    for token in [&town.viewer, &town.presidium] {
        let visitor = jiandu_tests::web::Visitor::new(&app, Some(token));
        visitor.get("/password").await;
        let before = app.sql_statements().await;
        let page = visitor.get("/password").await;
        costs.push(app.sql_statements().await - before);
        assert_eq!(page.status, 200, "{}", page.html);
    }
    let held = jiandu_tests::web::Visitor::new(&app, Some(&town.presidium))
        .get("/password")
        .await;
    assert!(
        held.html
            .contains("<span class=\"who\">人大办主任（主席团）</span>"),
        "the header names the person: {}",
        held.html
    );
    assert_eq!(costs[0], costs[1], "a held account's page costs no more");
}
