//! What a webhook may reach and what it tells: no address inside the server's network unless
//! the operator allows it (checked again at each delivery), its address shown as scheme and
//! host only to everyone (and not kept with its deliveries), failures told without the
//! receiver's answer; at most ten webhooks an organisation, and one township's slow receivers
//! never delay another's.

use std::time::Duration;

use jiandu_tests::receiver::Receiver;
use jiandu_tests::town::Town;
use jiandu_tests::{Backend, TestApp, code, e2e, execute_numbered};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};

const CREATE: &str = "mutation($i:CreateWebhookInput!){ createWebhook(input:$i){ id url } }";

const DELIVERIES: &str =
    "query($id:ID!){ notice(id:$id){ deliveries { channel target status lastError } } }";

/// A server that posts deliveries every 50 ms, retries after 100 ms, and lets webhooks reach
/// only what is outside (no allowed hosts), as it does unless its operator says otherwise.
async fn outside_only(backend: Backend) -> TestApp {
    crate::webhooks::delivering_with(backend, |config| config.webhook_allow_hosts = None).await
}

async fn webhook_deliveries(app: &TestApp, token: &str, notice: &str) -> Vec<Value> {
    let all = app.ok(token, DELIVERIES, json!({ "id": notice })).await;
    all["notice"]["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["channel"] != "inbox")
        .cloned()
        .collect()
}

async fn nothing_inside_is_reached_and_nothing_of_it_is_told(backend: Backend) {
    let app = outside_only(backend).await;
    let town = Town::setup(&app, "思蒙镇").await;
    let t = town.presidium.as_str();
    for inside in [
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.1/hook",
        "http://[fd00::1]/hook",
        "http://localhost:8080/hook",
        "http://127.1/hook",
        "http://[::ffff:7f00:1]/hook",
        "http://0.0.0.0/hook",
    ] {
        let body = app
            .gql(
                Some(t),
                CREATE,
                json!({ "i": { "url": inside, "kind": "WECOM" } }),
            )
            .await;
        assert_eq!(code(&body), "VALIDATION_FAILED", "{inside}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "url", "{inside}");
    }
    let none = app.ok(t, "{ webhooks { id } }", json!({})).await;
    assert_eq!(none["webhooks"], json!([]));

    // A webhook whose name came to point inside after it was made (written here as such a row
    // would stand): each delivery asks again, and reaches nothing.
    let receiver = Receiver::start(&[]).await;
    let db = Database::connect(app.database_url()).await.unwrap();
    let hook = uuid::Uuid::now_v7();
    let org: uuid::Uuid = town.org.parse().unwrap();
    execute_numbered(
        &db,
        "INSERT INTO webhook (id, organization_id, url, kind, kinds, secret, created_by, created_at, deleted_at) \
         VALUES ($1, $2, $3, 'WECOM', 'REMINDER,URGE,SUPERVISION_ORDER', NULL, NULL, $4, NULL)",
        vec![
            hook.into(),
            org.into(),
            format!("{}/cgi-bin/webhook/send?key=abc", receiver.base).into(),
            chrono::Utc::now().into(),
        ],
    )
    .await;
    let notice = town.overdue_order(&app, "桥面铺装").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(receiver.received().is_empty(), "nothing inside was asked");
    let hooks = webhook_deliveries(&app, t, &notice).await;
    assert_eq!(hooks.len(), 1, "{hooks:?}");
    assert_eq!(hooks[0]["status"], "PENDING");
    assert_eq!(
        hooks[0]["lastError"], "delivery failed; it is tried again later",
        "the address it found is in the log only"
    );
}

jiandu_tests::on_both_backends!(
    nothing_inside_is_reached_and_nothing_of_it_is_told
        => nothing_inside_is_reached_and_nothing_of_it_is_told_on_sqlite,
           nothing_inside_is_reached_and_nothing_of_it_is_told_on_postgres
);

e2e!(a_webhooks_address_is_shown_as_scheme_and_host_to_everyone);
async fn a_webhooks_address_is_shown_as_scheme_and_host_to_everyone(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let receiver = Receiver::start(&[]).await;
    let port = receiver.base.rsplit(':').next().unwrap().to_string();
    let with_secrets =
        format!("http://robot:p4ssw0rd@127.0.0.1:{port}/open-apis/bot/v2/hook/TOKEN-6f1c");
    let made = app
        .ok(
            &town.presidium,
            CREATE,
            json!({ "i": { "url": with_secrets, "kind": "FEISHU" } }),
        )
        .await;
    assert_eq!(made["createWebhook"]["url"], receiver.base);
    let listed = app
        .ok(&town.presidium, "{ webhooks { url } }", json!({}))
        .await;
    assert_eq!(listed["webhooks"][0]["url"], receiver.base);

    let notice = town.overdue_order(&app, "桥面铺装").await;
    for who in [&town.presidium, &town.liming] {
        let hooks = webhook_deliveries(&app, who, &notice).await;
        assert_eq!(hooks[0]["target"], receiver.base, "{hooks:?}");
    }
    // Nothing of the address is kept with the delivery.
    let db = Database::connect(app.database_url()).await.unwrap();
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT target FROM notice_delivery WHERE webhook_id IS NOT NULL",
        ))
        .await
        .unwrap();
    assert!(!rows.is_empty());
    for row in rows {
        let target: String = row.try_get("", "target").unwrap();
        assert!(
            !target.contains("TOKEN") && !target.contains("p4ss"),
            "{target}"
        );
    }
}

