//! Use cases. Each is a plain async function taking the context, the acting user and its input;
//! it authorises, validates with `jiandu_domain`, runs one transaction that also writes an audit
//! event, and returns views. Services know nothing of GraphQL; they are the only code that
//! touches `entity`.

pub mod accounts;
pub mod attachments;
pub mod calendar;
pub mod congress;
pub mod contacts;
pub mod deadlines;
pub mod deputies;
pub mod documents;
pub mod duties;
pub mod extensions;
pub mod figures;
pub mod filter;
pub mod findings;
pub mod formats;
pub mod heading;
pub mod historical;
pub mod import;
pub mod inspections;
pub mod kept;
pub mod kernel;
pub mod ledger;
pub mod milestones;
pub mod notices;
pub mod organizations;
pub mod page;
pub mod projects;
pub mod reports;
pub mod settings;
pub mod suggestions;
pub mod views;
pub mod workdays;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use jiandu_domain::Zone;
use uuid::Uuid;

use crate::db::Db;
use crate::entity::{organization, organization_settings, person, unit};
use crate::files::FileStore;
use kernel::cache::Cached;
use kernel::memo;

pub use kernel::actor::{Actor, ReadableOrg};

/// The server's own limits and defaults, from its configuration: the same for every
/// organisation (each organisation's rules are `service::settings`).
#[derive(Debug, Clone)]
pub struct ServerLimits {
    /// Zone for organisations created without one.
    pub default_zone: Zone,
    pub session_ttl: Duration,
    /// Largest evidence file accepted, in bytes.
    pub max_upload_bytes: usize,
    /// Longest a dashboard is kept while nothing is written; zero computes it every time.
    pub figures_cache: Duration,
    /// The presidium's scan may run on any day, not only the last week: only with the
    /// end-to-end tests' hooks (a build with `test-hooks`), which walk the escalation over days
    /// to come. An operator's `jiandu notices run --as-of` always may.
    pub scan_any_day: bool,
    /// The most organisations one may have directly below it (a county's townships).
    pub max_child_organizations: u32,
    /// The inside hosts webhooks may reach nonetheless (`JIANDU_WEBHOOK_ALLOW_HOSTS`).
    pub webhook_allow: Arc<notices::reach::AllowHosts>,
}

/// What every use case gets: the database, the file store, the server's limits, and the small tables
/// every request consults (the organisation tree for what a caller may read, people and units
/// for names), cached. Shared: a clone is one count more, as every request and every load of
/// its DataLoader takes one.
#[derive(Clone)]
pub struct Ctx(Arc<CtxInner>);

impl std::ops::Deref for Ctx {
    type Target = CtxInner;

    fn deref(&self) -> &CtxInner {
        &self.0
    }
}

/// What a [`Ctx`] holds.
#[derive(Clone)]
pub struct CtxInner {
    pub db: Db,
    pub files: FileStore,
    pub limits: ServerLimits,
    pub organizations: Cached<organization::Entity>,
    pub people: Cached<person::Entity>,
    pub units: Cached<unit::Entity>,
    /// Each organisation's settings, once changed (see [`workdays::Rules`]).
    pub organization_settings: Cached<organization_settings::Entity>,
    /// The working-day calendar.
    pub calendar: workdays::CalendarCache,
    pub dashboards: memo::Memo<reports::DashboardKey, Arc<reports::Dashboard>>,
    /// Each organisation's part of the dashboards, by organisation and day.
    pub shares: memo::Memo<(Uuid, jiandu_domain::Today), Arc<reports::Share>>,
    /// Each project's light and counts, by project and day, kept like the shares.
    pub project_figures: memo::Memo<(Uuid, jiandu_domain::Today), figures::ProjectFigures>,
    /// The deputies' records by scope (organisations, sorted) and year, kept like the shares.
    pub deputy_records: memo::Memo<(Vec<Uuid>, i32), Arc<Vec<deputies::RecordView>>>,
    /// The year-end figures by root, scope (organisations, sorted) and year, kept like the
    /// shares.
    pub annual_reports: memo::Memo<(Uuid, Vec<Uuid>, i32), Arc<jiandu_domain::report::YearFigures>>,
    /// The years a scope (organisations, sorted) has anything dated in, by this year.
    pub report_years: memo::Memo<(Vec<Uuid>, i32), Arc<Vec<i32>>>,
    /// Each organisation's projects, milestones and findings, kept like the shares.
    pub kept: Arc<kept::KeptWork>,
    /// Who holds each session token, after its first look-up.
    pub sessions: Arc<accounts::KeptSessions>,
    /// What a user of each organisation may read, once per reading of the organisations.
    pub scopes: Arc<kernel::actor::Scopes>,
    /// Recent failed sign-ins, shared by the API and the workbench.
    pub logins: Arc<accounts::LoginLimiter>,
    /// Ledger imports under way (see [`import::Imports`]).
    pub imports: Arc<import::Imports>,
    /// Turns to build a large answer (a county's deputies' records: a thousand objects at once);
    /// at most [`Ctx::LARGE_ANSWERS_AT_ONCE`] are built at a time, however many ask, so that what
    /// they take in memory stays bounded (docs/performance.md "Memory").
    pub large_answers: Arc<tokio::sync::Semaphore>,
    /// A clock stopped at this instant instead of the system's: for the demo sample, whose
    /// history is walked through on the days it happened.
    stopped_at: Option<DateTime<Utc>>,
}

impl Ctx {
    /// Large answers built at once: on two cores, more at a time would not finish sooner, and
    /// each holds its whole answer in memory until it is sent; fewer made four clients wait for
    /// each other.
    pub const LARGE_ANSWERS_AT_ONCE: usize = 4;

    pub fn new(db: Db, files: FileStore, limits: ServerLimits) -> Ctx {
        Ctx(Arc::new(CtxInner {
            dashboards: memo::Memo::new(limits.figures_cache),
            shares: memo::Memo::new(limits.figures_cache),
            project_figures: memo::Memo::with_capacity(
                limits.figures_cache,
                figures::KEPT_PROJECTS,
            ),
            // A scope's records are some hundred bytes a deputy: a few dozen scopes at most.
            deputy_records: memo::Memo::with_capacity(limits.figures_cache, 64),
            annual_reports: memo::Memo::with_capacity(limits.figures_cache, 256),
            report_years: memo::Memo::with_capacity(limits.figures_cache, 64),
            kept: Arc::new(kept::KeptWork::new(limits.figures_cache)),
            db,
            files,
            limits,
            organizations: Cached::default(),
            people: Cached::default(),
            units: Cached::default(),
            organization_settings: Cached::default(),
            calendar: workdays::CalendarCache::default(),
            sessions: Arc::default(),
            scopes: Arc::default(),
            logins: Arc::default(),
            imports: Arc::default(),
            large_answers: Arc::new(tokio::sync::Semaphore::new(Self::LARGE_ANSWERS_AT_ONCE)),
            stopped_at: None,
        }))
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.stopped_at.unwrap_or_else(Utc::now)
    }

    /// The same context with its clock stopped at `at`: what it does is done then.
    pub fn stopped_at(&self, at: DateTime<Utc>) -> Ctx {
        Ctx(Arc::new(CtxInner {
            stopped_at: Some(at),
            ..(*self.0).clone()
        }))
    }
}
