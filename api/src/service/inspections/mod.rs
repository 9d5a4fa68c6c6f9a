//! Inspections (视察、检查、评估、执法检查): a deputy or the presidium records a visit with its
//! participants, the milestones looked at, a summary, a rating and the findings it raises — all in
//! one transaction.

use jiandu_domain::Reason;
use jiandu_domain::field;
use std::collections::HashSet;

use chrono::NaiveDate;
use jiandu_domain::validate::{self, limits};
use jiandu_domain::{FindingStatus, InspectionKind, Rating, Text};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::kernel::command::{Audit, Command};
use super::views::InspectionView;
use super::{Actor, Ctx};
use crate::entity::{
    Stored, finding, inspection, inspection_milestone, inspection_participant, milestone, person,
    project, unit,
};
use crate::error::AppError;
use crate::service::kernel::audit::Action;

mod queries;

pub use queries::*;

/// Most people and milestones one inspection may name, and findings it may raise.
const MAX_LISTED: usize = 200;

pub struct NewFinding {
    pub description: String,
    pub milestone_id: Option<Uuid>,
    pub responsible_leader_id: Uuid,
    pub responsible_unit_id: Uuid,
    pub deadline: NaiveDate,
}

pub struct NewInspection {
    pub kind: InspectionKind,
    pub project_id: Option<Uuid>,
    pub topic: Option<String>,
    pub visited_on: NaiveDate,
    pub location: Option<String>,
    pub participant_ids: Vec<Uuid>,
    pub milestone_ids: Vec<Uuid>,
    pub summary: String,
    pub rating: Option<Rating>,
    pub findings: Vec<NewFinding>,
}

