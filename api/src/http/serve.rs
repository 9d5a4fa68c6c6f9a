//! The connection loop: hyper serving the routes over HTTP/1.1 (HTTP/2 is left to a proxy in
//! front, which speaks it over TLS), with what poem's own server does not offer — a time limit
//! on reading a request's headers, which also closes a connection left idle that long, so a
//! client sending a byte every few seconds, or nothing, cannot hold a connection open (past it
//! hyper answers 408 and closes); and a time limit on every request's body, whichever route
//! reads it. On the stop signal it accepts no more, lets requests in flight finish (at most
//! 30 s) and returns.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use futures::Stream;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use poem::endpoint::BoxEndpoint;
use poem::listener::Acceptor;
use poem::{Endpoint, EndpointExt, Response};

/// Longest the requests in flight may take to finish once the server is told to stop.
const DRAIN: Duration = Duration::from_secs(30);

/// How long a connection may take over a request's headers (and wait idle for the next), and
/// over its body.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub header_read: Duration,
    pub body_read: Duration,
}

pub async fn serve<A: Acceptor>(
    mut acceptor: A,
    routes: impl Endpoint + 'static,
    timeouts: Timeouts,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let endpoint: Arc<BoxEndpoint<'static, Response>> = Arc::new(routes.map_to_response().boxed());
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read);
    // Told to stop: each connection finishes the request in flight and closes. Each holds a
    // sender of `alive`; once all have closed, `drained` hears nothing more.
    let (stopping, stop_heard) = tokio::sync::watch::channel(false);
    let (alive, mut drained) = tokio::sync::mpsc::channel::<()>(1);
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            accepted = acceptor.accept() => {
                let (io, local, remote, scheme) = match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        // A client that went away mid-handshake; the listener itself is fine.
                        tracing::debug!(%error, "accepting a connection");
                        continue;
                    }
                };
                let endpoint = endpoint.clone();
                let service = hyper::service::service_fn(move |request: http::Request<Incoming>| {
                    let endpoint = endpoint.clone();
                    let mut request = poem::Request::from((request, local.clone(), remote.clone(), scheme.clone()));
                    let body = request.take_body();
                    request.set_body(within(body, timeouts.body_read));
                    async move {
                        let response = endpoint.get_response(request).await;
                        Ok::<_, Infallible>(http::Response::from(response))
                    }
                });
                let connection = builder
                    .serve_connection(TokioIo::new(io), service)
                    .with_upgrades();
                let (mut stop_heard, alive) = (stop_heard.clone(), alive.clone());
                tokio::spawn(async move {
                    let _alive = alive;
                    tokio::pin!(connection);
                    let served = tokio::select! {
                        served = connection.as_mut() => served,
                        _ = async { stop_heard.wait_for(|stop| *stop).await.map(drop) } => {
                            connection.as_mut().graceful_shutdown();
                            connection.await
                        }
                    };
                    if let Err(error) = served {
                        tracing::debug!(%error, "serving a connection");
                    }
                });
            }
        }
    }
    drop(acceptor);
    let _ = stopping.send(true);
    drop(alive);
    if tokio::time::timeout(DRAIN, drained.recv()).await.is_err() {
        tracing::warn!(
            "requests still running after {} s were cut off",
            DRAIN.as_secs()
        );
    }
    Ok(())
}

/// `body`, failing with `TimedOut` once `limit` has passed since the request's headers came:
/// a body trickling in holds its connection no longer, whichever route reads it.
fn within(body: poem::Body, limit: Duration) -> poem::Body {
    let mut bytes = Box::pin(body.into_bytes_stream());
    let mut deadline = Box::pin(tokio::time::sleep(limit));
    let mut late = false;
    poem::Body::from_bytes_stream(futures::stream::poll_fn(move |cx| {
        if late {
            return Poll::Ready(None);
        }
        if let Poll::Ready(next) = bytes.as_mut().poll_next(cx) {
            return Poll::Ready(next);
        }
        if deadline.as_mut().poll(cx).is_ready() {
            late = true;
            return Poll::Ready(Some(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the request body took too long to arrive",
            ))));
        }
        Poll::Pending
    }))
}
