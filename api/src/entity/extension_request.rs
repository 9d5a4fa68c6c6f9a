//! The `extension_request` table: 延期申请, for a milestone or a finding.

use jiandu_domain::ExtensionStatus;
use sea_orm::entity::prelude::*;

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "extension_request")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub milestone_id: Option<Uuid>,
    pub finding_id: Option<Uuid>,
    pub requested_by: Uuid,
    pub requested_at: DateTimeUtc,
    /// The deadline when it was asked.
    pub current_deadline: Date,
    pub proposed_deadline: Date,
    pub reason: String,
    pub status: Stored<ExtensionStatus>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_note: Option<String>,
    pub approved_deadline: Option<Date>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

super::unrelated!();
