//! Use cases. Each is a plain async function taking the context, the acting user and its input;
//! it authorises, validates with `jiandu_domain`, runs one transaction that also writes an audit
//! event, and returns views. Services know nothing of GraphQL; they are the only code that
//! touches `entity`.

pub mod accounts;
pub mod attachments;
pub mod audit;
pub mod calendar;
pub mod command;
pub mod contacts;
pub mod deadlines;
pub mod documents;
pub mod duties;
pub mod extensions;
pub mod figures;
pub mod filter;
pub mod findings;
pub mod idempotency;
pub mod import;
pub mod inspections;
pub mod ledger;
pub mod memo;
pub mod milestones;
pub mod notices;
pub mod organizations;
pub mod page;
pub mod projects;
pub mod reports;
pub mod sequence;
pub mod settings;
pub mod suggestions;
pub mod tenant;
pub mod views;
pub mod workdays;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use jiandu_domain::{Access, Zone};
use uuid::Uuid;

use crate::db::Db;
use sea_orm::EntityTrait;
use tokio::sync::RwLock;

use crate::entity::{organization, organization_settings, person, unit};
use crate::error::AppError;
use crate::files::FileStore;
use tenant::Readable;

/// Settings the rules depend on.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Zone for organisations created without one.
    pub default_zone: Zone,
    pub session_ttl: Duration,
    /// Largest evidence file accepted, in bytes.
    pub max_upload_bytes: usize,
    /// Longest a dashboard is kept while nothing is written; zero computes it every time.
    pub figures_cache: Duration,
}

/// What every use case gets: the database, the file store, the settings, and the small tables
/// every request consults (the organisation tree for what a caller may read, people and units
/// for names), cached.
#[derive(Clone)]
pub struct Ctx {
    pub db: Db,
    pub files: FileStore,
    pub settings: Settings,
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
    /// Recent failed sign-ins, shared by the API and the workbench.
    pub logins: Arc<accounts::LoginLimiter>,
    /// A clock stopped at this instant instead of the system's: for the demo sample, whose
    /// history is walked through on the days it happened.
    stopped_at: Option<DateTime<Utc>>,
}

impl Ctx {
    pub fn new(db: Db, files: FileStore, settings: Settings) -> Ctx {
        Ctx {
            dashboards: memo::Memo::new(settings.figures_cache),
            shares: memo::Memo::new(settings.figures_cache),
            project_figures: memo::Memo::with_capacity(
                settings.figures_cache,
                figures::KEPT_PROJECTS,
            ),
            db,
            files,
            settings,
            organizations: Cached::default(),
            people: Cached::default(),
            units: Cached::default(),
            organization_settings: Cached::default(),
            calendar: workdays::CalendarCache::default(),
            logins: Arc::default(),
            stopped_at: None,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.stopped_at.unwrap_or_else(Utc::now)
    }

    /// The same context with its clock stopped at `at`: what it does is done then.
    pub fn stopped_at(&self, at: DateTime<Utc>) -> Ctx {
        Ctx {
            stopped_at: Some(at),
            ..self.clone()
        }
    }
}

/// A whole small table, read at most every [`Cached::TTL`] instead of on every request. These
/// tables are small and change rarely; a row added here is seen at once (the writer invalidates),
/// one added through another replica within the TTL.
pub struct Cached<E: EntityTrait> {
    loaded: Arc<RwLock<Option<Loaded<E>>>>,
}

/// The rows and when they were read.
type Loaded<E> = (Instant, Arc<Vec<<E as EntityTrait>::Model>>);

impl<E: EntityTrait> Clone for Cached<E> {
    fn clone(&self) -> Self {
        Cached {
            loaded: self.loaded.clone(),
        }
    }
}

impl<E: EntityTrait> Default for Cached<E> {
    fn default() -> Self {
        Cached {
            loaded: Arc::new(RwLock::new(None)),
        }
    }
}

impl<E: EntityTrait> Cached<E> {
    pub const TTL: Duration = Duration::from_secs(10);

