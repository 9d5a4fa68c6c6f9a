//! The `notice_delivery` table: the outbox — a notice and one place it goes (the inbox, or a
//! webhook), with every attempt counted.

use jiandu_domain::DeliveryStatus;
use sea_orm::entity::prelude::*;

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notice_delivery")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub notice_id: Uuid,
    /// `inbox` or `webhook`.
    pub channel: String,
    pub webhook_id: Option<Uuid>,
    /// Where it goes, as shown (a webhook's address without its query, which may hold a key).
    pub target: String,
    pub status: Stored<DeliveryStatus>,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// When it is due (again), or when a deliverer's claim on it lapses.
    pub next_attempt_at: DateTimeUtc,
    pub delivered_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

super::unrelated!();
