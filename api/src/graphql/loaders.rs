//! One DataLoader per request, with one key type per relation, so that a list of N records asks
//! for each relation in one `IN (…)` query instead of N. Every load is filtered by what the actor
//! may read.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use uuid::Uuid;

use crate::error::AppError;
use crate::service::views::{
    DeadlineChangeView, MilestoneView, OrganizationView, PersonView, ProgressReportView,
    ProjectView, UnitView, UserView,
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
key!(UnitKey);
key!(PersonKey);
key!(UserKey);
key!(ProjectKey);
key!(MilestoneKey);
// All milestones of a project.
key!(ProjectMilestonesKey);
key!(DeadlineChangesKey);
key!(ProgressReportsKey);

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
by_id!(UnitKey, UnitView, service::organizations::units_by_ids);
by_id!(PersonKey, PersonView, service::organizations::people_by_ids);
by_id!(UserKey, UserView, service::accounts::users_by_ids);
by_id!(ProjectKey, ProjectView, service::projects::projects_by_ids);
by_id!(
    MilestoneKey,
    MilestoneView,
    service::milestones::milestones_by_ids
);

impl Loader<ProjectMilestonesKey> for Batch {
    type Value = Arc<Vec<MilestoneView>>;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[ProjectMilestonesKey],
    ) -> Loaded<ProjectMilestonesKey, Self::Value> {
        let rows = service::milestones::milestones_of_projects(
            &self.ctx,
            &self.actor,
            &ids(keys, |k| k.0),
        )
        .await?;
        let mut grouped: HashMap<ProjectMilestonesKey, Vec<MilestoneView>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            grouped
                .entry(ProjectMilestonesKey(row.project_id))
                .or_default()
                .push(row);
        }
        Ok(grouped.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }
}

macro_rules! children_of {
    ($key:ident, $view:ty, $fetch:path) => {
        impl Loader<$key> for Batch {
            type Value = Vec<$view>;
            type Error = Arc<AppError>;

            async fn load(&self, keys: &[$key]) -> Loaded<$key, Vec<$view>> {
                let rows = $fetch(&self.ctx, &ids(keys, |k| k.0)).await?;
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
