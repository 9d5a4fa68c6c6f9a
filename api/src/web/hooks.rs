//! 推送到工作群: the presidium points the notices at a group robot (WeCom, DingTalk, Feishu) or a
//! signed webhook, and stops posting to one; both answer on the notices page.

use jiandu_domain::field;
use jiandu_domain::{DeliveryStatus, NoticeKind, WebhookKind};
use poem::handler;
use poem::web::{Data, Path};
use serde::Deserialize;
use uuid::Uuid;

use super::form::{self, Refusal};
use super::notice_screen::Shown;
use super::notices::{Refused, render_with};
use super::page::{self, Page, Posted, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::notices::webhooks::{self, DeliveryView};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct HookForm {
    url: String,
    kind: String,
    secret: String,
    orders_only: Option<String>,
}

/// The presidium points the notices at a group robot or a webhook.
#[handler]
pub async fn add_hook(
    Posted {
        signed, form: f, ..
    }: Posted<HookForm>,
    Data(state): Data<&AppState>,
) -> Page {
    let result = async {
        let kind = f
            .kind
            .parse::<WebhookKind>()
            .map_err(|_| AppError::not_in_list(field::KIND))?;
        let new = webhooks::NewWebhook {
            url: f.url.clone(),
            kind,
            kinds: f
                .orders_only
                .is_some()
                .then(|| vec![NoticeKind::SupervisionOrder]),
            secret: form::optional_text(&f.secret),
        };
        webhooks::create_webhook(&state.ctx, &signed.actor, new).await
    }
    .await;
    Ok(match result {
        Ok(_) => page::redirect("/notices?notice=saved#hooks"),
        Err(error) => refused(state, &signed, &error).await,
    })
}

/// The presidium stops posting to a webhook.
#[handler]
pub async fn delete_hook(
    Posted {
        signed, form: _, ..
    }: Posted<HookForm>,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
) -> Page {
    let id = id.parse::<Uuid>().unwrap_or_default();
    Ok(
        match webhooks::delete_webhook(&state.ctx, &signed.actor, id).await {
            Ok(_) => page::redirect("/notices?notice=saved#hooks"),
            Err(error) => refused(state, &signed, &error).await,
        },
    )
}

/// The notices page again, the webhook form's refusal on it.
async fn refused(state: &AppState, signed: &Signed, error: &AppError) -> poem::Response {
    let refused = Refused {
        hook: Some(Refusal::new("hook", error)),
        ..Refused::default()
    };
    render_with(state, signed, &Shown::default(), None, refused).await
}

/// A webhook as the presidium's list shows it.
pub struct HookRow {
    pub id: Uuid,
    pub kind: &'static str,
    pub url: String,
    pub kinds: String,
    pub active: bool,
}

pub(super) fn robot(kind: WebhookKind) -> &'static str {
    match kind {
        WebhookKind::Generic => "Webhook",
        WebhookKind::Wecom => "企业微信",
        WebhookKind::Dingtalk => "钉钉",
        WebhookKind::Feishu => "飞书",
    }
}

pub(super) fn pushed(d: &DeliveryView) -> (String, String) {
    let kind = d
        .channel
        .strip_prefix("webhook:")
        .and_then(|k| k.parse::<WebhookKind>().ok())
        .map_or("Webhook", robot);
    let how = match d.status {
        DeliveryStatus::Delivered => "已送达".to_string(),
        DeliveryStatus::Pending if d.attempts == 0 => "待推送".to_string(),
        DeliveryStatus::Pending => format!("第 {} 次未成功，稍后重试", d.attempts),
        DeliveryStatus::Failed => format!("推送失败（已试 {} 次）", d.attempts),
    };
    let how = match &d.last_error {
        Some(error) if d.status != DeliveryStatus::Delivered => format!("{how}：{error}"),
        _ => how,
    };
    (kind.to_string(), how)
}
