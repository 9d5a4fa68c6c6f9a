//! The configuration: one clap structure, whose defaults are the configuration's. The command
//! line flattens it, so every option is a flag of every command and reads its `JIANDU_…`
//! variable; tests and embedders start from [`Config::new`], the same defaults without the
//! environment. The pieces each layer needs ([`Settings`], [`HttpLimits`], [`QueryLimits`]) are
//! worked out from it, never given defaults of their own.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::builder::FalseyValueParser;
use clap::{Args, CommandFactory, FromArgMatches, Parser};
use jiandu_domain::Zone;

use crate::graphql::QueryLimits;
use crate::http::HttpLimits;
use crate::service::ServerLimits;
use crate::service::notices::reach::AllowHosts;

#[derive(Args, Debug, Clone)]
pub struct Config {
    /// Database: sqlite://FILE?mode=rwc (embedded) or postgres://USER@HOST/DB
    #[arg(
        long,
        global = true,
        env = "JIANDU_DATABASE_URL",
        default_value = "sqlite://jiandu.db?mode=rwc"
    )]
    pub database_url: String,

    /// IANA time zone for organisations created without one
    #[arg(long = "timezone", value_name = "ZONE", global = true, env = "JIANDU_TIMEZONE", default_value = "Asia/Shanghai", value_parser = parse_zone)]
    pub default_zone: Zone,

    /// Directory for local state besides the database: evidence files go in its `files` folder
    #[arg(
        long,
        global = true,
        env = "JIANDU_DATA_DIR",
        default_value = "jiandu-data"
    )]
    pub data_dir: PathBuf,

    /// Keep evidence files in an object store instead, e.g. s3://bucket/jiandu (configured by the
    /// usual AWS_* variables); needed when several replicas serve one database
    #[arg(long, global = true, env = "JIANDU_FILES_URL")]
    pub files_url: Option<String>,

    /// Log JSON lines instead of text
    #[arg(long, global = true, env = "JIANDU_LOG_JSON", value_parser = FalseyValueParser::new())]
    pub log_json: bool,

    /// Send request traces over OTLP/HTTP to this collector (`http://collector:4318`); off when
    /// unset
    #[arg(long, global = true, env = "JIANDU_OTLP_ENDPOINT")]
    pub otlp_endpoint: Option<String>,

    /// Address to listen on (port 0 picks a free one)
    #[arg(
        long,
        global = true,
        env = "JIANDU_BIND",
        default_value = "127.0.0.1:8080",
        help_heading = "Serving"
    )]
    pub bind: String,

    /// Name of the organisation created on first start
    #[arg(
        long,
        global = true,
        env = "JIANDU_FIRST_ORG",
        default_value = "人大主席团",
        help_heading = "Serving"
    )]
    pub first_org: String,

    /// How long a sign-in lasts, in hours
    #[arg(long, global = true, env = "JIANDU_SESSION_HOURS", default_value_t = 168,
          value_parser = clap::value_parser!(u64).range(1..), help_heading = "Serving")]
    pub session_hours: u64,

    /// Largest request body accepted, in bytes
    #[arg(long, global = true, env = "JIANDU_MAX_BODY_BYTES", default_value_t = 256 * 1024,
          help_heading = "Serving")]
    pub max_body_bytes: usize,

    /// Requests per second one signed-in user may make on average (429 RATE_LIMITED beyond)
    #[arg(
        long,
        global = true,
        env = "JIANDU_USER_REQUESTS_PER_SECOND",
        default_value_t = 50,
        help_heading = "Serving"
    )]
    pub user_requests_per_second: u32,

    /// Requests one signed-in user may make at once above the average
    #[arg(
        long,
        global = true,
        env = "JIANDU_USER_REQUEST_BURST",
        default_value_t = 200,
        help_heading = "Serving"
    )]
    pub user_request_burst: u32,

    /// Behind reverse proxies: how many of them stand in front of the server, each appending the
    /// address it was reached from to X-Forwarded-For. A client's address (for the limits on
    /// failed sign-ins) is then read that many entries from the right; entries further left are
    /// the client's own words and never used. 0: the connection's own peer
    #[arg(long, global = true, env = "JIANDU_TRUSTED_PROXIES", default_value_t = 0,
          value_parser = clap::value_parser!(u8).range(0..=8), help_heading = "Serving")]
    pub trusted_proxies: u8,

    /// WebSocket connections one user may hold open at once (on each replica); one more is
    /// closed with 4429
    #[arg(long, global = true, env = "JIANDU_MAX_SOCKETS_PER_USER", default_value_t = 5,
          value_parser = clap::value_parser!(u16).range(1..), help_heading = "Serving")]
    pub max_sockets_per_user: u16,

    /// Largest evidence file accepted, in MiB
    #[arg(long, global = true, env = "JIANDU_MAX_UPLOAD_MIB", default_value_t = 20,
          value_parser = clap::value_parser!(u64).range(1..=1024), help_heading = "Serving")]
    pub max_upload_mib: u64,

    /// Longest a request may run, in seconds
    #[arg(long, global = true, env = "JIANDU_REQUEST_TIMEOUT_SECS", default_value_t = 15,
          value_parser = clap::value_parser!(u64).range(1..), help_heading = "Serving")]
    pub request_timeout_secs: u64,

    /// Longest a request body may take to arrive, in seconds (408 beyond); a 20 MiB photo over
    /// a slow phone connection takes about a minute
    #[arg(long, global = true, env = "JIANDU_BODY_READ_TIMEOUT_SECS", default_value_t = 90,
          value_parser = clap::value_parser!(u64).range(1..), help_heading = "Serving")]
    pub body_read_timeout_secs: u64,

    /// Longest a request's headers may take to arrive, in seconds (408 and the connection closed
    /// beyond)
    #[arg(long, global = true, env = "JIANDU_HEADER_READ_TIMEOUT_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..), help_heading = "Serving")]
    pub header_read_timeout_secs: u64,

    /// Open connections at most; further clients wait in the operating system's queue until one
    /// closes
    #[arg(long, global = true, env = "JIANDU_MAX_CONNECTIONS", default_value_t = 1024,
          value_parser = clap::value_parser!(u64).range(1..), help_heading = "Serving")]
    pub max_connections: u64,

    /// Open connections from one address at most; more are closed as they come. Counted on the
    /// connection's own peer, so 0 (no cap) when `--trusted-proxies` is set and this is left
    /// unset: behind a proxy every connection comes from it
    #[arg(long, global = true, env = "JIANDU_MAX_CONNECTIONS_PER_ADDRESS")]
    pub max_connections_per_address: Option<u64>,

    /// How long dashboards, project figures and each organisation's work for the lists are kept
    /// between writes, in seconds (0: computed and read on every request); a write in an
    /// organisation, on any replica, has its part read again
    #[arg(
        long,
        global = true,
        env = "JIANDU_FIGURES_CACHE_SECS",
        default_value_t = 60,
        help_heading = "Serving"
    )]
    pub figures_cache_secs: u64,

    /// How often, in seconds, the server looks whether an organisation's daily notice scan is
    /// due (at its notice hour, on working days); 0 turns the schedule off (`runNoticesNow`
    /// still works)
    #[arg(
        long,
        global = true,
        env = "JIANDU_NOTICE_SCAN_SECS",
        default_value_t = 60,
        help_heading = "Serving"
    )]
    pub notice_scan_secs: u64,

    /// The hour (0–23, in the default time zone) at which the server copies the SQLite database
    /// and the evidence files into `<data dir>/backups/` once a day
    #[arg(
        long,
        global = true,
        env = "JIANDU_BACKUP_HOUR",
        default_value_t = 2,
        value_parser = clap::value_parser!(u32).range(0..24),
        help_heading = "Backups"
    )]
    pub backup_hour: u32,

    /// How many daily backups to keep (the oldest beyond are removed); 0 turns them off
    #[arg(
        long,
        global = true,
        env = "JIANDU_BACKUP_KEEP",
        default_value_t = 14,
        help_heading = "Backups"
    )]
    pub backup_keep: usize,

    /// Back up every this many seconds instead of daily (0: daily at the backup hour)
    #[arg(
        long,
        global = true,
        env = "JIANDU_BACKUP_EVERY_SECS",
        default_value_t = 0,
        help_heading = "Backups"
    )]
    pub backup_every_secs: u64,

    /// How often, in milliseconds, the server posts the notices waiting for their webhooks;
    /// 0 turns delivery off (notices wait in the outbox)
    #[arg(
        long,
        global = true,
        env = "JIANDU_DELIVERY_MS",
        default_value_t = 2000,
        help_heading = "Serving"
    )]
    pub delivery_ms: u64,

    /// The wait, in milliseconds, after a webhook delivery's first failure; it doubles with
    /// each further one (at most an hour), and after 8 attempts the delivery is given up
    #[arg(
        long,
        global = true,
        env = "JIANDU_DELIVERY_RETRY_MS",
        default_value_t = 10_000,
        help_heading = "Serving"
    )]
    pub delivery_retry_ms: u64,

    /// The most organisations one may have directly below it: a county's townships
    #[arg(
        long,
        global = true,
        env = "JIANDU_MAX_CHILD_ORGANIZATIONS",
        default_value_t = 100,
        help_heading = "Serving"
    )]
    pub max_child_organizations: u32,

    /// Hosts inside the network that webhooks may reach nonetheless, comma-separated: names,
    /// addresses and blocks (`hooks.internal, 10.1.0.0/16, fd00::/8`); every other loopback,
    /// private, link-local, unique-local or multicast address is refused
    #[arg(
        long,
        global = true,
        env = "JIANDU_WEBHOOK_ALLOW_HOSTS",
        help_heading = "Serving"
    )]
    pub webhook_allow_hosts: Option<String>,

    /// The bearer token `/metrics` asks for (Prometheus: `authorization: { credentials: … }` in
    /// the scrape config); without one, `/metrics` is open to whoever reaches the port
    #[arg(
        long,
        global = true,
        env = "JIANDU_METRICS_TOKEN",
        hide_env_values = true,
        help_heading = "Serving"
    )]
    pub metrics_token: Option<String>,

    /// Serve no GraphiQL page at `GET /graphql` (the API itself is unchanged)
    #[arg(long, global = true, env = "JIANDU_NO_GRAPHIQL",
          value_parser = FalseyValueParser::new(), help_heading = "Serving")]
    pub no_graphiql: bool,

    /// Turns on the end-to-end tests' hooks in a build with the `test-hooks` feature (ignored
    /// otherwise)
    #[arg(long, global = true, env = "JIANDU_TEST_HOOKS", hide = true,
          value_parser = FalseyValueParser::new())]
    pub test_hooks: bool,

    /// The shape limits every query is held to: not options, the server's own.
    #[arg(skip)]
    pub query_limits: QueryLimits,
}

