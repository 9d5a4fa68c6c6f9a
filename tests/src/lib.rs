//! Test harness: starts the real server on port 0 against its own database (a fresh SQLite file,
//! or a fresh PostgreSQL database when `JIANDU_TEST_POSTGRES_URL` is set) and talks to it over
//! HTTP like any client.

#![allow(clippy::unwrap_used)] // a test that meets the unexpected should stop there

pub use database::{EmptyDatabase, OldTown, execute_numbered};

use std::path::PathBuf;

use jiandu_api::service::accounts::{self, NewUser};
use jiandu_api::service::organizations::{self, NewOrganization};
use jiandu_api::service::{Actor, Ctx};
use jiandu_api::{App, Config};
use jiandu_domain::Role;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

mod answers;
mod database;
pub mod docx;
mod history;
pub mod ledger;
pub mod office;
pub mod process;
pub mod receiver;
mod steps;
pub mod subscriber;
pub mod town;
mod uploads;
pub mod web;
pub mod webdriver;

pub use answers::{DEADLINE_STATES, answer_of, current_session, texts};

pub const PASSWORD: &str = "correct-horse-battery";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub ctx: Ctx,
    pub backend: Backend,
    /// The configuration it was started with (a replica starts with the same).
    config: Config,
    sqlite_file: Option<PathBuf>,
    pub data_dir: PathBuf,
}

impl TestApp {
    /// The database the server runs on, for the command line to open too.
    pub fn database_url(&self) -> &str {
        &self.config.database_url
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
        if let Some(file) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
    }
}