e2e!(an_organisation_keeps_at_most_ten_webhooks);
async fn an_organisation_keeps_at_most_ten_webhooks(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    for n in 0..10 {
        let url = format!("https://hooks.example.cn/{n}");
        app.ok(
            &town.presidium,
            CREATE,
            json!({ "i": { "url": url, "kind": "WECOM" } }),
        )
        .await;
    }
    let eleventh = app
        .gql(
            Some(&town.presidium),
            CREATE,
            json!({ "i": { "url": "https://hooks.example.cn/10", "kind": "WECOM" } }),
        )
        .await;
    assert_eq!(code(&eleventh), "VALIDATION_FAILED", "{eleventh}");
    let listed = app
        .ok(&town.presidium, "{ webhooks { id } }", json!({}))
        .await;
    assert_eq!(listed["webhooks"].as_array().unwrap().len(), 10);
}

/// Town A's three receivers answer after four seconds each; town B's at once. B's order, issued
/// after A's, reaches B's receiver while A's are still being waited for.
async fn one_townships_slow_receivers_never_delay_anothers(backend: Backend) {
    let app = TestApp::spawn_with(backend, |config| {
        config.user_requests_per_second = 100_000;
        config.user_request_burst = 100_000;
        config.delivery_ms = 50;
        config.delivery_retry_ms = 100;
    })
    .await;
    let (a, b) = (
        Town::setup(&app, "思蒙镇").await,
        Town::setup(&app, "汉阳镇").await,
    );
    let slow = Receiver::answering_after(&[], Duration::from_secs(4)).await;
    for n in 0..3 {
        let url = format!("{}/slow/{n}", slow.base);
        app.ok(
            &a.presidium,
            CREATE,
            json!({ "i": { "url": url, "kind": "WECOM" } }),
        )
        .await;
    }
    let fast = Receiver::start(&[]).await;
    let url = format!("{}/fast", fast.base);
    app.ok(
        &b.presidium,
        CREATE,
        json!({ "i": { "url": url, "kind": "WECOM" } }),
    )
    .await;
    a.overdue_order(&app, "桥面铺装").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = std::time::Instant::now();
    b.overdue_order(&app, "村道硬化").await;
    let got = fast.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 1);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "B's order waited {:?} behind A's receivers",
        started.elapsed()
    );
}

jiandu_tests::on_both_backends!(
    one_townships_slow_receivers_never_delay_anothers
        => one_townships_slow_receivers_never_delay_anothers_on_sqlite,
           one_townships_slow_receivers_never_delay_anothers_on_postgres
);
