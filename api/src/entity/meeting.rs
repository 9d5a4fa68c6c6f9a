//! The `meeting` table: a congress session, a presidium meeting or a report hearing, with how
//! many deputies there were and how many were present.

use jiandu_domain::congress::MeetingKind;
use sea_orm::entity::prelude::*;

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub kind: Stored<MeetingKind>,
    /// 第二届人民代表大会第一次会议
    pub title: String,
    pub held_on: Date,
    pub place: Option<String>,
    /// All the deputies on the day (the quorum and the vote are counted against them).
    pub deputies_total: i32,
    pub deputies_present: i32,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

super::unrelated!();
