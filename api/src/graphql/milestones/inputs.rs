//! The arguments of the milestone queries and mutations.

use async_graphql::{ID, InputObject, MaybeUndefined};

use crate::graphql::args::optional_id;
use crate::graphql::scalars::{Date, DeadlineState, MilestoneStatus};
use crate::service::milestones::MilestoneFilter;

#[derive(InputObject, Default)]
#[graphql(name = "MilestoneFilter")]
pub struct MilestoneFilterInput {
    pub(super) organization_id: Option<ID>,
    pub(super) project_id: Option<ID>,
    pub(super) leader_id: Option<ID>,
    pub(super) unit_id: Option<ID>,
    pub(super) status: Option<Vec<MilestoneStatus>>,
    pub(super) deadline_state: Option<Vec<DeadlineState>>,
    pub(super) deadline_from: Option<Date>,
    pub(super) deadline_to: Option<Date>,
    pub(super) as_of: Option<Date>,
    /// only the imported items awaiting the presidium's confirmation (true), or only the others
    pub(super) historical: Option<bool>,
}

impl MilestoneFilterInput {
    pub fn into_service(self) -> async_graphql::Result<MilestoneFilter> {
        Ok(MilestoneFilter {
            organization_id: optional_id("organizationId", self.organization_id.as_ref())?,
            project_id: optional_id("projectId", self.project_id.as_ref())?,
            leader_id: optional_id("leaderId", self.leader_id.as_ref())?,
            unit_id: optional_id("unitId", self.unit_id.as_ref())?,
            status: self.status.map(|v| v.into_iter().map(Into::into).collect()),
            deadline_state: self
                .deadline_state
                .map(|v| v.into_iter().map(Into::into).collect()),
            deadline_from: self.deadline_from.map(|d| d.0),
            deadline_to: self.deadline_to.map(|d| d.0),
            as_of: self.as_of.map(|d| d.0),
            historical: self.historical,
        })
    }
}

#[derive(InputObject)]
pub struct AddMilestoneInput {
    pub(super) project_id: ID,
    /// the milestone this one is a step of; absent for a top-level milestone
    pub(super) parent_id: Option<ID>,
    pub(super) title: String,
    pub(super) description: Option<String>,
    pub(super) responsible_leader_id: ID,
    pub(super) responsible_unit_id: ID,
    pub(super) responsible_person_id: Option<ID>,
    pub(super) start_date: Option<Date>,
    pub(super) deadline: Date,
    /// weight in the parent's progress (default 1)
    pub(super) weight: Option<i32>,
}

/// Absent fields stay as they are; `null` clears an optional one.
#[derive(InputObject)]
pub struct UpdateMilestoneInput {
    pub(super) title: MaybeUndefined<String>,
    pub(super) description: MaybeUndefined<String>,
    pub(super) responsible_leader_id: MaybeUndefined<ID>,
    pub(super) responsible_unit_id: MaybeUndefined<ID>,
    pub(super) responsible_person_id: MaybeUndefined<ID>,
    pub(super) start_date: MaybeUndefined<Date>,
}
