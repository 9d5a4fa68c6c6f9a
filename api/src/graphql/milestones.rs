//! Milestones: queries, mutations and the `Milestone` object with its time fields.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::{DateTime, NaiveDate, Utc};
use jiandu_domain::rollup::{self, Counts, Node};

use super::accounts::{Person, Unit, User, person, unit, user};
use super::attachments::{Attachment, attachments};
use super::connection::{self, connection};
use super::context::{self, Timing};
use super::error::GqlResult;
use super::loaders::{
    AttachmentsKey, DeadlineChangesKey, MilestoneKey, ProgressReportsKey, ProjectKey,
    ProjectMilestonesKey,
};
use super::projects::{Project, patch};
use super::scalars::{Date, DeadlineState, Light, MilestoneStatus, Verdict, parse_id, to_id};
use crate::error::AppError;
use crate::service::milestones::{
    self, MilestoneChanges, MilestoneFilter, NewMilestone, page_in_memory,
};
use crate::service::page::{Page, PageRequest};
use crate::service::views::{DeadlineChangeView, MilestoneView, ProgressReportView};

/// A node of a project's task breakdown (任务分解) with its leader, unit and deadline.
/// The second field is the day its time fields answer for when a query gives no `asOf` of its
/// own (a dashboard's day), or today.
#[derive(Clone)]
pub struct Milestone(pub MilestoneView, Option<NaiveDate>);

impl From<MilestoneView> for Milestone {
    fn from(view: MilestoneView) -> Self {
        Milestone(view, None)
    }
}

impl Milestone {
    /// A milestone whose time fields answer for `day` unless asked for another.
    pub fn on(view: MilestoneView, day: NaiveDate) -> Self {
        Milestone(view, Some(day))
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
    ) -> async_graphql::Result<std::sync::Arc<Vec<MilestoneView>>> {
        Ok(context::loader(ctx)?
            .load_one(ProjectMilestonesKey(self.0.project_id))
            .await
            .gql()?
            .unwrap_or_default())
    }

    fn timing(&self, ctx: &Context<'_>, as_of: Option<Date>) -> async_graphql::Result<Timing> {
        context::timing(
            ctx,
            self.0.organization_id,
            self.0.tracked(),
            as_of.map(|d| d.0).or(self.1),
        )
    }
}

#[Object]
impl Milestone {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Project> {
        context::loader(ctx)?
            .load_one(ProjectKey(self.0.project_id))
            .await
            .gql()?
            .map(Project)
            .ok_or_else(|| AppError::not_found("project"))
            .gql()
    }

    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Milestone>> {
        let Some(parent) = self.0.parent_id else {
            return Ok(None);
        };
        Ok(context::loader(ctx)?
            .load_one(MilestoneKey(parent))
            .await
            .gql()?
            .map(Milestone::from))
    }

