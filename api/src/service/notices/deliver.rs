//! The deliverer: posts each pending outbox row to its webhook, at least once. A row is claimed
//! by moving its due time a lease ahead (a conditional update, so two replicas never post it at
//! once and a deliverer that dies lets it fall due again); a failure is retried later, the wait
//! doubling, until it has had its attempts. Redirects are never followed, and each attempt times
//! out, so a dead receiver holds up nothing but its own deliveries.

use std::time::Duration;

use base64::Engine;
use chrono::Utc;
use hmac::{Hmac, Mac};
use jiandu_domain::DeliveryStatus;
use jiandu_domain::notice::{self as rules, WebhookKind};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde_json::json;
use sha2::Sha256;
use tokio::task::JoinHandle;

use super::webhooks::{message_text, secret_text, standard_key};
use crate::entity::{Stored, notice, notice_delivery, webhook};
use crate::error::AppError;
use crate::service::Ctx;

/// How long a claim on a delivery holds before another deliverer may take it.
const LEASE: Duration = Duration::from_secs(60);
/// Each attempt's time limit.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
/// Deliveries taken per round.
const BATCH: u64 = 50;

/// How the deliverer runs: how often it looks, and the first wait after a failure.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    pub every: Duration,
    pub retry_base: Duration,
}

pub fn start(ctx: Ctx, pace: Pace) -> JoinHandle<()> {
    tokio::spawn(async move {
        let client = match reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(ATTEMPT_TIMEOUT)
            .build()
        {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(%error, "no HTTP client for webhooks; nothing will be delivered");
                return;
            }
        };
        let mut ticks = tokio::time::interval(pace.every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = deliver_due(&ctx, &client, pace.retry_base).await {
                tracing::warn!(%error, "delivering notices failed; tries again");
            }
        }
    })
}

/// Posts what is due now; returns how many were tried.
pub async fn deliver_due(
    ctx: &Ctx,
    client: &reqwest::Client,
    retry_base: Duration,
) -> Result<usize, AppError> {
    use notice_delivery::Column as C;
    let conn = ctx.db.conn();
    let now = Utc::now();
    let due = notice_delivery::Entity::find()
        .filter(C::Status.eq(Stored(DeliveryStatus::Pending)))
        .filter(C::NextAttemptAt.lte(now))
        .order_by_asc(C::NextAttemptAt)
        .limit(BATCH)
        .all(conn)
        .await?;
    let mut tried = 0;
    for row in due {
        // The claim: only if nobody moved it since it was read.
        let lease = now + chrono::Duration::from_std(LEASE).unwrap_or_default();
        // Written as every write is (on SQLite, one writer at a time), outside the figures.
        let mut txn = ctx.db.begin_write().await?;
        txn.outside_figures();
        let claimed = notice_delivery::Entity::update_many()
            .col_expr(C::NextAttemptAt, sea_orm::sea_query::Expr::value(lease))
            .filter(C::Id.eq(row.id))
            .filter(C::NextAttemptAt.eq(row.next_attempt_at))
            .filter(C::Status.eq(Stored(DeliveryStatus::Pending)))
            .exec(&*txn)
            .await?;
        txn.commit().await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        tried += 1;
        let outcome = attempt(ctx, client, &row).await;
        let attempts = row.attempts + 1;
        let mut next = notice_delivery::ActiveModel {
            id: Set(row.id),
            attempts: Set(attempts),
            ..Default::default()
        };
        match outcome {
            Ok(()) => {
                next.status = Set(Stored(DeliveryStatus::Delivered));
                next.delivered_at = Set(Some(Utc::now()));
                next.last_error = Set(None);
            }
            Err(error) => {
                tracing::info!(delivery = %row.id, %error, attempts, "a webhook delivery failed");
                next.last_error = Set(Some(error));
                match rules::retry_after(u32::try_from(attempts).unwrap_or(u32::MAX), retry_base) {
                    Some(wait) => {
                        let wait = chrono::Duration::from_std(wait).unwrap_or_default();
                        next.next_attempt_at = Set(Utc::now() + wait);
                    }
                    None => next.status = Set(Stored(DeliveryStatus::Failed)),
                }
            }
        }
        let mut txn = ctx.db.begin_write().await?;
        txn.outside_figures();
        notice_delivery::Entity::update(next).exec(&*txn).await?;
        txn.commit().await?;
    }
    Ok(tried)
}

