//! Sign-in, sessions and user accounts. Passwords are argon2id hashes; a session token is 256
//! random bits handed to the client once and stored only as its SHA-256.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use jiandu_domain::validate::limits;
use jiandu_domain::{Access, Role, Text, Zone};
use rand::RngCore;
use sea_orm::sea_query::Query;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::command::{Audit, Command};
use super::views::{SessionView, UserView};
use super::{Actor, Ctx, ReadableOrg};
use crate::entity::{Stored, app_user, person, session};
use crate::error::{AppError, OnConstraint};

const MIN_PASSWORD_CHARS: usize = 8;
const MAX_PASSWORD_CHARS: usize = 256;

/// Failed sign-ins allowed per username within [`LOGIN_WINDOW`].
const LOGIN_FAILURES: usize = 10;
/// Failed sign-ins allowed from one client address within [`LOGIN_WINDOW`], whatever the
/// usernames tried (guessing across many accounts).
const LOGIN_FAILURES_PER_CLIENT: usize = 30;
const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Remembers recent failed sign-ins per username and per client address, so guessing passwords
/// is slow.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

/// Who is trying to sign in: the username asked for and, when known, the client's address.
pub struct Attempt<'a> {
    pub username: &'a str,
    pub client: Option<IpAddr>,
}

impl Attempt<'_> {
    fn keys(&self) -> Vec<(String, usize)> {
        let mut keys = vec![(format!("user:{}", self.username), LOGIN_FAILURES)];
        if let Some(client) = self.client {
            keys.push((format!("client:{client}"), LOGIN_FAILURES_PER_CLIENT));
        }
        keys
    }
}

