//! One account's WebSocket connections: at most five at once (the sixth is closed with 4429,
//! and a closed one frees its place), and every one closed at once — not at the next ping —
//! when the account is disabled, its password changed, or the session revoked.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use graphql_ws_client::Error as WsError;
use jiandu_tests::subscriber::{connect, socket};
use jiandu_tests::town::Town;
use jiandu_tests::{PASSWORD, TestApp, current_session, e2e};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A raw connection signed in with `token` (acknowledged).
async fn signed_in(app: &TestApp, token: &str) -> Socket {
    let mut raw = socket(app).await;
    let init = json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } });
    raw.send(Message::text(init.to_string())).await.unwrap();
    match raw.next().await {
        Some(Ok(Message::Text(text))) => assert!(text.contains("connection_ack"), "{text}"),
        other => panic!("acknowledged, not {other:?}"),
    }
    raw
}

/// The close code `raw` receives within two seconds (pings are passed over).
async fn closed_within_two_seconds(raw: &mut Socket) -> u16 {
    let closing = async {
        while let Some(message) = raw.next().await {
            if let Ok(Message::Close(frame)) = message {
                return frame.map(|f| u16::from(f.code));
            }
        }
        None
    };
    tokio::time::timeout(Duration::from_secs(2), closing)
        .await
        .expect("closed within two seconds, not at the next ping")
        .expect("a close frame with a code")
}

e2e!(one_account_holds_at_most_five_connections);
async fn one_account_holds_at_most_five_connections(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let mut open = Vec::new();
    for _ in 0..5 {
        open.push(signed_in(&app, &town.deputy).await);
    }
    match connect(&app, &town.deputy).await {
        Err(WsError::Close(code, reason)) => assert_eq!(code, 4429, "{reason}"),
        Err(other) => panic!("closed with 4429, not {other:?}"),
        Ok(_) => panic!("a sixth connection was let in"),
    }
    // Another account has its own five.
    signed_in(&app, &town.liming).await;
    // A closed connection frees its place.
    let mut first = open.remove(0);
    first.close(None).await.unwrap();
    drop(first);
    let mut let_in = false;
    for _ in 0..40 {
        if connect(&app, &town.deputy).await.is_ok() {
            let_in = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(let_in, "the place of the closed connection is free again");
}

e2e!(ending_an_accounts_sessions_closes_its_connections_at_once);
async fn ending_an_accounts_sessions_closes_its_connections_at_once(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let user = |token: &str| {
        let token = token.to_string();
        let app = &app;
        async move { app.ok(&token, "{ me { id username } }", json!({})).await["me"].clone() }
    };

    // A session revoked: its connection closes; the account's other session's stays.
    let name = user(&town.liming).await["username"]
        .as_str()
        .unwrap()
        .to_string();
    let other = app.login(&name, PASSWORD).await;
    let mut revoked = signed_in(&app, &other).await;
    let mut kept = signed_in(&app, &town.liming).await;
    let sessions = app
        .ok(&other, "{ sessions { id current } }", json!({}))
        .await;
    let current = current_session(&sessions);
    app.ok(
        &other,
        "mutation($id:ID!){ revokeSession(id:$id) }",
        json!({ "id": current }),
    )
    .await;
    assert_eq!(closed_within_two_seconds(&mut revoked).await, 4401);

    // A password changed: every other session's connection closes.
    let changer = app.login(&name, PASSWORD).await;
    app.ok(
        &changer,
        "mutation($c:String!,$n:String!){ changePassword(currentPassword:$c, newPassword:$n) }",
        json!({ "c": PASSWORD, "n": "a-new-horse-battery" }),
    )
    .await;
    assert_eq!(closed_within_two_seconds(&mut kept).await, 4401);

    // An account disabled: its connections close.
    let deputy = user(&town.deputy).await;
    let mut disabled = signed_in(&app, &town.deputy).await;
    app.ok(
        &town.presidium,
        "mutation($id:ID!){ disableUser(id:$id){ id } }",
        json!({ "id": deputy["id"] }),
    )
    .await;
    assert_eq!(closed_within_two_seconds(&mut disabled).await, 4401);
}
