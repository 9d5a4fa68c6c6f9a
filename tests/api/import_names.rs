//! Names as offices write them (docs/import.md): 思蒙镇村建办 is the 村建办 the township keeps,
//! 李 明 is 李明; a name that is no record's is listed, and the presidium may say it is one.
//! A preview keeps the file as a draft for a day, confirmed without sending it again, once.

use jiandu_tests::town::Town;
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

use crate::import::workbook_of;

const IMPORTED: &str = "dryRun draftId projectsCreated milestonesCreated peopleCreated unitsCreated newNames{ kind name matchedTo } rows{ row outcome message }";

/// Three rows naming the township's own unit and leader as offices write them, a unit and a
/// person it does not have yet.
pub(crate) fn ledger() -> Vec<u8> {
    workbook_of(&[
        &[
            "项目名称",
            "节点",
            "责任领导",
            "责任单位",
            "具体责任人",
            "期限",
        ],
        &[
            "场镇污水管网",
            "管网铺设",
            "李 明",
            "思蒙镇村建办",
            "",
            "2027-06-30",
        ],
        &[
            "场镇污水管网",
            "入户接驳",
            "李明",
            "社会事务办",
            "王强",
            "2027-09-30",
        ],
        &[
            "场镇污水管网",
            "竣工验收",
            "陈刚",
            "（思蒙镇）村建办",
            "王强",
            "2027-11-30",
        ],
    ])
}

