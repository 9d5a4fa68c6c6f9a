//! The deputies' suggestions and the extension requests, listed from what the server keeps of
//! each organisation: no statement while nothing is written, each write shown by the next read,
//! and every page, cursor and count what a server that keeps nothing answers.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, e2e, texts};
use serde_json::{Value, json};

const SUGGESTIONS: &str = "query($a:String,$f:SuggestionFilter){ suggestions(first:2, after:$a, filter:$f){ totalCount pageInfo{ hasNextPage endCursor } nodes{ title number status } } }";
const REQUESTS: &str = "query($a:String){ extensionRequests(first:2, after:$a, status:[PENDING]){ totalCount pageInfo{ hasNextPage endCursor } nodes{ reason proposedDeadline } } }";

/// Every page of `query`'s list (two at a time): its total and its nodes, in order.
async fn every_page(app: &TestApp, town: &Town, query: &str, list: &str, filter: Value) -> Value {
    let (mut nodes, mut after) = (Vec::new(), Value::Null);
    loop {
        let page = app
            .ok(&town.presidium, query, json!({ "a": after, "f": filter }))
            .await[list]
            .clone();
        let total = page["totalCount"].clone();
        nodes.extend(page["nodes"].as_array().cloned().unwrap_or_default());
        if page["pageInfo"]["hasNextPage"] != true {
            return json!({ "total": total, "nodes": nodes });
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

/// The presidium's lists: all suggestions, the ones led by 杨秀英 still registered, and the
/// pending extension requests.
async fn lists(app: &TestApp, town: &Town) -> Value {
    let led = json!({ "leadDeputyId": town.yang, "status": ["REGISTERED"] });
    json!({
        "suggestions": every_page(app, town, SUGGESTIONS, "suggestions", Value::Null).await,
        "led": every_page(app, town, SUGGESTIONS, "suggestions", led).await,
        "requests": every_page(app, town, REQUESTS, "extensionRequests", Value::Null).await,
    })
}

async fn statements_of(app: &TestApp, town: &Town) -> (Value, u64) {
    let before = app.sql_statements().await;
    let read = lists(app, town).await;
    (read, app.sql_statements().await - before)
}

async fn suggest(app: &TestApp, town: &Town, title: &str, received: i64) {
    app.ok(
        &town.presidium,
        "mutation($t:String!,$d:ID!,$r:Date!){ registerSuggestion(input:{title:$t, content:\"群众反映\", source:INTERSESSION, leadDeputyId:$d, receivedOn:$r}){ id } }",
        json!({ "t": title, "d": town.yang, "r": day(received) }),
    )
    .await;
}

async fn ask(app: &TestApp, town: &Town, milestone: &Value, reason: &str) -> Value {
    app.ok(
        &town.liming,
        "mutation($id:ID!,$d:Date!,$r:String!){ requestExtension(entityId:$id, proposedDeadline:$d, reason:$r){ id } }",
        json!({ "id": milestone["id"], "d": day(30), "r": reason }),
    )
    .await["requestExtension"]
        .clone()
}

/// The same township, suggestions and requests on `app`; the requests' ids.
async fn setup(app: &TestApp) -> (Town, Vec<Value>) {
    let town = Town::setup(app, "思蒙镇").await;
    // Received on three days, three of them on one day (ordered by their numbers).
    for (title, received) in [
        ("增设路灯", -5),
        ("修复村道", -2),
        ("疏通水渠", -2),
        ("整治河岸", -2),
        ("补种行道树", -1),
    ] {
        suggest(app, &town, title, received).await;
    }
    let mut asked = Vec::new();
    for (title, reason) in [
        ("桩基", "材料未到"),
        ("栏杆", "雨季停工"),
        ("验收", "待第三方检测"),
    ] {
        let milestone = town
            .milestone(app, json!({ "title": title, "deadline": day(10) }))
            .await;
        asked.push(ask(app, &town, &milestone, reason).await);
    }
    (town, asked)
}

async fn kept_requests_cost_nothing_until_a_write_and_page_as_sql_does(app: TestApp) {
    let (town, asked) = setup(&app).await;
    let sql = TestApp::spawn_keeping_nothing(app.backend).await;
    let (same, _) = setup(&sql).await;

    let (first, computed) = statements_of(&app, &town).await;
    let (again, kept) = statements_of(&app, &town).await;
    assert_eq!(again, first);
    assert!(computed > 0);
    assert_eq!(
        kept, 0,
        "read again with nothing written: {kept} statements"
    );
    let (from_sql, _) = statements_of(&sql, &same).await;
    assert_eq!(first, from_sql);
    // Newest received first; on one day, the later number first.
    assert_eq!(
        texts(&first["suggestions"]["nodes"], "title"),
        ["补种行道树", "整治河岸", "疏通水渠", "修复村道", "增设路灯"]
    );
    assert_eq!(first["led"]["total"], 5);
    assert_eq!(
        texts(&first["requests"]["nodes"], "reason"),
        ["待第三方检测", "雨季停工", "材料未到"]
    );

    // Each write shows in the next read.
    suggest(&app, &town, "建设文化广场", 0).await;
    let (read, _) = statements_of(&app, &town).await;
    assert_eq!(read["suggestions"]["total"], 6);
    assert_eq!(read["suggestions"]["nodes"][0]["title"], "建设文化广场");

    app.ok(
        &town.presidium,
        "mutation($id:ID!){ decideExtension(id:$id, approve:false, note:\"材料已到\"){ id } }",
        json!({ "id": asked[0]["id"] }),
    )
    .await;
    let (read, _) = statements_of(&app, &town).await;
    assert_eq!(
        texts(&read["requests"]["nodes"], "reason"),
        ["待第三方检测", "雨季停工"]
    );
    assert_eq!(read["requests"]["total"], 2);
}
e2e!(kept_requests_cost_nothing_until_a_write_and_page_as_sql_does);
