//! One DataLoader per request, with one key type per relation, so that a list of N records asks
//! for each relation in one `IN (…)` query instead of N. Every load is filtered by what the actor
//! may read.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use uuid::Uuid;

use crate::error::AppError;
use crate::service::views::{
    AssessmentView, AttachmentView, CandidateView, DeadlineChangeView, DeputyView, ExtensionView,
    FindingView, InspectionView, MeetingView, MilestoneView, OpinionView, OrganizationView,
    PersonView, ProgressReportView, ProjectView, SuggestionAnswerView, SuggestionView, UserView,
};
use crate::service::{self, Actor, Ctx};

pub struct Batch {
    pub ctx: Ctx,
    pub actor: Arc<Actor>,
}

type Loaded<K, V> = Result<HashMap<K, V>, Arc<AppError>>;

macro_rules! key {
    ($name:ident) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name(pub Uuid);
    };
}

key!(OrganizationKey);
key!(PersonKey);
key!(UserKey);
key!(ProjectKey);
key!(MilestoneKey);
// All milestones of a project.
key!(ProjectMilestonesKey);
key!(DeadlineChangesKey);
key!(ProgressReportsKey);
key!(InspectionKey);
key!(FindingKey);
// All inspections of a project, newest first.
key!(ProjectInspectionsKey);
// All findings of a project, by deadline.
key!(ProjectFindingsKey);
key!(InspectionFindingsKey);
// Ids of the people who took part in an inspection.
key!(ParticipantsKey);
// Ids of the milestones an inspection looked at.
key!(LookedAtKey);
// Ids of the people an order was copied to.
key!(NoticeCopiesKey);
// The accounts a person signs in with.
key!(PersonAccountsKey);
// Where a notice went.
key!(NoticeDeliveriesKey);
key!(FindingDeadlineChangesKey);
// Attachments of an inspection, finding or milestone.
key!(AttachmentsKey);
key!(ExtensionKey);
// An organisation's settings.
key!(SettingsKey);
key!(MeetingKey);
// Ids of the deputies named present at a meeting.
key!(MeetingAttendeesKey);
// The candidates voted on at a meeting.
key!(MeetingCandidatesKey);
// The candidate a project was made from (one at most).
key!(ProjectCandidateKey);
// A project's assessments, oldest first.
key!(ProjectAssessmentsKey);
key!(OpinionKey);
// The deliberation opinions made at a meeting, in the order recorded.
key!(MeetingOpinionsKey);
// A person's place on the roster of deputies (one at most).
key!(DeputyProfileKey);
/// A project's light and counts (the project, its organisation), judged on the organisation's
/// today or on `asOf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProjectFiguresKey(pub Uuid, pub Uuid, pub Option<chrono::NaiveDate>);

impl Loader<ProjectFiguresKey> for Batch {
    type Value = service::figures::ProjectFigures;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[ProjectFiguresKey]) -> Loaded<ProjectFiguresKey, Self::Value> {
        // Usually one `asOf` for the whole answer: one statement.
        let mut by_day: HashMap<Option<chrono::NaiveDate>, Vec<ProjectFiguresKey>> = HashMap::new();
        for key in keys {
            by_day.entry(key.2).or_default().push(*key);
        }
        let mut loaded = HashMap::new();
        for (as_of, keys) in by_day {
            let projects: Vec<(Uuid, Uuid)> = keys.iter().map(|k| (k.0, k.1)).collect();
            let figures =
                service::figures::of_projects(&self.ctx, &self.actor, &projects, as_of).await?;
            loaded.extend(
                keys.into_iter()
                    .filter_map(|key| figures.get(&key.0).map(|f| (key, *f))),
            );
        }
        Ok(loaded)
    }
}