    pub async fn all(&self, db: &Db) -> Result<Arc<Vec<E::Model>>, AppError> {
        if let Some((at, rows)) = self.loaded.read().await.as_ref()
            && at.elapsed() < Self::TTL
        {
            return Ok(rows.clone());
        }
        // One reader loads while the others wait for its rows, rather than every resolver of an
        // answer reading the whole table at once; an invalidation waits for the load to land.
        let mut slot = self.loaded.write().await;
        if let Some((at, rows)) = slot.as_ref()
            && at.elapsed() < Self::TTL
        {
            return Ok(rows.clone());
        }
        // By primary key, so that a row can be found by binary search (see `find`).
        let rows = Arc::new(E::find().order_by_id_asc().all(db.conn()).await?);
        *slot = Some((Instant::now(), rows.clone()));
        Ok(rows)
    }

    /// The row whose primary key `key` gives `id`, by binary search (rows are kept in key order).
    pub async fn find(
        &self,
        db: &Db,
        id: Uuid,
        key: impl Fn(&E::Model) -> Uuid,
    ) -> Result<Option<E::Model>, AppError>
    where
        E::Model: Clone,
    {
        let rows = self.all(db).await?;
        Ok(rows
            .binary_search_by_key(&id, key)
            .ok()
            .map(|i| rows[i].clone()))
    }

    /// Forgets the rows, after one was added or changed.
    pub async fn invalidate(&self) {
        *self.loaded.write().await = None;
    }
}

/// The signed-in user: who they are, what they may read, the zone of every organisation they
/// may read (so "today" is right for each) and the rules each judges its items by.
#[derive(Clone)]
pub struct Actor {
    pub access: Access,
    pub username: String,
    /// Every readable organisation with its zone and parent.
    pub organizations: HashMap<Uuid, ReadableOrg>,
    pub rules: workdays::Rules,
    readable: Readable,
}

#[derive(Debug, Clone, Copy)]
pub struct ReadableOrg {
    pub zone: Zone,
    pub parent_id: Option<Uuid>,
}

impl Actor {
    pub fn new(
        access: Access,
        username: String,
        organizations: HashMap<Uuid, ReadableOrg>,
        rules: workdays::Rules,
    ) -> Self {
        let readable = Readable::new(access.readable.iter().copied().collect());
        Actor {
            access,
            username,
            organizations,
            rules,
            readable,
        }
    }

    pub fn user_id(&self) -> Uuid {
        self.access.user_id
    }

    pub fn organization_id(&self) -> Uuid {
        self.access.organization_id
    }

    pub fn zone_of(&self, organization_id: Uuid) -> Zone {
        self.organizations
            .get(&organization_id)
            .map(|org| org.zone)
            .unwrap_or_default()
    }

    /// `today` in an organisation's zone, or `as_of` when given.
    pub fn today_in(
        &self,
        organization_id: Uuid,
        now: DateTime<Utc>,
        as_of: Option<NaiveDate>,
    ) -> NaiveDate {
        self.zone_of(organization_id).today(now, as_of)
    }

    /// The day (today in the organisation's zone, or `as_of`) as `organization_id`'s rules see
    /// it: what its items' states and lights are judged on.
    pub fn judging_day(
        &self,
        organization_id: Uuid,
        now: DateTime<Utc>,
        as_of: Option<NaiveDate>,
    ) -> jiandu_domain::Today {
        self.rules
            .today(organization_id, self.today_in(organization_id, now, as_of))
    }

    /// Every organisation the actor may read.
    pub fn readable(&self) -> &Readable {
        &self.readable
    }

    /// The readable organisations, or only `organization_id` and those below it when given (which
    /// must itself be readable).
    pub fn reads(&self, organization_id: Option<Uuid>) -> Result<Readable, AppError> {
        match organization_id {
            None => Ok(self.readable.clone()),
            Some(id) if self.readable.may_read(id) => {
                let parents: HashMap<Uuid, Option<Uuid>> = self
                    .organizations
                    .iter()
                    .map(|(&org, info)| (org, info.parent_id))
                    .collect();
                Ok(Readable::new(
                    jiandu_domain::access::subtree(&parents, id)
                        .into_iter()
                        .collect(),
                ))
            }
            Some(_) => Err(AppError::not_found("organisation")),
        }
    }
}
