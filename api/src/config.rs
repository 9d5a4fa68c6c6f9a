//! Runtime configuration, assembled by the command line (or by tests) before the app is built.

use std::time::Duration;

use jiandu_domain::{DEFAULT_DUE_SOON_DAYS, Zone};

use crate::graphql::QueryLimits;
use crate::http::HttpLimits;
use crate::service::Settings;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://jiandu.db?mode=rwc";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    /// Address to listen on; port 0 picks a free one.
    pub bind: String,
    pub settings: Settings,
    pub http: HttpLimits,
    pub query: QueryLimits,
}

impl Config {
    /// Defaults for everything but the database.
    pub fn new(database_url: impl Into<String>) -> Self {
        Config {
            database_url: database_url.into(),
            bind: DEFAULT_BIND.to_string(),
            settings: Settings {
                default_zone: Zone::DEFAULT,
                due_soon_days: DEFAULT_DUE_SOON_DAYS,
                session_ttl: Duration::from_secs(7 * 24 * 3600),
            },
            http: HttpLimits {
                max_body_bytes: 256 * 1024,
                request_timeout: Duration::from_secs(15),
            },
            query: QueryLimits::default(),
        }
    }
}
