//! Findings: the `Finding` object, `findings`, `updateFinding` and `rescheduleFinding`.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};

use super::accounts::{User, user};
use super::args::optional_id;
use super::attachments::{Attachment, attachments};
use super::connection::{self, connection};
use super::context;
use super::deadlines::Deadlines;
use super::error::GqlResult;
use super::inspections::Inspection;
use super::loaders::{
    AttachmentsKey, FindingDeadlineChangesKey, FindingKey, InspectionKey, MilestoneKey, ProjectKey,
};
use super::milestones::{DeadlineChange, Milestone};
use super::organizations::{Person, Unit, required_person, required_unit};
use super::projects::Project;
use super::scalars::{Date, DeadlineState, FindingStatus, Light, parse_id, to_id};
use crate::graphql::connection::shows;
use crate::service::findings::{self, FindingFilter};
use crate::service::page::PageRequest;
use crate::service::views::FindingView;

/// A rectification item (整改事项) raised by an inspection, with a responsible leader, unit and
/// deadline; it follows the milestones' time rules.
#[derive(Clone)]
pub struct Finding(pub FindingView);

shows!(Finding: FindingView);

connection!(FindingConnection, FindingEdge, Finding);

impl Finding {
    fn deadline_record(&self) -> Deadlines {
        Deadlines {
            organization_id: self.0.organization_id,
            tracked: self.0.tracked(),
            day: None,
            original_deadline: self.0.original_deadline,
            on_time_deadline: self.0.on_time_deadline,
            due_by: self.0.due_by,
            times_rescheduled: self.0.times_rescheduled,
        }
    }
}

#[Object]
impl Finding {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn inspection(&self, ctx: &Context<'_>) -> async_graphql::Result<Inspection> {
        context::load_required(ctx, InspectionKey(self.0.inspection_id), "inspection")
            .await
            .map(Inspection)
    }

    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Project>> {
        Ok(context::load_opt(ctx, self.0.project_id.map(ProjectKey))
            .await?
            .map(Project))
    }

    async fn milestone(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Milestone>> {
        Ok(
            context::load_opt(ctx, self.0.milestone_id.map(MilestoneKey))
                .await?
                .map(Milestone::from),
        )
    }

    async fn description(&self) -> &str {
        &self.0.description
    }

    /// 责任领导
    async fn responsible_leader(&self, ctx: &Context<'_>) -> async_graphql::Result<Person> {
        required_person(ctx, self.0.responsible_leader_id).await
    }

    /// 职责单位
    async fn responsible_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Unit> {
        required_unit(ctx, self.0.responsible_unit_id).await
    }

    /// Rectify by the end of this day in the organisation's zone.
    async fn deadline(&self) -> Date {
        Date(self.0.deadline)
    }

    #[graphql(flatten)]
    async fn deadlines(&self) -> Deadlines {
        self.deadline_record()
    }

    async fn status(&self) -> FindingStatus {
        self.0.status.into()
    }

    /// How it was rectified, in the responsible leader's words.
    async fn resolution(&self) -> Option<&str> {
        self.0.resolution.as_deref()
    }

    /// When it was resolved: the completion that DONE_ON_TIME / DONE_LATE compare.
    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.0.resolved_at
    }

    /// the day it was rectified, in the organisation's calendar (a confirmation or an import
    /// may give a day before it was recorded)
    async fn resolved_on(&self) -> Option<Date> {
        self.0.resolved_on.map(Date)
    }