// Extension requests of a milestone, and of a finding, oldest first.
key!(MilestoneExtensionsKey);
key!(FindingExtensionsKey);
key!(SuggestionKey);
// Each round's answer of a suggestion.
key!(SuggestionAnswersKey);
// Ids of a suggestion's co-signers and co-units.
key!(SuggestionCosignersKey);
key!(SuggestionCoUnitsKey);
// The suggestion a project came from.
key!(ProjectSuggestionKey);
key!(ContactKey);
// Ids of the people who received a letter or visit.
key!(ContactReceiversKey);

fn ids<K: Copy>(keys: &[K], id: impl Fn(K) -> Uuid) -> Vec<Uuid> {
    keys.iter().map(|k| id(*k)).collect()
}

macro_rules! by_id {
    ($key:ident, $view:ty, $fetch:path) => {
        impl Loader<$key> for Batch {
            type Value = $view;
            type Error = Arc<AppError>;

            async fn load(&self, keys: &[$key]) -> Loaded<$key, $view> {
                let rows = $fetch(&self.ctx, &self.actor, &ids(keys, |k| k.0)).await?;
                Ok(rows.into_iter().map(|row| ($key(row.id), row)).collect())
            }
        }
    };
}

by_id!(
    OrganizationKey,
    OrganizationView,
    service::organizations::organizations_by_ids
);
by_id!(PersonKey, PersonView, service::organizations::people_by_ids);
by_id!(UserKey, UserView, service::accounts::users_by_ids);
by_id!(ProjectKey, ProjectView, service::projects::projects_by_ids);
by_id!(
    MilestoneKey,
    MilestoneView,
    service::milestones::milestones_by_ids
);

by_id!(
    InspectionKey,
    InspectionView,
    service::inspections::inspections_by_ids
);
by_id!(FindingKey, FindingView, service::findings::findings_by_ids);
by_id!(
    ContactKey,
    crate::service::views::ContactView,
    service::contacts::contacts_by_ids
);
by_id!(
    SuggestionKey,
    SuggestionView,
    service::suggestions::suggestions_by_ids
);

/// Loads the rows of many owners in one query and groups them by owner, keeping the query's
/// order within each group.
macro_rules! grouped_by {
    ($key:ident, $view:ty, $fetch:path, $owner:expr) => {
        impl Loader<$key> for Batch {
            type Value = Arc<Vec<$view>>;
            type Error = Arc<AppError>;

            async fn load(&self, keys: &[$key]) -> Loaded<$key, Self::Value> {
                let rows = $fetch(&self.ctx, &self.actor, &ids(keys, |k| k.0)).await?;
                let mut grouped: HashMap<$key, Vec<$view>> =
                    keys.iter().map(|k| (*k, Vec::new())).collect();
                let owner: fn(&$view) -> Option<Uuid> = $owner;
                for row in rows {
                    if let Some(id) = owner(&row) {
                        grouped.entry($key(id)).or_default().push(row);
                    }
                }
                Ok(grouped.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
            }
        }
    };
}

grouped_by!(
    ProjectInspectionsKey,
    InspectionView,
    service::inspections::inspections_of_projects,
    |i| i.project_id
);
grouped_by!(
    ProjectFindingsKey,
    FindingView,
    service::findings::findings_of_projects,
    |f| f.project_id
);
grouped_by!(
    InspectionFindingsKey,
    FindingView,
    service::findings::findings_of_inspections,
    |f| Some(f.inspection_id)
);
by_id!(
    ExtensionKey,
    ExtensionView,
    service::extensions::extensions_by_ids
);
impl Loader<SettingsKey> for Batch {
    type Value = jiandu_domain::settings::Settings;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[SettingsKey]) -> Loaded<SettingsKey, Self::Value> {
        let ids = ids(keys, |k| k.0);
        let rows = service::settings::of_organizations(&self.ctx, &self.actor, &ids).await?;
        Ok(rows
            .into_iter()
            .map(|(id, s)| (SettingsKey(id), s))
            .collect())
    }
}

