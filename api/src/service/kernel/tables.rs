//! The tables written through the kernel, each registered once, here: what a client calls a row
//! (in messages), how its organisation is found (the tenant rule), its kind in the audit trail
//! and the view its audit events record, whether it is a cached small table, whether the
//! dashboards count its rows, and whether it carries a `version`.
//!
//! The registry sits in the service layer rather than in each entity's file because the views
//! it names are the service's: an entity knows nothing above it. Adding a table is one line
//! below (docs/architecture.md, "Add a supervised kind").

use sea_orm::{ActiveModelBehavior, DatabaseConnection, EntityTrait, IntoActiveModel, Select};
use serde::Serialize;
use uuid::Uuid;

use super::actor::Actor;
use super::tenant::Owned;
use crate::entity::{
    app_user, assessment, attachment, audit_event, constituent_contact, contact_receiver,
    deliberation_opinion, deputy_profile, duty_activity, extension_request, finding, inspection,
    inspection_milestone, inspection_participant, livelihood_candidate, meeting, meeting_attendee,
    milestone, notice, organization, person, project, suggestion, suggestion_co_unit,
    suggestion_cosigner, unit,
};
use crate::error::AppError;
use crate::service::views::{
    ActivityView, AssessmentView, AttachmentView, CandidateView, ContactView, DeputyView,
    ExtensionView, FindingView, InspectionView, MeetingView, MilestoneView, NoticeView,
    OpinionView, OrganizationView, PersonView, ProjectView, SuggestionView, UnitView, UserView,
};

/// A table whose rows a command writes, with the view its audit events record.
pub trait Written:
    Owned<Model: IntoActiveModel<Self::ActiveModel>, ActiveModel: ActiveModelBehavior + Send>
{
    /// The record's kind in the audit trail ("Milestone").
    const KIND: &'static str;
    type View: From<Self::Model> + Serialize;
    /// The cached copy of this table, forgotten once a write to it commits.
    const CACHED: Option<CachedTable>;
    /// Whether dashboards count rows of this table, so that a write to one declares its
    /// organisation changed (and only its share of the figures is computed again). A write to
    /// any other table leaves the declaring to the command: undeclared, it counts as a change to
    /// everything (see [`crate::db::WriteTxn::within`]).
    const COUNTED: bool;

    fn id_of(row: &Self::Model) -> Uuid;
}

/// A table whose rows carry a `version` (bumped by every update) and `updated_at`.
pub trait Versioned: Written {
    const VERSION: Self::Column;
    const UPDATED_AT: Self::Column;

    fn version_of(row: &Self::Model) -> i32;
}

/// The small tables kept in memory (see [`super::cache::Cached`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CachedTable {
    Organizations,
    People,
    Units,
    OrganizationSettings,
}

/// The rows `query` selects, as the views services hand out.
pub async fn all<E: Written>(
    query: Select<E>,
    db: &DatabaseConnection,
) -> Result<Vec<E::View>, AppError> {
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(E::View::from)
        .collect())
}

/// The rows of `E` among `ids` that `actor` may read, as views (what a DataLoader asks for).
pub async fn by_ids<E: Written + Owned>(
    actor: &Actor,
    ids: &[Uuid],
    db: &DatabaseConnection,
) -> Result<Vec<E::View>, AppError> {
    all(actor.readable().by_ids::<E>(ids), db).await
}

/// A table linking a record of `Owner` to another record (an inspection's participants, a
/// suggestion's co-signers), with no organisation of its own: read through its owner.
pub trait Link: EntityTrait {
    type Owner: Owned;
    /// The column naming the owner.
    const OWNER: Self::Column;
    /// The row as (owner, other).
    fn pair(row: Self::Model) -> (Uuid, Uuid);
}

/// The links of `L` off the records among `ids` that `actor` may read, as (owner, other).
pub async fn links<L: Link>(
    actor: &Actor,
    ids: &[Uuid],
    db: &DatabaseConnection,
) -> Result<Vec<(Uuid, Uuid)>, AppError> {
    let readable = actor.readable();
    readable
        .pairs::<L::Owner, L>(db, L::OWNER, ids, L::pair)
        .await
}

macro_rules! links {
    ($($table:ident: $owner:ident by $column:ident, ($from:ident, $to:ident);)+) => {$(
        impl Link for $table::Entity {
            type Owner = $owner::Entity;
            const OWNER: Self::Column = $table::Column::$column;
            fn pair(row: $table::Model) -> (Uuid, Uuid) {
                (row.$from, row.$to)
            }
        }
    )+};
}

