//! Idempotency keys (the `Idempotency-Key` header): a request sent again with the same key and
//! the same body gets the first answer again instead of being done twice; the same key with
//! another body is refused. Keys are per user and last 24 hours.

use chrono::{DateTime, Duration, Utc};
use jiandu_domain::Reason;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::idempotency_key;
use crate::error::AppError;
use crate::service::Ctx;

/// How long a key is remembered.
pub const KEY_LIFETIME: Duration = Duration::hours(24);
/// A first request still unanswered after this long is taken to have died with its server.
const ABANDONED_AFTER: Duration = Duration::minutes(2);
pub const MAX_KEY_CHARS: usize = 200;
/// Keys one user may hold at once (within [`KEY_LIFETIME`]): retries are for the few mutations
/// a client could not confirm, not a store.
pub const MAX_KEYS_PER_USER: u64 = 500;
/// The longest answer kept for a replay. A longer one (no mutation of Jiandu answers that much
/// unless asked for a whole tree) is kept as a CONFLICT saying the request was done, so a
/// retry still never does it twice.
pub const MAX_KEPT_ANSWER_BYTES: usize = 16 * 1024;

/// What to do with a request carrying a key.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: run the request, then [`finish`].
    Run,
    /// Answered before: send this again.
    Replay { status: u16, body: String },
    /// The first request with this key is still running.
    InProgress,
    /// The key was used with another request.
    Mismatch,
}

/// Checks that a client's key is something a client would send.
pub fn check_key(key: &str) -> Result<(), AppError> {
    if key.is_empty()
        || key.chars().count() > MAX_KEY_CHARS
        || !key.chars().all(|c| c.is_ascii_graphic())
    {
        return Err(AppError::invalid(
            "Idempotency-Key",
            Reason::Length {
                min: 1,
                max: MAX_KEY_CHARS,
            },
            format!("must be 1 to {MAX_KEY_CHARS} visible ASCII characters"),
        ));
    }
    Ok(())
}

fn expired(now: DateTime<Utc>) -> DateTime<Utc> {
    now - KEY_LIFETIME
}

/// Claims `key` for `user`'s request with body hash `request_hash`, or says how it was used.
pub async fn claim(
    ctx: &Ctx,
    user: Uuid,
    key: &str,
    request_hash: &str,
) -> Result<Claim, AppError> {
    let now = ctx.now();
    let mut txn = ctx.db.begin_write().await?;
    txn.outside_figures();
    // Forget this user's expired keys, and a first attempt that died mid-way.
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::UserId.eq(user))
        .filter(idempotency_key::Column::CreatedAt.lt(expired(now)))
        .exec(&*txn)
        .await?;
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::UserId.eq(user))
        .filter(idempotency_key::Column::Key.eq(key))
        .filter(idempotency_key::Column::Status.is_null())
        .filter(idempotency_key::Column::CreatedAt.lt(now - ABANDONED_AFTER))
        .exec(&*txn)
        .await?;
    let held = idempotency_key::Entity::find_by_id((user, key.to_string()))
        .one(&*txn)
        .await?;
    if held.is_none() {
        let live = idempotency_key::Entity::find()
            .filter(idempotency_key::Column::UserId.eq(user))
            .count(&*txn)
            .await?;
        if live >= MAX_KEYS_PER_USER {
            let oldest: Option<DateTime<Utc>> = idempotency_key::Entity::find()
                .select_only()
                .column(idempotency_key::Column::CreatedAt)
                .filter(idempotency_key::Column::UserId.eq(user))
                .order_by_asc(idempotency_key::Column::CreatedAt)
                .into_tuple()
                .one(&*txn)
                .await?;
            let frees_at = oldest.map_or(now, |at| at + KEY_LIFETIME);
            let seconds = (frees_at - now).num_seconds();
            return Err(AppError::RateLimited {
                retry_after_secs: u64::try_from(seconds).unwrap_or(1).max(1),
            });
        }
    }
    let inserted = idempotency_key::Entity::insert(idempotency_key::ActiveModel {
        user_id: Set(user),
        key: Set(key.to_string()),
        request_hash: Set(request_hash.to_string()),
        status: Set(None),
        response: Set(None),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            idempotency_key::Column::UserId,
            idempotency_key::Column::Key,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&*txn)
    .await?;
    let claim = if inserted == 1 {
        Claim::Run
    } else {
        let existing = idempotency_key::Entity::find_by_id((user, key.to_string()))
            .one(&*txn)
            .await?
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("idempotency key vanished")))?;
        if existing.request_hash != request_hash {
            Claim::Mismatch
        } else {
            match (existing.status, existing.response) {
                (Some(status), Some(body)) => Claim::Replay {
                    status: u16::try_from(status).unwrap_or(200),
                    body,
                },
                _ => Claim::InProgress,
            }
        }
    };
    txn.commit().await?;
    Ok(claim)
}

/// Stores the answer to the request that claimed `key`.
pub async fn finish(
    ctx: &Ctx,
    user: Uuid,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), AppError> {
    let (status, body) = if body.len() > MAX_KEPT_ANSWER_BYTES {
        let done = serde_json::json!({ "errors": [{
            "message": "this request was done, but its answer was too large to keep; read the result instead of sending it again",
            "extensions": { "code": "CONFLICT" },
        }] });
        (409, done.to_string())
    } else {
        (status, body.to_string())
    };
    let mut txn = ctx.db.begin_write().await?;
    txn.outside_figures();
    idempotency_key::Entity::update_many()
        .col_expr(
            idempotency_key::Column::Status,
            sea_orm::sea_query::Expr::value(i32::from(status)),
        )
        .col_expr(
            idempotency_key::Column::Response,
            sea_orm::sea_query::Expr::value(body),
        )
        .filter(idempotency_key::Column::UserId.eq(user))
        .filter(idempotency_key::Column::Key.eq(key))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Lets go of a claim whose request could not be answered, so a retry runs it.
pub async fn release(ctx: &Ctx, user: Uuid, key: &str) -> Result<(), AppError> {
    let mut txn = ctx.db.begin_write().await?;
    txn.outside_figures();
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::UserId.eq(user))
        .filter(idempotency_key::Column::Key.eq(key))
        .filter(idempotency_key::Column::Status.is_null())
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_visible_ascii() {
        assert!(check_key("7f9c0a52-order-1").is_ok());
        assert!(check_key("").is_err());
        assert!(check_key("has space").is_err());
        assert!(check_key("钥匙").is_err());
        assert!(check_key(&"k".repeat(201)).is_err());
    }
}
