//! The application: database, migrations, schema and listener, ready to run.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use anyhow::Context;
use jiandu_migration::{Migrator, MigratorTrait};
use poem::Route;
use poem::listener::{Acceptor, Listener, TcpAcceptor, TcpListener};

use crate::config::Config;
use crate::db::Db;
use crate::files::FileStore;
use crate::graphql::build_schema;
use crate::http::capped::Capped;
use crate::http::rate::RateLimiter;
use crate::http::{self, AppState};
use crate::service::Ctx;
use crate::service::notices::{deliver, schedule};

pub struct App {
    acceptor: Capped<TcpAcceptor>,
    port: u16,
    state: AppState,
    /// How often the notice schedule looks for a scan to run (`None`: off).
    notice_scan: Option<Duration>,
    /// How the deliverer posts notices to webhooks (`None`: off).
    delivery: Option<deliver::Pace>,
    /// Held while serving: a restore refuses to replace the database under it.
    serving: crate::db::backup::Serving,
    backups: crate::db::daily::Plan,
}

/// Opens the database, brings its schema up to date and loads the shipped working-day calendar.
pub async fn open_database(config: &Config) -> anyhow::Result<Ctx> {
    let db = Db::connect(&config.database_url, config.request_timeout()).await?;
    Migrator::up(db.conn(), None)
        .await
        .context("applying database migrations")?;
    let files = FileStore::open(&config.data_dir, config.files_url.as_deref())?;
    let ctx = Ctx::new(db, files, config.server_limits());
    crate::service::workdays::load_shipped(&ctx)
        .await
        .context("loading the working-day calendar")?;
    Ok(ctx)
}

impl App {
    /// Connects, migrates and binds; the server starts with [`App::run_until_stopped`].
    pub async fn build(config: Config) -> anyhow::Result<App> {
        config
            .webhook_allow()
            .map_err(|why| anyhow::anyhow!("JIANDU_WEBHOOK_ALLOW_HOSTS: {why}"))?;
        let serving = crate::db::backup::Serving::hold(&config.database_url)?;
        let ctx = open_database(&config).await?;
        ctx.db.follow_other_replicas(&config.database_url).await;
        ctx.db.refresh_statistics().await;
        let acceptor = TcpListener::bind(config.bind.clone())
            .into_acceptor()
            .await
            .with_context(|| format!("cannot listen on {}", config.bind))?;
        let port = acceptor
            .local_addr()
            .first()
            .and_then(|addr| addr.as_socket_addr().map(|a| a.port()))
            .unwrap_or_default();
        let (limits, query_limits) = (config.http_limits(), config.query_limits());
        let schema = build_schema(ctx.clone(), &query_limits);
        let state = AppState {
            ctx,
            schema,
            rate: Arc::new(RateLimiter::new(
                limits.user_requests_per_second,
                limits.user_request_burst,
            )),
            limits,
            query_limits,
            graphql_requests: Arc::new(AtomicU64::new(0)),
            documents: Arc::default(),
            graphiql: !config.no_graphiql,
            backups: Arc::default(),
            latencies: Arc::default(),
            metrics_token: config
                .metrics_token
                .as_deref()
                .filter(|token| !token.is_empty())
                .map(Arc::from),
            sockets: Arc::default(),
        };
        Ok(App {
            acceptor: Capped::new(
                acceptor,
                usize::try_from(config.max_connections).unwrap_or(usize::MAX),
                config.connections_per_address(),
            ),
            port,
            state,
            notice_scan: (config.notice_scan_secs > 0)
                .then(|| Duration::from_secs(config.notice_scan_secs)),
            delivery: (config.delivery_ms > 0).then(|| deliver::Pace {
                every: Duration::from_millis(config.delivery_ms),
                retry_base: Duration::from_millis(config.delivery_retry_ms),
            }),
            serving,
            backups: crate::db::daily::Plan {
                dir: config.data_dir.join("backups"),
                files: config
                    .files_url
                    .is_none()
                    .then(|| config.data_dir.join("files")),
                keep: config.backup_keep,
                hour: config.backup_hour,
                zone: config.default_zone,
                every: (config.backup_every_secs > 0)
                    .then(|| Duration::from_secs(config.backup_every_secs)),
            },
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn ctx(&self) -> &Ctx {
        &self.state.ctx
    }

    /// Serves until SIGINT or SIGTERM, then stops accepting, lets in-flight requests finish and
    /// closes the pool.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let _serving = self.serving;
        let db = self.state.ctx.db.clone();
        let schedule = self
            .notice_scan
            .map(|every| schedule::start(self.state.ctx.clone(), every));
        let deliverer = self
            .delivery
            .map(|pace| deliver::start(self.state.ctx.clone(), pace));
        let backups = crate::db::daily::start(
            self.state.ctx.db.clone(),
            self.backups,
            self.state.backups.clone(),
        );
        let timeouts = http::serve::Timeouts {
            header_read: self.state.limits.header_read_timeout,
            body_read: self.state.limits.body_read_timeout,
        };
        // The API's routes and the workbench's pages, composed here and nowhere else.
        let routes = crate::web::routes(http::routes(Route::new(), self.state.graphiql));
        let routes = http::serving(routes, self.state);
        let result = http::serve::serve(self.acceptor, routes, timeouts, shutdown_signal()).await;
        for task in [schedule, deliverer, backups].into_iter().flatten() {
            task.abort();
        }
        db.close().await;
        result
    }
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