links! {
    inspection_participant: inspection by InspectionId, (inspection_id, person_id);
    inspection_milestone: inspection by InspectionId, (inspection_id, milestone_id);
    suggestion_cosigner: suggestion by SuggestionId, (suggestion_id, person_id);
    suggestion_co_unit: suggestion by SuggestionId, (suggestion_id, unit_id);
    contact_receiver: constituent_contact by ContactId, (contact_id, person_id);
    meeting_attendee: meeting by MeetingId, (meeting_id, person_id);
}

macro_rules! owned {
    ($table:ident, $name:literal, $owner:ident) => {
        impl Owned for $table::Entity {
            const NAME: &'static str = $name;
            const ID: $table::Column = $table::Column::Id;
            const ORGANIZATION: $table::Column = owned!(@column $table $owner);

            fn organization_of(row: &$table::Model) -> Uuid {
                row.$owner
            }
        }
    };
    (@column $table:ident organization_id) => {
        $table::Column::OrganizationId
    };
    (@column $table:ident id) => {
        $table::Column::Id
    };
}

macro_rules! versioned {
    ($table:ident, versioned) => {
        impl Versioned for $table::Entity {
            const VERSION: $table::Column = $table::Column::Version;
            const UPDATED_AT: $table::Column = $table::Column::UpdatedAt;

            fn version_of(row: &$table::Model) -> i32 {
                row.version
            }
        }
    };
    ($table:ident, unversioned) => {};
}

macro_rules! tables {
    ($($table:ident: $kind:literal, $name:literal, owned by $owner:ident, $view:ty,
        cached: $cached:expr, counted: $counted:literal, $versioned:ident;)+) => {$(
        owned!($table, $name, $owner);

        impl Written for $table::Entity {
            const KIND: &'static str = $kind;
            type View = $view;
            const CACHED: Option<CachedTable> = $cached;
            const COUNTED: bool = $counted;

            fn id_of(row: &$table::Model) -> Uuid {
                row.id
            }
        }

        versioned!($table, $versioned);
    )+};
}

use CachedTable::{Organizations, People, Units};

tables! {
    organization: "Organization", "organisation", owned by id, OrganizationView,
        cached: Some(Organizations), counted: false, unversioned;
    person: "Person", "person", owned by organization_id, PersonView,
        cached: Some(People), counted: false, unversioned;
    unit: "Unit", "unit", owned by organization_id, UnitView,
        cached: Some(Units), counted: false, unversioned;
    app_user: "User", "user", owned by organization_id, UserView,
        cached: None, counted: false, versioned;
    project: "Project", "project", owned by organization_id, ProjectView,
        cached: None, counted: true, versioned;
    milestone: "Milestone", "milestone", owned by organization_id, MilestoneView,
        cached: None, counted: true, versioned;
    inspection: "Inspection", "inspection", owned by organization_id, InspectionView,
        cached: None, counted: true, unversioned;
    finding: "Finding", "finding", owned by organization_id, FindingView,
        cached: None, counted: true, versioned;
    attachment: "Attachment", "attachment", owned by organization_id, AttachmentView,
        cached: None, counted: false, unversioned;
    extension_request: "ExtensionRequest", "extension request", owned by organization_id,
        ExtensionView, cached: None, counted: true, versioned;
    notice: "Notice", "notice", owned by organization_id, NoticeView,
        cached: None, counted: true, versioned;
    suggestion: "Suggestion", "suggestion", owned by organization_id, SuggestionView,
        cached: None, counted: true, versioned;
    constituent_contact: "Contact", "contact", owned by organization_id, ContactView,
        cached: None, counted: true, versioned;
    meeting: "Meeting", "meeting", owned by organization_id, MeetingView,
        cached: None, counted: true, versioned;
    livelihood_candidate: "LivelihoodCandidate", "livelihood candidate",
        owned by organization_id, CandidateView, cached: None, counted: true, versioned;
    assessment: "Assessment", "assessment", owned by organization_id, AssessmentView,
        cached: None, counted: true, unversioned;
    deliberation_opinion: "DeliberationOpinion", "deliberation opinion",
        owned by organization_id, OpinionView, cached: None, counted: true, versioned;
    deputy_profile: "DeputyProfile", "deputy", owned by organization_id, DeputyView,
        cached: None, counted: false, versioned;
    duty_activity: "DutyActivity", "duty activity", owned by organization_id, ActivityView,
        cached: None, counted: true, unversioned;
}

// The audit trail is read under the tenant rule but written only by the kernel's own audit.
owned!(audit_event, "record", organization_id);
