//! Runtime configuration, assembled by the command line (or by tests) before the app is built.

use std::path::PathBuf;
use std::time::Duration;

use jiandu_domain::{DEFAULT_DUE_SOON_DAYS, Zone};

use crate::graphql::QueryLimits;
use crate::http::HttpLimits;
use crate::service::Settings;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://jiandu.db?mode=rwc";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "jiandu-data";
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    /// Address to listen on; port 0 picks a free one.
    pub bind: String,
    pub settings: Settings,
    /// Where local state other than the database lives (evidence files).
    pub data_dir: PathBuf,
    /// An object-store URL (`s3://bucket/prefix`) for evidence files instead of the data dir.
    pub files_url: Option<String>,
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
                max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
                figures_cache: Duration::from_secs(60),
            },
            data_dir: PathBuf::from(DEFAULT_DATA_DIR),
            files_url: None,
            http: HttpLimits {
                max_body_bytes: 256 * 1024,
                request_timeout: Duration::from_secs(15),
                user_requests_per_second: 50,
                user_request_burst: 200,
                trust_forwarded_for: false,
            },
            query: QueryLimits::default(),
        }
    }
}
