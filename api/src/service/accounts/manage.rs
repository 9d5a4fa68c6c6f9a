//! Looking after accounts: a user changes their own password and ends their own sessions; the
//! presidium lists its organisation's accounts, resets a forgotten password (a one-time one that
//! must be changed at the next sign-in) and disables the account of someone who has left, which
//! ends every session and calendar feed it had.

use jiandu_domain::Reason;
use jiandu_domain::field;
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::limiter::{Attempt, LoginLimiter};
use super::parse_password;
use super::sign_in::{end_sessions, hash_password, token_hash, verify_password};
use crate::db::Event;
use crate::entity::{app_user, calendar_feed, session};
use crate::error::AppError;
use crate::service::kernel::audit::Action;
use crate::service::kernel::command::{Audit, Command, Current};
use crate::service::views::UserView;
use crate::service::{Actor, Ctx};

/// The presidium's view of its organisation's accounts, by username.
pub async fn list_users(ctx: &Ctx, actor: &Actor) -> Result<Vec<UserView>, AppError> {
    actor
        .access
        .check_manage(actor.organization_id(), "accounts")?;
    let rows = app_user::Entity::find()
        .filter(app_user::Column::OrganizationId.eq(actor.organization_id()))
        .order_by_asc(app_user::Column::Username)
        .all(ctx.db.conn())
        .await?;
    Ok(rows.into_iter().map(UserView::from).collect())
}

/// The signed-in user replaces their password, proving the current one (which counts as a
/// sign-in attempt, within the same limits). Every other session of theirs ends.
#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn change_password(
    ctx: &Ctx,
    limiter: &LoginLimiter,
    actor: &Actor,
    request_token: &str,
    client: Option<IpAddr>,
    current_password: &str,
    new_password: &str,
) -> Result<bool, AppError> {
    parse_password("newPassword", new_password)?;
    let attempt = Attempt {
        username: &actor.username,
        client,
    };
    let stored = {
        let _hashing = limiter.admit_to_hash(&attempt).await?;
        let stored = app_user::Entity::find_by_id(actor.user_id())
            .one(ctx.db.conn())
            .await?
            .ok_or_else(|| AppError::not_found("user"))?;
        let right =
            verify_password(current_password.to_string(), stored.password_hash.clone()).await?;
        if !right {
            return Err(AppError::invalid(
                field::CURRENT_PASSWORD,
                Reason::WrongPassword,
                "that is not the current password",
            ));
        }
        limiter.succeeded(&attempt);
        stored
    };
    if current_password == new_password {
        return Err(AppError::invalid(
            field::NEW_PASSWORD,
            Reason::Unchanged,
            "choose a password other than the current one",
        ));
    }
    let hash = hash_password(new_password.to_string()).await?;
    let mut cmd = Command::begin(ctx, actor).await?;
    cmd.outside_figures();
    let current = cmd
        .load::<app_user::Entity, AppError>(actor.user_id(), Some(stored.version), |_| Ok(()))
        .await?;
    let mut next = current.edit();
    next.password_hash = Set(hash);
    next.must_change_password = Set(false);
    cmd.update(&current, next, Audit::new(Action::UserPasswordChange))
        .await?;
    let own = (actor.user_id(), actor.organization_id());
    end_sessions(&mut cmd, own, Some(request_token)).await?;
    cmd.finish(true).await
}

/// Loads an account of the presidium's own organisation for it to change.
async fn load_account(
    cmd: &mut Command<'_>,
    actor: &Actor,
    id: Uuid,
) -> Result<Current<app_user::Entity>, AppError> {
    cmd.outside_figures();
    cmd.load::<app_user::Entity, _>(id, None, |row| {
        actor.access.check_manage(row.organization_id, "accounts")
    })
    .await
}

