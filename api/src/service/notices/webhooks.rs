//! Webhooks (presidium only) and the outbox: every notice is written, in its own transaction,
//! with one delivery row for the in-app inbox (delivered as it commits) and one for each of its
//! organisation's webhooks that takes its kind. The deliverer posts those afterwards — see
//! `deliver`.

use base64::Engine;
use chrono::{DateTime, Utc};

use jiandu_domain::field;
use jiandu_domain::validate::Reason;
use jiandu_domain::{NoticeKind, WebhookKind};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::entity::{Stored, notice, organization, webhook};
use crate::error::AppError;
use crate::service::kernel::audit::Action;
use crate::service::kernel::audit::{self, Change};
use crate::service::kernel::command::Command;
use crate::service::{Actor, Ctx};

pub(crate) use super::outbox::enqueue;
pub use super::outbox::{DeliveryView, deliveries_of};
use super::reach;

/// The longest webhook address taken.
pub const MOST_URL_CHARS: usize = 2000;

#[derive(Debug, Clone, serde::Serialize)]
pub struct WebhookView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub url: String,
    #[serde(serialize_with = "crate::service::views::display")]
    pub kind: WebhookKind,
    #[serde(serialize_with = "kinds_text")]
    pub kinds: Vec<NoticeKind>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

fn kinds_text<S: serde::Serializer>(kinds: &[NoticeKind], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(kinds.iter().map(|k| k.as_str()))
}

pub(super) fn kinds_of(stored: &str) -> Vec<NoticeKind> {
    stored.split(',').filter_map(|k| k.parse().ok()).collect()
}

impl From<webhook::Model> for WebhookView {
    fn from(m: webhook::Model) -> Self {
        WebhookView {
            id: m.id,
            organization_id: m.organization_id,
            kinds: kinds_of(&m.kinds),
            active: m.deleted_at.is_none(),
            kind: m.kind.0,
            url: m.url,
            created_at: m.created_at,
        }
    }
}

pub struct NewWebhook {
    pub url: String,
    pub kind: WebhookKind,
    pub kinds: Option<Vec<NoticeKind>>,
    pub secret: Option<String>,
}

/// A webhook's address as shown, to everyone: its scheme and host only. The path and query of
/// a group robot hold its key, and an address may carry a user and password.
pub fn shown(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => match (parsed.host_str(), parsed.port()) {
            (Some(host), Some(port)) => format!("{}://{host}:{port}", parsed.scheme()),
            (Some(host), None) => format!("{}://{host}", parsed.scheme()),
            (None, _) => parsed.scheme().to_string(),
        },
        Err(_) => "webhook".into(),
    }
}

/// Webhooks one organisation may keep at once.
pub const MOST_WEBHOOKS: u64 = 10;

/// The key of a Standard Webhooks secret (`whsec_` and base64).
pub fn standard_key(secret: &str) -> Option<Vec<u8>> {
    let encoded = secret.strip_prefix("whsec_")?;
    let key = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    (key.len() >= 16).then_some(key)
}

fn check(input: &NewWebhook) -> Result<url::Url, AppError> {
    let chars = input.url.chars().count();
    if chars > MOST_URL_CHARS {
        return Err(AppError::invalid(
            field::URL,
            Reason::TooLong {
                max: MOST_URL_CHARS,
            },
            format!("at most {MOST_URL_CHARS} characters"),
        ));
    }
    let parsed = url::Url::parse(input.url.trim()).map_err(|_| not_an_address())?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(not_an_address());
    }
    match (input.kind, input.secret.as_deref()) {
        (WebhookKind::Generic, None) => Err(AppError::required(
            field::SECRET,
            "a GENERIC webhook is signed: give a Standard Webhooks secret (whsec_ and base64)",
        )),
        (WebhookKind::Generic, Some(secret)) if standard_key(secret).is_none() => {
            Err(AppError::invalid(
                field::SECRET,
                Reason::NotASecret,
                "a Standard Webhooks secret: whsec_ followed by at least 16 bytes in base64",
            ))
        }
        (WebhookKind::Wecom, Some(_)) => Err(AppError::invalid(
            field::SECRET,
            Reason::NotForThisKind,
            "WeCom group robots are not signed: their key is in the address",
        )),
        (_, Some(secret)) if secret.trim().is_empty() || secret.chars().count() > 200 => {
            Err(AppError::invalid(
                field::SECRET,
                Reason::Length { min: 1, max: 200 },
                "1 to 200 characters, or none",
            ))
        }
        _ => Ok(parsed),
    }
}

