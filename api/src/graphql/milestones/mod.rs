//! Milestones: the `Milestone` object with its time fields (here), the records that hang off it
//! (`records`), the inputs (`inputs`), and the queries and mutations (`resolvers`).

mod inputs;
mod records;
mod resolvers;

pub use inputs::{AddMilestoneInput, MilestoneFilterInput, UpdateMilestoneInput};
pub use records::{DeadlineChange, MilestoneCounts, ProgressReport};
pub(crate) use resolvers::list;
pub use resolvers::{MilestonesMutation, MilestonesQuery};

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, NaiveDate, Utc};
use jiandu_domain::rollup::{self, Node};

use crate::graphql::accounts::{User, user};
use crate::graphql::attachments::{Attachment, attachments};
use crate::graphql::connection::connection;
use crate::graphql::context;
use crate::graphql::deadlines::Deadlines;
use crate::graphql::loaders::{
    AttachmentsKey, DeadlineChangesKey, MilestoneKey, ProgressReportsKey, ProjectKey,
    ProjectMilestonesKey,
};
use crate::graphql::organizations::{Person, Unit, person, required_person, required_unit};
use crate::graphql::projects::Project;
use crate::graphql::scalars::{Date, Light, MilestoneStatus, to_id};
use crate::service::milestones::{self, page_in_memory};
use crate::service::page::PageRequest;
use crate::service::views::MilestoneView;

/// A node of a project's task breakdown (任务分解) with its leader, unit and deadline.
/// The second field is the day its time fields answer for when a query gives no `asOf` of its
/// own (a dashboard's day), or today; the third, its project's milestones when they were at hand
/// as it was made (a tree's nodes), so that its children and light need no further look-up.
#[derive(Clone)]
pub struct Milestone(
    pub MilestoneView,
    Option<NaiveDate>,
    Option<Arc<Vec<MilestoneView>>>,
);

impl From<MilestoneView> for Milestone {
    fn from(view: MilestoneView) -> Self {
        Milestone(view, None, None)
    }
}

impl Milestone {
    /// A milestone whose time fields answer for `day` unless asked for another.
    pub fn on(view: MilestoneView, day: NaiveDate) -> Self {
        Milestone(view, Some(day), None)
    }

    /// A milestone of a tree, with `family`, every milestone of its project.
    pub fn of_tree(view: MilestoneView, family: &Arc<Vec<MilestoneView>>) -> Self {
        Milestone(view, None, Some(family.clone()))
    }
}

connection!(MilestoneConnection, MilestoneEdge, Milestone);

pub fn milestone_page(
    items: Vec<MilestoneView>,
    page: PageRequest<milestones::MilestoneKey>,
) -> MilestoneConnection {
    page_in_memory(items, page).into()
}

impl Milestone {
    async fn siblings_and_self(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Arc<Vec<MilestoneView>>> {
        if let Some(family) = &self.2 {
            return Ok(family.clone());
        }
        context::load_all(ctx, ProjectMilestonesKey(self.0.project_id)).await
    }

    fn deadline_record(&self) -> Deadlines {
        Deadlines {
            organization_id: self.0.organization_id,
            tracked: self.0.tracked(),
            day: self.1,
            original_deadline: self.0.original_deadline,
            on_time_deadline: self.0.on_time_deadline,
            due_by: self.0.due_by,
            times_rescheduled: self.0.times_rescheduled,
        }
    }
}

#[Object]
impl Milestone {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Project> {
        context::load_required(ctx, ProjectKey(self.0.project_id), "project")
            .await
            .map(Project)
    }

    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Milestone>> {
        Ok(context::load_opt(ctx, self.0.parent_id.map(MilestoneKey))
            .await?
            .map(Milestone::from))
    }

