//! The deliverer: posts each pending outbox row to its webhook, at least once. A row is claimed
//! by moving its due time a lease ahead (a conditional update, so two replicas never post it at
//! once and a deliverer that dies lets it fall due again); a failure is retried later, the wait
//! doubling, until it has had its attempts. Redirects are never followed, an address inside the
//! server's network is never reached (`reach`), each attempt times out, and each organisation's
//! deliveries are posted apart from the others', so a dead or slow receiver holds up nothing but
//! its own organisation's deliveries.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use chrono::Utc;
use hmac::{Hmac, Mac};
use jiandu_domain::DeliveryStatus;
use jiandu_domain::notice::{self as rules, WebhookKind};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde_json::json;
use sha2::Sha256;
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::reach::{self, Guarded};
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
/// Organisations whose deliveries are posted side by side.
const ORGANIZATIONS_AT_ONCE: usize = 16;
/// What a failed delivery tells users; why it failed is in the server's log.
pub const FAILED_WILL_RETRY: &str = "delivery failed; it is tried again later";
pub const FAILED_GIVEN_UP: &str = "delivery failed; given up after its attempts";

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
            .dns_resolver(Arc::new(Guarded(ctx.limits.webhook_allow.clone())))
            .build()
        {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(%error, "no HTTP client for webhooks; nothing will be delivered");
                return;
            }
        };
        let busy = Arc::new(Busy::default());
        let mut ticks = tokio::time::interval(pace.every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = start_due(&ctx, &client, pace.retry_base, &busy).await {
                tracing::warn!(%error, "delivering notices failed; tries again");
            }
        }
    })
}

/// The organisations whose deliveries are being posted now.
#[derive(Default)]
struct Busy(Mutex<HashSet<Uuid>>);

impl Busy {
    fn now(&self) -> std::sync::MutexGuard<'_, HashSet<Uuid>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// An organisation's turn, ended when dropped (even by a panic).
struct Turn(Arc<Busy>, Uuid);

impl Drop for Turn {
    fn drop(&mut self) {
        self.0.now().remove(&self.1);
    }
}

/// Starts posting what is due now: one task for each organisation with deliveries due and
/// none being posted, which posts them one after another. Organisations go side by side (at
/// most [`ORGANIZATIONS_AT_ONCE`]), so one township's slow receivers hold up its own
/// deliveries only.
async fn start_due(
    ctx: &Ctx,
    client: &reqwest::Client,
    retry_base: Duration,
    busy: &Arc<Busy>,
) -> Result<(), AppError> {
    use notice_delivery::Column as C;
    let skip: Vec<Uuid> = busy.now().iter().copied().collect();
    if skip.len() >= ORGANIZATIONS_AT_ONCE {
        return Ok(());
    }
    let conn = ctx.db.conn();
    let of_others = Query::select()
        .column(notice::Column::Id)
        .from(notice::Entity)
        .and_where(notice::Column::OrganizationId.is_not_in(skip))
        .to_owned();
    let due = notice_delivery::Entity::find()
        .filter(C::Status.eq(Stored(DeliveryStatus::Pending)))
        .filter(C::NextAttemptAt.lte(Utc::now()))
        .filter(C::NoticeId.in_subquery(of_others))
        .order_by_asc(C::NextAttemptAt)
        .limit(BATCH)
        .all(conn)
        .await?;
    if due.is_empty() {
        return Ok(());
    }
    let notices: Vec<Uuid> = due.iter().map(|d| d.notice_id).collect();
    let organization_of: HashMap<Uuid, Uuid> = notice::Entity::find()
        .select_only()
        .columns([notice::Column::Id, notice::Column::OrganizationId])
        .filter(notice::Column::Id.is_in(notices))
        .into_tuple::<(Uuid, Uuid)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let mut by_organization: HashMap<Uuid, Vec<notice_delivery::Model>> = HashMap::new();
    for row in due {
        if let Some(&organization) = organization_of.get(&row.notice_id) {
            by_organization.entry(organization).or_default().push(row);
        }
    }
    for (organization, rows) in by_organization {
        {
            let mut now = busy.now();
            if now.len() >= ORGANIZATIONS_AT_ONCE || !now.insert(organization) {
                continue;
            }
        }
        let turn = Turn(busy.clone(), organization);
        let (ctx, client) = (ctx.clone(), client.clone());
        tokio::spawn(async move {
            let _turn = turn;
            for row in rows {
                if let Err(error) = deliver(&ctx, &client, row, retry_base).await {
                    tracing::warn!(%error, "a webhook delivery could not be written; tried again");
                }
            }
        });
    }
    Ok(())
}

/// Claims one due delivery and posts it; a failure is retried later (the wait doubling) until
/// it has had its attempts. What went wrong is logged; the delivery says only that it failed.
async fn deliver(
    ctx: &Ctx,
    client: &reqwest::Client,
    row: notice_delivery::Model,
    retry_base: Duration,
) -> Result<(), AppError> {
    use notice_delivery::Column as C;
    let now = Utc::now();
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
        return Ok(());
    }
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
            match rules::retry_after(u32::try_from(attempts).unwrap_or(u32::MAX), retry_base) {
                Some(wait) => {
                    let wait = chrono::Duration::from_std(wait).unwrap_or_default();
                    next.next_attempt_at = Set(Utc::now() + wait);
                    next.last_error = Set(Some(FAILED_WILL_RETRY.into()));
                }
                None => {
                    next.status = Set(Stored(DeliveryStatus::Failed));
                    next.last_error = Set(Some(FAILED_GIVEN_UP.into()));
                }
            }
        }
    }
    let mut txn = ctx.db.begin_write().await?;
    txn.outside_figures();
    notice_delivery::Entity::update(next).exec(&*txn).await?;
    txn.commit().await?;
    Ok(())
}

/// One attempt: the notice posted to the webhook in its kind's format, if its address may still
/// be reached (its name may resolve elsewhere since). The error says why, for the log.
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
    let url = url::Url::parse(&hook.url).map_err(|_| "the webhook's address is unreadable")?;
    if let Some(why) = reach::refused(&ctx.limits.webhook_allow, &url).await {
        return Err(why);
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
