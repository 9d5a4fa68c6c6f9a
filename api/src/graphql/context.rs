//! What a resolver knows about its request: who is calling (from the HTTP layer), when the
//! request started, the service context and the request's DataLoader.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use async_graphql::{Context, ID};
use chrono::{DateTime, NaiveDate, Utc};
use jiandu_domain::{DeadlineState, Light, Today, Tracked};

use super::args::{int, target};
use super::error::GqlResult;
use super::loaders::Batch;
use crate::error::AppError;
use crate::service::accounts::{CHANGE_PASSWORD_FIRST, Caller};
use crate::service::{Actor, Ctx};
use uuid::Uuid;

/// Per-request data.
pub struct Request {
    pub caller: Caller,
    /// One clock reading per request, so every "today" in one answer agrees.
    pub now: DateTime<Utc>,
    /// The client's address, for limits on failed sign-ins.
    pub client: Option<std::net::IpAddr>,
    /// Each project's rolled-up milestone lights on a day, worked out once per answer rather
    /// than once per milestone asked about.
    pub rolled_up_lights: std::sync::Mutex<HashMap<(Uuid, NaiveDate), Arc<Lights>>>,
    /// Each organisation's judging day (for an `asOf`, or today), worked out once per answer
    /// rather than once per item judged (it walks the work calendar).
    todays: std::sync::Mutex<HashMap<(Uuid, Option<NaiveDate>), Today>>,
    /// A subscription's: it answers for as long as it lasts, so each answer reads the clock
    /// afresh and keeps nothing from one answer to the next.
    pub live: bool,
    /// This request's turn to build a large answer, once it has asked for one
    /// ([`large_answer`]); given back when the request's data is dropped, its answer built.
    large_turn: tokio::sync::OnceCell<tokio::sync::OwnedSemaphorePermit>,
}

impl Request {
    /// A query's or a mutation's: one answer at one instant.
    pub fn once(caller: Caller, now: DateTime<Utc>, client: Option<std::net::IpAddr>) -> Self {
        Request {
            caller,
            now,
            client,
            rolled_up_lights: Default::default(),
            todays: Default::default(),
            live: false,
            large_turn: tokio::sync::OnceCell::new(),
        }
    }

    /// A subscription's (see [`Request::live`]).
    pub fn lasting(caller: Caller, now: DateTime<Utc>, client: Option<std::net::IpAddr>) -> Self {
        Request {
            live: true,
            ..Request::once(caller, now, client)
        }
    }
}

/// Each milestone's light, its open sub-milestones' included.
pub type Lights = HashMap<Uuid, Light>;

/// The rolled-up lights of `project`'s milestones on `today`: `compute` the first time one
/// answer asks, the kept map after that.
pub fn rolled_up_lights(
    ctx: &Context<'_>,
    project: Uuid,
    today: NaiveDate,
    compute: impl FnOnce() -> Lights,
) -> async_graphql::Result<Arc<Lights>> {
    let request = request(ctx)?;
    if request.live {
        return Ok(Arc::new(compute()));
    }
    let kept = &request.rolled_up_lights;
    let lock = || kept.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(lights) = lock().get(&(project, today)) {
        return Ok(lights.clone());
    }
    let lights = Arc::new(compute());
    lock().insert((project, today), lights.clone());
    Ok(lights)
}

/// More objects than this in one list and the answer is a large one (see [`large_answer`]).
pub const LARGE_LIST: usize = 200;

/// Waits for this request's turn to build a large answer (see [`Ctx::large_answers`]), held
/// until the request's answer is built; a request asking twice (two large fields) waits once.
pub async fn large_answer(ctx: &Context<'_>) -> async_graphql::Result<()> {
    let turns = service(ctx)?.large_answers.clone();
    request(ctx)?
        .large_turn
        .get_or_try_init(|| turns.acquire_owned())
        .await
        .map_err(AppError::internal)
        .gql()?;
    Ok(())
}

pub fn service<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Ctx> {
    ctx.data::<Ctx>()
}

pub fn request<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Request> {
    ctx.data::<Request>()
}

/// The signed-in user, or UNAUTHENTICATED; FORBIDDEN while the account must choose a new
/// password.
pub fn actor<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Actor> {
    match account(ctx)? {
        (_, _, true) => Err(AppError::Forbidden(CHANGE_PASSWORD_FIRST.into())).gql(),
        (actor, _, false) => Ok(actor),
    }
}

/// The service and the signed-in user a resolver acts for ([`actor`]'s refusals first).
pub fn signed<'a>(ctx: &Context<'a>) -> async_graphql::Result<(&'a Ctx, &'a Actor)> {
    let actor = actor(ctx)?;
    Ok((service(ctx)?, actor))
}

/// [`signed`], and the record `id` names for the mutation to act on (see [`target`]).
pub fn signed_on<'a>(
    ctx: &Context<'a>,
    id: &ID,
    what: &str,
) -> async_graphql::Result<(&'a Ctx, &'a Actor, Uuid)> {
    let (service, actor) = signed(ctx)?;
    Ok((service, actor, target(id, what)?))
}

/// [`actor`], to keep beyond the resolver (a subscription's stream).
pub fn shared_actor(ctx: &Context<'_>) -> async_graphql::Result<Arc<Actor>> {
    actor(ctx)?;
    match &request(ctx)?.caller {
        Caller::Signed { actor, .. } => Ok(actor.clone()),
        _ => Err(AppError::Unauthenticated("sign in first".into())).gql(),
    }
}

