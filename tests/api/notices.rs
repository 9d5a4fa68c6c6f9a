//! Supervision orders (督办单) issued by hand: numbered per organisation and year without gaps or
//! duplicates however many presidium staff issue at once; acknowledged and answered only by their
//! recipient; refused, with nothing written, for bad input.

use std::sync::Arc;

use jiandu_tests::town::{Town, day, written_day};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

const ISSUE: &str = "mutation($id:ID!,$due:Date!,$body:String){ issueSupervisionOrder(entityId:$id, replyDue:$due, body:$body){ id number kind level title body replyDue recipient { name } milestone { title } finding { description } issuedBy { username } acknowledgedAt } }";

async fn issue(app: &TestApp, token: &str, entity: &str, due: &str) -> Value {
    app.gql(
        Some(token),
        ISSUE,
        json!({ "id": entity, "due": due, "body": null }),
    )
    .await
}

async fn notices(app: &TestApp, token: &str, filter: Value) -> Value {
    app.ok(
        token,
        "query($f:NoticeFilter){ notices(filter:$f){ totalCount nodes { id number kind acknowledgedAt reply } } }",
        json!({ "f": filter }),
    )
    .await["notices"]
        .clone()
}

fn year() -> String {
    day(0)[..4].to_string()
}

e2e!(an_order_is_numbered_addressed_acknowledged_and_answered_by_its_recipient);
/// The presidium's order for an overdue item goes to its responsible leader with the
/// organisation's number 思人督〔year〕1号 and a default body naming the item; it counts on the
/// dashboard until its recipient acknowledges it; only the recipient may acknowledge or answer
/// it; a second order for the same item the same day is a CONFLICT.
async fn an_order_is_numbered_addressed_acknowledged_and_answered_by_its_recipient(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(&app, json!({ "title": "桥面铺装", "deadline": day(-3) }))
        .await;
    let id = m["id"].as_str().unwrap();
    let issued = issue(&app, &town.presidium, id, &day(5)).await;
    let order = &issued["data"]["issueSupervisionOrder"];
    assert_eq!(
        order["number"],
        format!("思人督〔{}〕1号", year()),
        "{issued}"
    );
    assert_eq!(
        (order["kind"].as_str(), order["level"].as_str()),
        (Some("SUPERVISION_ORDER"), Some("RED"))
    );
    assert_eq!(order["recipient"]["name"], "李明");
    assert_eq!(order["milestone"]["title"], "桥面铺装");
    assert_eq!(order["replyDue"], day(5));
    let body = order["body"].as_str().unwrap();
    assert!(
        body.starts_with("李明同志") && body.contains("桥面铺装") && body.contains(&written_day(5)),
        "{body}"
    );
    let notice = order["id"].as_str().unwrap().to_string();

    let unacknowledged = "{ dashboard { unacknowledgedOrders } }";
    let count = |v: Value| v["dashboard"]["unacknowledgedOrders"].clone();
    assert_eq!(
        count(app.ok(&town.presidium, unacknowledged, json!({})).await),
        1
    );
    let mine = notices(&app, &town.liming, json!({ "mine": true })).await;
    assert_eq!(mine["totalCount"], 1);
    assert_eq!(
        notices(&app, &town.chengang, json!({ "mine": true })).await["totalCount"],
        0
    );

    let ack = "mutation($id:ID!){ acknowledgeNotice(id:$id){ acknowledgedAt acknowledgedBy { username } } }";
    let reply = "mutation($id:ID!,$r:String!){ replyToNotice(id:$id, reply:$r){ reply repliedAt acknowledgedAt } }";
    for someone_else in [&town.presidium, &town.chengang, &town.deputy, &town.viewer] {
        app.refused(someone_else, ack, json!({ "id": notice }), "FORBIDDEN")
            .await;
        app.refused(
            someone_else,
            reply,
            json!({ "id": notice, "r": "代为回复" }),
            "FORBIDDEN",
        )
        .await;
    }
    let still = notices(&app, &town.presidium, json!({ "unacknowledged": true })).await;
    assert_eq!(
        still["totalCount"], 1,
        "nothing acknowledged by the refusals"
    );

    let acknowledged = app.ok(&town.liming, ack, json!({ "id": notice })).await;
    assert!(acknowledged["acknowledgeNotice"]["acknowledgedAt"].is_string());
    assert_eq!(
        count(app.ok(&town.presidium, unacknowledged, json!({})).await),
        0
    );
    app.refused(
        &town.liming,
        reply,
        json!({ "id": notice, "r": "  " }),
        "VALIDATION_FAILED",
    )
    .await;
    let answered = app
        .ok(
            &town.liming,
            reply,
            json!({ "id": notice, "r": "已组织施工单位加班，预计本周五完成铺装" }),
        )
        .await;
    assert_eq!(
        answered["replyToNotice"]["reply"],
        "已组织施工单位加班，预计本周五完成铺装"
    );

    let again = issue(&app, &town.presidium, id, &day(6)).await;
    assert_eq!(code(&again), "CONFLICT", "{again}");
    let orders = notices(
        &app,
        &town.presidium,
        json!({ "kind": ["SUPERVISION_ORDER"] }),
    )
    .await;
    assert_eq!(orders["totalCount"], 1);
}

