//! Subscribing as clients do: `graphql-ws-client` speaking graphql-transport-ws over
//! tokio-tungstenite to `/graphql/ws`.

use std::future::IntoFuture;
use std::time::Duration;

use futures::StreamExt;
use graphql_ws_client::graphql::GraphqlOperation;
use graphql_ws_client::{Client, Subscription};
use serde::Serialize;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::TestApp;

/// A subscription document with its variables; its answers are the raw JSON payloads.
#[derive(Serialize)]
pub struct Operation {
    pub query: String,
    pub variables: Value,
}

impl GraphqlOperation for Operation {
    type Response = Value;
    type Error = serde_json::Error;

    fn decode(&self, data: Value) -> Result<Value, serde_json::Error> {
        Ok(data)
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A WebSocket to `app`'s `/graphql/ws`, asking for graphql-transport-ws.
pub async fn socket(app: &TestApp) -> Socket {
    socket_with(app, &[]).await
}

/// [`socket`], the upgrade request carrying `headers` too (a browser's Origin and cookie).
pub async fn socket_with(app: &TestApp, headers: &[(&'static str, &str)]) -> Socket {
    let url = format!("{}/graphql/ws", app.base.replacen("http", "ws", 1));
    let mut request = url.into_client_request().expect("a WebSocket URL");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    for (name, value) in headers {
        request
            .headers_mut()
            .insert(*name, value.parse().expect("a header value"));
    }
    let (socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("the WebSocket upgrade");
    socket
}

/// A client signed in with `token` (through `connection_init`), or the error that refused it.
pub async fn connect(app: &TestApp, token: &str) -> Result<Client, graphql_ws_client::Error> {
    let payload = json!({ "authorization": format!("Bearer {token}") });
    connect_over(socket(app).await, payload).await
}

/// A client on `socket` that sends `payload` with `connection_init`.
pub async fn connect_over(
    socket: Socket,
    payload: Value,
) -> Result<Client, graphql_ws_client::Error> {
    let (client, actor) = Client::build(socket).payload(payload)?.await?;
    tokio::spawn(actor.into_future());
    Ok(client)
}

pub async fn subscribe(client: &Client, query: &str, variables: Value) -> Subscription<Operation> {
    client
        .subscribe(Operation {
            query: query.to_string(),
            variables,
        })
        .await
        .expect("subscribing")
}

/// The next answer of `subscription`, within ten seconds.
pub async fn next(subscription: &mut Subscription<Operation>) -> Value {
    tokio::time::timeout(Duration::from_secs(10), subscription.next())
        .await
        .expect("an answer within 10 s")
        .expect("the subscription still open")
        .expect("an answer that decodes")
}

/// Waits until `app` has `count` subscriptions running (from its `/metrics`), so that what a
/// test writes next is heard.
pub async fn running(app: &TestApp, count: usize) {
    for _ in 0..200 {
        let metrics = app.get(None, "/metrics").await.text().await.unwrap();
        let running = metrics
            .lines()
            .find_map(|line| line.strip_prefix("jiandu_subscriptions "))
            .and_then(|n| n.trim().parse::<usize>().ok());
        if running == Some(count) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{count} subscriptions never ran on {}", app.base);
}