pub(crate) fn parse_zone(s: &str) -> Result<Zone, String> {
    s.parse::<Zone>().map_err(|e| e.to_string())
}

/// A command line holding only the configuration, to read its defaults.
#[derive(Parser)]
struct Defaults {
    #[command(flatten)]
    config: Config,
}

impl Config {
    /// The defaults, without reading the environment, for `database_url`.
    pub fn new(database_url: impl Into<String>) -> Self {
        let command = Defaults::command().mut_args(|arg| arg.env(None));
        let mut config = command
            .try_get_matches_from(["jiandu"])
            .and_then(|matches| Defaults::from_arg_matches(&matches))
            .map(|defaults| defaults.config)
            .unwrap_or_else(|error| panic!("the configuration's defaults parse: {error}"));
        config.database_url = database_url.into();
        config
    }

    pub fn server_limits(&self) -> ServerLimits {
        ServerLimits {
            default_zone: self.default_zone,
            session_ttl: Duration::from_secs(self.session_hours.max(1) * 3600),
            max_upload_bytes: usize::try_from(self.max_upload_mib * 1024 * 1024)
                .unwrap_or(usize::MAX),
            figures_cache: Duration::from_secs(self.figures_cache_secs),
            scan_any_day: cfg!(feature = "test-hooks") && self.test_hooks,
            max_child_organizations: self.max_child_organizations,
            webhook_allow: Arc::new(self.webhook_allow().unwrap_or_default()),
        }
    }

