//! Subscriptions over graphql-transport-ws at `/graphql/ws`, with a real client: a notice
//! reaches its recipient as it is issued and nobody else; a milestone's change reaches those who
//! may read it (and asked for its project); a second replica's subscribers hear what the first
//! wrote (PostgreSQL LISTEN/NOTIFY); and the connection's limits hold — no token, a bad token,
//! a query or mutation, an unknown field, an eleventh subscription, an oversized document.

use futures::SinkExt;
use futures::StreamExt;
use graphql_ws_client::Error as WsError;
use jiandu_tests::subscriber::{
    self, connect, connect_over, next, running, socket_with, subscribe,
};
use jiandu_tests::town::{Town, day};
use jiandu_tests::{Backend, TestApp, e2e};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

const NOTICES: &str =
    "subscription { noticeIssued { id number kind recipient { name } milestone { title } } }";

const MILESTONES: &str = "subscription($p:ID){ milestoneChanged(projectId:$p){ id title progress status light project { title } } }";

/// A supervision order for a fresh overdue milestone titled `title`, led by `leader`.
async fn order(app: &TestApp, town: &Town, title: &str, leader: &str) -> Value {
    let m = town
        .milestone(
            app,
            json!({ "title": title, "deadline": day(-3), "responsibleLeaderId": leader }),
        )
        .await;
    app.ok(
        &town.presidium,
        "mutation($id:ID!,$d:Date!){ issueSupervisionOrder(entityId:$id, replyDue:$d){ id number } }",
        json!({ "id": m["id"], "d": day(4) }),
    )
    .await["issueSupervisionOrder"]
        .clone()
}

e2e!(a_notice_reaches_its_recipient_as_it_is_issued_and_nobody_else);
/// 李明 and 陈刚 each subscribe; an order to 李明 reaches 李明 with its number, and the next
/// thing 陈刚 hears is the order addressed to him, not 李明's.
async fn a_notice_reaches_its_recipient_as_it_is_issued_and_nobody_else(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let (li, chen) = (
        connect(&app, &town.liming).await.unwrap(),
        connect(&app, &town.chengang).await.unwrap(),
    );
    let mut to_li = subscribe(&li, NOTICES, json!({})).await;
    let mut to_chen = subscribe(&chen, NOTICES, json!({})).await;
    running(&app, 2).await;

    let first = order(&app, &town, "桥面铺装", &town.li).await;
    let heard = next(&mut to_li).await;
    let notice = &heard["data"]["noticeIssued"];
    assert_eq!(notice["id"], first["id"], "{heard}");
    assert_eq!(notice["number"], first["number"]);
    assert_eq!(notice["kind"], "SUPERVISION_ORDER");
    assert_eq!(notice["recipient"]["name"], "李明");
    assert_eq!(notice["milestone"]["title"], "桥面铺装");

    let second = order(&app, &town, "廊亭彩绘", &town.chen).await;
    let heard = next(&mut to_chen).await;
    assert_eq!(
        heard["data"]["noticeIssued"]["id"], second["id"],
        "陈刚 hears his own order first: {heard}"
    );
    assert_eq!(heard["data"]["noticeIssued"]["recipient"]["name"], "陈刚");
}

