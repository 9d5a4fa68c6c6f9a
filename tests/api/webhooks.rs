//! Notices delivered to webhooks from the outbox: a generic receiver gets JSON signed per the
//! Standard Webhooks scheme and is retried (the wait doubling) until it answers; WeCom, DingTalk
//! and Feishu robots get their own formats (DingTalk and Feishu signed when given a secret); a
//! redirect is not followed and a dead receiver holds up nothing; only the presidium manages
//! webhooks, and a bad address or secret is refused with nothing written.

use std::time::Duration;

use base64::Engine;
use hmac::{Hmac, Mac};
use jiandu_tests::receiver::Receiver;
use jiandu_tests::town::Town;
use jiandu_tests::{Backend, TestApp, code, e2e};
use serde_json::{Value, json};
use sha2::Sha256;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

const CREATE: &str =
    "mutation($i:CreateWebhookInput!){ createWebhook(input:$i){ id url kind kinds active } }";

/// A server that looks for deliveries every 50 ms and retries a failure after 100 ms.
pub(crate) async fn delivering(backend: Backend) -> TestApp {
    delivering_with(backend, |_| {}).await
}

/// [`delivering`], with more of the server's settings.
pub(crate) async fn delivering_with(
    backend: Backend,
    configure: impl FnOnce(&mut jiandu_api::Config),
) -> TestApp {
    TestApp::spawn_with(backend, |config| {
        config.user_requests_per_second = 100_000;
        config.user_request_burst = 100_000;
        config.delivery_ms = 50;
        config.delivery_retry_ms = 100;
        configure(config);
    })
    .await
}

async fn deliveries(app: &TestApp, town: &Town, notice: &str) -> Vec<Value> {
    app.ok(
        &town.presidium,
        "query($id:ID!){ notice(id:$id){ deliveries { channel target status attempts lastError deliveredAt } } }",
        json!({ "id": notice }),
    )
    .await["notice"]["deliveries"]
        .as_array()
        .unwrap()
        .clone()
}

