//! `/graphql/ws`: subscriptions over the graphql-transport-ws protocol.
//!
//! The caller signs in with `connection_init` (`{"authorization": "Bearer <token>"}`, or
//! `{"token": "<token>"}`; a workbench page of this site with its session cookie), and the connection is held to limits of its own: subscriptions only
//! (queries and mutations go to `POST /graphql`, with their idempotency keys and limits), at most
//! [`MOST_SUBSCRIPTIONS`] at once, each document checked like a request's, each `subscribe`
//! counted against the user's request rate, messages of at most [`MOST_MESSAGE_BYTES`]. The
//! server pings every [`PING_EVERY`]; a client silent for [`SILENT_FOR`] is let go, and so is one
//! whose session ends (signed out, expired, disabled), checked as often. Here: the upgrade, the
//! reading and writing sides and the watchdog; in `connection`, what each client message does.

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_graphql::Executor;
use async_graphql::http::{WebSocket as GraphqlWs, WebSocketProtocols as Protocols, WsMessage};
use futures::stream::BoxStream;
use futures::{SinkExt, StreamExt};
use poem::http::{HeaderMap, header};
use poem::web::websocket::{Message, WebSocket, WebSocketConfig, WebSocketStream};
use poem::web::{Data, RemoteAddr};
use poem::{IntoResponse, Response, handler};
use serde_json::json;
use tokio::sync::mpsc;

use super::caller;
use super::{AppState, error_response};
use crate::error::AppError;
use crate::graphql::JianduSchema;
use crate::graphql::error::give_codes;
use crate::service::accounts::Caller;

mod connection;
mod sockets;

pub use sockets::Sockets;

use connection::{Connection, lock};

/// The one protocol served.
const PROTOCOL: &str = "graphql-transport-ws";

/// Subscriptions one connection may hold at once.
pub const MOST_SUBSCRIPTIONS: usize = 10;

/// The longest message a client may send (a subscription document and its variables).
pub const MOST_MESSAGE_BYTES: usize = 64 * 1024;

/// How long a client has to send `connection_init` after connecting.
const INIT_WITHIN: Duration = Duration::from_secs(10);

/// How often the server pings, and checks that the caller's session still stands.
const PING_EVERY: Duration = Duration::from_secs(30);

/// A client that has sent nothing (not even a pong) for this long is gone.
const SILENT_FOR: Duration = Duration::from_secs(75);

#[handler]
pub async fn upgrade(
    ws: WebSocket,
    headers: &HeaderMap,
    remote: &RemoteAddr,
    Data(state): Data<&AppState>,
) -> Response {
    let offered = headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|p| p.trim() == PROTOCOL));
    if !offered {
        return error_response(AppError::BadRequest(format!(
            "subscriptions speak the `{PROTOCOL}` WebSocket subprotocol; ask for it in \
             Sec-WebSocket-Protocol"
        )));
    }
    let client = super::client::address(headers, remote, state.limits.trusted_proxies);
    // The workbench's pages sign in with their session cookie, which only a page of this very
    // site can send along: a browser always names the page's origin, and another site's page
    // cannot pass for this one.
    let session = same_origin(headers)
        .then(|| super::session::session_token(headers))
        .flatten();
    let state = state.clone();
    let mut config = WebSocketConfig::default();
    config.max_message_size = Some(MOST_MESSAGE_BYTES);
    config.max_frame_size = Some(MOST_MESSAGE_BYTES);
    ws.protocols([PROTOCOL])
        .config(config)
        .on_upgrade(move |socket| serve(socket, state, client, session))
        .into_response()
}

/// The schema, its answers' errors given codes as `POST /graphql` gives them.
#[derive(Clone)]
struct Coded(JianduSchema);

impl Executor for Coded {
    async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        let mut response = self.0.execute(request).await;
        give_codes(&mut response);
        response
    }

    fn execute_stream(
        &self,
        request: async_graphql::Request,
        session_data: Option<Arc<async_graphql::Data>>,
    ) -> BoxStream<'static, async_graphql::Response> {
        Executor::execute_stream(&self.0, request, session_data)
            .map(|mut response| {
                give_codes(&mut response);
                response
            })
            .boxed()
    }
}

