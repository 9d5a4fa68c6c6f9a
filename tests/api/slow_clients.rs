//! Clients that hold the server: strangers are not read a large body, a body trickling in is cut
//! off, and open connections are capped.

use std::time::Duration;

use jiandu_tests::{Backend, TestApp, code};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn a_stranger_is_read_no_more_than_a_sign_in() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    // A 5 MiB upload without a sign-in is refused before its body is read.
    let started = std::time::Instant::now();
    let response = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("content-type", "multipart/form-data; boundary=XYZ")
        .header("graphql-preflight", "1")
        .body(vec![b'x'; 5 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(code(&body), "UNAUTHENTICATED");
    assert!(started.elapsed() < Duration::from_secs(5));
    // A JSON body beyond 16 KiB from a stranger is too large; a sign-in fits.
    let padded = json!({ "query": "{ __typename }", "pad": "x".repeat(20 * 1024) });
    let response = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&padded)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);
    let (_, token) = app.organization("思蒙镇", None, None).await;
    let signed = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&token)
        .json(&padded)
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status().as_u16(), 200, "signed in, the usual limit");
}

/// Writes `head` on a raw connection, then nothing more; returns what the server answers.
async fn trickle(base: &str, head: &str) -> String {
    let address = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_body_that_trickles_in_is_cut_off() {
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.body_read_timeout_secs = 1;
    })
    .await;
    let (_, token) = app.organization("思蒙镇", None, None).await;
    let head = format!(
        "POST /graphql HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\n\
         content-type: application/json\r\ncontent-length: 1000\r\nconnection: close\r\n\r\n{{\"query\""
    );
    let started = std::time::Instant::now();
    let answer = trickle(&app.base, &head).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("QUERY_TOO_COMPLEX"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn open_connections_are_capped_and_freed_as_they_close() {
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.max_connections = 2;
    })
    .await;
    let address = app.base.trim_start_matches("http://").to_string();
    let first = tokio::net::TcpStream::connect(&address).await.unwrap();
    let second = tokio::net::TcpStream::connect(&address).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let client = reqwest::Client::new();
    let waiting = client
        .get(format!("{}/healthz", app.base))
        .timeout(Duration::from_secs(1))
        .send()
        .await;
    assert!(
        waiting.is_err(),
        "a third connection waits while two are open"
    );
    drop(first);
    let served = client
        .get(format!("{}/healthz", app.base))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status().as_u16(), 200);
    drop(second);
}

#[tokio::test]
async fn headers_that_trickle_in_are_cut_off() {
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.header_read_timeout_secs = 1;
    })
    .await;
    let address = app.base.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let started = std::time::Instant::now();
    // One byte of a header every 300 ms, as a slow client keeping a connection would.
    let mut closed = false;
    for byte in b"GET /healthz HTTP/1.1\r\nhost: x\r\nx-slow: aaaaaaaaaaaaaaaaaaaaaaaa".iter() {
        if stream.write_all(&[*byte]).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        if started.elapsed() > Duration::from_secs(8) {
            break;
        }
    }
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(3), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        closed || matches!(read, Ok(Ok(_))),
        "the connection is closed: {answer}"
    );
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    // Ordinary requests are served as before.
    let healthy = reqwest::get(format!("{}/healthz", app.base)).await.unwrap();
    assert_eq!(healthy.status().as_u16(), 200);
}

/// Open files this process may hold (the soft limit), from /proc; 1024 when it cannot tell.
fn open_files_allowed() -> usize {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            limits
                .lines()
                .find(|line| line.starts_with("Max open files"))
                .and_then(|line| line.split_whitespace().nth(3)?.parse().ok())
        })
        .unwrap_or(1024)
}

/// A raw connection from `source` (any address of 127.0.0.0/8 is this machine) to `base`.
async fn connect_from(source: [u8; 4], base: &str) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket
        .bind(std::net::SocketAddr::from((source, 0)))
        .unwrap();
    let address = base.trim_start_matches("http://").parse().unwrap();
    socket.connect(address).await.unwrap()
}

/// Whether the server closes `stream` within `seconds` (whatever it answers first).
async fn closed_within(stream: &mut tokio::net::TcpStream, seconds: u64) -> bool {
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    tokio::time::timeout(Duration::from_secs(seconds), read)
        .await
        .is_ok()
}

/// The HTTP/2 preface and an empty SETTINGS frame: what a client opening HTTP/2 without TLS
/// sends before it waits.
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00";

/// A thousand connections from one address, half of them opening HTTP/2 and waiting, half
/// trickling a sign-in form's body, leave `/healthz` answering another address within a second:
/// one address has at most its share of connections, HTTP/2 without TLS is not served, an idle
/// connection is let go at the header limit and a trickling body at the body limit, on every
/// route.
#[tokio::test]
async fn a_thousand_held_connections_from_one_address_leave_the_server_answering() {
    // Limits long enough that the held connections stay held while /healthz is asked; fewer
    // connections in all than are held, so without a share per address they would fill them.
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.trusted_proxies = 0;
        config.max_connections = 256;
        config.max_connections_per_address = Some(32);
        config.header_read_timeout_secs = 30;
        config.body_read_timeout_secs = 30;
    })
    .await;
    let held = 1000.min(open_files_allowed().saturating_sub(300) / 2);
    let base = app.base.clone();
    let opening = (0..held).map(|n| {
        let base = base.clone();
        tokio::spawn(async move {
            let mut stream = connect_from([127, 0, 0, 1], &base).await;
            let first: Vec<u8> = if n % 2 == 0 {
                H2_PREFACE.to_vec()
            } else {
                b"POST /login HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 100000\r\n\r\nu".to_vec()
            };
            let _ = stream.write_all(&first).await;
            // Held until the test lets go.
            let _held = stream;
            std::future::pending::<()>().await;
        })
    });
    // Opened at once and held; the server meets them as it will (a connection it does not take
    // waits in the system's queue).
    let opening: Vec<_> = opening.collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let healthy = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let answer = healthy
        .get(format!("{}/healthz", app.base))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "/healthz took {:?} beside {held} held connections",
        started.elapsed()
    );
    for held in opening {
        held.abort();
    }

    // Each way of holding a connection, alone, is let go within the limits.
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.header_read_timeout_secs = 1;
        config.body_read_timeout_secs = 1;
    })
    .await;
    let mut h2 = connect_from([127, 0, 0, 3], &app.base).await;
    h2.write_all(H2_PREFACE).await.unwrap();
    assert!(
        closed_within(&mut h2, 3).await,
        "HTTP/2 without TLS is not served"
    );
    let mut idle = connect_from([127, 0, 0, 3], &app.base).await;
    assert!(
        closed_within(&mut idle, 4).await,
        "an idle connection is let go"
    );
    let mut trickling = connect_from([127, 0, 0, 3], &app.base).await;
    trickling
        .write_all(b"POST /login HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 1000\r\n\r\nu")
        .await
        .unwrap();
    assert!(
        closed_within(&mut trickling, 4).await,
        "a form's body trickling in is cut off"
    );
}
