//! One subscription connection's state, and what it does with each client message: signing
//! in with `connection_init`, screening and counting each `subscribe`, letting go of a
//! subscription on `complete`.

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_graphql::dataloader::{DataLoader, HashMapCache};
use async_graphql::http::{ClientMessage, WsMessage};
use async_graphql::parser::types::{DocumentOperations, OperationType};
use poem::web::websocket::Message;
use serde_json::json;
use tokio::sync::mpsc;

use crate::error::AppError;
use crate::graphql::context::Request;
use crate::graphql::loaders::Batch;
use crate::http::AppState;
use crate::http::caller;
use crate::service::Actor;
use crate::service::accounts::{CHANGE_PASSWORD_FIRST, Caller};

use super::MOST_SUBSCRIPTIONS;

/// The signed-in caller of a connection.
#[derive(Clone)]
pub(super) struct Signed {
    pub(super) actor: Arc<Actor>,
    pub(super) token: String,
}

/// What the reading side, the writing side and the watchdog of one connection share.
pub(super) struct Connection {
    pub(super) state: AppState,
    pub(super) client: Option<IpAddr>,
    /// The workbench session the upgrade carried from a page of this site.
    pub(super) session: Option<String>,
    pub(super) signed: Mutex<Option<Signed>>,
    /// The caller's seat among their open connections, held while the connection lasts.
    pub(super) seat: Mutex<Option<super::sockets::Seat>>,
    /// The ids of the subscriptions running.
    pub(super) active: Mutex<HashSet<String>>,
    pub(super) last_heard: Mutex<Instant>,
    /// Messages the server sends of its own accord: refusals, pings, closes.
    pub(super) own: mpsc::Sender<WsMessage>,
}

