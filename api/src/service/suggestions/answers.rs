//! A suggestion's rounds: the answer, the lead deputy's rating (不满意 opens a redo round), and
//! its end — concluded (办结) by the presidium or withdrawn by its deputy.

use chrono::{Duration, NaiveDate};
use jiandu_domain::Reason;
use jiandu_domain::field;
use jiandu_domain::suggestion::{AnswerClass, SuggestionStep};
use jiandu_domain::validate::{self, limits};
use jiandu_domain::{Rating, Text};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::entity::{Stored, suggestion_answer};
use crate::error::{AppError, OnConstraint};
use crate::service::kernel::audit::Action;
use crate::service::kernel::command::{Audit, Command};
use crate::service::views::SuggestionView;
use crate::service::{Actor, Ctx};

use super::{load, load_managed};

pub struct Answer {
    pub answer_class: AnswerClass,
    pub text: String,
    pub answered_on: NaiveDate,
    pub met_deputy: bool,
}

#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn answer_suggestion(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    answer: Answer,
) -> Result<SuggestionView, AppError> {
    let text = Text::parse(field::TEXT, &answer.text, limits::DESCRIPTION)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let (current, status) = load(
        &mut cmd,
        id,
        expected_version,
        SuggestionStep::Answer,
        |s| {
            actor
                .access
                .check_answer_suggestion(s.organization_id, s.responsible_leader_id)
        },
    )
    .await?;
    let organization = current.row.organization_id;
    let answered_on = validate::past_day(
        field::ANSWERED_ON,
        answer.answered_on,
        cmd.today_in(organization),
    )?;
    if let Some(assigned) = current.row.assigned_on.filter(|&on| answered_on < on) {
        return Err(AppError::invalid(
            field::ANSWERED_ON,
            Reason::TooEarly { date: assigned },
            "must not be before the day it was assigned",
        ));
    }
    suggestion_answer::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        suggestion_id: Set(id),
        round: Set(current.row.round),
        answered_on: Set(answered_on),
        answer_class: Set(Stored(answer.answer_class)),
        text: Set(text.as_str().to_string()),
        met_deputy: Set(answer.met_deputy),
        answered_by: Set(actor.user_id()),
        answered_at: Set(cmd.now),
        feedback: Set(None),
        feedback_note: Set(None),
        feedback_on: Set(None),
        feedback_by: Set(None),
    }
    .insert(cmd.db())
    .await
    .on_constraint("this round of the suggestion is already answered", "id")?;
    let mut next = current.edit();
    next.status = Set(Stored(status));
    next.historical = Set(false);
    next.answered_on = Set(Some(answered_on));
    let audit = Audit::new(Action::SuggestionAnswer)
        .with("answerClass", answer.answer_class.as_str())
        .with("text", text.as_str())
        .with("metDeputy", answer.met_deputy);
    cmd.finish_update(&current, next, audit).await
}

/// The lead deputy's rating of the latest answer; DISSATISFIED opens a redo round due
/// `suggestionRedoDays` after today.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn record_feedback(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    feedback: Rating,
    note: Option<&str>,
) -> Result<SuggestionView, AppError> {
    let note = Text::note(note)?;
    let dissatisfied = feedback == Rating::Dissatisfied;
    let mut cmd = Command::begin(ctx, actor).await?;
    let step = SuggestionStep::Feedback { dissatisfied };
    let (current, status) = load(&mut cmd, id, expected_version, step, |s| {
        actor
            .access
            .check_lead_deputy(s.organization_id, s.lead_deputy_id, "rate its answer")
    })
    .await?;
    let organization = current.row.organization_id;
    let today = cmd.today_in(organization);
    let answer = suggestion_answer::Entity::find()
        .filter(suggestion_answer::Column::SuggestionId.eq(id))
        .filter(suggestion_answer::Column::Round.eq(current.row.round))
        .one(cmd.db())
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                field::STATUS,
                Reason::WrongState,
                "the latest round has no answer",
            )
        })?;
    let mut rated: suggestion_answer::ActiveModel = answer.into();
    rated.feedback = Set(Some(Stored(feedback)));
    rated.feedback_note = Set(note.as_ref().map(|n| n.as_str().to_string()));
    rated.feedback_on = Set(Some(today));
    rated.feedback_by = Set(Some(actor.user_id()));
    rated.update(cmd.db()).await?;
    let mut next = current.edit();
    next.status = Set(Stored(status));
    next.historical = Set(false);
    if dissatisfied {
        let rules = cmd.rules().await?;
        let days = rules.settings_of(organization).suggestion_redo_days;
        let deadline = today + Duration::days(i64::from(days));
        next.round = Set(current.row.round + 1);
        next.deadline = Set(Some(deadline));
        next.due_by = Set(Some(rules.due_by(organization, deadline)));
        next.answered_on = Set(None);
    }
    let audit = Audit::new(if dissatisfied {
        Action::SuggestionRedo
    } else {
        Action::SuggestionFeedback
    })
    .with("feedback", feedback.as_str())
    .with("note", note.as_ref().map(Text::as_str));
    cmd.finish_update(&current, next, audit).await
}

/// 办结, by the presidium: once answered, and not while the deputy's latest rating is
/// dissatisfied (a redo round is then open).
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn conclude_suggestion(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
) -> Result<SuggestionView, AppError> {
    let mut cmd = Command::begin(ctx, actor).await?;
    let (current, status) =
        load_managed(&mut cmd, id, expected_version, SuggestionStep::Conclude).await?;
    let today = cmd.today_in(current.row.organization_id);
    let mut next = current.edit();
    next.status = Set(Stored(status));
    next.historical = Set(false);
    next.concluded_on = Set(Some(today));
    cmd.finish_update(&current, next, Audit::new(Action::SuggestionConclude))
        .await
}

/// Withdrawn before it is answered, by its lead deputy or the presidium, with the reason.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn withdraw_suggestion(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    reason: &str,
) -> Result<SuggestionView, AppError> {
    let reason = Text::reason(reason)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let (current, status) = load(
        &mut cmd,
        id,
        expected_version,
        SuggestionStep::Withdraw,
        |s| {
            actor
                .access
                .check_lead_deputy(s.organization_id, s.lead_deputy_id, "withdraw it")
        },
    )
    .await?;
    let mut next = current.edit();
    next.status = Set(Stored(status));
    next.historical = Set(false);
    next.withdrawn_reason = Set(Some(reason.as_str().to_string()));
    cmd.finish_update(&current, next, Audit::new(Action::SuggestionWithdraw))
        .await
}
