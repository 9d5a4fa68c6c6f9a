//! A real browser for the workbench's tests: Debian's Chromium, headless, driven through
//! ChromeDriver's W3C WebDriver protocol over loopback (plain HTTP and JSON, so no crate that
//! downloads a browser of its own).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};
use tokio::process::{Child, Command};

/// The element reference key of the W3C protocol.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Where ChromeDriver and Chromium are, if this machine has them.
pub fn installed() -> Option<(PathBuf, PathBuf)> {
    let driver = std::env::var_os("JIANDU_CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"));
    let browser = std::env::var_os("JIANDU_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    (driver.exists() && browser.exists()).then_some((driver, browser))
}

/// ChromeDriver and Chromium for a browser journey, or `None` (said on stderr) when this
/// machine has none, which fails the test instead when `JIANDU_REQUIRE_BROWSER` is set (as
/// `.ci/run` does after installing them).
pub fn required() -> Option<(PathBuf, PathBuf)> {
    let found = installed();
    if found.is_none() {
        assert!(
            std::env::var_os("JIANDU_REQUIRE_BROWSER").is_none(),
            "JIANDU_REQUIRE_BROWSER is set but Chromium or ChromeDriver is missing"
        );
        eprintln!(
            "skipped: no Chromium and ChromeDriver on this machine \
             (apt-get install chromium chromium-driver to run the browser journeys)"
        );
    }
    found
}

/// Where the browser journeys save their screenshots: `target/screenshots/`.
pub fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&dir).expect("the screenshot folder");
    dir
}

/// A running ChromeDriver with one browser session; `quit` ends the browser, and dropping it
/// stops the driver.
pub struct Browser {
    client: reqwest::Client,
    session: String,
    base: String,
    _driver: Child,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Browser {
    /// Starts ChromeDriver and a headless Chromium window `width` × `height` pixels.
    pub async fn start(driver: &Path, browser: &Path, width: u32, height: u32) -> Browser {
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..100 {
            let ready = client.get(format!("{base}/status")).send().await;
            if let Ok(answer) = ready
                && let Ok(status) = answer.json::<Value>().await
                && status["value"]["ready"] == true
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": browser,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--lang=zh-CN", format!("--window-size={width},{height}"),
                ],
            },
        } } });
        let created = answer_to(client.post(format!("{base}/session")).json(&capabilities)).await;
        let session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("a browser session: {created}"))
            .to_string();
        Browser {
            client,
            session,
            base,
            _driver: child,
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        self.try_call(method, path, body)
            .await
            .unwrap_or_else(|error| panic!("{path}: {error}"))
    }

    /// A command's value, or the driver's error.
    async fn try_call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> Result<Value, Value> {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let request = self.client.request(method.clone(), url);
        // A GET carries no body; ChromeDriver refuses one.
        let request = if method == reqwest::Method::GET {
            request
        } else {
            request.json(&body)
        };
        let answer = answer_to(request).await;
        if answer["value"]["error"].is_string() {
            return Err(answer["value"].clone());
        }
        Ok(answer["value"].clone())
    }

    pub async fn open(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", json!({ "url": url }))
            .await;
    }

    pub async fn resize(&self, width: u32, height: u32) {
        self.call(
            reqwest::Method::POST,
            "/window/rect",
            json!({ "width": width, "height": height }),
        )
        .await;
    }

    /// The element `css` selects, waiting up to five seconds for it (a page a form led to may
    /// still be loading).
    pub async fn find(&self, css: &str) -> String {
        let query = json!({ "using": "css selector", "value": css });
        let mut found = Value::Null;
        for _ in 0..50 {
            match self
                .try_call(reqwest::Method::POST, "/element", query.clone())
                .await
            {
                Ok(element) => {
                    found = element;
                    break;
                }
                Err(error) if error["error"] == "no such element" => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(error) => panic!("/element {css}: {error}"),
            }
        }
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_string()
    }

    /// Types `text` into the element `css` (for a file input: a file's path).
    pub async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            json!({ "text": text }),
        )
        .await;
    }

    pub async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            json!({}),
        )
        .await;
    }

    /// Clicks what leads to another page (a link, a form's button) and waits until that page
    /// has loaded: the old page's window is marked, and the mark is gone from the new one.
    pub async fn follow(&self, css: &str) {
        self.evaluate("window.jianduLeaving = true; return true;")
            .await;
        self.click(css).await;
        for _ in 0..100 {
            let arrived = self
                .evaluate("return !window.jianduLeaving && document.readyState === 'complete';")
                .await;
            if arrived == true {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("clicking {css} led to no new page within ten seconds");
    }

    /// Sets a date input as the date picker would (typed dates depend on the browser's locale).
    pub async fn set_value(&self, css: &str, value: &str) {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            json!({
                "script": "document.querySelector(arguments[0]).value = arguments[1];",
                "args": [css, value],
            }),
        )
        .await;
    }

    pub async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", Value::Null)
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The page's visible text.
    pub async fn text(&self, css: &str) -> String {
        let id = self.find(css).await;
        self.call(
            reqwest::Method::GET,
            &format!("/element/{id}/text"),
            Value::Null,
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// A script's answer, evaluated in the page (reading only: measuring the layout).
    pub async fn evaluate(&self, script: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            json!({ "script": script, "args": [] }),
        )
        .await
    }

    /// Ends the browser session (and the browser with it).
    pub async fn quit(self) {
        let url = format!("{}/session/{}", self.base, self.session);
        let _ = self.client.delete(url).send().await;
    }

    /// Signs in at the workbench on `base` as `username` (with the tests' password) and checks
    /// the browser lands on the board.
    pub async fn sign_in(&self, base: &str, username: &str) {
        self.open(&format!("{base}/login")).await;
        self.type_into("#username", username).await;
        self.type_into("#password", crate::PASSWORD).await;
        self.follow("form[action=\"/login\"] button[type=submit]")
            .await;
        assert_eq!(
            self.url().await,
            format!("{base}/"),
            "signed in as {username}"
        );
    }

    /// Whether the page is no wider than the window: nothing to scroll sideways on a phone.
    pub async fn fits(&self) -> bool {
        self.evaluate("return document.documentElement.scrollWidth <= window.innerWidth;")
            .await
            == true
    }

    /// Saves what the window shows as a PNG at `path`.
    pub async fn screenshot(&self, path: &Path) {
        let encoded = self
            .call(reqwest::Method::GET, "/screenshot", Value::Null)
            .await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap_or_default())
            .expect("a base64 PNG");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("the screenshot folder");
        }
        std::fs::write(path, png).expect("the screenshot is written");
    }
}

/// ChromeDriver's answer to `request`.
async fn answer_to(request: reqwest::RequestBuilder) -> Value {
    let response = request.send().await.expect("chromedriver answers");
    response.json().await.expect("a JSON answer")
}