grouped_by!(
    MilestoneExtensionsKey,
    ExtensionView,
    service::extensions::extensions_of_milestones,
    |e| e.milestone_id
);
grouped_by!(
    FindingExtensionsKey,
    ExtensionView,
    service::extensions::extensions_of_findings,
    |e| e.finding_id
);
grouped_by!(
    AttachmentsKey,
    AttachmentView,
    service::attachments::attachments_of,
    |a| Some(a.owner_id)
);

grouped_by!(
    ProjectSuggestionKey,
    SuggestionView,
    service::suggestions::suggestions_of_projects,
    |s| s.project_id
);

grouped_by!(
    PersonAccountsKey,
    UserView,
    service::accounts::accounts_of_people,
    |u| u.person_id
);

grouped_by!(
    ProjectMilestonesKey,
    MilestoneView,
    service::milestones::milestones_of_projects,
    |m| Some(m.project_id)
);

/// Loads the rows hanging off records (a milestone's deadline changes, an inspection's
/// participants), which carry no organisation of their own: the service keeps them to records
/// the actor may read.
macro_rules! children_of {
    ($key:ident, $view:ty, $fetch:path) => {
        impl Loader<$key> for Batch {
            type Value = Vec<$view>;
            type Error = Arc<AppError>;

            async fn load(&self, keys: &[$key]) -> Loaded<$key, Vec<$view>> {
                let rows = $fetch(&self.ctx, &self.actor, &ids(keys, |k| k.0)).await?;
                let mut grouped: HashMap<$key, Vec<$view>> =
                    keys.iter().map(|k| (*k, Vec::new())).collect();
                for (owner, row) in rows {
                    grouped.entry($key(owner)).or_default().push(row);
                }
                Ok(grouped)
            }
        }
    };
}

children_of!(
    DeadlineChangesKey,
    DeadlineChangeView,
    service::milestones::deadline_changes_of
);
children_of!(
    ProgressReportsKey,
    ProgressReportView,
    service::milestones::progress_reports_of
);
children_of!(
    FindingDeadlineChangesKey,
    DeadlineChangeView,
    service::findings::deadline_changes_of
);
children_of!(ParticipantsKey, Uuid, service::inspections::participants_of);
children_of!(NoticeCopiesKey, Uuid, service::notices::copies_of);
children_of!(
    SuggestionAnswersKey,
    SuggestionAnswerView,
    service::suggestions::answers_of
);
children_of!(
    SuggestionCosignersKey,
    Uuid,
    service::suggestions::cosigners_of
);
children_of!(
    SuggestionCoUnitsKey,
    Uuid,
    service::suggestions::co_units_of
);
children_of!(ContactReceiversKey, Uuid, service::contacts::receivers_of);
children_of!(MeetingAttendeesKey, Uuid, service::congress::attendees);
by_id!(MeetingKey, MeetingView, service::congress::meetings_by_ids);
by_id!(OpinionKey, OpinionView, service::congress::opinions_by_ids);
grouped_by!(
    MeetingCandidatesKey,
    CandidateView,
    service::congress::candidates_of_meetings,
    |c| c.meeting_id
);
grouped_by!(
    DeputyProfileKey,
    DeputyView,
    service::deputies::profiles_of,
    |d| Some(d.person_id)
);
grouped_by!(
    MeetingOpinionsKey,
    OpinionView,
    service::congress::opinions_of_meetings,
    |o| Some(o.meeting_id)
);
grouped_by!(
    ProjectAssessmentsKey,
    AssessmentView,
    service::congress::assessments_of_projects,
    |a| Some(a.project_id)
);
grouped_by!(
    ProjectCandidateKey,
    CandidateView,
    service::congress::candidates_of_projects,
    |c| c.project_id
);
children_of!(
    NoticeDeliveriesKey,
    service::notices::webhooks::DeliveryView,
    service::notices::webhooks::deliveries_of
);
children_of!(
    LookedAtKey,
    Uuid,
    service::inspections::milestones_looked_at
);