/// The presidium points its organisation's notices at a webhook.
#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn create_webhook(
    ctx: &Ctx,
    actor: &Actor,
    input: NewWebhook,
) -> Result<WebhookView, AppError> {
    let organization = actor.organization_id();
    actor.access.check_manage(organization, "webhooks")?;
    let url = check(&input)?;
    if let Some(why) = reach::refused(&ctx.limits.webhook_allow, &url).await {
        return Err(AppError::invalid(field::URL, Reason::HostNotAllowed, why));
    }
    let kinds = input
        .kinds
        .clone()
        .unwrap_or_else(|| NoticeKind::ALL.to_vec());
    if kinds.is_empty() {
        return Err(AppError::required(field::KINDS, "at least one notice kind"));
    }
    let mut cmd = Command::begin(ctx, actor).await?;
    cmd.outside_figures();
    // One at a time per organisation (its row written to itself holds the others back), so
    // two at once cannot both be the tenth.
    organization::Entity::update_many()
        .col_expr(
            organization::Column::Name,
            Expr::col(organization::Column::Name),
        )
        .filter(organization::Column::Id.eq(organization))
        .exec(cmd.db())
        .await?;
    let kept = webhook::Entity::find()
        .filter(webhook::Column::OrganizationId.eq(organization))
        .filter(webhook::Column::DeletedAt.is_null())
        .count(cmd.db())
        .await?;
    if kept >= MOST_WEBHOOKS {
        return Err(AppError::invalid(
            field::URL,
            Reason::OutOfRange {
                min: 0,
                max: MOST_WEBHOOKS as i64,
            },
            format!("an organisation keeps at most {MOST_WEBHOOKS} webhooks; delete one first"),
        ));
    }
    let row = webhook::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(organization),
        url: Set(input.url.trim().to_string()),
        kind: Set(Stored(input.kind)),
        kinds: Set(kinds
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(",")),
        secret: Set(input.secret),
        created_by: Set(Some(actor.user_id())),
        created_at: Set(cmd.now),
        deleted_at: Set(None),
    }
    .insert(cmd.db())
    .await?;
    let view = WebhookView::from(row);
    let mut shown_view = view.clone();
    shown_view.url = shown(&view.url);
    cmd.record(Change {
        organization_id: organization,
        action: Action::WebhookCreate,
        entity_type: "Webhook",
        entity_id: view.id,
        before: None,
        after: audit::snapshot(&shown_view),
    })
    .await?;
    cmd.finish(view).await
}

/// The presidium stops a webhook; what was delivered to it stays on record.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn delete_webhook(ctx: &Ctx, actor: &Actor, id: Uuid) -> Result<bool, AppError> {
    let mut cmd = Command::begin(ctx, actor).await?;
    cmd.outside_figures();
    let row = webhook::Entity::find_by_id(id)
        .one(cmd.db())
        .await?
        .filter(|w| actor.readable().may_read(w.organization_id))
        .ok_or_else(|| AppError::not_found("webhook"))?;
    actor.access.check_manage(row.organization_id, "webhooks")?;
    if row.deleted_at.is_some() {
        return Ok(false);
    }
    let organization = row.organization_id;
    let mut next: webhook::ActiveModel = row.into();
    next.deleted_at = Set(Some(cmd.now));
    next.update(cmd.db()).await?;
    cmd.record(Change {
        organization_id: organization,
        action: Action::WebhookDelete,
        entity_type: "Webhook",
        entity_id: id,
        before: None,
        after: None,
    })
    .await?;
    cmd.finish(true).await
}

/// The presidium's webhooks, newest first (deleted ones too, marked inactive).
pub async fn list_webhooks(ctx: &Ctx, actor: &Actor) -> Result<Vec<WebhookView>, AppError> {
    let organization = actor.organization_id();
    actor.access.check_manage(organization, "webhooks")?;
    let rows = webhook::Entity::find()
        .filter(webhook::Column::OrganizationId.eq(organization))
        .order_by_desc(webhook::Column::CreatedAt)
        .all(ctx.db.conn())
        .await?;
    Ok(rows.into_iter().map(WebhookView::from).collect())
}

/// Text of a notice for a chat message: kind, number, title and body.
pub fn message_text(n: &notice::Model) -> String {
    let number = n
        .number
        .as_deref()
        .map_or(String::new(), |n| format!(" {n}"));
    format!("【{}{}】{}\n{}", n.kind.0.label(), number, n.title, n.body)
}

/// A secret as text (for DingTalk and Feishu signatures).
pub fn secret_text(secret: &Option<String>) -> Option<&str> {
    secret.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A webhook address that is not an http(s) address with a host.
fn not_an_address() -> AppError {
    AppError::invalid(field::URL, Reason::NotAnAddress, "an http(s) address")
}
