//! The audit trail: every change writes one event in the same transaction. History is never
//! deleted.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use uuid::Uuid;

use super::actor::Actor;
use crate::entity::audit_event;
use crate::error::AppError;
use crate::service::Ctx;
use crate::service::page::{Page, PageRequest};
use crate::service::views::AuditEventView;

pub use super::action::Action;

/// One change to record.
pub struct Change {
    pub organization_id: Uuid,
    pub action: Action,
    pub entity_type: &'static str,
    pub entity_id: Uuid,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub fn snapshot(view: &impl Serialize) -> Option<serde_json::Value> {
    serde_json::to_value(view).ok()
}

/// The stored row of `change`.
fn row(actor_id: Option<Uuid>, at: DateTime<Utc>, change: Change) -> audit_event::ActiveModel {
    audit_event::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(change.organization_id),
        actor_id: Set(actor_id),
        action: Set(change.action.as_str().to_string()),
        entity_type: Set(change.entity_type.to_string()),
        entity_id: Set(change.entity_id),
        before: Set(change.before),
        after: Set(change.after),
        at: Set(at),
    }
}

pub async fn record(
    db: &impl ConnectionTrait,
    actor_id: Option<Uuid>,
    at: DateTime<Utc>,
    change: Change,
) -> Result<(), AppError> {
    row(actor_id, at, change).insert(db).await?;
    Ok(())
}

/// Records many changes at once, a few hundred rows to a statement (the daily scan's notices).
pub async fn record_many(
    db: &impl ConnectionTrait,
    actor_id: Option<Uuid>,
    at: DateTime<Utc>,
    changes: Vec<Change>,
) -> Result<(), AppError> {
    let rows: Vec<audit_event::ActiveModel> = changes
        .into_iter()
        .map(|change| row(actor_id, at, change))
        .collect();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        audit_event::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Rows per multi-row insert. Small on purpose: sqlx 0.9.0 leaves Nagle's algorithm on for
/// PostgreSQL over TCP (transact-rs/sqlx#4335), so a statement of more than about 16 KB (the
/// socket's first send buffer) waits some 40 ms for the server's delayed ACK. Ten audit events
/// stay under it; fifty took 45 ms a statement against 1 ms for ten.
pub const ROWS_PER_INSERT: usize = 10;

/// Every recorded change to one record, oldest first, if the actor may read it.
pub async fn history(
    ctx: &Ctx,
    actor: &Actor,
    entity_id: Uuid,
    page: PageRequest<Uuid>,
) -> Result<Page<AuditEventView>, AppError> {
    let base = actor
        .readable()
        .select::<audit_event::Entity>()
        .filter(audit_event::Column::EntityId.eq(entity_id));
    let total = base.clone().count(ctx.db.conn()).await?;
    let mut query = base
        .order_by_asc(audit_event::Column::Id)
        .limit(page.first + 1);
    if let Some(after) = page.after {
        query = query.filter(audit_event::Column::Id.gt(after));
    }
    let rows = query.all(ctx.db.conn()).await?;
    let views = rows.into_iter().map(AuditEventView::from).collect();
    Ok(Page::from_rows(
        views,
        page.first,
        total,
        |e: &AuditEventView| e.id,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_is_stored_as_its_own_text_and_read_back() {
        let texts: std::collections::HashSet<&str> =
            Action::ALL.into_iter().map(Action::as_str).collect();
        assert_eq!(
            texts.len(),
            Action::ALL.len(),
            "no two actions share a text"
        );
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
        }
        assert_eq!(Action::MilestoneSignOff.as_str(), "milestone.sign_off");
        assert_eq!(Action::parse("milestone.nonsense"), None);
    }
}

/// What an audit event says besides the record's state: the action, and remarks kept with the
/// new state (a note, a reason).
#[derive(Clone)]
pub struct Audit {
    pub(super) action: Action,
    remarks: Vec<(&'static str, serde_json::Value)>,
}

impl Audit {
    pub fn new(action: Action) -> Self {
        Audit {
            action,
            remarks: Vec::new(),
        }
    }

    /// Keeps `value` under `name` in the event's after-state.
    pub fn with(mut self, name: &'static str, value: impl Serialize) -> Self {
        self.remarks
            .push((name, serde_json::to_value(value).unwrap_or_default()));
        self
    }

    pub(super) fn after(&self, view: &impl Serialize) -> Option<serde_json::Value> {
        let mut value = snapshot(view)?;
        if let Some(object) = value.as_object_mut() {
            for (name, remark) in &self.remarks {
                object.insert((*name).to_string(), remark.clone());
            }
        }
        Some(value)
    }
}