/// Whether the request's `Origin` is the site it is sent to (`Host`).
fn same_origin(headers: &HeaderMap) -> bool {
    let value = |name| headers.get(name).and_then(|v| v.to_str().ok());
    match (value(header::ORIGIN), value(header::HOST)) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, origin_host)| origin_host.eq_ignore_ascii_case(host)),
        _ => false,
    }
}

async fn serve(
    socket: WebSocketStream,
    state: AppState,
    client: Option<IpAddr>,
    session: Option<String>,
) {
    let (mut sink, stream) = socket.split();
    let (own, mut own_messages) = mpsc::channel(16);
    let connection = Arc::new(Connection {
        state: state.clone(),
        client,
        session,
        signed: Mutex::new(None),
        seat: Mutex::new(None),
        active: Mutex::new(HashSet::new()),
        last_heard: Mutex::new(Instant::now()),
        own,
    });
    let reader = connection.clone();
    let incoming = stream
        .take_while(|message| std::future::ready(matches!(message, Ok(m) if !m.is_close())))
        .filter_map(move |message| {
            let connection = reader.clone();
            async move { connection.screen(message.ok()?).await }
        });
    let mut graphql = std::pin::pin!(GraphqlWs::from_message_stream(
        Coded(state.schema.clone()),
        incoming,
        Protocols::GraphQLWS
    ));
    let watchdog = tokio::spawn(watch(connection.clone()));
    loop {
        let message = tokio::select! {
            message = graphql.next() => match message {
                Some(message) => message,
                None => break,
            },
            Some(message) = own_messages.recv() => message,
        };
        match message {
            WsMessage::Text(text) => {
                connection.observe(&text);
                if sink.send(Message::Text(text)).await.is_err() {
                    break;
                }
            }
            WsMessage::Close(code, reason) => {
                let _ = sink.send(Message::close_with(code, reason)).await;
                break;
            }
        }
    }
    watchdog.abort();
}

/// Pings, lets go of a silent client, closes a connection never initialised or whose session
/// has ended.
async fn watch(connection: Arc<Connection>) {
    let opened = Instant::now();
    let mut ticks = tokio::time::interval(Duration::from_secs(1));
    let mut last_ping = Instant::now();
    let mut ended = connection.state.ctx.db.events().sessions_ended();
    loop {
        // Sessions ended for this user (disabled, a password changed, a session revoked: on
        // any replica) are checked at once, not at the next ping.
        let ended_for = tokio::select! {
            _ = ticks.tick() => None,
            user = ended.recv() => match user {
                Ok(user) => Some(Some(user)),
                // Fell behind: whichever it missed, check.
                Err(_) => Some(None),
            },
        };
        let signed = lock(&connection.signed).clone();
        let close = |code: u16, reason: &str| WsMessage::Close(code, reason.to_string());
        let Some(signed) = signed else {
            if opened.elapsed() >= INIT_WITHIN {
                let _ = connection
                    .own
                    .send(close(4408, "Connection initialisation timeout"))
                    .await;
                return;
            }
            continue;
        };
        if lock(&connection.last_heard).elapsed() >= SILENT_FOR {
            let _ = connection.own.send(close(3008, "timeout")).await;
            return;
        }
        let check_now =
            ended_for.is_some_and(|user| user.is_none_or(|u| u == signed.actor.user_id()));
        if !check_now && last_ping.elapsed() < PING_EVERY {
            continue;
        }
        if !check_now {
            last_ping = Instant::now();
        }
        match caller::identify(&connection.state, Some(signed.token.clone())).await {
            Ok(Caller::Signed {
                must_change_password: false,
                ..
            }) => {}
            Ok(_) => {
                let _ = connection
                    .own
                    .send(close(4401, "the session has ended; sign in again"))
                    .await;
                return;
            }
            // The database is away for now: the session is checked again at the next ping.
            Err(_) => {}
        }
        if check_now {
            continue;
        }
        let ping = json!({ "type": "ping" }).to_string();
        if connection.own.send(WsMessage::Text(ping)).await.is_err() {
            return;
        }
    }
}
