//! The satisfaction assessment (满意度测评, docs/congress.md): at a meeting the deputies rate a
//! project 满意 / 基本满意 / 不满意; it passes when (满意 + 基本满意) ÷ votes cast reaches the
//! organisation's `assessmentPassRate`. A failed one opens a rectification item on the project
//! (测评整改: its lead leader answers for it, due `assessmentRectifyDays` after the meeting) that
//! climbs the notice ladder like every item. A project already completed or cancelled is final:
//! its failed assessment is recorded and opens nothing.

use chrono::Days;
use jiandu_domain::congress::{check_tally, satisfaction_rate};
use jiandu_domain::{MilestoneStatus, Reason, field};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::super::kernel::audit::Action;
use super::super::kernel::command::{Audit, Command};
use super::super::kernel::tables;
use super::super::views::{AssessmentView, MeetingView};
use super::super::{Actor, Ctx};
use crate::entity::{Stored, assessment, meeting, milestone, person, project};
use crate::error::AppError;

/// The rectification item's title.
pub const RECTIFICATION: &str = "测评整改";

/// An assessment's tally at a meeting.
pub struct NewAssessment {
    pub project_id: Uuid,
    pub meeting_id: Uuid,
    pub satisfied: i32,
    pub basically_satisfied: i32,
    pub dissatisfied: i32,
}

