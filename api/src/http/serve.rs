//! The connection loop: hyper serving the routes, with what poem's own server does not offer —
//! a time limit on reading a request's headers, so a client sending a byte every few seconds
//! cannot hold a connection open. Past the limit hyper answers 408 and closes. On the stop
//! signal it accepts no more, lets requests in flight finish (at most 30 s) and returns.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use poem::endpoint::BoxEndpoint;
use poem::listener::Acceptor;
use poem::{Endpoint, EndpointExt, Response};

/// Longest the requests in flight may take to finish once the server is told to stop.
const DRAIN: Duration = Duration::from_secs(30);

pub async fn serve<A: Acceptor>(
    mut acceptor: A,
    routes: impl Endpoint + 'static,
    header_read_timeout: Duration,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let endpoint: Arc<BoxEndpoint<'static, Response>> = Arc::new(routes.map_to_response().boxed());
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    let graceful = GracefulShutdown::new();
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
                    let request = poem::Request::from((request, local.clone(), remote.clone(), scheme.clone()));
                    async move {
                        let response = endpoint.get_response(request).await;
                        Ok::<_, Infallible>(http::Response::from(response))
                    }
                });
                let connection = builder
                    .serve_connection_with_upgrades(TokioIo::new(io), service)
                    .into_owned();
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    if let Err(error) = connection.await {
                        tracing::debug!(%error, "serving a connection");
                    }
                });
            }
        }
    }
    drop(acceptor);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "requests still running after {} s were cut off",
            DRAIN.as_secs()
        );
    }
    Ok(())
}