    pub fn http_limits(&self) -> HttpLimits {
        HttpLimits {
            max_body_bytes: self.max_body_bytes,
            request_timeout: self.request_timeout(),
            body_read_timeout: Duration::from_secs(self.body_read_timeout_secs.max(1)),
            header_read_timeout: Duration::from_secs(self.header_read_timeout_secs.max(1)),
            user_requests_per_second: self.user_requests_per_second,
            user_request_burst: self.user_request_burst,
            trusted_proxies: usize::from(self.trusted_proxies),
            max_sockets_per_user: usize::from(self.max_sockets_per_user),
        }
    }

    /// The cap on one address's open connections: as set, or 64 when the server faces clients
    /// directly and none behind proxies (0).
    pub fn connections_per_address(&self) -> usize {
        let most = match self.max_connections_per_address {
            Some(most) => most,
            None if self.trusted_proxies > 0 => 0,
            None => 64,
        };
        usize::try_from(most).unwrap_or(usize::MAX)
    }

    /// The inside hosts webhooks may reach; a list that does not read is an error at start-up.
    pub fn webhook_allow(&self) -> Result<AllowHosts, String> {
        AllowHosts::parse(self.webhook_allow_hosts.as_deref().unwrap_or_default())
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs.max(1))
    }

    /// The query limits, with the test hooks when asked for.
    pub fn query_limits(&self) -> QueryLimits {
        QueryLimits {
            test_hooks: self.test_hooks,
            ..self.query_limits.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_command_lines_and_ignore_the_environment() {
        let config = Config::new("sqlite://x.db?mode=rwc");
        assert_eq!(config.database_url, "sqlite://x.db?mode=rwc");
        assert_eq!(config.bind, "127.0.0.1:8080");
        assert_eq!(config.default_zone, Zone::DEFAULT);
        assert_eq!(
            config.server_limits().session_ttl,
            Duration::from_secs(168 * 3600)
        );
        assert_eq!(config.server_limits().max_upload_bytes, 20 * 1024 * 1024);
        assert_eq!(config.http_limits().max_body_bytes, 256 * 1024);
        assert!(!config.test_hooks);
    }
}