    /// Direct sub-milestones, by deadline then title.
    async fn children(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Milestone>> {
        let all = self.siblings_and_self(ctx).await?;
        Ok(all
            .iter()
            .filter(|m| m.parent_id == Some(self.0.id))
            .map(|m| Milestone::of_tree(m.clone(), &all))
            .collect())
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// 责任领导
    async fn responsible_leader(&self, ctx: &Context<'_>) -> async_graphql::Result<Person> {
        required_person(ctx, self.0.responsible_leader_id).await
    }

    /// 职责单位
    async fn responsible_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Unit> {
        required_unit(ctx, self.0.responsible_unit_id).await
    }

    /// 具体责任人
    async fn responsible_person(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.responsible_person_id).await
    }

    async fn start_date(&self) -> Option<Date> {
        self.0.start_date.map(Date)
    }

    /// Due by the end of this day in the organisation's zone.
    async fn deadline(&self) -> Date {
        Date(self.0.deadline)
    }

    #[graphql(flatten)]
    async fn deadlines(&self) -> Deadlines {
        self.deadline_record()
    }

    /// a leaf milestone is one supervised item (督办事项); a parent only sums up its children
    async fn is_item(&self) -> bool {
        self.0.is_item
    }

    async fn status(&self) -> MilestoneStatus {
        self.0.status.into()
    }

    /// Reported progress, or the weighted mean of the sub-milestones; done is 100.
    async fn progress(&self) -> i32 {
        i32::from(self.0.progress)
    }

    /// Weight in the parent's progress.
    async fn weight(&self) -> i32 {
        i32::try_from(self.0.weight).unwrap_or(1)
    }

    async fn completed_at(&self) -> Option<DateTime<Utc>> {
        self.0.completed_at
    }

    /// The completion day in the organisation's zone: what DONE_ON_TIME / DONE_LATE compare.
    async fn completed_on(&self) -> Option<Date> {
        self.0.completed_on.map(Date)
    }

    /// 销号: the presidium account that signed it off
    async fn signed_off_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.0.signed_off_by {
            Some(id) => Ok(Some(user(ctx, id).await?)),
            None => Ok(None),
        }
    }

    async fn signed_off_at(&self) -> Option<DateTime<Utc>> {
        self.0.signed_off_at
    }

    /// 补报: the completion was reported after the day it gives (`completedOn` is earlier than
    /// the day it was entered; the history says when).
    async fn completion_backdated(&self) -> bool {
        self.0.completion_backdated
    }

    /// imported with its deadline already past and not yet confirmed: no notice is issued for it
    async fn historical(&self) -> bool {
        self.0.historical
    }

    /// 长期 / 持续推进: an ongoing task given the year's last day
    async fn long_term(&self) -> bool {
        self.0.long_term
    }

    /// The worst of this milestone's own light and its open sub-milestones'.
    async fn light(&self, ctx: &Context<'_>, as_of: Option<Date>) -> async_graphql::Result<Light> {
        let timing = self.deadline_record().timing(ctx, as_of)?;
        let all = self.siblings_and_self(ctx).await?;
        let today = timing.today();
        let lights = context::rolled_up_lights(ctx, self.0.project_id, today.date, || {
            let nodes: Vec<Node<uuid::Uuid>> = all
                .iter()
                .map(|m| Node {
                    id: m.id,
                    parent: m.parent_id,
                    light: m.tracked().light(today),
                })
                .collect();
            rollup::roll_up_lights(&nodes)
        })?;
        Ok(lights
            .get(&self.0.id)
            .copied()
            .unwrap_or_else(|| timing.own_light())
            .into())
    }

    /// 序时进度: open, with a start date, and further behind the straight line from start to
    /// `dueBy` than the organisation's `behindPaceYellowPoints`.
    async fn behind_pace(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<bool> {
        Ok(self.deadline_record().timing(ctx, as_of)?.behind_pace())
    }

    async fn deadline_changes(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<DeadlineChange>> {
        let changes = context::load_all(ctx, DeadlineChangesKey(self.0.id)).await?;
        Ok(changes.into_iter().map(DeadlineChange).collect())
    }

    /// 延期申请 for this milestone, oldest first.
    async fn extension_requests(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::graphql::extensions::ExtensionRequest>> {
        crate::graphql::extensions::of_milestone(ctx, self.0.id).await
    }

    async fn progress_reports(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ProgressReport>> {
        let reports = context::load_all(ctx, ProgressReportsKey(self.0.id)).await?;
        Ok(reports.into_iter().map(ProgressReport).collect())
    }

    /// Photos and documents from the site, oldest first.
    async fn attachments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Attachment>> {
        attachments(ctx, AttachmentsKey(self.0.id)).await
    }

    /// Bumped by every change; pass it back as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
}