e2e!(a_milestone_change_reaches_those_who_may_read_it);
/// The presidium follows the bridge project; a change to a milestone of another project is not
/// heard, the next change to the bridge is, with its new state; another town's presidium hears
/// nothing of this town (the next thing it hears is its own).
async fn a_milestone_change_reaches_those_who_may_read_it(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let elsewhere = app
        .ok(
            &town.presidium,
            "mutation($i:CreateProjectInput!){ createProject(input:$i){ id } }",
            json!({ "i": { "title": "场镇路灯", "origin": "LIVELIHOOD_VOTE" } }),
        )
        .await["createProject"]["id"]
        .clone();
    let m = town
        .milestone(&app, json!({ "title": "桥面铺装", "deadline": day(10) }))
        .await;

    let ours = connect(&app, &town.presidium).await.unwrap();
    let theirs = connect(&app, &other.presidium).await.unwrap();
    let mut bridge = subscribe(&ours, MILESTONES, json!({ "p": town.bridge })).await;
    let mut everything = subscribe(&theirs, MILESTONES, json!({ "p": null })).await;
    running(&app, 2).await;

    town.milestone(
        &app,
        json!({ "title": "路灯采购", "deadline": day(20), "projectId": elsewhere }),
    )
    .await;
    app.ok(
        &town.liming,
        "mutation($id:ID!){ reportProgress(milestoneId:$id, progress:40, note:\"桥面铺装过半\"){ id } }",
        json!({ "id": m["id"] }),
    )
    .await;
    let heard = next(&mut bridge).await;
    let changed = &heard["data"]["milestoneChanged"];
    assert_eq!(
        changed["id"], m["id"],
        "the other project's is not heard: {heard}"
    );
    assert_eq!(changed["progress"], 40);
    assert_eq!(changed["status"], "IN_PROGRESS");
    assert_eq!(
        changed["project"]["title"],
        "思蒙国家湿地公园健身步道风雨桥"
    );

    let own = other
        .milestone(&app, json!({ "title": "汉阳渡口", "deadline": day(5) }))
        .await;
    let heard = next(&mut everything).await;
    assert_eq!(
        heard["data"]["milestoneChanged"]["id"], own["id"],
        "another town hears only its own: {heard}"
    );
}

/// Replica B's subscriber hears the order replica A issues: PostgreSQL carries the event from
/// one server to the other.
#[tokio::test]
async fn a_subscriber_on_one_replica_hears_what_another_wrote() {
    if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_none() {
        return;
    }
    let a = TestApp::spawn(Backend::Postgres).await;
    let b = a.replica().await;
    let town = Town::setup(&a, "思蒙镇").await;
    let on_b = connect(&b, &town.liming).await.unwrap();
    let mut notices = subscribe(&on_b, NOTICES, json!({})).await;
    let m = town
        .milestone(&a, json!({ "title": "栈道护栏", "deadline": day(10) }))
        .await;
    let mut milestones = subscribe(&on_b, MILESTONES, json!({ "p": town.bridge })).await;
    running(&b, 2).await;

    let issued = order(&a, &town, "桥面铺装", &town.li).await;
    let heard = next(&mut notices).await;
    assert_eq!(heard["data"]["noticeIssued"]["id"], issued["id"], "{heard}");

    a.ok(
        &town.presidium,
        "mutation($id:ID!,$v:Int!){ updateMilestone(id:$id, expectedVersion:$v, input:{title:\"栈道护栏更换\"}){ id } }",
        json!({ "id": m["id"], "v": m["version"] }),
    )
    .await;
    let heard = loop {
        // The order's milestone was added on A too; the renamed one is what is awaited.
        let heard = next(&mut milestones).await;
        if heard["data"]["milestoneChanged"]["id"] == m["id"] {
            break heard;
        }
    };
    assert_eq!(heard["data"]["milestoneChanged"]["title"], "栈道护栏更换");
}

