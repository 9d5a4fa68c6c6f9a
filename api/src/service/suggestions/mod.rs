//! Deputies' suggestions (代表建议办理): registered by a deputy (their own) or the presidium and
//! numbered per organisation and year; assigned (交办) by the presidium to a lead unit, co-units and
//! the leader who answers, due `suggestionAnswerWorkingDays` working days later unless given;
//! answered with a class A–D; rated by the lead deputy (or the presidium from a paper form), a
//! dissatisfied rating opening a redo round (重办) due `suggestionRedoDays` later; concluded (办结)
//! by the presidium; withdrawn before an answer. Each step is one command of the write kernel.

mod answers;
mod project;
mod queries;

pub use answers::{
    Answer, answer_suggestion, conclude_suggestion, record_feedback, withdraw_suggestion,
};
pub use project::{ProjectOfSuggestion, make_project};

use chrono::{Datelike, NaiveDate};
use jiandu_domain::Reason;
use jiandu_domain::Text;
use jiandu_domain::field;
use jiandu_domain::suggestion::{
    SuggestionSource, SuggestionStatus, SuggestionStep, suggestion_number,
};
use jiandu_domain::validate::{self, limits};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

pub use self::queries::{
    SuggestionFilter, SuggestionKey, answers_of, co_units_of, cosigners_of, figures_of,
    list_suggestions, open_and_overdue, stats, suggestions_by_ids, suggestions_of_projects,
};
use super::kernel::command::{Audit, Command, Current};
use super::kernel::sequences::Counter;
use super::views::SuggestionView;
use super::{Actor, Ctx};
use crate::entity::{
    Stored, person, suggestion, suggestion_co_unit, suggestion_cosigner, suggestion_sequence, unit,
};
use crate::error::AppError;
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
        return Err(AppError::invalid(
            field,
            Reason::TooMany { max: 50 },
            "names more than 50",
        ));
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
    check_register(actor, &new)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let row = register_in(&mut cmd, actor, new).await?;
    cmd.finish(SuggestionView::from(row)).await
}

/// What registering `new` asks of the actor: the lead deputy is themselves, unless they are of
/// the presidium.
pub(super) fn check_register(actor: &Actor, new: &NewSuggestion) -> Result<(), AppError> {
    actor
        .access
        .check_register_suggestion(actor.organization_id(), new.lead_deputy_id)?;
    Ok(())
}

/// Registers `new` in `cmd`, numbered in the year it was received, for a caller that has checked
/// the actor may ([`check_register`]): alone, or with the visit that raised it.
pub(super) async fn register_in(
    cmd: &mut Command<'_>,
    actor: &Actor,
    new: NewSuggestion,
) -> Result<suggestion::Model, AppError> {
    let title = Text::parse(field::TITLE, &new.title, limits::TITLE)?;
    let content = Text::parse(field::CONTENT, &new.content, limits::DESCRIPTION)?;
    let category = Text::parse_optional(field::CATEGORY, new.category.as_deref(), limits::NAME)?;
    let organization = actor.organization_id();
    let received_on = validate::past_day(
        field::RECEIVED_ON,
        new.received_on,
        cmd.today_in(organization),
    )?;
    cmd.refer::<person::Entity>(organization, new.lead_deputy_id, "leadDeputyId")
        .await?;
    let cosigners = referred::<person::Entity>(
        cmd,
        organization,
        &new.co_signer_ids,
        new.lead_deputy_id,
        "coSignerIds",
    )
    .await?;
    let year = received_on.year();
    let mut counter = Counter::<suggestion_sequence::Entity>::lock(cmd, organization, year).await?;
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
        historical: Set(false),
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
    counter.save(cmd).await?;
    Ok(row)
}

/// Loads suggestion `id` at `expected_version` for a step `authorise` allows, checking the step
/// may follow its status.
pub(super) async fn load(
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

/// [`load`] for a step only the suggestion's own presidium may take.
pub(super) async fn load_managed(
    cmd: &mut Command<'_>,
    id: Uuid,
    expected_version: i32,
    step: SuggestionStep,
) -> Result<(Current<suggestion::Entity>, SuggestionStatus), AppError> {
    let current = cmd
        .load_managed::<suggestion::Entity>(id, Some(expected_version), "this suggestion")
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
    let (current, status) =
        load_managed(&mut cmd, id, expected_version, SuggestionStep::Assign).await?;
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
            let day = validate::plausible_date(field::DEADLINE, day)?;
            let earliest = today.max(current.row.received_on);
            if day < earliest {
                return Err(AppError::invalid(
                    field::DEADLINE,
                    Reason::TooEarly { date: earliest },
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