/// Waits until the notice's webhook delivery is no longer PENDING (or 10 s pass).
async fn settled(app: &TestApp, town: &Town, notice: &str) -> Value {
    for _ in 0..200 {
        let all = deliveries(app, town, notice).await;
        if let Some(hook) = all.iter().find(|d| d["channel"] != "inbox")
            && hook["status"] != "PENDING"
        {
            return hook.clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("still pending: {:#?}", deliveries(app, town, notice).await);
}

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

async fn a_signed_generic_receiver_gets_the_order_after_two_failures(backend: Backend) {
    let app = delivering(backend).await;
    let town = Town::setup(&app, "思蒙镇").await;
    let receiver = Receiver::start(&[500, 503]).await;
    let url = format!("{}/hooks/jiandu", receiver.base);
    let hook = app
        .ok(
            &town.presidium,
            CREATE,
            json!({ "i": { "url": url, "kind": "GENERIC", "secret": SECRET, "kinds": ["SUPERVISION_ORDER"] } }),
        )
        .await;
    assert_eq!(hook["createWebhook"]["kinds"], json!(["SUPERVISION_ORDER"]));
    let notice = town.overdue_order(&app, "桥面铺装").await;
    let delivered = settled(&app, &town, &notice).await;
    assert_eq!(delivered["status"], "DELIVERED", "{delivered}");
    assert_eq!(delivered["attempts"], 3);
    assert_eq!(delivered["channel"], "webhook:GENERIC");
    let inbox = deliveries(&app, &town, &notice).await;
    assert!(
        inbox
            .iter()
            .any(|d| d["channel"] == "inbox" && d["status"] == "DELIVERED")
    );

    let got = receiver.received();
    assert_eq!(got.len(), 3, "two failures and the one that took");
    // The same message id on every attempt; each signature checks against its own timestamp.
    let key = base64::engine::general_purpose::STANDARD
        .decode(SECRET.trim_start_matches("whsec_"))
        .unwrap();
    let first_id = got[0].header("webhook-id").unwrap().to_string();
    for request in &got {
        assert_eq!(request.uri, "/hooks/jiandu");
        let id = request.header("webhook-id").unwrap();
        assert_eq!(id, first_id);
        let timestamp = request.header("webhook-timestamp").unwrap();
        let expected = format!(
            "v1,{}",
            b64(&hmac(
                &key,
                format!("{id}.{timestamp}.{}", request.body).as_bytes()
            ))
        );
        assert_eq!(request.header("webhook-signature"), Some(expected.as_str()));
        let body = request.json();
        assert_eq!(body["type"], "notice.supervision_order");
        assert_eq!(body["data"]["id"], notice);
        assert!(
            body["data"]["number"]
                .as_str()
                .unwrap()
                .starts_with("思人督〔")
        );
    }
    // Today's urges are not a kind this webhook takes: only the inbox gets them.
    app.ok(
        &town.presidium,
        "mutation{ runNoticesNow { urges } }",
        json!({}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.received().len(), 3);
}

#[tokio::test]
async fn a_signed_generic_receiver_gets_the_order_after_two_failures_sqlite() {
    a_signed_generic_receiver_gets_the_order_after_two_failures(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_signed_generic_receiver_gets_the_order_after_two_failures_postgres() {
    if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_some() {
        a_signed_generic_receiver_gets_the_order_after_two_failures(Backend::Postgres).await;
    }
}

async fn chat_robots_get_their_own_formats(backend: Backend) {
    let app = delivering(backend).await;
    let town = Town::setup(&app, "思蒙镇").await;
    let receiver = Receiver::start(&[]).await;
    for (path, kind, secret) in [
        ("/cgi-bin/webhook/send?key=abc", "WECOM", None),
        (
            "/robot/send?access_token=xyz",
            "DINGTALK",
            Some("SECdingding"),
        ),
        (
            "/open-apis/bot/v2/hook/feishu",
            "FEISHU",
            Some("feishu-secret"),
        ),
    ] {
        let hook = app
            .ok(
                &town.presidium,
                CREATE,
                json!({ "i": { "url": format!("{}{path}", receiver.base), "kind": kind, "secret": secret } }),
            )
            .await;
        // The key in a robot's address is never shown back.
        assert!(
            !hook["createWebhook"]["url"]
                .as_str()
                .unwrap()
                .contains("abc")
        );
    }
    let notice = town.overdue_order(&app, "路面拓宽").await;
    let got = receiver.wait_for(3, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 3, "{got:#?}");
    let wecom = got.iter().find(|r| r.uri.starts_with("/cgi-bin")).unwrap();
    let body = wecom.json();
    assert_eq!(body["msgtype"], "markdown");
    assert!(
        body["markdown"]["content"]
            .as_str()
            .unwrap()
            .contains("督办单")
    );

    let ding = got.iter().find(|r| r.uri.starts_with("/robot")).unwrap();
    assert_eq!(ding.json()["msgtype"], "markdown");
    let query: Vec<(String, String)> = url::Url::parse(&format!("http://x{}", ding.uri))
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    let param = |name: &str| query.iter().find(|(k, _)| k == name).unwrap().1.clone();
    assert_eq!(param("access_token"), "xyz");
    let timestamp = param("timestamp");
    let expected = b64(&hmac(
        b"SECdingding",
        format!("{timestamp}\nSECdingding").as_bytes(),
    ));
    assert_eq!(param("sign"), expected);

    let feishu = got
        .iter()
        .find(|r| r.uri.starts_with("/open-apis"))
        .unwrap();
    let body = feishu.json();
    assert_eq!(body["msg_type"], "text");
    assert!(
        body["content"]["text"]
            .as_str()
            .unwrap()
            .contains("路面拓宽")
    );
    let timestamp = body["timestamp"].as_str().unwrap();
    let expected = b64(&hmac(format!("{timestamp}\nfeishu-secret").as_bytes(), b""));
    assert_eq!(body["sign"], expected);

    let all = deliveries(&app, &town, &notice).await;
    assert_eq!(all.len(), 4, "the inbox and three robots: {all:#?}");
    let wecom = all
        .iter()
        .find(|d| d["channel"] == "webhook:WECOM")
        .unwrap();
    assert_eq!(
        wecom["target"], receiver.base,
        "scheme and host only: {wecom}"
    );
}

#[tokio::test]
async fn chat_robots_get_their_own_formats_sqlite() {
    chat_robots_get_their_own_formats(Backend::Sqlite).await;
}

#[tokio::test]
async fn chat_robots_get_their_own_formats_postgres() {
    if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_some() {
        chat_robots_get_their_own_formats(Backend::Postgres).await;
    }
}

async fn a_redirect_is_not_followed_and_a_dead_receiver_holds_up_nothing(backend: Backend) {
    let app = delivering(backend).await;
    let town = Town::setup(&app, "思蒙镇").await;
    let redirecting = Receiver::start(&[302, 302, 302, 302, 302, 302, 302, 302]).await;
    // A port nobody listens on: bound, then released.
    let dead = {
        let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!(
            "http://127.0.0.1:{}/gone",
            socket.local_addr().unwrap().port()
        )
    };
    for url in [format!("{}/moved", redirecting.base), dead] {
        app.ok(
            &town.presidium,
            CREATE,
            json!({ "i": { "url": url, "kind": "WECOM" } }),
        )
        .await;
    }
    let started = std::time::Instant::now();
    let notice = town.overdue_order(&app, "管网迁改").await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the order does not wait for its receivers"
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let all = deliveries(&app, &town, &notice).await;
    let hooks: Vec<&Value> = all.iter().filter(|d| d["channel"] != "inbox").collect();
    assert_eq!(hooks.len(), 2);
    for hook in hooks {
        assert!(hook["attempts"].as_i64().unwrap() >= 2, "retried: {hook}");
        assert!(hook["deliveredAt"].is_null());
        // Why is in the server's log; users are told only that it failed.
        assert_eq!(
            hook["lastError"], "delivery failed; it is tried again later",
            "{hook}"
        );
    }
    // Nothing the redirect pointed at was asked for; the receiver saw only its own address.
    assert!(redirecting.received().iter().all(|r| r.uri == "/moved"));
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_a_dead_receiver_holds_up_nothing_sqlite() {
    a_redirect_is_not_followed_and_a_dead_receiver_holds_up_nothing(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_a_dead_receiver_holds_up_nothing_postgres() {
    if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_some() {
        a_redirect_is_not_followed_and_a_dead_receiver_holds_up_nothing(Backend::Postgres).await;
    }
}

e2e!(only_the_presidium_manages_webhooks_and_bad_ones_are_refused);
/// Leaders, deputies and the read-only account may neither create, list nor delete webhooks;
/// an address of another scheme, one over 2 000 characters, a generic webhook without a proper
/// secret, or a signed WeCom robot are refused on their field; nothing is written.
async fn only_the_presidium_manages_webhooks_and_bad_ones_are_refused(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let good = json!({ "url": "https://example.org/hook", "kind": "GENERIC", "secret": SECRET });
    for who in [&town.liming, &town.deputy, &town.viewer] {
        let refused = app.gql(Some(who), CREATE, json!({ "i": good })).await;
        assert_eq!(code(&refused), "FORBIDDEN");
        let listed = app.gql(Some(who), "{ webhooks { id } }", json!({})).await;
        assert_eq!(code(&listed), "FORBIDDEN");
    }
    let long = format!("https://example.org/{}", "a".repeat(2000));
    for (input, field) in [
        (
            json!({ "url": "ftp://example.org/hook", "kind": "WECOM" }),
            "url",
        ),
        (
            json!({ "url": "javascript:alert(1)", "kind": "WECOM" }),
            "url",
        ),
        (json!({ "url": long, "kind": "WECOM" }), "url"),
        (
            json!({ "url": "https://example.org/hook", "kind": "GENERIC" }),
            "secret",
        ),
        (
            json!({ "url": "https://example.org/hook", "kind": "GENERIC", "secret": "hunter2" }),
            "secret",
        ),
        (
            json!({ "url": "https://example.org/hook", "kind": "WECOM", "secret": "x" }),
            "secret",
        ),
    ] {
        let refused = app
            .gql(Some(&town.presidium), CREATE, json!({ "i": input }))
            .await;
        assert_eq!(code(&refused), "VALIDATION_FAILED", "{input}: {refused}");
        assert_eq!(
            refused["errors"][0]["extensions"]["field"], field,
            "{input}"
        );
    }
    let none = app
        .ok(&town.presidium, "{ webhooks { id } }", json!({}))
        .await;
    assert_eq!(none["webhooks"], json!([]));

    let made = app.ok(&town.presidium, CREATE, json!({ "i": good })).await;
    let id = made["createWebhook"]["id"].clone();
    app.refused(
        &other.presidium,
        "mutation($id:ID!){ deleteWebhook(id:$id) }",
        json!({ "id": id }),
        "NOT_FOUND",
    )
    .await;
    let deleted = app
        .ok(
            &town.presidium,
            "mutation($id:ID!){ deleteWebhook(id:$id) }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(deleted["deleteWebhook"], true);
    let listed = app
        .ok(&town.presidium, "{ webhooks { active } }", json!({}))
        .await;
    assert_eq!(listed["webhooks"], json!([{ "active": false }]));
}