/// One attempt: the notice posted to the webhook in its kind's format. The error says why, in
/// a line fit for `Delivery.lastError` (no response body is kept).
async fn attempt(
    ctx: &Ctx,
    client: &reqwest::Client,
    row: &notice_delivery::Model,
) -> Result<(), String> {
    let conn = ctx.db.conn();
    let hook = match row.webhook_id {
        Some(id) => webhook::Entity::find_by_id(id).one(conn).await,
        None => return Ok(()),
    }
    .map_err(|_| "the webhook could not be read".to_string())?
    .ok_or("the webhook is gone")?;
    if hook.deleted_at.is_some() {
        return Err("the webhook was deleted".into());
    }
    let n = notice::Entity::find_by_id(row.notice_id)
        .one(conn)
        .await
        .map_err(|_| "the notice could not be read".to_string())?
        .ok_or("the notice is gone")?;
    let request = build(client, &hook, &n, row)?;
    let response = request.send().await.map_err(|e| {
        if e.is_timeout() {
            format!("no answer within {} s", ATTEMPT_TIMEOUT.as_secs())
        } else {
            "the receiver could not be reached".to_string()
        }
    })?;
    let status = response.status();
    if status.is_redirection() {
        return Err(format!(
            "HTTP {}: redirects are not followed",
            status.as_u16()
        ));
    }
    if !status.is_success() {
        return Err(format!("HTTP {}", status.as_u16()));
    }
    Ok(())
}

type HmacSha256 = Hmac<Sha256>;

fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn hmac(key: &[u8], message: &[u8]) -> Result<Vec<u8>, String> {
    let mut mac = HmacSha256::new_from_slice(key).map_err(|_| "a signing key is unusable")?;
    mac.update(message);
    Ok(mac.finalize().into_bytes().to_vec())
}

/// The request for one notice to one webhook.
fn build(
    client: &reqwest::Client,
    hook: &webhook::Model,
    n: &notice::Model,
    row: &notice_delivery::Model,
) -> Result<reqwest::RequestBuilder, String> {
    let text = message_text(n);
    let now = Utc::now();
    match hook.kind.0 {
        WebhookKind::Generic => {
            let body = json!({
                "type": format!("notice.{}", n.kind.0.as_str().to_lowercase()),
                "timestamp": now.to_rfc3339(),
                "data": {
                    "id": n.id,
                    "kind": n.kind.0.as_str(),
                    "level": n.level.0.as_str(),
                    "number": n.number,
                    "title": n.title,
                    "body": n.body,
                    "recipientId": n.recipient_id,
                    "milestoneId": n.milestone_id,
                    "findingId": n.finding_id,
                    "replyDue": n.reply_due,
                    "issuedAt": n.issued_at,
                }
            })
            .to_string();
            let key = hook
                .secret
                .as_deref()
                .and_then(standard_key)
                .ok_or("the webhook has no usable secret")?;
            // Standard Webhooks: the id stays the same across retries of one delivery.
            let id = format!("msg_{}", row.id.simple());
            let timestamp = now.timestamp().to_string();
            let signed = format!("{id}.{timestamp}.{body}");
            let signature = format!("v1,{}", base64(&hmac(&key, signed.as_bytes())?));
            Ok(client
                .post(&hook.url)
                .header("content-type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", timestamp)
                .header("webhook-signature", signature)
                .body(body))
        }
        WebhookKind::Wecom => Ok(client.post(&hook.url).json(&json!({
            "msgtype": "markdown",
            "markdown": { "content": text },
        }))),
        WebhookKind::Dingtalk => {
            let mut url = hook.url.clone();
            if let Some(secret) = secret_text(&hook.secret) {
                // DingTalk: HMAC-SHA256 over "timestamp\nsecret" keyed by the secret.
                let timestamp = now.timestamp_millis().to_string();
                let sign = base64(&hmac(
                    secret.as_bytes(),
                    format!("{timestamp}\n{secret}").as_bytes(),
                )?);
                let sign: String = url::form_urlencoded::byte_serialize(sign.as_bytes()).collect();
                let joiner = if url.contains('?') { '&' } else { '?' };
                url = format!("{url}{joiner}timestamp={timestamp}&sign={sign}");
            }
            Ok(client.post(url).json(&json!({
                "msgtype": "markdown",
                "markdown": { "title": n.title, "text": text },
            })))
        }
        WebhookKind::Feishu => {
            let mut body = json!({
                "msg_type": "text",
                "content": { "text": text },
            });
            if let Some(secret) = secret_text(&hook.secret) {
                // Feishu: HMAC-SHA256 keyed by "timestamp\nsecret" over nothing.
                let timestamp = now.timestamp().to_string();
                let sign = base64(&hmac(format!("{timestamp}\n{secret}").as_bytes(), b"")?);
                body["timestamp"] = json!(timestamp);
                body["sign"] = json!(sign);
            }
            Ok(client.post(&hook.url).json(&body))
        }
    }
}
