//! A cap on open connections: the acceptor takes a permit before it accepts, and a connection
//! gives it back when it closes. Past the cap, new clients wait in the operating system's accept
//! queue instead of each holding memory and a task here (300 half-sent requests made `/healthz`
//! time out before the cap). And a cap per address, under it: one client opening a thousand
//! connections has the rest closed as they come, so the shared cap is never its alone.

use std::collections::HashMap;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use poem::http::uri::Scheme;
use poem::listener::Acceptor;
use poem::web::{LocalAddr, RemoteAddr};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub struct Capped<A> {
    inner: A,
    open: Arc<Semaphore>,
    by_address: Arc<ByAddress>,
}

/// Open connections by the address they come from, each at most `most` (0: no cap).
struct ByAddress {
    most: usize,
    open: Mutex<HashMap<IpAddr, usize>>,
}

impl<A> Capped<A> {
    /// At most `max_connections` open, and at most `per_address` of them from one address (0:
    /// no cap per address, as behind a proxy whose connections all come from one).
    pub fn new(inner: A, max_connections: usize, per_address: usize) -> Self {
        Capped {
            inner,
            open: Arc::new(Semaphore::new(max_connections.max(1))),
            by_address: Arc::new(ByAddress {
                most: per_address,
                open: Mutex::default(),
            }),
        }
    }
}

/// A connection's place among those of its address, given back when it is dropped.
struct Seat {
    by_address: Arc<ByAddress>,
    address: IpAddr,
}

impl ByAddress {
    fn admit(self: &Arc<Self>, address: IpAddr) -> Option<Seat> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let held = open.entry(address).or_default();
        if self.most > 0 && *held >= self.most {
            return None;
        }
        *held += 1;
        Some(Seat {
            by_address: self.clone(),
            address,
        })
    }
}

impl Drop for Seat {
    fn drop(&mut self) {
        let mut open = self
            .by_address
            .open
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(held) = open.get_mut(&self.address) {
            *held -= 1;
            if *held == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// A connection holding one of the permits, and its place among its address's, until it is
/// dropped.
pub struct Counted<Io> {
    io: Io,
    _permit: OwnedSemaphorePermit,
    _seat: Option<Seat>,
}

impl<A: Acceptor> Acceptor for Capped<A> {
    type Io = Counted<A::Io>;

    fn local_addr(&self) -> Vec<LocalAddr> {
        self.inner.local_addr()
    }

    async fn accept(&mut self) -> io::Result<(Self::Io, LocalAddr, RemoteAddr, Scheme)> {
        loop {
            let permit = self
                .open
                .clone()
                .acquire_owned()
                .await
                .map_err(io::Error::other)?;
            let (io, local, remote, scheme) = self.inner.accept().await?;
            let seat = match remote.as_socket_addr() {
                Some(address) => match self.by_address.admit(address.ip()) {
                    Some(seat) => Some(seat),
                    // Over its address's share: closed as it came (dropping it), and the next.
                    None => continue,
                },
                None => None,
            };
            return Ok((
                Counted {
                    io,
                    _permit: permit,
                    _seat: seat,
                },
                local,
                remote,
                scheme,
            ));
        }
    }
}

impl<Io: AsyncRead + Unpin> AsyncRead for Counted<Io> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<Io: AsyncWrite + Unpin> AsyncWrite for Counted<Io> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
}