/// Records an assessment of a project of the actor's organisation at one of its meetings.
#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn record_assessment(
    ctx: &Ctx,
    actor: &Actor,
    new: NewAssessment,
) -> Result<AssessmentView, AppError> {
    let organization = actor.organization_id();
    actor.access.check_manage(organization, "assessments")?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let project = cmd
        .refer::<project::Entity>(organization, new.project_id, field::PROJECT_ID)
        .await?;
    if project.origin.0 != jiandu_domain::ProjectOrigin::LivelihoodVote {
        return Err(AppError::invalid(
            field::PROJECT_ID,
            Reason::WrongState,
            "only a livelihood project (origin LIVELIHOOD_VOTE) is assessed",
        ));
    }
    let held = MeetingView::from(
        cmd.refer::<meeting::Entity>(organization, new.meeting_id, field::MEETING_ID)
            .await?,
    );
    let already = assessment::Entity::find()
        .filter(assessment::Column::ProjectId.eq(project.id))
        .filter(assessment::Column::MeetingId.eq(held.id))
        .one(cmd.db())
        .await?;
    if already.is_some() {
        return Err(AppError::Conflict(
            "the project was already assessed at this meeting".into(),
        ));
    }
    let present = u32::try_from(held.deputies_present).unwrap_or(0);
    let counts = check_tally(
        &[
            (field::SATISFIED, new.satisfied),
            (field::BASICALLY_SATISFIED, new.basically_satisfied),
            (field::DISSATISFIED, new.dissatisfied),
        ],
        present,
    )?;
    let Some(rate) = satisfaction_rate(counts[0], counts[1], counts[2]) else {
        return Err(AppError::invalid(
            field::SATISFIED,
            Reason::OutOfRange {
                min: 1,
                max: i64::from(present),
            },
            "an assessment counts at least one vote",
        ));
    };
    let rules = cmd.rules().await?;
    let settings = rules.settings_of(organization);
    // In whole numbers, as the setting is: (满意 + 基本满意) · 100 ≥ percent · cast.
    let cast = u64::from(counts[0]) + u64::from(counts[1]) + u64::from(counts[2]);
    let passed = (u64::from(counts[0]) + u64::from(counts[1])) * 100
        >= u64::from(settings.assessment_pass_percent) * cast;
    debug_assert_eq!(
        passed,
        rate * 100.0 >= f64::from(settings.assessment_pass_percent) - 1e-9
    );
    let now = cmd.now;
    // A finished project is final (docs/rules.md): its failed assessment is kept, and no item
    // is opened under it.
    let rectification = if passed || project.status.0.is_closed() {
        None
    } else {
        let leader = project.lead_leader_id.ok_or_else(|| {
            AppError::invalid(
                field::PROJECT_ID,
                Reason::WrongState,
                "the project has no lead leader to answer for its rectification; set one first",
            )
        })?;
        let unit = match person::Entity::find_by_id(leader)
            .one(cmd.db())
            .await?
            .and_then(|p| p.unit_id)
        {
            Some(unit) => unit,
            None => milestone::Entity::find()
                .filter(milestone::Column::ProjectId.eq(project.id))
                .filter(milestone::Column::ResponsibleLeaderId.eq(leader))
                .order_by_asc(milestone::Column::CreatedAt)
                .one(cmd.db())
                .await?
                .map(|m| m.responsible_unit_id)
                .ok_or_else(|| {
                    AppError::invalid(
                        field::PROJECT_ID,
                        Reason::WrongState,
                        "the project's lead leader belongs to no unit to answer with",
                    )
                })?,
        };
        let deadline = held
            .held_on
            .checked_add_days(Days::new(u64::from(settings.assessment_rectify_days)))
            .unwrap_or(held.held_on);
        let due_by = rules.due_by(organization, deadline);
        let item = milestone::ActiveModel {
            id: Set(jiandu_domain::new_id()),
            organization_id: Set(organization),
            project_id: Set(project.id),
            parent_id: Set(None),
            title: Set(RECTIFICATION.into()),
            description: Set(Some(format!(
                "{}测评满意率{:.1}%，未达到{}%：满意{}票，基本满意{}票，不满意{}票。",
                held.title,
                rate * 100.0,
                settings.assessment_pass_percent,
                counts[0],
                counts[1],
                counts[2]
            ))),
            responsible_leader_id: Set(leader),
            responsible_unit_id: Set(unit),
            responsible_person_id: Set(None),
            start_date: Set(Some(held.held_on)),
            deadline: Set(deadline),
            original_deadline: Set(deadline),
            on_time_deadline: Set(deadline),
            due_by: Set(due_by),
            on_time_due_by: Set(due_by),
            is_item: Set(true),
            times_rescheduled: Set(0),
            status: Set(Stored(MilestoneStatus::NotStarted)),
            progress: Set(0),
            weight: Set(1),
            completed_at: Set(None),
            completed_on: Set(None),
            completed_by: Set(None),
            completion_backdated: Set(false),
            signed_off_by: Set(None),
            signed_off_at: Set(None),
            historical: Set(false),
            long_term: Set(false),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        };
        let item = cmd
            .create::<milestone::Entity>(item, Audit::new(Action::MilestoneAdd))
            .await?;
        Some(item.id)
    };
    let row = assessment::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(organization),
        project_id: Set(project.id),
        meeting_id: Set(held.id),
        satisfied: Set(new.satisfied),
        basically_satisfied: Set(new.basically_satisfied),
        dissatisfied: Set(new.dissatisfied),
        passed: Set(passed),
        rectification_id: Set(rectification),
        recorded_by: Set(actor.user_id()),
        recorded_at: Set(now),
    };
    let row = cmd
        .create::<assessment::Entity>(row, Audit::new(Action::AssessmentRecord))
        .await?;
    cmd.finish(AssessmentView::from(row)).await
}

/// The assessments taken at the meetings `ids`, in the order recorded.
pub async fn assessments_of_meetings(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<AssessmentView>, AppError> {
    use assessment::Column as C;
    tables::all(
        actor
            .readable()
            .select::<assessment::Entity>()
            .filter(C::MeetingId.is_in(ids.iter().copied()))
            .order_by_asc(C::RecordedAt)
            .order_by_asc(C::Id),
        ctx.db.conn(),
    )
    .await
}

/// The assessments of the projects `ids`, oldest first.
pub async fn assessments_of_projects(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<AssessmentView>, AppError> {
    use assessment::Column as C;
    tables::all(
        actor
            .readable()
            .select::<assessment::Entity>()
            .filter(C::ProjectId.is_in(ids.iter().copied()))
            .order_by_asc(C::RecordedAt)
            .order_by_asc(C::Id),
        ctx.db.conn(),
    )
    .await
}
