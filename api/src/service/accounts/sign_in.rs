//! Signing in and out: passwords are argon2id hashes, a session token is 256 random bits handed
//! to the client once and stored only as its SHA-256. Every password checked goes through the
//! [`LoginLimiter`] first.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::sync::Arc;

use super::actor_for;
use super::kept::Identity;
use super::limiter::{Attempt, LoginLimiter};
use crate::db::Event;
use crate::entity::{app_user, person, session};
use crate::error::AppError;
use crate::service::kernel::actor::Holder;
use crate::service::kernel::command::Command;
use crate::service::views::{SessionView, UserView};
use crate::service::{Actor, Ctx};

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
    let key = jiandu_domain::access::username_key(username);
    let attempt = Attempt {
        username: &key,
        client,
    };
    // Counted as failed before the password is looked at, so a burst cannot run more
    // evaluations than the limit allows; a success takes it back.
    let _hashing = limiter.admit_to_hash(&attempt).await?;
    // Accounts are stored under their key; one named before that rule, as it was written.
    let mut found = app_user::Entity::find()
        .filter(app_user::Column::Username.is_in([key.as_str(), username.trim()]))
        .all(ctx.db.conn())
        .await?;
    found.sort_by_key(|user| user.username != key);
    let user = found.into_iter().next();
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
    let expires_at = now + ctx.limits.session_ttl;
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

/// Revokes the session behind `token`, on every replica.
pub async fn logout(ctx: &Ctx, token: &str) -> Result<bool, AppError> {
    let mut cmd = Command::unattended(ctx).await?;
    cmd.outside_figures();
    let hash = token_hash(token);
    let live = session::Entity::find()
        .find_also_related(app_user::Entity)
        .filter(session::Column::TokenHash.eq(hash.as_str()))
        .filter(session::Column::RevokedAt.is_null())
        .one(cmd.db())
        .await?;
    let Some((session, Some(user))) = live else {
        return cmd.finish(false).await;
    };
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Some(cmd.now)))
        .filter(session::Column::Id.eq(session.id))
        .exec(cmd.db())
        .await?;
    cmd.announce(Event::SessionsEnded {
        user: user.id,
        organization: user.organization_id,
    });
    cmd.finish(true).await
}

/// A bearer token's account, as the HTTP layer needs it.
pub struct Authenticated {
    pub actor: Actor,
    /// The account may only choose a new password until it does.
    pub must_change_password: bool,
}

/// Who is calling, decided once at the request's edge (`http::caller`) from the credentials
/// the route takes.
pub enum Caller {
    Anonymous,
    /// A token was sent but is unknown, expired or revoked.
    Rejected(String),
    Signed {
        actor: Arc<Actor>,
        token: String,
        /// After a reset or on first start: the account may only choose a new password (and
        /// see who it is, and sign out) until it has.
        must_change_password: bool,
    },
}

/// What an account that must choose a new password is told when it asks for anything else.
pub const CHANGE_PASSWORD_FIRST: &str =
    "choose a new password first (changePassword): this one was given to you to be replaced";

/// The user behind a bearer token, with what they may read: a live session of an account that
/// is not disabled. Kept in memory after the first look-up (see [`super::KeptSessions`]).
pub async fn authenticate(ctx: &Ctx, token: &str) -> Result<Authenticated, AppError> {
    let now = ctx.now();
    let hash = token_hash(token);
    let changes = ctx.db.changes();
    let identity = match ctx.sessions.get(&hash, changes, now) {
        Some(identity) => identity,
        None => {
            // Read before the session is: an end recorded after this is seen by the next request.
            let read_under = changes.latest();
            let identity = look_up(ctx, &hash, now).await?;
            ctx.sessions.put(hash, read_under, identity.clone());
            identity
        }
    };
    let must_change_password = identity.user.must_change_password;
    Ok(Authenticated {
        actor: actor_for(ctx, identity.user)
            .await?
            .held_by(identity.holder),
        must_change_password,
    })
}

/// The live session with the token whose hash is `hash`, its account and the account's holder,
/// in one statement.
async fn look_up(ctx: &Ctx, hash: &str, now: DateTime<Utc>) -> Result<Identity, AppError> {
    let found = session::Entity::find()
        .find_also_related(app_user::Entity)
        .find_also(app_user::Entity, person::Entity)
        .filter(session::Column::TokenHash.eq(hash))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .filter(app_user::Column::DisabledAt.is_null())
        .one(ctx.db.conn())
        .await?;
    let Some((session, Some(user), person)) = found else {
        return Err(AppError::Unauthenticated(
            "the token is unknown, expired or revoked; sign in again".into(),
        ));
    };
    if needs_noting(session.last_used_at, now) {
        note_use(ctx, session.id, now);
    }
    Ok(Identity {
        user: UserView::from(user),
        holder: person.map(|p| Holder {
            name: p.name,
            title: p.title,
        }),
        expires_at: session.expires_at,
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

/// Ends the live sessions of `user` (of `organization`), all of them or all but the one with
/// `keep`'s token; the user's open connections check theirs once the command commits.
pub(super) async fn end_sessions(
    cmd: &mut Command<'_>,
    (user_id, organization): (uuid::Uuid, uuid::Uuid),
    keep: Option<&str>,
) -> Result<u64, AppError> {
    cmd.announce(Event::SessionsEnded {
        user: user_id,
        organization,
    });
    let mut ending = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Some(cmd.now)))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(token) = keep {
        ending = ending.filter(session::Column::TokenHash.ne(token_hash(token)));
    }
    Ok(ending.exec(cmd.db()).await?.rows_affected)
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
}