#[derive(Default, Clone)]
pub struct InspectionFilter {
    pub project_id: Option<Uuid>,
    pub kinds: Option<Vec<InspectionKind>>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// Inspections are listed newest visit first: visit day, then id, both descending.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InspectionKey(NaiveDate, Uuid);

fn key(i: &InspectionView) -> InspectionKey {
    InspectionKey(i.visited_on, i.id)
}

fn distinct(field: &str, ids: &[Uuid]) -> Result<Vec<Uuid>, AppError> {
    if ids.len() > MAX_LISTED {
        return Err(AppError::invalid(
            field,
            Reason::TooMany { max: MAX_LISTED },
            format!("at most {MAX_LISTED} may be listed"),
        ));
    }
    let mut seen = HashSet::new();
    Ok(ids.iter().copied().filter(|id| seen.insert(*id)).collect())
}

/// Every id names a person of the organisation.
async fn check_participants(
    db: &impl ConnectionTrait,
    organization_id: Uuid,
    ids: &[Uuid],
) -> Result<(), AppError> {
    let found = person::Entity::find()
        .filter(person::Column::Id.is_in(ids.iter().copied()))
        .filter(person::Column::OrganizationId.eq(organization_id))
        .count(db)
        .await?;
    if found as usize == ids.len() {
        Ok(())
    } else {
        Err(AppError::invalid(
            field::PARTICIPANT_IDS,
            Reason::UnknownRecord,
            format!(
                "{} of the participants are not people of this organisation",
                ids.len() - found as usize
            ),
        ))
    }
}

/// The milestones named, each of the organisation and, when the inspection concerns a project,
/// of that project.
async fn looked_at(
    db: &impl ConnectionTrait,
    organization_id: Uuid,
    project_id: Option<Uuid>,
    ids: &[Uuid],
    field: &str,
) -> Result<Vec<milestone::Model>, AppError> {
    let mut query = milestone::Entity::find()
        .filter(milestone::Column::Id.is_in(ids.iter().copied()))
        .filter(milestone::Column::OrganizationId.eq(organization_id));
    if let Some(project_id) = project_id {
        query = query.filter(milestone::Column::ProjectId.eq(project_id));
    }
    let found = query.all(db).await?;
    if found.len() == ids.len() {
        Ok(found)
    } else {
        Err(AppError::invalid(
            field,
            Reason::UnknownRecord,
            if project_id.is_some() {
                "no such milestone in this project"
            } else {
                "no such milestone in this organisation"
            },
        ))
    }
}

#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn log_inspection(
    ctx: &Ctx,
    actor: &Actor,
    input: NewInspection,
) -> Result<InspectionView, AppError> {
    let organization_id = actor.organization_id();
    actor
        .access
        .check_inspect(organization_id, "record an inspection")?;
    let topic = Text::parse_optional(field::TOPIC, input.topic.as_deref(), limits::TITLE)?;
    if input.project_id.is_none() && topic.is_none() {
        return Err(AppError::required(
            field::PROJECT_ID,
            "say which project the inspection concerns, or give its topic",
        ));
    }
    let location = Text::parse_optional(field::LOCATION, input.location.as_deref(), limits::TITLE)?;
    let summary = Text::parse(field::SUMMARY, &input.summary, limits::DESCRIPTION)?;
    let visited_on = validate::plausible_date(field::VISITED_ON, input.visited_on)?;
    let now = ctx.now();
    let today = actor.today_in(organization_id, now, None);
    if visited_on > today {
        return Err(AppError::invalid(
            field::VISITED_ON,
            Reason::InFuture { today },
            "an inspection is recorded after it took place, not before",
        ));
    }
    let participants = distinct("participantIds", &input.participant_ids)?;
    if participants.is_empty() {
        return Err(AppError::required(
            field::PARTICIPANT_IDS,
            "name at least one participating deputy",
        ));
    }
    let milestone_ids = distinct("milestoneIds", &input.milestone_ids)?;
    if input.findings.len() > MAX_LISTED {
        return Err(AppError::invalid(
            field::FINDINGS,
            Reason::TooMany { max: MAX_LISTED },
            format!("at most {MAX_LISTED} findings per inspection"),
        ));
    }
    let mut findings = Vec::with_capacity(input.findings.len());
    for (i, f) in input.findings.iter().enumerate() {
        let field = |name: &str| format!("findings.{i}.{name}");
        let description = Text::parse(&field("description"), &f.description, limits::DESCRIPTION)?;
        let deadline = validate::plausible_date(&field("deadline"), f.deadline)?;
        if deadline < visited_on {
            return Err(AppError::invalid(
                field("deadline"),
                Reason::TooEarly { date: visited_on },
                "a rectification deadline cannot be before the inspection",
            ));
        }
        findings.push((description, deadline));
    }

    let mut cmd = Command::begin(ctx, actor).await?;
    cmd.within(organization_id);
    if let Some(project_id) = input.project_id {
        cmd.refer::<project::Entity>(organization_id, project_id, "projectId")
            .await?;
    }
    check_participants(cmd.db(), organization_id, &participants).await?;
    looked_at(
        cmd.db(),
        organization_id,
        input.project_id,
        &milestone_ids,
        "milestoneIds",
    )
    .await?;

    let id = jiandu_domain::new_id();
    let row = inspection::ActiveModel {
        id: Set(id),
        organization_id: Set(organization_id),
        kind: Set(Stored(input.kind)),
        project_id: Set(input.project_id),
        topic: Set(topic.map(Text::into_string)),
        visited_on: Set(visited_on),
        location: Set(location.map(Text::into_string)),
        summary: Set(summary.into_string()),
        rating: Set(input.rating.map(Stored)),
        recorded_by: Set(actor.user_id()),
        recorded_at: Set(now),
    }
    .insert(cmd.db())
    .await?;
    if !participants.is_empty() {
        inspection_participant::Entity::insert_many(participants.iter().map(|&person_id| {
            inspection_participant::ActiveModel {
                inspection_id: Set(id),
                person_id: Set(person_id),
            }
        }))
        .exec(cmd.db())
        .await?;
    }
    if !milestone_ids.is_empty() {
        inspection_milestone::Entity::insert_many(milestone_ids.iter().map(|&milestone_id| {
            inspection_milestone::ActiveModel {
                inspection_id: Set(id),
                milestone_id: Set(milestone_id),
            }
        }))
        .exec(cmd.db())
        .await?;
    }
    let audit = Audit::new(Action::InspectionLog)
        .with("participant_ids", &participants)
        .with("milestone_ids", &milestone_ids);
    cmd.created::<inspection::Entity>(&row, audit).await?;

    let rules = cmd.rules().await?;
    for (i, (f, (description, deadline))) in input.findings.iter().zip(findings).enumerate() {
        let field = |name: &str| format!("findings.{i}.{name}");
        cmd.refer::<person::Entity>(
            organization_id,
            f.responsible_leader_id,
            &field("responsibleLeaderId"),
        )
        .await?;
        cmd.refer::<unit::Entity>(
            organization_id,
            f.responsible_unit_id,
            &field("responsibleUnitId"),
        )
        .await?;
        let project_id = match f.milestone_id {
            Some(milestone_id) => {
                let found = looked_at(
                    cmd.db(),
                    organization_id,
                    input.project_id,
                    &[milestone_id],
                    &field("milestoneId"),
                )
                .await?;
                found.first().map(|m| m.project_id)
            }
            None => input.project_id,
        };
        let due_by = rules.due_by(organization_id, deadline);
        let finding = finding::ActiveModel {
            id: Set(jiandu_domain::new_id()),
            organization_id: Set(organization_id),
            inspection_id: Set(id),
            project_id: Set(project_id),
            milestone_id: Set(f.milestone_id),
            description: Set(description.into_string()),
            responsible_leader_id: Set(f.responsible_leader_id),
            responsible_unit_id: Set(f.responsible_unit_id),
            deadline: Set(deadline),
            original_deadline: Set(deadline),
            on_time_deadline: Set(deadline),
            due_by: Set(due_by),
            on_time_due_by: Set(due_by),
            times_rescheduled: Set(0),
            status: Set(Stored(FindingStatus::Open)),
            resolution: Set(None),
            resolved_at: Set(None),
            resolved_on: Set(None),
            resolved_by: Set(None),
            verification_note: Set(None),
            historical: Set(false),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        };
        cmd.create::<finding::Entity>(finding, Audit::new(Action::FindingRaise))
            .await?;
    }
    cmd.finish(InspectionView::from(row)).await
}