    /// Direct sub-milestones, by deadline then title.
    async fn children(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Milestone>> {
        let all = self.siblings_and_self(ctx).await?;
        Ok(all
            .iter()
            .filter(|m| m.parent_id == Some(self.0.id))
            .cloned()
            .map(Milestone::from)
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
        person(ctx, Some(self.0.responsible_leader_id))
            .await?
            .ok_or_else(|| AppError::not_found("person"))
            .gql()
    }

    /// 职责单位
    async fn responsible_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Unit> {
        unit(ctx, Some(self.0.responsible_unit_id))
            .await?
            .ok_or_else(|| AppError::not_found("unit"))
            .gql()
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

    /// The deadline first set; it stays visible however often the node slips.
    async fn original_deadline(&self) -> Date {
        Date(self.0.original_deadline)
    }

    async fn times_rescheduled(&self) -> i32 {
        self.0.times_rescheduled
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

    async fn deadline_state(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<DeadlineState> {
        Ok(self.timing(ctx, as_of)?.state().into())
    }

    /// The worst of this milestone's own light and its open sub-milestones'.
    async fn light(&self, ctx: &Context<'_>, as_of: Option<Date>) -> async_graphql::Result<Light> {
        let timing = self.timing(ctx, as_of)?;
        let due_soon_days = context::service(ctx)?.settings.due_soon_days;
        let all = self.siblings_and_self(ctx).await?;
        let today = timing.today();
        let lights = context::rolled_up_lights(ctx, self.0.project_id, today, || {
            let nodes: Vec<Node<uuid::Uuid>> = all
                .iter()
                .map(|m| Node {
                    id: m.id,
                    parent: m.parent_id,
                    light: m.tracked().light(today, due_soon_days),
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

    async fn days_overdue(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<i32> {
        Ok(self.timing(ctx, as_of)?.days_overdue())
    }

    /// days until the deadline; null once closed
    async fn days_left(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<Option<i32>> {
        Ok(self.timing(ctx, as_of)?.days_left())
    }

    /// 序时进度: open, with a start date, and more than 20 points behind the straight line.
    async fn behind_pace(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<bool> {
        let today = self.timing(ctx, as_of)?.today();
        Ok(self.0.tracked().behind_pace(today))
    }

    async fn deadline_changes(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<DeadlineChange>> {
        let changes = context::loader(ctx)?
            .load_one(DeadlineChangesKey(self.0.id))
            .await
            .gql()?;
        Ok(changes
            .unwrap_or_default()
            .into_iter()
            .map(DeadlineChange)
            .collect())
    }

    async fn progress_reports(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ProgressReport>> {
        let reports = context::loader(ctx)?
            .load_one(ProgressReportsKey(self.0.id))
            .await
            .gql()?;
        Ok(reports
            .unwrap_or_default()
            .into_iter()
            .map(ProgressReport)
            .collect())
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

pub struct DeadlineChange(pub DeadlineChangeView);

#[Object]
impl DeadlineChange {
    async fn from(&self) -> Date {
        Date(self.0.from)
    }

    async fn to(&self) -> Date {
        Date(self.0.to)
    }

    async fn reason(&self) -> &str {
        &self.0.reason
    }

    async fn changed_by(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        user(ctx, self.0.changed_by).await
    }

    async fn changed_at(&self) -> DateTime<Utc> {
        self.0.changed_at
    }
}

pub struct ProgressReport(pub ProgressReportView);

#[Object]
impl ProgressReport {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn progress(&self) -> i32 {
        i32::from(self.0.progress)
    }

    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    async fn reported_by(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        user(ctx, self.0.reported_by).await
    }

    async fn reported_at(&self) -> DateTime<Utc> {
        self.0.reported_at
    }
}

pub struct MilestoneCounts(pub Counts);

fn int(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[Object]
impl MilestoneCounts {
    async fn total(&self) -> i32 {
        int(self.0.total)
    }

    async fn open(&self) -> i32 {
        int(self.0.open)
    }

    async fn done(&self) -> i32 {
        int(self.0.done)
    }

    async fn done_on_time(&self) -> i32 {
        int(self.0.done_on_time)
    }

    async fn done_late(&self) -> i32 {
        int(self.0.done_late)
    }

    async fn overdue(&self) -> i32 {
        int(self.0.overdue)
    }

    async fn due_soon(&self) -> i32 {
        int(self.0.due_soon)
    }

    async fn cancelled(&self) -> i32 {
        int(self.0.cancelled)
    }

    /// done on time / done, 0..1; null when nothing is done
    async fn on_time_rate(&self) -> Option<f64> {
        self.0.on_time_rate()
    }
}

#[derive(InputObject, Default)]
#[graphql(name = "MilestoneFilter")]
pub struct MilestoneFilterInput {
    organization_id: Option<ID>,
    project_id: Option<ID>,
    leader_id: Option<ID>,
    unit_id: Option<ID>,
    status: Option<Vec<MilestoneStatus>>,
    deadline_state: Option<Vec<DeadlineState>>,
    deadline_from: Option<Date>,
    deadline_to: Option<Date>,
    as_of: Option<Date>,
}

fn optional_id(field: &str, id: Option<ID>) -> async_graphql::Result<Option<uuid::Uuid>> {
    id.map(|id| parse_id(field, &id)).transpose().gql()
}

impl MilestoneFilterInput {
    pub fn into_service(self) -> async_graphql::Result<MilestoneFilter> {
        Ok(MilestoneFilter {
            organization_id: optional_id("organizationId", self.organization_id)?,
            project_id: optional_id("projectId", self.project_id)?,
            leader_id: optional_id("leaderId", self.leader_id)?,
            unit_id: optional_id("unitId", self.unit_id)?,
            status: self.status.map(|v| v.into_iter().map(Into::into).collect()),
            deadline_state: self
                .deadline_state
                .map(|v| v.into_iter().map(Into::into).collect()),
            deadline_from: self.deadline_from.map(|d| d.0),
            deadline_to: self.deadline_to.map(|d| d.0),
            as_of: self.as_of.map(|d| d.0),
        })
    }
}

#[derive(InputObject)]
pub struct AddMilestoneInput {
    project_id: ID,
    /// the milestone this one is a step of; absent for a top-level milestone
    parent_id: Option<ID>,
    title: String,
    description: Option<String>,
    responsible_leader_id: ID,
    responsible_unit_id: ID,
    responsible_person_id: Option<ID>,
    start_date: Option<Date>,
    deadline: Date,
    /// weight in the parent's progress (default 1)
    weight: Option<i32>,
}

/// Absent fields stay as they are; `null` clears an optional one.
#[derive(InputObject)]
pub struct UpdateMilestoneInput {
    title: MaybeUndefined<String>,
    description: MaybeUndefined<String>,
    responsible_leader_id: MaybeUndefined<ID>,
    responsible_unit_id: MaybeUndefined<ID>,
    responsible_person_id: MaybeUndefined<ID>,
    start_date: MaybeUndefined<Date>,
}

async fn list(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
    filter: MilestoneFilter,
) -> async_graphql::Result<MilestoneConnection> {
    let actor = context::actor(ctx)?;
    let page = PageRequest::new(first, after.as_deref()).gql()?;
    let page: Page<MilestoneView> =
        milestones::list_milestones(context::service(ctx)?, actor, filter, page)
            .await
            .gql()?;
    Ok(page.into())
}

fn target(id: &ID) -> async_graphql::Result<uuid::Uuid> {
    parse_id("id", id)
        .map_err(|_| AppError::not_found("milestone"))
        .gql()
}

#[derive(Default)]
pub struct MilestonesQuery;

#[Object]
impl MilestonesQuery {
    async fn milestone(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Milestone>> {
        context::actor(ctx)?;
        let Ok(id) = parse_id("id", &id) else {
            return Ok(None);
        };
        Ok(context::loader(ctx)?
            .load_one(MilestoneKey(id))
            .await
            .gql()?
            .map(Milestone::from))
    }

    /// Milestones across projects, by deadline then title; every filter runs as indexed SQL.
    #[graphql(complexity = "connection::cost(first, child_complexity)")]
    async fn milestones(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<MilestoneFilterInput>,
    ) -> async_graphql::Result<MilestoneConnection> {
        let filter = filter.unwrap_or_default().into_service()?;
        list(ctx, first, after, filter).await
    }

    /// What is late: open milestones past their deadline, longest overdue first.
    #[graphql(complexity = "connection::cost(first, child_complexity)")]
    async fn overdue_milestones(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
        leader_id: Option<ID>,
        unit_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<MilestoneConnection> {
        let filter = MilestoneFilter {
            leader_id: optional_id("leaderId", leader_id)?,
            unit_id: optional_id("unitId", unit_id)?,
            deadline_state: Some(vec![jiandu_domain::DeadlineState::Overdue]),
            as_of: as_of.map(|d| d.0),
            ..MilestoneFilter::default()
        };
        list(ctx, first, after, filter).await
    }
}

#[derive(Default)]
pub struct MilestonesMutation;

#[Object]
impl MilestonesMutation {
    async fn add_milestone(
        &self,
        ctx: &Context<'_>,
        input: AddMilestoneInput,
    ) -> async_graphql::Result<Milestone> {
        let actor = context::actor(ctx)?;
        let input = NewMilestone {
            project_id: parse_id("projectId", &input.project_id).gql()?,
            parent_id: optional_id("parentId", input.parent_id)?,
            title: input.title,
            description: input.description,
            responsible_leader_id: parse_id("responsibleLeaderId", &input.responsible_leader_id)
                .gql()?,
            responsible_unit_id: parse_id("responsibleUnitId", &input.responsible_unit_id).gql()?,
            responsible_person_id: optional_id("responsiblePersonId", input.responsible_person_id)?,
            start_date: input.start_date.map(|d| d.0),
            deadline: input.deadline.0,
            weight: input.weight.map(i64::from),
        };
        let view = milestones::add_milestone(context::service(ctx)?, actor, input)
            .await
            .gql()?;
        Ok(Milestone::from(view))
    }

    async fn update_milestone(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateMilestoneInput,
    ) -> async_graphql::Result<Milestone> {
        let actor = context::actor(ctx)?;
        let id_of = |field: &'static str| move |id: ID| parse_id(field, &id).gql();
        let changes = MilestoneChanges {
            title: patch(input.title, Ok)?.flatten(),
            description: patch(input.description, Ok)?,
            responsible_leader_id: patch(
                input.responsible_leader_id,
                id_of("responsibleLeaderId"),
            )?
            .flatten(),
            responsible_unit_id: patch(input.responsible_unit_id, id_of("responsibleUnitId"))?
                .flatten(),
            responsible_person_id: patch(
                input.responsible_person_id,
                id_of("responsiblePersonId"),
            )?,
            start_date: patch(input.start_date, |d| Ok(d.0))?,
        };
        let view = milestones::update_milestone(
            context::service(ctx)?,
            actor,
            target(&id)?,
            expected_version,
            changes,
        )
        .await
        .gql()?;
        Ok(Milestone::from(view))
    }

    /// Moves the deadline; the original and every move with its reason stay on record.
    async fn reschedule_milestone(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        new_deadline: Date,
        reason: String,
    ) -> async_graphql::Result<Milestone> {
        let actor = context::actor(ctx)?;
        let view = milestones::reschedule_milestone(
            context::service(ctx)?,
            actor,
            target(&id)?,
            expected_version,
            new_deadline.0,
            &reason,
        )
        .await
        .gql()?;
        Ok(Milestone::from(view))
    }

    async fn report_progress(
        &self,
        ctx: &Context<'_>,
        milestone_id: ID,
        progress: i32,
        note: Option<String>,
    ) -> async_graphql::Result<Milestone> {
        let actor = context::actor(ctx)?;
        let view = milestones::report_progress(
            context::service(ctx)?,
            actor,
            target(&milestone_id)?,
            i64::from(progress),
            note.as_deref(),
        )
        .await
        .gql()?;
        Ok(Milestone::from(view))
    }

    /// completedOn back-dates a completion entered late; never in the future
    async fn complete_milestone(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        note: Option<String>,
        completed_on: Option<Date>,
    ) -> async_graphql::Result<Milestone> {
        let actor = context::actor(ctx)?;
        let view = milestones::complete_milestone(
            context::service(ctx)?,
            actor,
            target(&id)?,
            expected_version,
            note.as_deref(),
            completed_on.map(|d| d.0),
        )
        .await
        .gql()?;
        Ok(Milestone::from(view))
    }

    async fn verify_milestone(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        verdict: Verdict,
        note: Option<String>,
    ) -> async_graphql::Result<Milestone> {
        let actor = context::actor(ctx)?;
        let accepted = verdict == Verdict::Accepted;
        let view = milestones::verify_milestone(
            context::service(ctx)?,
            actor,
            target(&id)?,
            expected_version,
            accepted,
            note.as_deref(),
        )
        .await
        .gql()?;
        Ok(Milestone::from(view))
    }

    async fn cancel_milestone(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        reason: String,
    ) -> async_graphql::Result<Milestone> {
        let actor = context::actor(ctx)?;
        let view = milestones::cancel_milestone(
            context::service(ctx)?,
            actor,
            target(&id)?,
            expected_version,
            &reason,
        )
        .await
        .gql()?;
        Ok(Milestone::from(view))
    }
}
