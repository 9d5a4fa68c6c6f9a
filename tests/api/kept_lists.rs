//! The lists read most — the overdue list, a project's tree, the projects list with its counts,
//! a project by id — answered from what the server keeps of each organisation: no statement
//! while nothing is written, every write shown by the next read on the same replica, and within
//! a second on another replica. The answers are those of a server that keeps nothing.

use std::time::{Duration, Instant};

use jiandu_tests::town::{Town, day};
use jiandu_tests::{Backend, TestApp, e2e, texts};
use serde_json::{Value, json};

const OVERDUE: &str = "query($o:ID!,$a:String){ milestones(first:2, after:$a, filter:{organizationId:$o, deadlineState:[OVERDUE]}){ totalCount pageInfo{ hasNextPage endCursor } nodes{ id title daysOverdue } } }";
const TREE: &str = "query($p:ID!){ project(id:$p){ title progress light rootMilestones{ title deadlineState children{ title } } findings{ nodes{ description } } } }";
const PROJECTS: &str = "{ projects(first:20){ totalCount nodes{ id title light counts{ total open overdue dueSoon } } } }";

/// Every page of the overdue list, two at a time.
async fn overdue(app: &TestApp, town: &Town) -> (u64, Vec<String>) {
    let (mut titles, mut after, mut total) = (Vec::new(), Value::Null, 0);
    loop {
        let page = app
            .ok(&town.viewer, OVERDUE, json!({ "o": town.org, "a": after }))
            .await["milestones"]
            .clone();
        total = page["totalCount"].as_u64().unwrap_or(total);
        titles.extend(texts(&page["nodes"], "title").into_iter().map(String::from));
        if page["pageInfo"]["hasNextPage"] != true {
            return (total, titles);
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

/// What the viewer reads: the overdue list, the bridge's tree and the projects list.
async fn everything(app: &TestApp, town: &Town) -> Value {
    let (total, titles) = overdue(app, town).await;
    json!({
        "overdue": { "total": total, "titles": titles },
        "tree": app.ok(&town.viewer, TREE, json!({ "p": town.bridge })).await,
        "projects": app.ok(&town.viewer, PROJECTS, json!({})).await,
    })
}

async fn statements_of(app: &TestApp, town: &Town) -> (Value, u64) {
    let before = app.sql_statements().await;
    let read = everything(app, town).await;
    (read, app.sql_statements().await - before)
}

async fn kept_lists_cost_nothing_until_a_write_and_show_it_at_once(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let mut last = Value::Null;
    for (title, offset) in [
        ("乙·桩基", -3),
        ("甲·桩基", -3),
        ("丙·栏杆", -1),
        ("丁·验收", 5),
    ] {
        last = town
            .milestone(&app, json!({ "title": title, "deadline": day(offset) }))
            .await;
    }
    let sql = TestApp::spawn_keeping_nothing(app.backend).await;
    let same = Town::setup(&sql, "思蒙镇").await;
    for (title, offset) in [
        ("乙·桩基", -3),
        ("甲·桩基", -3),
        ("丙·栏杆", -1),
        ("丁·验收", 5),
    ] {
        same.milestone(&sql, json!({ "title": title, "deadline": day(offset) }))
            .await;
    }

    let (first, computed) = statements_of(&app, &town).await;
    let (again, kept) = statements_of(&app, &town).await;
    assert_eq!(again, first);
    assert!(computed > 0);
    assert_eq!(
        kept, 0,
        "read again with nothing written: {kept} statements"
    );
    // In the SQL's order (the day due by, then title by code point: 乙 U+4E59 before 甲
    // U+7532), paged with its cursors.
    assert_eq!(
        first["overdue"],
        json!({ "total": 3, "titles": ["乙·桩基", "甲·桩基", "丙·栏杆"] })
    );
    let without_ids = |read: &Value| {
        let mut read = read.clone();
        for node in read["projects"]["projects"]["nodes"]
            .as_array_mut()
            .unwrap()
        {
            node.as_object_mut().unwrap().remove("id");
        }
        read
    };
    let (from_sql, _) = statements_of(&sql, &same).await;
    assert_eq!(without_ids(&first), without_ids(&from_sql));
    // The same filter judged on another day is another list (what is kept is each filter's
    // matches on the day it was judged on): two days ago nothing due yesterday was overdue.
    let as_of = "query($o:ID!,$d:Date!){ milestones(first:10, filter:{organizationId:$o, deadlineState:[OVERDUE], asOf:$d}){ totalCount nodes{ title } } }";
    let mut answers = Vec::new();
    for (app, town) in [(&app, &town), (&sql, &same)] {
        let variables = json!({ "o": town.org, "d": day(-2) });
        answers.push(app.ok(&town.viewer, as_of, variables).await);
    }
    let (kept_then, sql_then) = (&answers[0], &answers[1]);
    assert_eq!(kept_then, sql_then);
    let total = kept_then["milestones"]["totalCount"].as_u64().unwrap();
    assert!(total < 3, "{kept_then:#}");

    // Each write shows in the next read.
    let late = town
        .milestone(&app, json!({ "title": "戊·新增", "deadline": day(-2) }))
        .await;
    let (read, _) = statements_of(&app, &town).await;
    assert_eq!(
        read["overdue"]["titles"],
        json!(["乙·桩基", "甲·桩基", "戊·新增", "丙·栏杆"])
    );
    let roots = texts(&read["tree"]["project"]["rootMilestones"], "title");
    assert!(roots.contains(&"戊·新增"), "{roots:?}");

    app.ok(
        &town.presidium,
        "mutation($id:ID!,$v:Int!){ cancelMilestone(id:$id, expectedVersion:$v, reason:\"并入桩基\"){ id } }",
        json!({ "id": late["id"], "v": late["version"] }),
    )
    .await;
    let (read, _) = statements_of(&app, &town).await;
    assert_eq!(read["overdue"]["total"], 3, "{read:#}");

    // A project's progress, read by id from its organisation's kept work, moves with a report.
    let progress = |read: &Value| read["tree"]["project"]["progress"].as_i64().unwrap();
    let before = progress(&read);
    app.ok(
        &town.presidium,
        "mutation($id:ID!){ reportProgress(milestoneId:$id, progress:80){ id } }",
        json!({ "id": last["id"] }),
    )
    .await;
    let (read, _) = statements_of(&app, &town).await;
    assert!(progress(&read) > before, "{before} → {read:#}");

    app.ok(
        &town.presidium,
        "mutation{ createProject(input:{title:\"村道硬化\", origin:OTHER}){ id } }",
        json!({}),
    )
    .await;
    let (read, _) = statements_of(&app, &town).await;
    let titles = texts(&read["projects"]["projects"]["nodes"], "title");
    assert!(titles.contains(&"村道硬化"), "{titles:?}");
    assert_eq!(read["projects"]["projects"]["totalCount"], 2);
}
e2e!(kept_lists_cost_nothing_until_a_write_and_show_it_at_once);

/// Two servers on one PostgreSQL database: a list kept by one shows a write through the other
/// within a second (the write's announcement reaches it through `LISTEN`).
#[tokio::test]
async fn a_list_kept_by_one_replica_shows_a_write_through_another_within_a_second() {
    if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_none() {
        return;
    }
    let one = TestApp::spawn(Backend::Postgres).await;
    let other = one.replica().await;
    let town = Town::setup(&one, "思蒙镇").await;
    town.milestone(&one, json!({ "title": "桩基", "deadline": day(-3) }))
        .await;
    let (kept, _) = statements_of(&other, &town).await;
    assert_eq!(kept["overdue"]["total"], 1);
    let (_, cost) = statements_of(&other, &town).await;
    assert_eq!(cost, 0, "the other replica keeps the lists");

    town.milestone(&one, json!({ "title": "栏杆", "deadline": day(-1) }))
        .await;
    let written = Instant::now();
    loop {
        let (total, _) = overdue(&other, &town).await;
        if total == 2 {
            break;
        }
        assert!(
            written.elapsed() < Duration::from_secs(1),
            "the other replica still lists {total} overdue"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let tree = other
        .ok(&town.viewer, TREE, json!({ "p": town.bridge }))
        .await;
    let roots = texts(&tree["project"]["rootMilestones"], "title");
    assert!(roots.contains(&"栏杆"), "{roots:?}");
}
