//! Deputies' suggestions (代表建议办理): registered by a deputy (their own) or the presidium and
//! numbered per organisation and year; assigned (交办) by the presidium to a lead unit, co-units and
//! the leader who answers, due `suggestionAnswerWorkingDays` working days later unless given;
//! answered with a class A–D; rated by the lead deputy (or the presidium from a paper form), a
//! dissatisfied rating opening a redo round (重办) due `suggestionRedoDays` later; concluded (办结)
//! by the presidium; withdrawn before an answer. Each step is one command of the write kernel.

mod queries;

use chrono::{Datelike, Duration, NaiveDate};
use jiandu_domain::suggestion::{
    AnswerClass, SuggestionSource, SuggestionStatus, SuggestionStep, suggestion_number,
};
use jiandu_domain::validate::{self, limits};
use jiandu_domain::{ProjectOrigin, Rating, Text};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

pub use self::queries::{
    SuggestionFilter, SuggestionKey, answers_of, co_units_of, cosigners_of, figures_of,
    list_suggestions, open_and_overdue, stats, suggestions_by_ids, suggestions_of_projects,
};
use super::kernel::command::{Audit, Command, Current};
use super::kernel::sequences::Counter;
use super::projects::{NewProject, insert_project};
use super::views::SuggestionView;
use super::{Actor, Ctx};
use crate::entity::{
    Stored, person, suggestion, suggestion_answer, suggestion_co_unit, suggestion_cosigner,
    suggestion_sequence, unit,
};
use crate::error::{AppError, OnConstraint};
use crate::service::kernel::audit::Action;

/// A suggestion as registered.
pub struct NewSuggestion {
    pub title: String,
    pub content: String,
    pub category: Option<String>,
    pub source: SuggestionSource,
    pub lead_deputy_id: Uuid,
    pub co_signer_ids: Vec<Uuid>,
    pub received_on: NaiveDate,
}

/// 交办: to whom, and by when.
pub struct Assignment {
    pub lead_unit_id: Uuid,
    pub co_unit_ids: Vec<Uuid>,
    pub responsible_leader_id: Uuid,
    pub key_item: bool,
    /// The answer's deadline; `suggestionAnswerWorkingDays` working days on when absent.
    pub deadline: Option<NaiveDate>,
}

pub struct Answer {
    pub answer_class: AnswerClass,
    pub text: String,
    pub answered_on: NaiveDate,
    pub met_deputy: bool,
}

/// `ids` without repeats or `except`, each a row of `E` in `organization` (VALIDATION_FAILED on
/// `field` otherwise).
async fn referred<E: super::kernel::tenant::Owned>(
    cmd: &Command<'_>,
    organization: Uuid,
    ids: &[Uuid],
    except: Uuid,
    field: &str,
) -> Result<Vec<Uuid>, AppError> {
    if ids.len() > 50 {
        return Err(AppError::validation(field, "names more than 50"));
    }
    let mut kept = Vec::with_capacity(ids.len());
    for &id in ids {
        if id == except || kept.contains(&id) {
            continue;
        }
        cmd.refer::<E>(organization, id, field).await?;
        kept.push(id);
    }
    Ok(kept)
}

#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn register_suggestion(
    ctx: &Ctx,
    actor: &Actor,
    new: NewSuggestion,
) -> Result<SuggestionView, AppError> {
    let title = Text::parse("title", &new.title, limits::TITLE)?;
    let content = Text::parse("content", &new.content, limits::DESCRIPTION)?;
    let category = Text::parse_optional("category", new.category.as_deref(), limits::NAME)?;
    let organization = actor.organization_id();
    actor
        .access
        .check_register_suggestion(organization, new.lead_deputy_id)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let received_on =
        validate::past_day("receivedOn", new.received_on, cmd.today_in(organization))?;
    cmd.refer::<person::Entity>(organization, new.lead_deputy_id, "leadDeputyId")
        .await?;
    let cosigners = referred::<person::Entity>(
        &cmd,
        organization,
        &new.co_signer_ids,
        new.lead_deputy_id,
        "coSignerIds",
    )
    .await?;
    let year = received_on.year();
    let mut counter =
        Counter::<suggestion_sequence::Entity>::lock(&cmd, organization, year).await?;
    let sequence = counter.take();
    let now = cmd.now;
    let row = suggestion::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(organization),
        number: Set(suggestion_number(year, sequence)),
        year: Set(year),
        sequence: Set(sequence),
        title: Set(title.into_string()),
        content: Set(content.into_string()),
        category: Set(category.map(Text::into_string)),
        source: Set(Stored(new.source)),
        lead_deputy_id: Set(new.lead_deputy_id),
        received_on: Set(received_on),
        status: Set(Stored(SuggestionStatus::Registered)),
        assigned_on: Set(None),
        lead_unit_id: Set(None),
        responsible_leader_id: Set(None),
        key_item: Set(false),
        deadline: Set(None),
        due_by: Set(None),
        on_time_deadline: Set(None),
        on_time_due_by: Set(None),
        round: Set(1),
        answered_on: Set(None),
        concluded_on: Set(None),
        withdrawn_reason: Set(None),
        project_id: Set(None),
        created_by: Set(actor.user_id()),
        created_at: Set(now),
        version: Set(1),
        updated_at: Set(now),
    };
    let row = cmd
        .create::<suggestion::Entity>(row, Audit::new(Action::SuggestionRegister))
        .await?;
    if !cosigners.is_empty() {
        let rows = cosigners
            .iter()
            .map(|&person_id| suggestion_cosigner::ActiveModel {
                suggestion_id: Set(row.id),
                person_id: Set(person_id),
            });
        suggestion_cosigner::Entity::insert_many(rows)
            .exec_without_returning(cmd.db())
            .await?;
    }
    counter.save(&cmd).await?;
    cmd.finish(SuggestionView::from(row)).await
}

