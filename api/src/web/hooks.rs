//! 推送到工作群: the presidium points the notices at a group robot (WeCom, DingTalk, Feishu) or a
//! signed webhook, and stops posting to one; both answer on the notices page.

use jiandu_domain::field;
use jiandu_domain::{NoticeKind, WebhookKind};
use poem::handler;
use poem::web::{Data, Path};
use serde::Deserialize;
use uuid::Uuid;

use super::form::{self, Refusal};
use super::notices::{Refused, Shown, render_with};
use super::page::{self, Page, Posted, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::notices::webhooks;

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
