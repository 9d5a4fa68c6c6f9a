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
