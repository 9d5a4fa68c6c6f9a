//! A webhook receiver on loopback for the delivery tests: it keeps every request it gets and
//! answers each with the next status it was given (then 200).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use poem::listener::{Acceptor, Listener, TcpListener};
use poem::{Request, Response, Server, endpoint::make};

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    /// Path and query.
    pub uri: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_default()
    }
}

pub struct Receiver {
    /// Where it listens, e.g. `http://127.0.0.1:41234`.
    pub base: String,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    /// Listens on a free loopback port; answers the first requests with `statuses`, in turn.
    pub async fn start(statuses: &[u16]) -> Receiver {
        Receiver::answering_after(statuses, Duration::ZERO).await
    }

    /// [`Receiver::start`], each answer `after` a wait (a slow receiver).
    pub async fn answering_after(statuses: &[u16], after: Duration) -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let answers = Arc::new(Mutex::new(
            statuses.iter().copied().collect::<VecDeque<_>>(),
        ));
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .expect("a loopback port");
        let port = acceptor.local_addr()[0]
            .as_socket_addr()
            .expect("a socket address")
            .port();
        let kept = got.clone();
        let endpoint = make(move |request: Request| {
            let kept = kept.clone();
            let answers = answers.clone();
            async move {
                tokio::time::sleep(after).await;
                answer(request, kept, answers).await
            }
        });
        tokio::spawn(Server::new_with_acceptor(acceptor).run(endpoint));
        Receiver {
            base: format!("http://127.0.0.1:{port}"),
            got,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.got.lock().map(|g| g.clone()).unwrap_or_default()
    }

    /// Waits up to `within` for `count` requests; returns what came.
    pub async fn wait_for(&self, count: usize, within: Duration) -> Vec<Received> {
        let started = std::time::Instant::now();
        loop {
            let got = self.received();
            if got.len() >= count || started.elapsed() > within {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn answer(
    request: Request,
    kept: Arc<Mutex<Vec<Received>>>,
    answers: Arc<Mutex<VecDeque<u16>>>,
) -> Response {
    let uri = request.uri().to_string();
    let headers = request
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    let body = request.into_body().into_string().await.unwrap_or_default();
    if let Ok(mut kept) = kept.lock() {
        kept.push(Received { uri, headers, body });
    }
    let status = answers
        .lock()
        .ok()
        .and_then(|mut a| a.pop_front())
        .unwrap_or(200);
    let mut response = Response::builder()
        .status(poem::http::StatusCode::from_u16(status).unwrap_or_default())
        .body("{}");
    if (300..400).contains(&status) {
        response.headers_mut().insert(
            poem::http::header::LOCATION,
            poem::http::HeaderValue::from_static("http://127.0.0.1:9/elsewhere"),
        );
    }
    response
}
