//! The satisfaction assessment (满意度测评, docs/congress.md): the deputies' rating of a project
//! at a meeting, and the rectification item a failed one opens.

use async_graphql::{Context, ID, InputObject, Object};

use super::args::id_of;
use super::congress::Meeting;
use super::context;
use super::error::GqlResult;
use super::loaders::{MeetingKey, MilestoneKey, ProjectAssessmentsKey, ProjectKey};
use super::milestones::Milestone;
use super::projects::Project;
use super::scalars::to_id;
use crate::service::congress::{self, NewAssessment};
use crate::service::views::AssessmentView;

/// 满意度测评: the deputies' rating of a project at a meeting
#[derive(Clone)]
pub struct Assessment(pub AssessmentView);

#[Object]
impl Assessment {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<Project> {
        context::load_required(ctx, ProjectKey(self.0.project_id), "project")
            .await
            .map(Project)
    }

    async fn meeting(&self, ctx: &Context<'_>) -> async_graphql::Result<Meeting> {
        context::load_required(ctx, MeetingKey(self.0.meeting_id), "meeting")
            .await
            .map(Meeting)
    }

    async fn satisfied(&self) -> i32 {
        self.0.satisfied
    }

    async fn basically_satisfied(&self) -> i32 {
        self.0.basically_satisfied
    }

    async fn dissatisfied(&self) -> i32 {
        self.0.dissatisfied
    }

    /// (satisfied + basicallySatisfied) ÷ votes cast
    async fn rate(&self) -> f64 {
        self.0.rate()
    }

    /// the rate reached the organisation's assessmentPassRate
    async fn passed(&self) -> bool {
        self.0.passed
    }

    /// the rectification item opened on the project when it failed (none when the project was
    /// already finished)
    async fn rectification(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Milestone>> {
        let Some(id) = self.0.rectification_id else {
            return Ok(None);
        };
        Ok(context::load(ctx, MilestoneKey(id))
            .await?
            .map(Milestone::from))
    }
}

#[derive(InputObject)]
pub struct RecordAssessmentInput {
    project_id: ID,
    /// the meeting the deputies rated it at
    meeting_id: ID,
    satisfied: i32,
    basically_satisfied: i32,
    dissatisfied: i32,
}

impl From<AssessmentView> for Assessment {
    fn from(view: AssessmentView) -> Self {
        Assessment(view)
    }
}

/// A project's assessments, oldest first.
pub async fn assessments_of(
    ctx: &Context<'_>,
    project: uuid::Uuid,
) -> async_graphql::Result<Vec<Assessment>> {
    let found = context::load_all(ctx, ProjectAssessmentsKey(project)).await?;
    Ok(found.iter().cloned().map(Assessment).collect())
}

#[derive(Default)]
pub struct AssessmentsMutation;

#[Object]
impl AssessmentsMutation {
    /// presidium: the deputies' satisfaction with a project at a meeting (满意度测评); a failed one
    /// opens a rectification item (测评整改) on the project
    async fn record_assessment(
        &self,
        ctx: &Context<'_>,
        input: RecordAssessmentInput,
    ) -> async_graphql::Result<Assessment> {
        let (service, actor) = context::signed(ctx)?;
        let new = NewAssessment {
            project_id: id_of("projectId")(input.project_id)?,
            meeting_id: id_of("meetingId")(input.meeting_id)?,
            satisfied: input.satisfied,
            basically_satisfied: input.basically_satisfied,
            dissatisfied: input.dissatisfied,
        };
        congress::record_assessment(service, actor, new)
            .await
            .answer()
    }
}