/// Loads suggestion `id` at `expected_version` for a step `authorise` allows, checking the step
/// may follow its status.
async fn load(
    cmd: &mut Command<'_>,
    id: Uuid,
    expected_version: i32,
    step: SuggestionStep,
    authorise: impl FnOnce(&suggestion::Model) -> Result<(), jiandu_domain::Denied>,
) -> Result<(Current<suggestion::Entity>, SuggestionStatus), AppError> {
    let current = cmd
        .load::<suggestion::Entity, _>(id, Some(expected_version), authorise)
        .await?;
    let status = current.before.status.after(step)?;
    Ok((current, status))
}

#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn assign_suggestion(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    assignment: Assignment,
) -> Result<SuggestionView, AppError> {
    let mut cmd = Command::begin(ctx, actor).await?;
    let (current, status) = load(
        &mut cmd,
        id,
        expected_version,
        SuggestionStep::Assign,
        |s| {
            actor
                .access
                .check_manage(s.organization_id, "this suggestion")
        },
    )
    .await?;
    let organization = current.row.organization_id;
    cmd.refer::<unit::Entity>(organization, assignment.lead_unit_id, "leadUnitId")
        .await?;
    cmd.refer::<person::Entity>(
        organization,
        assignment.responsible_leader_id,
        "responsibleLeaderId",
    )
    .await?;
    let co_units = referred::<unit::Entity>(
        &cmd,
        organization,
        &assignment.co_unit_ids,
        assignment.lead_unit_id,
        "coUnitIds",
    )
    .await?;
    let today = cmd.today_in(organization);
    let rules = cmd.rules().await?;
    let deadline = match assignment.deadline {
        Some(day) => {
            let day = validate::plausible_date("deadline", day)?;
            if day < today || day < current.row.received_on {
                return Err(AppError::validation(
                    "deadline",
                    format!("must not be before today ({today}) or the day it was received"),
                ));
            }
            day
        }
        None => rules.calendar.nth_workday_after(
            today,
            rules
                .settings_of(organization)
                .suggestion_answer_working_days,
        ),
    };
    let due_by = rules.due_by(organization, deadline);
    let mut next = current.edit();
    next.status = Set(Stored(status));
    next.assigned_on = Set(Some(current.row.assigned_on.unwrap_or(today)));
    next.lead_unit_id = Set(Some(assignment.lead_unit_id));
    next.responsible_leader_id = Set(Some(assignment.responsible_leader_id));
    next.key_item = Set(assignment.key_item);
    next.deadline = Set(Some(deadline));
    next.due_by = Set(Some(due_by));
    // The first round's deadline is the one "answered on time" is judged by.
    if current.row.round == 1 {
        next.on_time_deadline = Set(Some(deadline));
        next.on_time_due_by = Set(Some(due_by));
    }
    let after = cmd
        .update(
            &current,
            next,
            Audit::new(Action::SuggestionAssign).with("coUnits", &co_units),
        )
        .await?;
    suggestion_co_unit::Entity::delete_many()
        .filter(suggestion_co_unit::Column::SuggestionId.eq(id))
        .exec(cmd.db())
        .await?;
    if !co_units.is_empty() {
        let rows = co_units
            .iter()
            .map(|&unit_id| suggestion_co_unit::ActiveModel {
                suggestion_id: Set(id),
                unit_id: Set(unit_id),
            });
        suggestion_co_unit::Entity::insert_many(rows)
            .exec_without_returning(cmd.db())
            .await?;
    }
    cmd.finish(after).await
}

