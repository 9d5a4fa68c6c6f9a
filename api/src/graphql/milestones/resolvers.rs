//! The milestone queries and mutations: arguments in, service calls, objects out.

use async_graphql::{Context, ID, Object};

use crate::graphql::args::{VersionedId, id_of, optional_id, patch, target, targets};
use crate::graphql::connection::{self};
use crate::graphql::context::{self};
use crate::graphql::error::GqlResult;
use crate::graphql::loaders::MilestoneKey;
use crate::graphql::scalars::{Date, Verdict, parse_id};
use crate::service::milestones::{self, MilestoneChanges, MilestoneFilter, NewMilestone};
use crate::service::page::{Page, PageRequest};
use crate::service::views::MilestoneView;

use super::{
    AddMilestoneInput, Milestone, MilestoneConnection, MilestoneFilterInput, UpdateMilestoneInput,
};

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
        Ok(context::load(ctx, MilestoneKey(id))
            .await?
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
            leader_id: optional_id("leaderId", leader_id.as_ref())?,
            unit_id: optional_id("unitId", unit_id.as_ref())?,
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
        let (service, actor) = context::signed(ctx)?;
        let input = NewMilestone {
            project_id: parse_id("projectId", &input.project_id).gql()?,
            parent_id: optional_id("parentId", input.parent_id.as_ref())?,
            title: input.title,
            description: input.description,
            responsible_leader_id: parse_id("responsibleLeaderId", &input.responsible_leader_id)
                .gql()?,
            responsible_unit_id: parse_id("responsibleUnitId", &input.responsible_unit_id).gql()?,
            responsible_person_id: optional_id(
                "responsiblePersonId",
                input.responsible_person_id.as_ref(),
            )?,
            start_date: input.start_date.map(|d| d.0),
            deadline: input.deadline.0,
            weight: input.weight.map(i64::from),
        };
        milestones::add_milestone(service, actor, input)
            .await
            .answer()
    }

    async fn update_milestone(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateMilestoneInput,
    ) -> async_graphql::Result<Milestone> {
        let (service, actor) = context::signed(ctx)?;
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
        milestones::update_milestone(
            service,
            actor,
            target(&id, "milestone")?,
            expected_version,
            changes,
        )
        .await
        .answer()
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
        let (service, actor, id) = context::signed_on(ctx, &id, "milestone")?;
        milestones::reschedule_milestone(
            service,
            actor,
            id,
            expected_version,
            new_deadline.0,
            &reason,
        )
        .await
        .answer()
    }

    async fn report_progress(
        &self,
        ctx: &Context<'_>,
        milestone_id: ID,
        progress: i32,
        note: Option<String>,
    ) -> async_graphql::Result<Milestone> {
        let (service, actor, milestone_id) = context::signed_on(ctx, &milestone_id, "milestone")?;
        milestones::report_progress(
            service,
            actor,
            milestone_id,
            i64::from(progress),
            note.as_deref(),
        )
        .await
        .answer()
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
        let (service, actor, id) = context::signed_on(ctx, &id, "milestone")?;
        milestones::complete_milestone(
            service,
            actor,
            id,
            expected_version,
            note.as_deref(),
            completed_on.map(|d| d.0),
        )
        .await
        .answer()
    }

    async fn verify_milestone(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        verdict: Verdict,
        note: Option<String>,
    ) -> async_graphql::Result<Milestone> {
        let (service, actor, id) = context::signed_on(ctx, &id, "milestone")?;
        let accepted = verdict == Verdict::Accepted;
        milestones::verify_milestone(
            service,
            actor,
            id,
            expected_version,
            accepted,
            note.as_deref(),
        )
        .await
        .answer()
    }

    /// presidium: 销号
    async fn sign_off_milestone(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        note: Option<String>,
    ) -> async_graphql::Result<Milestone> {
        let (service, actor, id) = context::signed_on(ctx, &id, "milestone")?;
        milestones::sign_off_milestone(service, actor, id, expected_version, note.as_deref())
            .await
            .answer()
    }

    /// presidium, all or nothing: 销号 several reported items at once, each by its own rules and
    /// with its own history; a refusal (CONFLICT for one changed meanwhile) names the item
    async fn sign_off_milestones(
        &self,
        ctx: &Context<'_>,
        items: Vec<VersionedId>,
    ) -> async_graphql::Result<Vec<Milestone>> {
        let (service, actor) = context::signed(ctx)?;
        let ids: Vec<ID> = items.iter().map(|item| item.id.clone()).collect();
        let versioned: Vec<(uuid::Uuid, i32)> = targets(&ids, "milestone")?
            .into_iter()
            .zip(items.iter().map(|item| item.expected_version))
            .collect();
        let signed = milestones::sign_off_milestones(service, actor, &versioned)
            .await
            .gql()?;
        Ok(signed.into_iter().map(Milestone::from).collect())
    }

    /// presidium or deputy: 退回重办 — back to IN_PROGRESS, the reason kept in history
    async fn return_milestone(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        reason: String,
    ) -> async_graphql::Result<Milestone> {
        let (service, actor, id) = context::signed_on(ctx, &id, "milestone")?;
        milestones::return_milestone(service, actor, id, expected_version, &reason)
            .await
            .answer()
    }

    async fn cancel_milestone(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        reason: String,
    ) -> async_graphql::Result<Milestone> {
        let (service, actor, id) = context::signed_on(ctx, &id, "milestone")?;
        milestones::cancel_milestone(service, actor, id, expected_version, &reason)
            .await
            .answer()
    }
}

pub(crate) async fn list(
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
