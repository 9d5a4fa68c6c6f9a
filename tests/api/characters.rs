//! Characters no document can carry (C0 controls but tab and line breaks, U+FFFE, U+FFFF, half a
//! UTF-16 pair) are refused wherever text comes in, naming the field, on both backends; and a
//! record that holds one from before still prints as a document a word processor opens.

use jiandu_tests::docx::paragraphs;
use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e, execute_numbered};
use sea_orm::Database;
use serde_json::{Value, json};

const ADD: &str = "mutation($i:AddMilestoneInput!){ addMilestone(input:$i){ id title } }";

fn refusal(body: &Value) -> (&str, &str, &str) {
    let extensions = &body["errors"][0]["extensions"];
    (
        code(body),
        extensions["field"].as_str().unwrap_or_default(),
        extensions["reason"].as_str().unwrap_or_default(),
    )
}

e2e!(text_no_document_can_carry_is_refused_naming_the_field);
async fn text_no_document_can_carry_is_refused_naming_the_field(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let t = town.presidium.as_str();
    let input = |title: &str| {
        json!({ "i": { "projectId": town.bridge, "responsibleLeaderId": town.li,
            "responsibleUnitId": town.cunjian, "title": title, "deadline": day(9) } })
    };
    for bad in ["\u{0}", "\u{8}", "\u{1F}", "\u{FFFE}", "\u{FFFF}"] {
        let body = app
            .gql(Some(t), ADD, input(&format!("桥面{bad}铺装")))
            .await;
        assert_eq!(
            refusal(&body),
            ("VALIDATION_FAILED", "title", "CONTROL_CHARACTERS"),
            "{bad:?}: {body}"
        );
    }
    // Written into the query rather than sent as a variable.
    let literal = format!(
        "mutation {{ addMilestone(input:{{ projectId:\"{}\", responsibleLeaderId:\"{}\", \
         responsibleUnitId:\"{}\", title:\"桥面\\uFFFF\", deadline:\"{}\" }}){{ id }} }}",
        town.bridge,
        town.li,
        town.cunjian,
        day(9)
    );
    let body = app.gql(Some(t), &literal, json!({})).await;
    assert_eq!(refusal(&body).0, "VALIDATION_FAILED", "{body}");
    // A field no use case reads as text: a webhook's address and secret (a NUL once reached
    // PostgreSQL and came back INTERNAL).
    for (url, secret) in [
        ("https://hooks.example.cn/a\u{0}b", None),
        ("https://hooks.example.cn/ab", Some("s\u{0}cret")),
    ] {
        let body = app
            .gql(
                Some(t),
                "mutation($i:CreateWebhookInput!){ createWebhook(input:$i){ id } }",
                json!({ "i": { "url": url, "secret": secret, "kind": "FEISHU" } }),
            )
            .await;
        assert_eq!(refusal(&body).0, "VALIDATION_FAILED", "{body}");
    }
    // Half of a UTF-16 pair, which JSON can spell and no text may hold.
    let response = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(t)
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"query":"{}","variables":{{"i":{{"title":"桥\ud800"}}}}}}"#,
            ADD.replace('"', "\\\"")
        ))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(code(&body), "VALIDATION_FAILED", "{body}");
    // Tabs and line breaks are text where text runs over lines, and nothing refused was written.
    let mut plain = input("桥面铺装");
    plain["i"]["description"] = json!("第一段\n\t第二段");
    let added = app
        .ok(
            t,
            "mutation($i:AddMilestoneInput!){ addMilestone(input:$i){ description } }",
            plain,
        )
        .await;
    assert_eq!(added["addMilestone"]["description"], "第一段\n\t第二段");
    let all = app
        .ok(t, "{ milestones(first:100){ nodes{ title } } }", json!({}))
        .await;
    let titles = all["milestones"]["nodes"].as_array().unwrap();
    assert!(
        titles
            .iter()
            .all(|m| !m["title"].as_str().unwrap().contains("桥面\u{FFFF}")),
        "{all}"
    );
    let hooks = app.ok(t, "{ webhooks{ id } }", json!({})).await;
    assert_eq!(hooks["webhooks"], json!([]));
}

e2e!(a_record_holding_such_a_character_from_before_still_prints);
async fn a_record_holding_such_a_character_from_before_still_prints(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(&app, json!({ "title": "桥面铺装", "deadline": day(-3) }))
        .await;
    // As an older version, or a hand-edited database, might have left it.
    let db = Database::connect(app.database_url()).await.unwrap();
    let id: uuid::Uuid = m["id"].as_str().unwrap().parse().unwrap();
    execute_numbered(
        &db,
        "UPDATE milestone SET title = $1 WHERE id = $2",
        vec!["A\u{FFFF}B\u{FFFE}C".into(), id.into()],
    )
    .await;
    let order = app
        .ok(
            &town.presidium,
            "mutation($id:ID!,$d:Date!){ issueSupervisionOrder(entityId:$id, replyDue:$d){ documentUrl } }",
            json!({ "id": m["id"], "d": day(5) }),
        )
        .await["issueSupervisionOrder"]
        .clone();
    let response = app
        .get(
            Some(&town.presidium),
            order["documentUrl"].as_str().unwrap(),
        )
        .await;
    assert_eq!(response.status(), 200);
    let read = paragraphs(&response.bytes().await.unwrap());
    assert!(
        read.iter().any(|p| p.text.contains("ABC")),
        "the title, without what XML cannot carry: {read:?}"
    );
    let sheet = app.get(Some(&town.presidium), "/export/ledger.xlsx").await;
    assert_eq!(sheet.status(), 200);
    let bytes = sheet.bytes().await.unwrap().to_vec();
    use calamine::{Reader, Xlsx, open_workbook_from_rs};
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let first = book.sheet_names()[0].clone();
    let rows = book.worksheet_range(&first).unwrap();
    assert!(
        rows.rows().any(|row| row.iter().any(|cell| *cell == "ABC")),
        "the ledger opens and shows the title without them"
    );
}