/// Runs a test body once on SQLite and, when `JIANDU_TEST_POSTGRES_URL` is set, once on a fresh
/// PostgreSQL database: `e2e!(scenario)` makes `scenario::sqlite` and `scenario::postgres`.
#[macro_export]
macro_rules! e2e {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name($crate::TestApp::spawn($crate::Backend::Sqlite).await).await;
            }

            #[tokio::test]
            async fn postgres() {
                if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_some() {
                    super::$name($crate::TestApp::spawn($crate::Backend::Postgres).await).await;
                }
            }
        }
    };
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        // Tests drive one user hard; the per-user request rate has its own test. Tests that
        // stand for clients at several addresses send X-Forwarded-For as one proxy would.
        TestApp::spawn_with(backend, |config| {
            config.user_requests_per_second = 100_000;
            config.user_request_burst = 100_000;
            config.trusted_proxies = 1;
        })
        .await
    }

    /// A server that keeps nothing between requests (`--figures-cache-secs 0`): every figure and
    /// list answered from its SQL, as a check on what a server keeps.
    pub async fn spawn_keeping_nothing(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, |config| {
            config.user_requests_per_second = 100_000;
            config.user_request_burst = 100_000;
            config.trusted_proxies = 1;
            config.figures_cache_secs = 0;
        })
        .await
    }

    /// A server whose configuration `configure` adjusts first.
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Config)) -> TestApp {
        jiandu_api::telemetry::init_for_tests();
        let (url, sqlite_file) = match backend {
            Backend::Sqlite => {
                let file =
                    std::env::temp_dir().join(format!("jiandu-test-{}.db", uuid::Uuid::now_v7()));
                (format!("sqlite://{}?mode=rwc", file.display()), Some(file))
            }
            Backend::Postgres => (fresh_postgres_database().await, None),
        };
        let mut config = Config::new(url);
        config.bind = "127.0.0.1:0".into();
        let data_dir = std::env::temp_dir().join(format!("jiandu-test-{}", uuid::Uuid::now_v7()));
        config.data_dir = data_dir.clone();
        config.test_hooks = true;
        // The tests' webhook receivers listen on this machine, which webhooks do not reach
        // otherwise; the test of that rule takes this away.
        config.webhook_allow_hosts = Some("127.0.0.1".into());
        // The notice schedule would issue notices of its own while a test counts them, and the
        // deliverer's polling would add statements to the counted ones; their tests turn them on.
        config.notice_scan_secs = 0;
        config.delivery_ms = 0;
        // Nor would a backup at the backup hour; the backup tests turn them on.
        config.backup_keep = 0;
        configure(&mut config);
        TestApp::start(config, backend, sqlite_file, data_dir).await
    }

    async fn start(
        config: Config,
        backend: Backend,
        sqlite_file: Option<PathBuf>,
        data_dir: PathBuf,
    ) -> TestApp {
        let app = App::build(config.clone()).await.expect("the server starts");
        let base = format!("http://127.0.0.1:{}", app.port());
        let ctx = app.ctx().clone();
        tokio::spawn(app.run_until_stopped());
        TestApp {
            base,
            client: reqwest::Client::new(),
            ctx,
            backend,
            config,
            sqlite_file,
            data_dir,
        }
    }

    /// A second server on the same database, as another replica behind a load balancer would
    /// be (PostgreSQL; with SQLite there is one server per file).
    pub async fn replica(&self) -> TestApp {
        self.replica_with(|_| {}).await
    }

    /// A second server on the same database, configured differently by `configure`.
    pub async fn replica_with(&self, configure: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = self.config.clone();
        configure(&mut config);
        let data_dir = std::env::temp_dir().join(format!("jiandu-test-{}", uuid::Uuid::now_v7()));
        config.data_dir = data_dir.clone();
        TestApp::start(config, self.backend, None, data_dir).await
    }

    /// Where this server keeps local files.
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// `GET` a path of the server (such as an attachment's `url`), with a token when given.
    pub async fn get(&self, token: Option<&str>, path: &str) -> reqwest::Response {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("the server answers")
    }

    /// The body of `GET path` as `token` sees it, as text.
    pub async fn text(&self, token: &str, path: &str) -> String {
        let response = self.get(Some(token), path).await;
        response.text().await.expect("the answer is text")
    }

    /// Posts a GraphQL request and returns the whole response body.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.base))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        response.json().await.expect("the answer is JSON")
    }

    /// Like [`TestApp::gql`] but expects success and returns `data`.
    pub async fn ok(&self, token: &str, query: &str, variables: Value) -> Value {
        let body = self.gql(Some(token), query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }

    /// Sends a request that must be refused with `code`, and returns the whole answer.
    pub async fn refused(&self, token: &str, query: &str, variables: Value, code: &str) -> Value {
        let body = self.gql(Some(token), query, variables).await;
        assert_eq!(crate::code(&body), code, "{body:#}");
        body
    }

    pub async fn login(&self, username: &str, password: &str) -> String {
        let data = self
            .gql(
                None,
                "mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }",
                json!({ "u": username, "p": password }),
            )
            .await;
        data["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login failed: {data:#}"))
            .to_string()
    }

    /// The username of the account `token` signs in as.
    pub async fn username(&self, token: &str) -> String {
        let me = self.ok(token, "{ me { username } }", json!({})).await;
        me["me"]["username"].as_str().unwrap().to_string()
    }

    /// SQL statements the server has run so far (from `/metrics`).
    pub async fn sql_statements(&self) -> u64 {
        self.metric("jiandu_sql_statements_total").await
    }

    /// A counter or gauge of `/metrics`, by name.
    pub async fn metric(&self, name: &str) -> u64 {
        let text = self
            .client
            .get(format!("{}/metrics", self.base))
            .send()
            .await
            .expect("metrics answer")
            .text()
            .await
            .expect("metrics text");
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("{name} is not exported"))
    }

    /// An organisation with a presidium account, made the way the command line makes them.
    pub async fn organization(
        &self,
        name: &str,
        timezone: Option<&str>,
        parent: Option<uuid::Uuid>,
    ) -> (uuid::Uuid, String) {
        let org = organizations::insert_organization(
            &self.ctx,
            None,
            NewOrganization {
                name: name.into(),
                timezone: timezone.map(Into::into),
                parent_id: parent,
            },
        )
        .await
        .expect("organisation created");
        let username = format!("presidium-{}", &org.id.simple().to_string()[24..]);
        let holder = organizations::insert_person(
            &self.ctx,
            None,
            org.id,
            organizations::NewPerson {
                name: "人大办主任".into(),
                title: None,
                unit_id: None,
            },
        )
        .await
        .expect("the presidium's person added");
        accounts::insert_user(
            &self.ctx,
            None,
            org.id,
            NewUser {
                username: username.clone(),
                password: PASSWORD.into(),
                role: Role::Presidium,
                person_id: Some(holder.id),
                must_change_password: false,
            },
        )
        .await
        .expect("presidium account created");
        (org.id, self.login(&username, PASSWORD).await)
    }

    /// The service-level actor for a username, to set up large data sets without HTTP.
    pub async fn actor(&self, username: &str) -> Actor {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let user = jiandu_api::entity::app_user::Entity::find()
            .filter(jiandu_api::entity::app_user::Column::Username.eq(username))
            .one(self.ctx.db.conn())
            .await
            .expect("query")
            .expect("user exists");
        accounts::actor_for(&self.ctx, user.into())
            .await
            .expect("actor")
    }
}

/// A new, empty PostgreSQL database on the server of `JIANDU_TEST_POSTGRES_URL`; its URL.
pub async fn fresh_postgres_database() -> String {
    let admin_url = std::env::var("JIANDU_TEST_POSTGRES_URL").expect("JIANDU_TEST_POSTGRES_URL");
    let name = format!("jiandu_test_{}", uuid::Uuid::now_v7().simple());
    let admin = Database::connect(&admin_url)
        .await
        .expect("PostgreSQL reachable");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("test database created");
    admin.close().await.ok();
    match admin_url.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => format!("{admin_url}/{name}"),
    }
}

/// The `extensions.code` of the first error.
pub fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error: {body:#}"))
}