e2e!(a_connection_is_held_to_its_limits);
/// No token or a bad one: closed with 4403 before any subscription. A query or a mutation, a
/// field the schema lacks, a document over the size limit: refused with an `error` for that id and
/// nothing run. An eleventh subscription at once: refused, the ten keep running.
async fn a_connection_is_held_to_its_limits(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    for token in ["", "not-a-token"] {
        match connect(&app, token).await {
            Err(WsError::Close(code, reason)) => assert_eq!(code, 4403, "{reason}"),
            Err(other) => panic!("closed with a reason, not {other:?}"),
            Ok(_) => panic!("signed in with {token:?}"),
        }
    }
    let mut raw = subscriber::socket(&app).await;
    raw.send(Message::text(r#"{"type":"subscribe","id":"1","payload":{"query":"subscription { noticeIssued { id } }"}}"#))
        .await
        .unwrap();
    match raw.next().await {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(u16::from(frame.code), 4401),
        other => panic!("closed as unauthorised, not {other:?}"),
    }

    let client = connect(&app, &town.presidium).await.unwrap();
    let refused = |answer: &Value, code: &str| {
        assert_eq!(answer["errors"][0]["extensions"]["code"], code, "{answer}");
    };
    let m = town
        .milestone(&app, json!({ "title": "桥面铺装", "deadline": day(10) }))
        .await;
    let mutation = format!(
        "mutation {{ updateMilestone(id:\"{}\", expectedVersion:{}, input:{{title:\"改名\"}}){{ id }} }}",
        m["id"].as_str().unwrap(),
        m["version"]
    );
    let mut sneaked = subscribe(&client, &mutation, json!({})).await;
    refused(&next(&mut sneaked).await, "VALIDATION_FAILED");
    let mut query = subscribe(&client, "{ me { username } }", json!({})).await;
    refused(&next(&mut query).await, "VALIDATION_FAILED");
    let mut unknown = subscribe(
        &client,
        "subscription { noticeIssued { nonsense } }",
        json!({}),
    )
    .await;
    refused(&next(&mut unknown).await, "VALIDATION_FAILED");
    let long = format!(
        "subscription {{ noticeIssued {{ id {} }} }}",
        "number ".repeat(6000)
    );
    let mut too_long = subscribe(&client, &long, json!({})).await;
    refused(&next(&mut too_long).await, "QUERY_TOO_COMPLEX");
    let title = app
        .ok(
            &town.presidium,
            "query($id:ID!){ milestone(id:$id){ title } }",
            json!({ "id": m["id"] }),
        )
        .await;
    assert_eq!(
        title["milestone"]["title"], "桥面铺装",
        "the mutation never ran"
    );

    let mut ten = Vec::new();
    for _ in 0..10 {
        ten.push(subscribe(&client, MILESTONES, json!({ "p": town.bridge })).await);
    }
    running(&app, 10).await;
    let mut eleventh = subscribe(&client, NOTICES, json!({})).await;
    refused(&next(&mut eleventh).await, "QUERY_TOO_COMPLEX");
    app.ok(
        &town.presidium,
        "mutation($id:ID!,$v:Int!){ updateMilestone(id:$id, expectedVersion:$v, input:{title:\"桥面铺装（沥青）\"}){ id } }",
        json!({ "id": m["id"], "v": m["version"] }),
    )
    .await;
    for subscription in &mut ten {
        let heard = next(subscription).await;
        assert_eq!(
            heard["data"]["milestoneChanged"]["title"],
            "桥面铺装（沥青）"
        );
    }
}

e2e!(a_workbench_page_subscribes_with_its_session_from_this_site_only);
/// A page of this site opens the socket with its session cookie and an empty
/// `connection_init`, and hears its person's notices; the same cookie sent from another site's
/// page (its Origin) signs nobody in.
async fn a_workbench_page_subscribes_with_its_session_from_this_site_only(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let cookie = format!("jiandu_session={}", town.liming);
    let page = connect_over(
        socket_with(&app, &[("cookie", &cookie), ("origin", &app.base)]).await,
        json!({}),
    )
    .await
    .expect("a page of this site signs in with its session");
    let mut notices = subscribe(&page, NOTICES, json!({})).await;
    running(&app, 1).await;
    let issued = order(&app, &town, "桥面铺装", &town.li).await;
    assert_eq!(
        next(&mut notices).await["data"]["noticeIssued"]["id"],
        issued["id"]
    );

    for origin in ["https://elsewhere.example", "null"] {
        let refused = connect_over(
            socket_with(&app, &[("cookie", &cookie), ("origin", origin)]).await,
            json!({}),
        )
        .await;
        match refused {
            Err(WsError::Close(code, _)) => assert_eq!(code, 4403, "from {origin}"),
            other => panic!("another site's page is refused, not {:?}", other.is_ok()),
        }
    }
}