/// The presidium gives an account a one-time password, returned once, which must be changed at
/// the next sign-in; the account's sessions end.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %user_id))]
pub async fn reset_password(ctx: &Ctx, actor: &Actor, user_id: Uuid) -> Result<String, AppError> {
    let password = one_time_password();
    let hash = hash_password(password.clone()).await?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = load_account(&mut cmd, actor, user_id).await?;
    let mut next = current.edit();
    next.password_hash = Set(hash);
    next.must_change_password = Set(true);
    cmd.update(&current, next, Audit::new(Action::UserPasswordReset))
        .await?;
    let organization = current.row.organization_id;
    end_sessions(&mut cmd, (user_id, organization), None).await?;
    cmd.finish(password).await
}

/// The presidium disables an account: it cannot sign in, and every session and calendar feed it
/// had ends. Nobody disables their own account (they could not undo it).
#[tracing::instrument(skip_all, fields(actor = %actor.username, %user_id))]
pub async fn disable_user(ctx: &Ctx, actor: &Actor, user_id: Uuid) -> Result<UserView, AppError> {
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = load_account(&mut cmd, actor, user_id).await?;
    if user_id == actor.user_id() {
        return Err(AppError::invalid(
            field::ID,
            Reason::OwnAccount,
            "you cannot disable your own account; another presidium account can",
        ));
    }
    if current.row.disabled_at.is_some() {
        return cmd.finish(current.before).await;
    }
    let now = cmd.now;
    let mut next = current.edit();
    next.disabled_at = Set(Some(now));
    let view = cmd
        .update(&current, next, Audit::new(Action::UserDisable))
        .await?;
    let organization = current.row.organization_id;
    end_sessions(&mut cmd, (user_id, organization), None).await?;
    calendar_feed::Entity::delete_by_id(user_id)
        .exec(cmd.db())
        .await?;
    cmd.finish(view).await
}

/// The presidium enables a disabled account again; its old sessions stay ended.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %user_id))]
pub async fn enable_user(ctx: &Ctx, actor: &Actor, user_id: Uuid) -> Result<UserView, AppError> {
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = load_account(&mut cmd, actor, user_id).await?;
    if current.row.disabled_at.is_none() {
        return cmd.finish(current.before).await;
    }
    let mut next = current.edit();
    next.disabled_at = Set(None);
    cmd.finish_update(&current, next, Audit::new(Action::UserEnable))
        .await
}

/// One of a user's live sessions.
#[derive(Debug, Clone)]
pub struct SessionInfoView {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// The session this request came with.
    pub current: bool,
}

/// The caller's live sessions, newest first.
pub async fn sessions(
    ctx: &Ctx,
    actor: &Actor,
    request_token: &str,
) -> Result<Vec<SessionInfoView>, AppError> {
    let this = token_hash(request_token);
    let rows = session::Entity::find()
        .filter(session::Column::UserId.eq(actor.user_id()))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(ctx.now()))
        .order_by_desc(session::Column::CreatedAt)
        .order_by_desc(session::Column::Id)
        .all(ctx.db.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| SessionInfoView {
            id: row.id,
            created_at: row.created_at,
            expires_at: row.expires_at,
            last_used_at: row.last_used_at,
            current: row.token_hash == this,
        })
        .collect())
}

/// Ends one of the caller's own sessions (NOT_FOUND for anyone else's); false when it had
/// already ended.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %session_id))]
pub async fn revoke_session(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> Result<bool, AppError> {
    let mut cmd = Command::begin(ctx, actor).await?;
    cmd.outside_figures();
    let own = session::Entity::find_by_id(session_id)
        .filter(session::Column::UserId.eq(actor.user_id()))
        .one(cmd.db())
        .await?
        .ok_or_else(|| AppError::not_found("session"))?;
    if own.revoked_at.is_some() || own.expires_at <= cmd.now {
        return cmd.finish(false).await;
    }
    let now = cmd.now;
    session::Entity::update_many()
        .col_expr(
            session::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .filter(session::Column::Id.eq(session_id))
        .exec(cmd.db())
        .await?;
    cmd.announce(Event::SessionsEnded {
        user: actor.user_id(),
        organization: actor.organization_id(),
    });
    cmd.finish(true).await
}

/// A password to hand over once, on paper or by phone: 16 letters and digits without the ones
/// that look alike (0/O, 1/l/I), about 90 bits.
pub fn one_time_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}
