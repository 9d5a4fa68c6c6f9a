//! Signing in and out: passwords are argon2id hashes, a session token is 256 random bits handed
//! to the client once and stored only as its SHA-256. Guessing is held back before any hash is
//! computed: per username and client address, per client address, and by a growing delay per
//! username that slows every guesser down but never refuses the right password outright; and
//! only a few hashes (19 MiB of memory each) run at once.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use tokio::sync::{Semaphore, SemaphorePermit};

use super::actor_for;
use crate::entity::{app_user, session};
use crate::error::AppError;
use crate::service::command::Command;
use crate::service::views::{SessionView, UserView};
use crate::service::{Actor, Ctx};

/// Failed sign-ins allowed for one username from one client address within [`WINDOW`].
const FAILURES_PER_NAME_AND_CLIENT: usize = 10;
/// Failed sign-ins allowed from one client address within [`WINDOW`], whatever the usernames
/// tried (guessing across many accounts).
const FAILURES_PER_CLIENT: usize = 30;
/// Failed sign-ins for one username, from anywhere, before each further attempt waits.
const FAILURES_BEFORE_DELAY: usize = 5;
/// The first wait; it doubles with each further failure, up to [`MAX_DELAY`].
const FIRST_DELAY: Duration = Duration::from_millis(100);
const MAX_DELAY: Duration = Duration::from_secs(5);
const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Password hashes computed at once, at most: a hash keeps a core busy, so more than the
/// cores would only add their memory; an attempt beyond them is RATE_LIMITED at once.
const MOST_HASHES_AT_ONCE: usize = 4;
/// Keys kept before the expired ones are swept out.
const SWEEP_ABOVE: usize = 10_000;

/// Remembers recent failed sign-ins, and how many hashes are running.
#[derive(Debug)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
    hashing: Semaphore,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter {
            failures: Mutex::default(),
            hashing: Semaphore::new(
                std::thread::available_parallelism()
                    .map_or(2, usize::from)
                    .clamp(2, MOST_HASHES_AT_ONCE),
            ),
        }
    }
}

/// Who is trying to sign in: the username asked for and, when known, the client's address.
pub struct Attempt<'a> {
    pub username: &'a str,
    pub client: Option<IpAddr>,
}

impl Attempt<'_> {
    fn name_and_client(&self) -> String {
        match self.client {
            Some(client) => format!("pair:{client}/{}", self.username),
            None => format!("pair:-/{}", self.username),
        }
    }

    fn client(&self) -> Option<String> {
        self.client.map(|client| format!("client:{client}"))
    }

    fn name(&self) -> String {
        format!("user:{}", self.username)
    }
}

/// An attempt let through, and how long it waits before its password is checked.
#[derive(Debug)]
pub struct Admitted {
    pub delay: Duration,
}

impl LoginLimiter {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Instant>>> {
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Lets an attempt through, or says how long to wait; counts it as failed meanwhile.
    pub fn admit(&self, attempt: &Attempt<'_>) -> Result<Admitted, AppError> {
        let mut failures = self.lock();
        let now = Instant::now();
        let mut recent = |key: &str| {
            let times = failures.entry(key.to_string()).or_default();
            times.retain(|t| now.duration_since(*t) < WINDOW);
            (times.len(), times.first().copied())
        };
        let mut limits = vec![(attempt.name_and_client(), FAILURES_PER_NAME_AND_CLIENT)];
        if let Some(client) = attempt.client() {
            limits.push((client, FAILURES_PER_CLIENT));
        }
        for (key, allowed) in &limits {
            let (count, oldest) = recent(key);
            if count >= *allowed {
                let since = now.duration_since(oldest.unwrap_or(now));
                return Err(AppError::RateLimited {
                    retry_after_secs: WINDOW.saturating_sub(since).as_secs().max(1),
                });
            }
        }
        let (of_name, _) = recent(&attempt.name());
        for key in limits
            .into_iter()
            .map(|(key, _)| key)
            .chain([attempt.name()])
        {
            failures.entry(key).or_default().push(now);
        }
        if failures.len() > SWEEP_ABOVE {
            failures.retain(|_, times| {
                times.retain(|t| now.duration_since(*t) < WINDOW);
                !times.is_empty()
            });
        }
        let delay = match of_name.checked_sub(FAILURES_BEFORE_DELAY) {
            Some(beyond) => FIRST_DELAY
                .saturating_mul(1 << beyond.min(16))
                .min(MAX_DELAY),
            None => Duration::ZERO,
        };
        Ok(Admitted { delay })
    }

    /// The attempt was refused before its password was looked at: it did not count.
    fn not_evaluated(&self, attempt: &Attempt<'_>) {
        let mut failures = self.lock();
        let keys = [
            Some(attempt.name_and_client()),
            attempt.client(),
            Some(attempt.name()),
        ];
        for key in keys.into_iter().flatten() {
            if let Some(times) = failures.get_mut(&key) {
                times.pop();
            }
        }
    }