e2e!(bad_orders_are_refused_and_write_nothing);
/// An unknown or foreign item is NOT_FOUND; a closed item, a parent milestone or a reply day in
/// the past is VALIDATION_FAILED; a leader or deputy may not issue orders; a notice of another
/// township is NOT_FOUND to acknowledge. No notice is written and no number is used up.
async fn bad_orders_are_refused_and_write_nothing(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let open = town
        .milestone(&app, json!({ "title": "招标", "deadline": day(-1) }))
        .await;
    let open = open["id"].as_str().unwrap().to_string();
    let parent = town
        .milestone(&app, json!({ "title": "主体施工", "deadline": day(20) }))
        .await;
    town.milestone(
        &app,
        json!({ "title": "桥墩", "deadline": day(10), "parentId": parent["id"] }),
    )
    .await;
    let closed = town
        .milestone(&app, json!({ "title": "设计", "deadline": day(-5) }))
        .await;
    app.ok(
        &town.presidium,
        "mutation($id:ID!,$v:Int!,$r:String!){ cancelMilestone(id:$id, expectedVersion:$v, reason:$r){ id } }",
        json!({ "id": closed["id"], "v": closed["version"], "r": "并入主体施工" }),
    )
    .await;
    let foreign = other
        .milestone(&app, json!({ "title": "汉阳的节点", "deadline": day(-1) }))
        .await;

    let cases = [
        (
            town.presidium.as_str(),
            uuid::Uuid::now_v7().to_string(),
            day(3),
            "NOT_FOUND",
        ),
        (
            &town.presidium,
            foreign["id"].as_str().unwrap().to_string(),
            day(3),
            "NOT_FOUND",
        ),
        (
            &town.presidium,
            closed["id"].as_str().unwrap().to_string(),
            day(3),
            "VALIDATION_FAILED",
        ),
        (
            &town.presidium,
            parent["id"].as_str().unwrap().to_string(),
            day(3),
            "VALIDATION_FAILED",
        ),
        (&town.presidium, open.clone(), day(-1), "VALIDATION_FAILED"),
        (&town.liming, open.clone(), day(3), "FORBIDDEN"),
        (&town.deputy, open.clone(), day(3), "FORBIDDEN"),
        (
            &town.presidium,
            "not-an-id".to_string(),
            day(3),
            "VALIDATION_FAILED",
        ),
    ];
    for (who, entity, due, expected) in &cases {
        let refused = issue(&app, who, entity, due).await;
        assert_eq!(code(&refused), *expected, "{entity} due {due}: {refused}");
    }
    assert_eq!(
        notices(&app, &town.presidium, json!({})).await["totalCount"],
        0
    );

    // The first order after all those refusals still takes number 1.
    let issued = issue(&app, &town.presidium, &open, &day(3)).await;
    let order = &issued["data"]["issueSupervisionOrder"];
    assert_eq!(
        order["number"],
        format!("思人督〔{}〕1号", year()),
        "{issued}"
    );
    app.refused(
        &other.presidium,
        "mutation($id:ID!){ acknowledgeNotice(id:$id){ id } }",
        json!({ "id": order["id"] }),
        "NOT_FOUND",
    )
    .await;
    let foreign_sees = app
        .ok(
            &other.presidium,
            "query($id:ID!){ notice(id:$id){ id } }",
            json!({ "id": order["id"] }),
        )
        .await;
    assert!(foreign_sees["notice"].is_null());
}