#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn answer_suggestion(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    answer: Answer,
) -> Result<SuggestionView, AppError> {
    let text = Text::parse("text", &answer.text, limits::DESCRIPTION)?;
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
    let answered_on =
        validate::past_day("answeredOn", answer.answered_on, cmd.today_in(organization))?;
    if current.row.assigned_on.is_some_and(|on| answered_on < on) {
        return Err(AppError::validation(
            "answeredOn",
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
    next.answered_on = Set(Some(answered_on));
    let audit = Audit::new(Action::SuggestionAnswer)
        .with("answerClass", answer.answer_class.as_str())
        .with("text", text.as_str())
        .with("metDeputy", answer.met_deputy);
    let after = cmd.update(&current, next, audit).await?;
    cmd.finish(after).await
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
    let note = Text::parse_optional("note", note, limits::NOTE)?;
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
        .ok_or_else(|| AppError::validation("status", "the latest round has no answer"))?;
    let mut rated: suggestion_answer::ActiveModel = answer.into();
    rated.feedback = Set(Some(Stored(feedback)));
    rated.feedback_note = Set(note.as_ref().map(|n| n.as_str().to_string()));
    rated.feedback_on = Set(Some(today));
    rated.feedback_by = Set(Some(actor.user_id()));
    rated.update(cmd.db()).await?;
    let mut next = current.edit();
    next.status = Set(Stored(status));
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
    let after = cmd.update(&current, next, audit).await?;
    cmd.finish(after).await
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
    let (current, status) = load(
        &mut cmd,
        id,
        expected_version,
        SuggestionStep::Conclude,
        |s| {
            actor
                .access
                .check_manage(s.organization_id, "this suggestion")
        },
    )
    .await?;
    let today = cmd.today_in(current.row.organization_id);
    let mut next = current.edit();
    next.status = Set(Stored(status));
    next.concluded_on = Set(Some(today));
    let after = cmd
        .update(&current, next, Audit::new(Action::SuggestionConclude))
        .await?;
    cmd.finish(after).await
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
    let reason = Text::parse("reason", reason, limits::NOTE)?;
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
    next.withdrawn_reason = Set(Some(reason.as_str().to_string()));
    let after = cmd
        .update(&current, next, Audit::new(Action::SuggestionWithdraw))
        .await?;
    cmd.finish(after).await
}

/// What the presidium gives when a suggestion becomes a supervised project; the title, text and
/// lead leader default to the suggestion's own.
#[derive(Default)]
pub struct ProjectOfSuggestion {
    pub title: Option<String>,
    pub location: Option<String>,
    pub construction: bool,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
}

/// The presidium turns a suggestion (not withdrawn, not already a project) into a supervised
/// project of origin DEPUTY_SUGGESTION, linked both ways, in one command.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn make_project(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    input: ProjectOfSuggestion,
) -> Result<SuggestionView, AppError> {
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load::<suggestion::Entity, _>(id, Some(expected_version), |s| {
            actor
                .access
                .check_manage(s.organization_id, "this suggestion")
        })
        .await?;
    if current.before.status == SuggestionStatus::Withdrawn {
        return Err(AppError::validation(
            "status",
            "a withdrawn suggestion does not become a project",
        ));
    }
    if current.row.project_id.is_some() {
        return Err(AppError::validation(
            "project",
            "this suggestion has already become a project",
        ));
    }
    let new = NewProject {
        title: input.title.unwrap_or_else(|| current.row.title.clone()),
        description: Some(
            format!("代表建议 {}：{}", current.row.number, current.row.content)
                .chars()
                .take(limits::DESCRIPTION)
                .collect(),
        ),
        origin: ProjectOrigin::DeputySuggestion,
        location: input.location,
        construction: input.construction,
        lead_leader_id: current.row.responsible_leader_id,
        planned_start: input.planned_start,
        planned_end: input.planned_end,
    };
    let project = insert_project(&mut cmd, current.row.organization_id, new).await?;
    let mut next = current.edit();
    next.project_id = Set(Some(project.id));
    let audit = Audit::new(Action::SuggestionProject).with("project", project.id);
    let after = cmd.update(&current, next, audit).await?;
    cmd.finish(after).await
}