async fn preview(app: &TestApp, token: &str, bytes: Vec<u8>) -> Value {
    let operations = json!({
        "query": format!("mutation($f:Upload!){{ importLedger(file:$f, dryRun:true){{ {IMPORTED} }} }}"),
        "variables": { "f": null },
    });
    let file = reqwest::multipart::Part::bytes(bytes)
        .file_name("督办台账.xlsx")
        .mime_str("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .unwrap();
    let answer: Value = app
        .multipart(token, operations, file)
        .await
        .json()
        .await
        .unwrap();
    assert!(answer.get("errors").is_none(), "{answer:#}");
    answer["data"]["importLedger"].clone()
}

async fn confirm(app: &TestApp, token: &str, draft: &Value, mappings: Value) -> Value {
    let query = format!(
        "mutation($d:ID!,$m:[ImportNameMapping!]){{ confirmLedgerImport(draftId:$d, mappings:$m){{ {IMPORTED} }} }}"
    );
    app.gql(Some(token), &query, json!({ "d": draft, "m": mappings }))
        .await
}

async fn names(app: &TestApp, token: &str) -> (Vec<String>, Vec<String>) {
    let read = app
        .ok(token, "{ people{ name } units{ name } }", json!({}))
        .await;
    let of = |list: &Value| -> Vec<String> {
        let mut names: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    (of(&read["people"]), of(&read["units"]))
}

e2e!(names_written_as_offices_write_them_are_the_records_the_township_keeps);
async fn names_written_as_offices_write_them_are_the_records_the_township_keeps(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let before = names(&app, &town.presidium).await;
    let seen = preview(&app, &town.presidium, ledger()).await;
    assert_eq!(seen["dryRun"], true);
    // 村建办 and 李明 are found however written; 社会事务办 and 王强 would be new.
    assert_eq!(seen["unitsCreated"], 1, "{seen:#}");
    assert_eq!(seen["peopleCreated"], 1, "{seen:#}");
    let listed: Vec<(String, String, Value)> = seen["newNames"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let text = |k: &str| n[k].as_str().unwrap().to_string();
            (text("kind"), text("name"), n["matchedTo"].clone())
        })
        .collect();
    for expected in [
        ("PERSON", "李 明", json!("李明")),
        ("PERSON", "王强", Value::Null),
        ("UNIT", "思蒙镇村建办", json!("村建办")),
        ("UNIT", "（思蒙镇）村建办", json!("村建办")),
        ("UNIT", "社会事务办", Value::Null),
    ] {
        let expected = (expected.0.to_string(), expected.1.to_string(), expected.2);
        assert!(listed.contains(&expected), "{expected:?} in {listed:?}");
    }
    assert_eq!(
        listed.len(),
        5,
        "names written as the records are not listed: {listed:?}"
    );
    assert_eq!(
        names(&app, &town.presidium).await,
        before,
        "a preview writes nothing"
    );

    // Confirmed from the draft, 王强 said to be 刘芳: only 社会事务办 is new.
    let draft = &seen["draftId"];
    assert!(draft.is_string(), "{seen:#}");
    let mapped = json!([{ "kind": "PERSON", "name": "王强", "toId": town.liu }]);
    let done = confirm(&app, &town.presidium, draft, mapped).await;
    let done = &done["data"]["confirmLedgerImport"];
    assert_eq!(done["dryRun"], false, "{done:#}");
    assert_eq!(
        (
            done["milestonesCreated"].as_i64(),
            done["peopleCreated"].as_i64()
        ),
        (Some(3), Some(0))
    );
    assert_eq!(done["unitsCreated"], 1);
    let (people, units) = names(&app, &town.presidium).await;
    assert_eq!(people, before.0, "no person was added");
    assert_eq!(units.len(), before.1.len() + 1);
    assert!(units.contains(&"社会事务办".to_string()));
    let placed = app
        .ok(
            &town.presidium,
            "{ milestones(first:50){ nodes{ title responsiblePerson{ name } responsibleLeader{ name } } } }",
            json!({}),
        )
        .await;
    let node = placed["milestones"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["title"] == "入户接驳")
        .unwrap_or_else(|| panic!("入户接驳 imported: {placed:#}"));
    assert_eq!(node["responsiblePerson"]["name"], "刘芳", "{placed:#}");
    assert_eq!(node["responsibleLeader"]["name"], "李明");

    // A draft is imported once: confirmed, it is gone.
    let again = confirm(&app, &town.presidium, draft, Value::Null).await;
    assert_eq!(code(&again), "VALIDATION_FAILED", "{again:#}");
    assert_eq!(again["errors"][0]["extensions"]["field"], "draftId");
    assert_eq!(again["errors"][0]["extensions"]["reason"], "UNKNOWN_RECORD");
}

e2e!(a_draft_is_its_organisations_and_a_mapping_names_its_own_records);
async fn a_draft_is_its_organisations_and_a_mapping_names_its_own_records(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let seen = preview(&app, &town.presidium, ledger()).await;
    let draft = &seen["draftId"];

    // Another township's presidium cannot see or confirm it.
    let theirs = confirm(&app, &other.presidium, draft, Value::Null).await;
    assert_eq!(
        theirs["errors"][0]["extensions"]["reason"], "UNKNOWN_RECORD",
        "{theirs:#}"
    );
    // Nor may a name be mapped to another township's person; nothing is written.
    let foreign = json!([{ "kind": "PERSON", "name": "王强", "toId": other.li }]);
    let refused = confirm(&app, &town.presidium, draft, foreign).await;
    assert_eq!(code(&refused), "VALIDATION_FAILED", "{refused:#}");
    assert_eq!(refused["errors"][0]["extensions"]["field"], "mappings");
    // One name mapped to two people says which is meant by neither.
    let twice = json!([
        { "kind": "PERSON", "name": "王强", "toId": town.liu },
        { "kind": "PERSON", "name": "王强", "toId": town.li },
    ]);
    let refused = confirm(&app, &town.presidium, draft, twice).await;
    assert_eq!(
        refused["errors"][0]["extensions"]["field"], "mappings",
        "{refused:#}"
    );
    // A leader may not confirm the presidium's draft.
    let leader = confirm(&app, &town.liming, draft, Value::Null).await;
    assert_eq!(code(&leader), "FORBIDDEN", "{leader:#}");
    let count = app
        .ok(&town.presidium, "{ projects{ totalCount } }", json!({}))
        .await;
    assert_eq!(
        count["projects"]["totalCount"], 1,
        "nothing was imported: {count:#}"
    );

    // Still there after the refusals, it imports.
    let done = confirm(&app, &town.presidium, draft, Value::Null).await;
    assert_eq!(
        done["data"]["confirmLedgerImport"]["milestonesCreated"], 3,
        "{done:#}"
    );
}

e2e!(a_draft_expires_after_a_day_and_an_organisation_keeps_a_few);
async fn a_draft_expires_after_a_day_and_an_organisation_keeps_a_few(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    // The same file (the same bytes: a workbook written twice differs in the second it was
    // written at) previewed again replaces its draft.
    let file = ledger();
    let seen = preview(&app, &town.presidium, file.clone()).await;
    let again = preview(&app, &town.presidium, file).await;
    assert_ne!(again["draftId"], seen["draftId"]);
    let replaced = confirm(&app, &town.presidium, &seen["draftId"], Value::Null).await;
    assert_eq!(
        replaced["errors"][0]["extensions"]["reason"], "UNKNOWN_RECORD",
        "{replaced:#}"
    );

    // A day later it is gone.
    jiandu_tests::execute_numbered(
        app.ctx.db.conn(),
        "UPDATE import_draft SET expires_at = created_at",
        vec![],
    )
    .await;
    let expired = confirm(&app, &town.presidium, &again["draftId"], Value::Null).await;
    assert_eq!(
        expired["errors"][0]["extensions"]["reason"], "UNKNOWN_RECORD",
        "{expired:#}"
    );

    // Different files: at most so many drafts at once, the oldest giving way to a new one.
    let max = jiandu_api::service::import::MAX_DRAFTS as usize;
    let mut drafts = Vec::new();
    for n in 0..=max {
        let title = format!("第{n}段");
        let bytes = workbook_of(&[
            &["项目名称", "节点", "责任领导", "责任单位", "期限"],
            &["场镇污水管网", &title, "李明", "村建办", "2027-06-30"],
        ]);
        drafts.push(preview(&app, &town.presidium, bytes).await["draftId"].clone());
    }
    let oldest = confirm(&app, &town.presidium, &drafts[0], Value::Null).await;
    assert_eq!(
        oldest["errors"][0]["extensions"]["reason"], "UNKNOWN_RECORD",
        "{oldest:#}"
    );
    for kept in &drafts[1..] {
        assert!(kept.is_string());
    }
    let newest = confirm(&app, &town.presidium, &drafts[max], Value::Null).await;
    assert_eq!(
        newest["data"]["confirmLedgerImport"]["milestonesCreated"], 1,
        "{newest:#}"
    );
    let count = app
        .ok(
            &town.presidium,
            "{ milestones(first:1){ totalCount } }",
            json!({}),
        )
        .await;
    assert!(count["milestones"]["totalCount"].as_i64().unwrap() > 0);
}

e2e!(the_workbench_confirms_a_preview_without_the_file_again);
/// 先预览 keeps the file; the preview lists the names matched and the new ones, each with the
/// township's people or units to choose from; 确认导入 imports it as chosen.
async fn the_workbench_confirms_a_preview_without_the_file_again(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let presidium = jiandu_tests::web::Visitor::new(&app, Some(&town.presidium));
    let file = vec![("file", "督办台账.xlsx", ledger())];
    let preview = presidium
        .submit_multipart("/import", "/import", &[("preview", "1")], file)
        .await;
    assert_eq!(preview.status, 200, "{}", preview.html);
    for said in [
        "不必重新选择文件",
        "责任单位「思蒙镇村建办」→「村建办」",
        "人员「李 明」→「李明」",
        "人员「王强」",
        "新建「社会事务办」",
        "即已有的「刘芳」",
        "确认导入",
    ] {
        assert!(preview.html.contains(said), "{said}: {}", preview.html);
    }
    let hidden = jiandu_tests::web::hidden_fields(&preview.html, "/import/confirm")
        .unwrap_or_else(|| panic!("a 确认导入 form: {}", preview.html));
    let mut fields: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    // The selects as a browser sends them: 王强 is 刘芳; 社会事务办 is new.
    let (wang, shehui) = if fields.iter().position(|f| *f == ("name", "王强"))
        < fields.iter().position(|f| *f == ("name", "社会事务办"))
    {
        (0, 1)
    } else {
        (1, 0)
    };
    let mut chosen = [""; 2];
    chosen[wang] = town.liu.as_str();
    chosen[shehui] = "";
    fields.extend(chosen.iter().map(|to| ("to", *to)));
    let done = presidium.post("/import/confirm", &fields).await;
    assert_eq!(done.status, 200, "{}", done.html);
    assert!(done.html.contains("导入完成"), "{}", done.html);
    assert!(
        done.html.contains("人员 0 名，责任单位 1 个"),
        "{}",
        done.html
    );
    let (people, _) = names(&app, &town.presidium).await;
    assert!(!people.contains(&"王强".to_string()), "{people:?}");

    // The same draft again: gone, and the page says to choose the file again.
    let again = presidium.post("/import/confirm", &fields).await;
    assert_eq!(again.status, 422, "{}", again.html);
    assert!(
        again.html.contains("这份预览已经确认导入，或已过期"),
        "{}",
        again.html
    );
}