e2e!(sixteen_issuers_at_once_take_consecutive_numbers);
/// Sixteen orders issued at the same moment for sixteen items are numbered 1 to 16, each
/// number once; another township's numbers start at 1 of their own.
async fn sixteen_issuers_at_once_take_consecutive_numbers(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let mut items = Vec::new();
    for i in 0..16 {
        let m = town
            .milestone(
                &app,
                json!({ "title": format!("节点{i}"), "deadline": day(-2) }),
            )
            .await;
        items.push(m["id"].as_str().unwrap().to_string());
    }
    let app = Arc::new(app);
    let issuers: Vec<_> = items
        .into_iter()
        .map(|item| {
            let app = app.clone();
            let token = town.presidium.clone();
            tokio::spawn(async move { issue(&app, &token, &item, &day(5)).await })
        })
        .collect();
    let mut numbers = Vec::new();
    for issuer in issuers {
        let issued = issuer.await.unwrap();
        let number = issued["data"]["issueSupervisionOrder"]["number"]
            .as_str()
            .unwrap_or_else(|| panic!("issued: {issued}"))
            .to_string();
        numbers.push(number);
    }
    numbers.sort_by_key(|n| {
        n.trim_end_matches('号')
            .rsplit('〕')
            .next()
            .and_then(|s| s.parse::<u32>().ok())
    });
    let expected: Vec<String> = (1..=16)
        .map(|n| format!("思人督〔{}〕{n}号", year()))
        .collect();
    assert_eq!(numbers, expected);

    let foreign = other
        .milestone(&app, json!({ "title": "汉阳的节点", "deadline": day(-1) }))
        .await;
    let issued = issue(
        &app,
        &other.presidium,
        foreign["id"].as_str().unwrap(),
        &day(5),
    )
    .await;
    assert_eq!(
        issued["data"]["issueSupervisionOrder"]["number"],
        format!("汉人督〔{}〕1号", year())
    );
}

e2e!(an_order_for_a_finding_goes_to_its_responsible_leader);
/// A finding climbs the same ladder: an order for an open finding names it and goes to the
/// leader who answers for it.
async fn an_order_for_a_finding_goes_to_its_responsible_leader(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let for_chen = json!({ "description": "护栏缺失", "responsibleLeaderId": town.chen,
                           "responsibleUnitId": town.jingfa, "deadline": day(-1) });
    let logged = town.visit(&app, &day(-10), for_chen).await;
    let finding = logged["findings"][0]["id"].as_str().unwrap();
    let issued = issue(&app, &town.presidium, finding, &day(3)).await;
    let order = &issued["data"]["issueSupervisionOrder"];
    assert_eq!(order["recipient"]["name"], "陈刚", "{issued}");
    assert_eq!(order["finding"]["description"], "护栏缺失");
    assert!(order["milestone"].is_null());
    let theirs = notices(
        &app,
        &town.chengang,
        json!({ "mine": true, "subjectId": finding }),
    )
    .await;
    assert_eq!(theirs["totalCount"], 1);
}

e2e!(a_notice_names_its_item_with_the_project);
/// Several projects have a 竣工验收: a notice names its item with the project (项目·节点), in its
/// title and its text, whether the presidium issued it or the scan did.
async fn a_notice_names_its_item_with_the_project(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let order = town.overdue_order(&app, "竣工验收").await;
    let read = app
        .ok(
            &town.liming,
            "query($id:ID!){ notice(id:$id){ title body } }",
            json!({ "id": order }),
        )
        .await;
    assert_eq!(
        read["notice"]["title"],
        "关于督办“思蒙国家湿地公园健身步道风雨桥·竣工验收”的通知"
    );
    assert!(
        read["notice"]["body"]
            .as_str()
            .unwrap()
            .contains("思蒙国家湿地公园健身步道风雨桥·竣工验收"),
        "{read}"
    );
    town.milestone(&app, json!({ "title": "桥面铺装", "deadline": day(-3) }))
        .await;
    app.ok(
        &town.presidium,
        "mutation{ runNoticesNow { issued } }",
        json!({}),
    )
    .await;
    let titles = app
        .ok(
            &town.liming,
            "{ notices(first:50){ nodes { title } } }",
            json!({}),
        )
        .await;
    assert!(
        titles["notices"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["title"] == "催办：“思蒙国家湿地公园健身步道风雨桥·桥面铺装”已逾期3天"),
        "{titles}"
    );
}
