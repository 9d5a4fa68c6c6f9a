//! The `notice` table: 提醒, 催办 and 督办单, each addressed to a person about one item.

use jiandu_domain::{NoticeKind, NoticeLevel};
use sea_orm::entity::prelude::*;

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notice")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub kind: Stored<NoticeKind>,
    pub level: Stored<NoticeLevel>,
    /// A supervision order's number, with its year and sequence (unique per organisation).
    pub number: Option<String>,
    pub year: Option<i32>,
    pub sequence: Option<i32>,
    pub recipient_id: Uuid,
    pub milestone_id: Option<Uuid>,
    pub finding_id: Option<Uuid>,
    pub suggestion_id: Option<Uuid>,
    /// A letter or visit transferred to a unit, whose reply is due.
    pub contact_id: Option<Uuid>,
    /// A deliberation opinion sent to the government, whose written reply is due.
    pub opinion_id: Option<Uuid>,
    /// The item the notice is about, whichever kind it is: one notice per item, kind and day.
    pub subject_id: Uuid,
    /// The day the item was due by when the notice was issued (the ladder climbs anew when
    /// the deadline moves).
    pub due_by: Option<Date>,
    pub title: String,
    pub body: String,
    pub issued_at: DateTimeUtc,
    /// The organisation's day it was issued on.
    pub issued_on: Date,
    /// `None` when the daily scan issued it.
    pub issued_by: Option<Uuid>,
    pub reply_due: Option<Date>,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub acknowledged_by: Option<Uuid>,
    pub reply: Option<String>,
    pub replied_at: Option<DateTimeUtc>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

super::unrelated!();