    /// Lets an attempt through to have its password hashed: counted as failed first (see
    /// [`LoginLimiter::admit`]), waiting its delay, and holding one of the few hashing places
    /// (RATE_LIMITED at once when none is free).
    pub(super) async fn admit_to_hash(
        &self,
        attempt: &Attempt<'_>,
    ) -> Result<SemaphorePermit<'_>, AppError> {
        let admitted = self.admit(attempt)?;
        if !admitted.delay.is_zero() {
            tokio::time::sleep(admitted.delay).await;
        }
        self.hashing.try_acquire().map_err(|_| {
            self.not_evaluated(attempt);
            AppError::RateLimited {
                retry_after_secs: 1,
            }
        })
    }

    /// The right password: the username's failures are forgiven, and the client's pending one.
    pub(super) fn succeeded(&self, attempt: &Attempt<'_>) {
        let mut failures = self.lock();
        failures.remove(&attempt.name_and_client());
        failures.remove(&attempt.name());
        if let Some(times) = attempt.client().and_then(|key| failures.get_mut(&key)) {
            times.pop();
        }
    }
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let salt = SaltString::encode_b64(&salt)
            .map_err(|e| AppError::internal(anyhow::anyhow!("encoding a salt: {e}")))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| AppError::internal(anyhow::anyhow!("hashing a password: {e}")))
    })
    .await
    .map_err(AppError::internal)?
}

pub(super) async fn verify_password(password: String, hash: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| AppError::internal(anyhow::anyhow!("stored password hash: {e}")))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(AppError::internal)?
}

/// A hash of a password nobody has, so an unknown username costs as much time as a known one.
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4j9Ocn3WjyEjhVHE2S9vLxf+SC7exeKoZ3v1Ch29LFY";

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

#[tracing::instrument(skip(ctx, limiter, password))]
pub async fn login(
    ctx: &Ctx,
    limiter: &LoginLimiter,
    username: &str,
    password: &str,
    client: Option<IpAddr>,
) -> Result<SessionView, AppError> {
    let username = username.trim();
    let attempt = Attempt { username, client };
    // Counted as failed before the password is looked at, so a burst cannot run more
    // evaluations than the limit allows; a success takes it back.
    let _hashing = limiter.admit_to_hash(&attempt).await?;
    let user = app_user::Entity::find()
        .filter(app_user::Column::Username.eq(username))
        .one(ctx.db.conn())
        .await?;
    let hash = user
        .as_ref()
        .map_or(DECOY_HASH.to_string(), |u| u.password_hash.clone());
    let matches = verify_password(password.to_string(), hash).await?;
    let Some(user) = user.filter(|_| matches) else {
        return Err(AppError::Unauthenticated(
            "wrong username or password".into(),
        ));
    };
    limiter.succeeded(&attempt);
    if user.disabled_at.is_some() {
        return Err(AppError::Unauthenticated(
            "this account is disabled; the presidium can enable it again".into(),
        ));
    }
    let token = new_token();
    let mut cmd = Command::unattended(ctx).await?;
    cmd.outside_figures();
    let now = cmd.now;
    let expires_at = now + ctx.settings.session_ttl;
    session::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        user_id: Set(user.id),
        token_hash: Set(token_hash(&token)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        last_used_at: Set(Some(now)),
    }
    .insert(cmd.db())
    .await?;
    let session = SessionView {
        token,
        expires_at,
        user: UserView::from(user),
    };
    cmd.finish(session).await
}

/// Revokes the session behind `token`.
pub async fn logout(ctx: &Ctx, token: &str) -> Result<bool, AppError> {
    let mut cmd = Command::unattended(ctx).await?;
    cmd.outside_figures();
    let result = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Some(cmd.now)))
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .filter(session::Column::RevokedAt.is_null())
        .exec(cmd.db())
        .await?;
    cmd.finish(result.rows_affected > 0).await
}

/// A bearer token's account, as the HTTP layer needs it.
pub struct Authenticated {
    pub actor: Actor,
    /// The account may only choose a new password until it does.
    pub must_change_password: bool,
}

/// The user behind a bearer token, with what they may read: a live session of an account that
/// is not disabled.
pub async fn authenticate(ctx: &Ctx, token: &str) -> Result<Authenticated, AppError> {
    let now = ctx.now();
    // One statement: the live session with this token, and its account.
    let found = session::Entity::find()
        .find_also_related(app_user::Entity)
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .filter(app_user::Column::DisabledAt.is_null())
        .one(ctx.db.conn())
        .await?;
    let Some((session, Some(user))) = found else {
        return Err(AppError::Unauthenticated(
            "the token is unknown, expired or revoked; sign in again".into(),
        ));
    };
    if needs_noting(session.last_used_at, now) {
        note_use(ctx, session.id, now);
    }
    let must_change_password = user.must_change_password;
    Ok(Authenticated {
        actor: actor_for(ctx, UserView::from(user)).await?,
        must_change_password,
    })
}

