//! Batch steps (DESIGN §18): 签收 several notices at once, 销号 several reported items at once;
//! all or nothing, each with its own history, a refusal naming the item.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

const ACKNOWLEDGE: &str =
    "mutation($ids:[ID!]!){ acknowledgeNotices(ids:$ids){ id acknowledgedAt } }";
const SIGN_OFF: &str =
    "mutation($items:[VersionedId!]!){ signOffMilestones(items:$items){ id status version } }";

async fn acknowledged(app: &TestApp, town: &Town, id: &str) -> bool {
    let notice = app
        .ok(
            &town.liming,
            "query($id:ID!){ notice(id:$id){ acknowledgedAt } }",
            json!({ "id": id }),
        )
        .await;
    !notice["notice"]["acknowledgedAt"].is_null()
}

e2e!(a_recipient_signs_for_several_notices_at_once_or_for_none);
async fn a_recipient_signs_for_several_notices_at_once_or_for_none(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let (first, second) = (
        town.overdue_order(&app, "桩基施工").await,
        town.overdue_order(&app, "桥面铺装").await,
    );
    // 陈刚's order is not 李明's to sign for: the whole batch is refused, naming it.
    let his = town
        .milestone(
            &app,
            json!({ "title": "管网迁改", "deadline": day(-3), "responsibleLeaderId": town.chen }),
        )
        .await;
    let chens = app
        .ok(
            &town.presidium,
            "mutation($id:ID!,$d:Date!){ issueSupervisionOrder(entityId:$id, replyDue:$d){ id } }",
            json!({ "id": his["id"], "d": day(4) }),
        )
        .await["issueSupervisionOrder"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let refused = app
        .gql(
            Some(&town.liming),
            ACKNOWLEDGE,
            json!({ "ids": [first, chens, second] }),
        )
        .await;
    assert!(
        ["FORBIDDEN", "NOT_FOUND"].contains(&code(&refused)),
        "{refused}"
    );
    let message = refused["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains(&chens), "names the notice: {message}");
    assert!(!acknowledged(&app, &town, &first).await, "all or nothing");

    let done = app
        .ok(
            &town.liming,
            ACKNOWLEDGE,
            json!({ "ids": [first, second, first] }),
        )
        .await;
    let answered: Vec<&str> = done["acknowledgeNotices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(answered, [first.as_str(), second.as_str()], "each once");
    assert!(acknowledged(&app, &town, &first).await && acknowledged(&app, &town, &second).await);
    for id in [&first, &second] {
        let event = app
            .event(&town.presidium, &json!(id), "notice.acknowledge")
            .await;
        assert!(!event.is_null(), "each has its own history");
    }
    // Signing again changes nothing and is no error.
    app.ok(&town.liming, ACKNOWLEDGE, json!({ "ids": [first] }))
        .await;

    let too_many: Vec<String> = (0..101).map(|_| first.clone()).collect();
    let refused = app
        .gql(Some(&town.liming), ACKNOWLEDGE, json!({ "ids": too_many }))
        .await;
    assert_eq!(code(&refused), "VALIDATION_FAILED");
    assert_eq!(refused["errors"][0]["extensions"]["reason"], "TOO_MANY");
}

e2e!(the_presidium_signs_off_several_items_at_once_or_none);
async fn the_presidium_signs_off_several_items_at_once_or_none(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let reported = town.reported(&app, &["桩基施工", "桥面铺装"]).await;
    let (one, two) = (&reported[0], &reported[1]);
    let item = |m: &Value| json!({ "id": m["id"], "expectedVersion": m["version"] });
    // One was changed since the list was read: CONFLICT naming it, and nothing signed off.
    let stale = json!({ "id": two["id"], "expectedVersion": two["version"].as_i64().unwrap() - 1 });
    let refused = app
        .gql(
            Some(&town.presidium),
            SIGN_OFF,
            json!({ "items": [item(one), stale] }),
        )
        .await;
    assert_eq!(code(&refused), "CONFLICT", "{refused}");
    let message = refused["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains(two["id"].as_str().unwrap()),
        "names the item: {message}"
    );
    assert_eq!(
        town.status(&app, &one["id"]).await,
        "DONE",
        "all or nothing"
    );

    // A leader may not sign off at all.
    let refused = app
        .gql(
            Some(&town.liming),
            SIGN_OFF,
            json!({ "items": [item(one)] }),
        )
        .await;
    assert_eq!(code(&refused), "FORBIDDEN");

    let signed = app
        .ok(
            &town.presidium,
            SIGN_OFF,
            json!({ "items": [item(one), item(two)] }),
        )
        .await;
    let statuses: Vec<&str> = signed["signOffMilestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["CLOSED", "CLOSED"]);
    for m in [one, two] {
        assert_eq!(town.status(&app, &m["id"]).await, "CLOSED");
        let event = app
            .event(&town.presidium, &m["id"], "milestone.sign_off")
            .await;
        assert!(!event.is_null(), "each has its own history");
    }
}