/// The signed-in account, its token, and whether it must choose a new password before anything
/// else: for what such an account may still do (change the password, see its sessions, sign
/// out). Everything else asks [`actor`].
pub fn account<'a>(ctx: &Context<'a>) -> async_graphql::Result<(&'a Actor, &'a str, bool)> {
    match &request(ctx)?.caller {
        Caller::Signed {
            actor,
            token,
            must_change_password,
        } => Ok((actor, token, *must_change_password)),
        Caller::Rejected(why) => Err(AppError::Unauthenticated(why.clone())).gql(),
        Caller::Anonymous => Err(AppError::Unauthenticated(
            "sign in first: send Authorization: Bearer <token> from login".into(),
        ))
        .gql(),
    }
}

pub fn loader<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a DataLoader<Batch, HashMapCache>> {
    actor(ctx)?;
    ctx.data::<DataLoader<Batch, HashMapCache>>()
}

/// A record (or the rows grouped under a record) by key through the request's DataLoader:
/// `None` when there is none the actor may read.
pub async fn load<K>(
    ctx: &Context<'_>,
    key: K,
) -> async_graphql::Result<Option<<Batch as Loader<K>>::Value>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    Batch: Loader<K, Error = Arc<AppError>>,
{
    loader(ctx)?.load_one(key).await.gql()
}

/// Several records by key at once, those the actor may read.
pub async fn load_many<K>(
    ctx: &Context<'_>,
    keys: impl IntoIterator<Item = K>,
) -> async_graphql::Result<HashMap<K, <Batch as Loader<K>>::Value>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    Batch: Loader<K, Error = Arc<AppError>>,
{
    loader(ctx)?.load_many(keys).await.gql()
}

/// [`load`] for an optional relation (a parent, a project a finding may have).
pub async fn load_opt<K>(
    ctx: &Context<'_>,
    key: Option<K>,
) -> async_graphql::Result<Option<<Batch as Loader<K>>::Value>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    Batch: Loader<K, Error = Arc<AppError>>,
{
    match key {
        Some(key) => load(ctx, key).await,
        None => Ok(None),
    }
}

/// [`load`] for a record its owner cannot be without: NOT_FOUND (`what`) when it is missing.
pub async fn load_required<K>(
    ctx: &Context<'_>,
    key: K,
    what: &str,
) -> async_graphql::Result<<Batch as Loader<K>>::Value>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    Batch: Loader<K, Error = Arc<AppError>>,
{
    load(ctx, key)
        .await?
        .ok_or_else(|| AppError::not_found(what))
        .gql()
}

/// [`load`] for the rows grouped under a record: none when there are none.
pub async fn load_all<K>(
    ctx: &Context<'_>,
    key: K,
) -> async_graphql::Result<<Batch as Loader<K>>::Value>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    Batch: Loader<K, Error = Arc<AppError>>,
    <Batch as Loader<K>>::Value: Default,
{
    Ok(load(ctx, key).await?.unwrap_or_default())
}

pub fn now(ctx: &Context<'_>) -> async_graphql::Result<DateTime<Utc>> {
    let request = request(ctx)?;
    if request.live {
        return Ok(service(ctx)?.now());
    }
    Ok(request.now)
}

/// Today in `organization_id`'s zone for this request, or `as_of`.
pub fn today(
    ctx: &Context<'_>,
    organization_id: uuid::Uuid,
    as_of: Option<NaiveDate>,
) -> async_graphql::Result<NaiveDate> {
    Ok(actor(ctx)?.today_in(organization_id, now(ctx)?, as_of))
}

/// A tracked item (milestone or finding) judged on one day: the answers of its time fields.
pub struct Timing {
    tracked: Tracked,
    today: Today,
}

/// `tracked` judged on today in `organization_id`'s zone for this request, or on `as_of`.
pub fn timing(
    ctx: &Context<'_>,
    organization_id: uuid::Uuid,
    tracked: Tracked,
    as_of: Option<NaiveDate>,
) -> async_graphql::Result<Timing> {
    Ok(Timing {
        tracked,
        today: judging_day(ctx, organization_id, as_of)?,
    })
}

/// Today in `organization_id` (or `as_of`) as its rules see it.
pub fn judging_day(
    ctx: &Context<'_>,
    organization_id: uuid::Uuid,
    as_of: Option<NaiveDate>,
) -> async_graphql::Result<Today> {
    let request = request(ctx)?;
    let judge = || Ok(actor(ctx)?.judging_day(organization_id, now(ctx)?, as_of));
    if request.live {
        return judge();
    }
    let kept = || request.todays.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(today) = kept().get(&(organization_id, as_of)) {
        return Ok(*today);
    }
    let today = judge()?;
    kept().insert((organization_id, as_of), today);
    Ok(today)
}

impl Timing {
    pub fn today(&self) -> &Today {
        &self.today
    }

    pub fn state(&self) -> DeadlineState {
        self.tracked.deadline_state(&self.today)
    }

    pub fn own_light(&self) -> Light {
        self.tracked.light(&self.today)
    }

    pub fn behind_pace(&self) -> bool {
        self.tracked.behind_pace(&self.today)
    }

    pub fn days_overdue(&self) -> i32 {
        int(self.tracked.days_overdue(self.today.date))
    }

    pub fn days_left(&self) -> Option<i32> {
        self.tracked.days_left(self.today.date).map(int)
    }
}