    async fn resolved_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.0.resolved_by {
            Some(id) => Ok(Some(user(ctx, id).await?)),
            None => Ok(None),
        }
    }

    /// The verifier's note: why a rectification was sent back, or a remark on accepting it.
    async fn verification_note(&self) -> Option<&str> {
        self.0.verification_note.as_deref()
    }

    /// imported open and past its deadline: no notices until the presidium confirms it
    /// (confirmHistoricalFinding)
    async fn historical(&self) -> bool {
        self.0.historical
    }

    async fn attachments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Attachment>> {
        attachments(ctx, AttachmentsKey(self.0.id)).await
    }

    async fn deadline_changes(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<DeadlineChange>> {
        let changes = context::load_all(ctx, FindingDeadlineChangesKey(self.0.id)).await?;
        Ok(changes.into_iter().map(DeadlineChange).collect())
    }

    /// 延期申请 for this finding, oldest first.
    async fn extension_requests(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::extensions::ExtensionRequest>> {
        super::extensions::of_finding(ctx, self.0.id).await
    }

    async fn light(&self, ctx: &Context<'_>, as_of: Option<Date>) -> async_graphql::Result<Light> {
        Ok(self
            .deadline_record()
            .timing(ctx, as_of)?
            .own_light()
            .into())
    }

    /// Bumped by every change; pass it back as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

#[derive(InputObject, Default)]
#[graphql(name = "FindingFilter")]
pub struct FindingFilterInput {
    organization_id: Option<ID>,
    project_id: Option<ID>,
    leader_id: Option<ID>,
    status: Option<Vec<FindingStatus>>,
    deadline_state: Option<Vec<DeadlineState>>,
    as_of: Option<Date>,
    /// imported past their deadline, awaiting the presidium's confirmation (no notices until then)
    historical: Option<bool>,
}

impl FindingFilterInput {
    fn into_service(self) -> async_graphql::Result<FindingFilter> {
        Ok(FindingFilter {
            organization_id: optional_id("organizationId", self.organization_id.as_ref())?,
            project_id: optional_id("projectId", self.project_id.as_ref())?,
            leader_id: optional_id("leaderId", self.leader_id.as_ref())?,
            status: self.status.map(|v| v.into_iter().map(Into::into).collect()),
            deadline_state: self
                .deadline_state
                .map(|v| v.into_iter().map(Into::into).collect()),
            as_of: self.as_of.map(|d| d.0),
            historical: self.historical,
        })
    }
}

#[derive(Default)]
pub struct FindingsQuery;

#[Object]
impl FindingsQuery {
    async fn finding(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Finding>> {
        context::actor(ctx)?;
        let Ok(id) = parse_id("id", &id) else {
            return Ok(None);
        };
        Ok(context::load(ctx, FindingKey(id)).await?.map(Finding))
    }

    /// Findings the caller may read, by deadline; every filter runs as indexed SQL.
    #[graphql(complexity = "connection::cost(first, child_complexity)")]
    async fn findings(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<FindingFilterInput>,
    ) -> async_graphql::Result<FindingConnection> {
        let (service, actor) = context::signed(ctx)?;
        let page = PageRequest::new(first, after.as_deref()).gql()?;
        let filter = filter.unwrap_or_default().into_service()?;
        findings::list_findings(service, actor, filter, page)
            .await
            .answer()
    }
}

#[derive(Default)]
pub struct FindingsMutation;

#[Object]
impl FindingsMutation {
    /// RECTIFYING or RESOLVED (with `resolution`) by the responsible leader; VERIFIED, or back to
    /// RECTIFYING (with `note`), by a deputy or the presidium who did not resolve it.
    async fn update_finding(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        status: FindingStatus,
        resolution: Option<String>,
        #[graphql(desc = "why a rectification is sent back, or a remark on any change")]
        note: Option<String>,
    ) -> async_graphql::Result<Finding> {
        let (service, actor, id) = context::signed_on(ctx, &id, "finding")?;
        findings::update_finding(
            service,
            actor,
            id,
            expected_version,
            status.into(),
            resolution.as_deref(),
            note.as_deref(),
        )
        .await
        .answer()
    }

    /// Moves an open finding's deadline; the original and every move with its reason stay on
    /// record. The presidium only.
    async fn reschedule_finding(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        new_deadline: Date,
        reason: String,
    ) -> async_graphql::Result<Finding> {
        let (service, actor, id) = context::signed_on(ctx, &id, "finding")?;
        findings::reschedule_finding(
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
}