impl LoginLimiter {
    fn check(&self, attempt: &Attempt<'_>) -> Result<(), AppError> {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        for (key, allowed) in attempt.keys() {
            let recent = failures.entry(key).or_default();
            recent.retain(|t| now.duration_since(*t) < LOGIN_WINDOW);
            if recent.len() >= allowed {
                let oldest = recent.first().copied().unwrap_or(now);
                let retry = LOGIN_WINDOW.saturating_sub(now.duration_since(oldest));
                return Err(AppError::RateLimited {
                    retry_after_secs: retry.as_secs().max(1),
                });
            }
        }
        Ok(())
    }

    fn failed(&self, attempt: &Attempt<'_>) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        for (key, _) in attempt.keys() {
            failures.entry(key).or_default().push(now);
        }
        // Forget keys whose failures have all expired, so the map cannot grow without bound.
        if failures.len() > 10_000 {
            failures.retain(|_, times| {
                times.retain(|t| now.duration_since(*t) < LOGIN_WINDOW);
                !times.is_empty()
            });
        }
    }

    fn succeeded(&self, attempt: &Attempt<'_>) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(&format!("user:{}", attempt.username));
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

async fn verify_password(password: String, hash: String) -> Result<bool, AppError> {
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

pub(super) fn new_token() -> String {
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
    limiter.check(&attempt)?;
    let user = app_user::Entity::find()
        .filter(app_user::Column::Username.eq(username))
        .one(ctx.db.conn())
        .await?;
    let hash = user
        .as_ref()
        .map_or(DECOY_HASH.to_string(), |u| u.password_hash.clone());
    let matches = verify_password(password.to_string(), hash).await?;
    let Some(user) = user.filter(|_| matches) else {
        limiter.failed(&attempt);
        return Err(AppError::Unauthenticated(
            "wrong username or password".into(),
        ));
    };
    limiter.succeeded(&attempt);
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
        .col_expr(
            session::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Some(cmd.now)),
        )
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .filter(session::Column::RevokedAt.is_null())
        .exec(cmd.db())
        .await?;
    cmd.finish(result.rows_affected > 0).await
}

/// The user behind a bearer token, with what they may read.
pub async fn authenticate(ctx: &Ctx, token: &str) -> Result<Actor, AppError> {
    let expired = || {
        AppError::Unauthenticated("the token is unknown, expired or revoked; sign in again".into())
    };
    // One statement: the user of a live session with this token.
    let live_session = Query::select()
        .column(session::Column::UserId)
        .from(session::Entity)
        .and_where(session::Column::TokenHash.eq(token_hash(token)))
        .and_where(session::Column::RevokedAt.is_null())
        .and_where(session::Column::ExpiresAt.gt(Utc::now()))
        .to_owned();
    let user = app_user::Entity::find()
        .filter(app_user::Column::Id.in_subquery(live_session))
        .one(ctx.db.conn())
        .await?
        .ok_or_else(expired)?;
    actor_for(ctx, UserView::from(user)).await
}

/// Builds the actor for a user: the organisations they may read and their zones.
pub async fn actor_for(ctx: &Ctx, user: UserView) -> Result<Actor, AppError> {
    let organizations = ctx.organizations.all(&ctx.db).await?;
    let parents: HashMap<Uuid, Option<Uuid>> =
        organizations.iter().map(|o| (o.id, o.parent_id)).collect();
    let readable = jiandu_domain::access::subtree(&parents, user.organization_id);
    let organizations = organizations
        .iter()
        .filter(|o| readable.contains(&o.id))
        .map(|o| {
            let zone = o.timezone.parse::<Zone>().unwrap_or_default();
            (
                o.id,
                ReadableOrg {
                    zone,
                    parent_id: o.parent_id,
                },
            )
        })
        .collect();
    let access = Access {
        user_id: user.id,
        person_id: user.person_id,
        role: user.role,
        organization_id: user.organization_id,
        readable,
    };
    Ok(Actor::new(access, user.username, organizations))
}

pub struct NewUser {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub person_id: Option<Uuid>,
}

/// A presidium creates an account in its own organisation.
pub async fn create_user(ctx: &Ctx, actor: &Actor, input: NewUser) -> Result<UserView, AppError> {
    actor
        .access
        .check_manage(actor.organization_id(), "accounts")?;
    insert_user(ctx, Some(actor), actor.organization_id(), input).await
}

/// Creates an account without a signed-in actor: the command line and first start-up.
pub async fn insert_user(
    ctx: &Ctx,
    actor: Option<&Actor>,
    organization_id: Uuid,
    input: NewUser,
) -> Result<UserView, AppError> {
    let username = Text::parse("username", &input.username, limits::USERNAME)?.into_string();
    if !username
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        return Err(AppError::validation(
            "username",
            "may contain only letters, digits, '_', '.' and '-'",
        ));
    }
    let chars = input.password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        return Err(AppError::validation(
            "password",
            format!("must be {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    let password_hash = hash_password(input.password).await?;
    let mut cmd = match actor {
        Some(actor) => Command::begin(ctx, actor).await?,
        None => Command::unattended(ctx).await?,
    };
    if let Some(person_id) = input.person_id {
        cmd.refer::<person::Entity>(organization_id, person_id, "personId")
            .await?;
    }
    let now = cmd.now;
    let row = app_user::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(organization_id),
        username: Set(username),
        password_hash: Set(password_hash),
        role: Set(Stored(input.role)),
        person_id: Set(input.person_id),
        created_at: Set(now),
    }
    .insert(cmd.db())
    .await
    .on_constraint("that username is taken", "personId")?;
    cmd.created::<app_user::Entity>(&row, Audit::new("user.create"))
        .await?;
    cmd.finish(UserView::from(row)).await
}

pub async fn users_by_ids(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<UserView>, AppError> {
    let rows = actor
        .readable()
        .by_ids::<app_user::Entity>(ids)
        .all(ctx.db.conn())
        .await?;
    Ok(rows.into_iter().map(UserView::from).collect())
}

pub async fn user_count(ctx: &Ctx) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(app_user::Entity::find().count(ctx.db.conn()).await?)
}

pub async fn find_user(ctx: &Ctx, user_id: Uuid) -> Result<Option<UserView>, AppError> {
    Ok(app_user::Entity::find_by_id(user_id)
        .one(ctx.db.conn())
        .await?
        .map(UserView::from))
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

    fn attempt(username: &str, client: Option<[u8; 4]>) -> Attempt<'_> {
        Attempt {
            username,
            client: client.map(IpAddr::from),
        }
    }

    #[test]
    fn repeated_failures_lock_a_username_for_a_while() {
        let limiter = LoginLimiter::default();
        for _ in 0..LOGIN_FAILURES {
            assert!(limiter.check(&attempt("zhang", None)).is_ok());
            limiter.failed(&attempt("zhang", None));
        }
        assert!(matches!(
            limiter.check(&attempt("zhang", Some([10, 0, 0, 9]))),
            Err(AppError::RateLimited { .. })
        ));
        assert!(limiter.check(&attempt("li", None)).is_ok());
    }

    #[test]
    fn one_client_guessing_across_many_usernames_is_locked_out() {
        let limiter = LoginLimiter::default();
        let client = Some([10, 0, 0, 7]);
        let names: Vec<String> = (0..LOGIN_FAILURES_PER_CLIENT)
            .map(|i| format!("u{i}"))
            .collect();
        for name in &names {
            assert!(limiter.check(&attempt(name, client)).is_ok());
            limiter.failed(&attempt(name, client));
        }
        assert!(matches!(
            limiter.check(&attempt("fresh", client)),
            Err(AppError::RateLimited { .. })
        ));
        assert!(
            limiter
                .check(&attempt("fresh", Some([10, 0, 0, 8])))
                .is_ok()
        );
    }
}