pub(super) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Connection {
    /// A client message as the protocol layer should see it, or `None` when it is answered
    /// here (a refusal) or is not for it (pings and pongs of the WebSocket itself).
    pub(super) async fn screen(
        &self,
        message: Message,
    ) -> Option<serde_json::Result<ClientMessage>> {
        *lock(&self.last_heard) = Instant::now();
        let bytes = match message {
            Message::Text(text) => text.into_bytes(),
            Message::Binary(bytes) => bytes,
            Message::Ping(_) | Message::Pong(_) | Message::Close(_) => return None,
        };
        match ClientMessage::from_bytes(bytes) {
            Ok(ClientMessage::ConnectionInit { payload }) => self.sign_in(payload).await,
            Ok(ClientMessage::Start { id, payload }) => self.start(id, payload).await,
            Ok(ClientMessage::Stop { id }) => {
                lock(&self.active).remove(&id);
                Some(Ok(ClientMessage::Stop { id }))
            }
            other => Some(other),
        }
    }

    /// Signs the connection in with the token `connection_init` carries; closes it with 4403
    /// when there is none or it is refused.
    async fn sign_in(
        &self,
        payload: Option<serde_json::Value>,
    ) -> Option<serde_json::Result<ClientMessage>> {
        if lock(&self.signed).is_some() {
            // The protocol layer closes with 4429 (too many initialisation requests).
            return Some(Ok(ClientMessage::ConnectionInit { payload }));
        }
        let token = payload
            .as_ref()
            .and_then(token_of)
            .or_else(|| self.session.clone());
        let refusal = match token {
            None => Some("send the token in connection_init: {\"authorization\": \"Bearer …\"}"),
            Some(token) => match caller::identify(&self.state, Some(token)).await {
                Ok(Caller::Signed {
                    must_change_password: true,
                    ..
                }) => Some(CHANGE_PASSWORD_FIRST),
                Ok(Caller::Signed { actor, token, .. }) => {
                    let most = self.state.limits.max_sockets_per_user;
                    match self.state.sockets.admit(actor.user_id(), most) {
                        Some(seat) => {
                            *lock(&self.seat) = Some(seat);
                            *lock(&self.signed) = Some(Signed { actor, token });
                            None
                        }
                        None => {
                            let why = format!(
                                "this account has {most} connections open already; close one first"
                            );
                            let _ = self.own.send(WsMessage::Close(4429, why)).await;
                            return None;
                        }
                    }
                }
                Ok(Caller::Anonymous | Caller::Rejected(_)) => {
                    Some("the token is unknown, expired or revoked; sign in again")
                }
                Err(_) => Some("cannot check the token now; try again shortly"),
            },
        };
        match refusal {
            Some(why) => {
                let _ = self.own.send(WsMessage::Close(4403, why.to_string())).await;
                None
            }
            None => Some(Ok(ClientMessage::ConnectionInit { payload })),
        }
    }

    /// Passes a `subscribe` on with the caller's data, or refuses it (an `error` message for
    /// its id) when it breaks a limit or is not a subscription.
    async fn start(
        &self,
        id: String,
        request: async_graphql::Request,
    ) -> Option<serde_json::Result<ClientMessage>> {
        let Some(signed) = lock(&self.signed).clone() else {
            let _ = self
                .own
                .send(WsMessage::Close(4401, "Unauthorized".into()))
                .await;
            return None;
        };
        if lock(&self.active).contains(&id) {
            let _ = self
                .own
                .send(WsMessage::Close(
                    4409,
                    format!("Subscriber for {id} already exists"),
                ))
                .await;
            return None;
        }
        match self.admit(&signed, request) {
            Ok(request) => {
                lock(&self.active).insert(id.clone());
                Some(Ok(ClientMessage::Start {
                    id,
                    payload: request,
                }))
            }
            Err(error) => {
                let refusal = json!({
                    "type": "error",
                    "id": id,
                    "payload": [{
                        "message": error.client_message(),
                        "extensions": { "code": error.code() },
                    }],
                });
                let _ = self.own.send(WsMessage::Text(refusal.to_string())).await;
                None
            }
        }
    }

    fn admit(
        &self,
        signed: &Signed,
        mut request: async_graphql::Request,
    ) -> Result<async_graphql::Request, AppError> {
        let state = &self.state;
        if lock(&self.active).len() >= MOST_SUBSCRIPTIONS {
            return Err(AppError::TooComplex(format!(
                "at most {MOST_SUBSCRIPTIONS} subscriptions at once on one connection"
            )));
        }
        state
            .rate
            .take(signed.actor.user_id())
            .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
        let parsed = crate::http::graphql::check_shape(
            &request.query,
            &state.query_limits,
            &state.documents,
        )
        .map_err(AppError::TooComplex)?;
        if let Some(parsed) = parsed {
            let document = &parsed.1;
            let operation = match (&document.operations, request.operation_name.as_deref()) {
                (DocumentOperations::Single(operation), _) => Some(operation),
                (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name),
                (DocumentOperations::Multiple(_), None) => None,
            };
            if operation.is_some_and(|o| o.node.ty != OperationType::Subscription) {
                return Err(AppError::BadRequest(
                    "only subscriptions are served here; send queries and mutations to \
                     POST /graphql"
                        .into(),
                ));
            }
            request.set_parsed_query(document.clone());
        }
        let batch = Batch {
            ctx: state.ctx.clone(),
            actor: signed.actor.clone(),
        };
        // A subscription answers for as long as it lasts: nothing is kept from one answer to
        // the next, or it would answer with what was true when it began.
        let loader = DataLoader::with_cache(batch, tokio::spawn, HashMapCache::default());
        loader.enable_all_cache(false);
        let caller = Caller::Signed {
            actor: signed.actor.clone(),
            token: signed.token.clone(),
            must_change_password: false,
        };
        Ok(request
            .data(loader)
            .data(Request::lasting(caller, state.ctx.now(), self.client)))
    }

    /// Notes the end of a subscription the server ended (`complete`, or an `error`).
    pub(super) fn observe(&self, text: &str) {
        #[derive(serde::Deserialize)]
        struct Ended {
            id: String,
        }
        let ending =
            text.starts_with(r#"{"type":"complete""#) || text.starts_with(r#"{"type":"error""#);
        if ending && let Ok(ended) = serde_json::from_str::<Ended>(text) {
            lock(&self.active).remove(&ended.id);
        }
    }
}

/// The token of a `connection_init` payload: `authorization` ("Bearer …") or `token`, their
/// names in any case.
fn token_of(payload: &serde_json::Value) -> Option<String> {
    let object = payload.as_object()?;
    let field = |name: &str| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .and_then(|(_, value)| value.as_str())
            .map(str::trim)
    };
    match field("authorization") {
        Some(value) => caller::bearer_token(value),
        None => field("token")
            .filter(|token| !token.is_empty())
            .map(str::to_string),
    }
}
