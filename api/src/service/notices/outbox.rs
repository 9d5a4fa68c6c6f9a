//! The outbox: each notice's deliveries, the inbox at once and a pending row for each webhook
//! that takes its kind (the delivery worker posts those), and what became of each.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use jiandu_domain::DeliveryStatus;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::webhooks::{kinds_of, shown};
use crate::db::Event;
use crate::entity::{Stored, notice, notice_delivery, webhook};
use crate::error::AppError;
use crate::service::kernel::audit;
use crate::service::kernel::command::Command;
use crate::service::{Actor, Ctx};

/// Writes the outbox rows of `notices`, inside the command that issues them: the inbox row
/// delivered at once, a pending row for each active webhook of the organisation taking the kind;
/// and tells the recipients' `noticeIssued` subscriptions once the command commits.
pub(crate) async fn enqueue(
    cmd: &mut Command<'_>,
    notices: &[notice::Model],
) -> Result<(), AppError> {
    let Some(first) = notices.first() else {
        return Ok(());
    };
    for n in notices {
        cmd.announce(Event::NoticeIssued {
            notice: n.id,
            person: n.recipient_id,
            organization: n.organization_id,
        });
    }
    let hooks = webhook::Entity::find()
        .filter(webhook::Column::OrganizationId.eq(first.organization_id))
        .filter(webhook::Column::DeletedAt.is_null())
        .all(cmd.db())
        .await?;
    let now = cmd.now;
    let mut rows = Vec::with_capacity(notices.len() * (1 + hooks.len()));
    for n in notices {
        rows.push(notice_delivery::ActiveModel {
            id: Set(jiandu_domain::new_id()),
            notice_id: Set(n.id),
            channel: Set("inbox".into()),
            webhook_id: Set(None),
            target: Set("inbox".into()),
            status: Set(Stored(DeliveryStatus::Delivered)),
            attempts: Set(1),
            last_error: Set(None),
            next_attempt_at: Set(now),
            delivered_at: Set(Some(now)),
            created_at: Set(now),
        });
        for hook in hooks
            .iter()
            .filter(|h| kinds_of(&h.kinds).contains(&n.kind.0))
        {
            rows.push(notice_delivery::ActiveModel {
                id: Set(jiandu_domain::new_id()),
                notice_id: Set(n.id),
                channel: Set(format!("webhook:{}", hook.kind.0)),
                webhook_id: Set(Some(hook.id)),
                // The webhook's id says where; its address is shown from it when asked.
                target: Set("webhook".into()),
                status: Set(Stored(DeliveryStatus::Pending)),
                attempts: Set(0),
                last_error: Set(None),
                next_attempt_at: Set(now),
                delivered_at: Set(None),
                created_at: Set(now),
            });
        }
    }
    for chunk in rows.chunks(audit::ROWS_PER_INSERT) {
        notice_delivery::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(cmd.db())
            .await?;
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct DeliveryView {
    pub notice_id: Uuid,
    pub channel: String,
    pub target: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// Every delivery of each notice the actor may read, as (notice, delivery), oldest first.
pub async fn deliveries_of(
    ctx: &Ctx,
    actor: &Actor,
    notice_ids: &[Uuid],
) -> Result<Vec<(Uuid, DeliveryView)>, AppError> {
    use notice_delivery::{Column, Entity};
    let rows = actor
        .readable()
        .hanging_off::<notice::Entity, Entity>(Column::NoticeId, notice_ids)
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .all(ctx.db.conn())
        .await?;
    let hooks: Vec<Uuid> = rows.iter().filter_map(|d| d.webhook_id).collect();
    let shown_at: HashMap<Uuid, String> = webhook::Entity::find()
        .filter(webhook::Column::Id.is_in(hooks))
        .all(ctx.db.conn())
        .await?
        .into_iter()
        .map(|hook| (hook.id, shown(&hook.url)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|d| {
            let target = match d.webhook_id {
                Some(hook) => shown_at
                    .get(&hook)
                    .cloned()
                    .unwrap_or_else(|| "webhook".into()),
                None => d.target,
            };
            (
                d.notice_id,
                DeliveryView {
                    notice_id: d.notice_id,
                    channel: d.channel,
                    target,
                    status: d.status.0,
                    attempts: d.attempts,
                    last_error: d.last_error,
                    delivered_at: d.delivered_at,
                },
            )
        })
        .collect())
}