/// Whether a session last used at `last_used` should have this use written down: at most once
/// per [`session::LAST_USED_PRECISION`], so that requests do not each cost a write.
fn needs_noting(last_used: Option<chrono::DateTime<Utc>>, now: chrono::DateTime<Utc>) -> bool {
    last_used
        .is_none_or(|at| (now - at).to_std().unwrap_or_default() >= session::LAST_USED_PRECISION)
}

/// Keeps when a session was last used, out of the request's way: it is a convenience for the
/// session's owner, and a lost update is only a stale time.
fn note_use(ctx: &Ctx, session_id: uuid::Uuid, now: chrono::DateTime<Utc>) {
    let ctx = ctx.clone();
    tokio::spawn(async move {
        let noted = async {
            let mut cmd = Command::unattended(&ctx).await?;
            cmd.outside_figures();
            session::Entity::update_many()
                .col_expr(session::Column::LastUsedAt, Expr::value(Some(now)))
                .filter(session::Column::Id.eq(session_id))
                .exec(cmd.db())
                .await?;
            cmd.finish(()).await
        };
        if let Err(error) = noted.await {
            tracing::debug!(%error, "could not note when a session was used");
        }
    });
}

/// Ends the live sessions of `user_id`, all of them or all but the one with `keep`'s token.
pub(super) async fn end_sessions(
    db: &sea_orm::DatabaseTransaction,
    user_id: uuid::Uuid,
    keep: Option<&str>,
    now: chrono::DateTime<Utc>,
) -> Result<u64, AppError> {
    let mut ending = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Some(now)))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(token) = keep {
        ending = ending.filter(session::Column::TokenHash.ne(token_hash(token)));
    }
    Ok(ending.exec(db).await?.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_decoy_hash_is_a_valid_argon2id_hash() {
        assert!(
            !verify_password("x".into(), DECOY_HASH.into())
                .await
                .unwrap()
        );
        let hash = hash_password("风雨桥2021".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("风雨桥2021".into(), hash).await.unwrap());
    }

    #[test]
    fn a_session_in_use_is_written_down_at_most_every_five_minutes() {
        let now = Utc::now();
        let ago = |seconds: i64| Some(now - chrono::Duration::seconds(seconds));
        assert!(needs_noting(None, now));
        assert!(!needs_noting(ago(0), now));
        assert!(!needs_noting(ago(299), now));
        assert!(needs_noting(ago(300), now));
        // A clock that stepped back never makes every request write.
        assert!(!needs_noting(ago(-60), now));
    }

    fn attempt(username: &str, client: [u8; 4]) -> Attempt<'_> {
        Attempt {
            username,
            client: Some(IpAddr::from(client)),
        }
    }

    #[test]
    fn guesses_from_one_address_lock_that_address_out_of_that_account_only() {
        let limiter = LoginLimiter::default();
        let here = [10, 0, 0, 9];
        for _ in 0..FAILURES_PER_NAME_AND_CLIENT {
            assert!(limiter.admit(&attempt("zhang", here)).is_ok());
        }
        assert!(matches!(
            limiter.admit(&attempt("zhang", here)),
            Err(AppError::RateLimited { .. })
        ));
        // The real user elsewhere still gets through (after a wait), and so does another account.
        let elsewhere = limiter.admit(&attempt("zhang", [10, 0, 0, 8])).unwrap();
        assert!(elsewhere.delay > Duration::ZERO && elsewhere.delay <= MAX_DELAY);
        assert!(limiter.admit(&attempt("li", here)).is_ok());
    }

    #[test]
    fn one_client_guessing_across_many_usernames_is_locked_out() {
        let limiter = LoginLimiter::default();
        let client = [10, 0, 0, 7];
        let names: Vec<String> = (0..FAILURES_PER_CLIENT).map(|i| format!("u{i}")).collect();
        for name in &names {
            assert!(limiter.admit(&attempt(name, client)).is_ok());
        }
        assert!(matches!(
            limiter.admit(&attempt("fresh", client)),
            Err(AppError::RateLimited { .. })
        ));
        assert!(limiter.admit(&attempt("fresh", [10, 0, 0, 8])).is_ok());
    }

    #[test]
    fn the_wait_grows_with_the_failures_of_a_username_and_a_success_forgives_them() {
        let limiter = LoginLimiter::default();
        let delays: Vec<Duration> = (0..12u8)
            .map(|i| {
                limiter
                    .admit(&attempt("renda", [10, 0, 1, i]))
                    .unwrap()
                    .delay
            })
            .collect();
        assert!(
            delays[..FAILURES_BEFORE_DELAY]
                .iter()
                .all(Duration::is_zero)
        );
        assert!(delays.windows(2).all(|w| w[0] <= w[1]), "{delays:?}");
        assert_eq!(delays[11], MAX_DELAY);
        limiter.succeeded(&attempt("renda", [10, 0, 2, 1]));
        assert!(
            limiter
                .admit(&attempt("renda", [10, 0, 2, 1]))
                .unwrap()
                .delay
                .is_zero()
        );
    }
}
