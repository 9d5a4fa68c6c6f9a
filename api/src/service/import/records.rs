//! The export's other two sheets brought in (docs/import.md, "The whole workbook"): the
//! organisation's inspections, findings and suggestions as they are matched ([`known`]), and the
//! plan's written in the import's command ([`write`]) — inspections, then the findings under
//! them, then the suggestions with their latest answers and ratings, their year's numbering
//! moved past the numbers they bring.

use std::collections::{BTreeMap, HashSet};

use chrono::{Days, NaiveDate};
use jiandu_domain::import::kept_lines;
use jiandu_domain::suggestion::{SuggestionSource, SuggestionStatus};
use jiandu_domain::{FindingStatus, InspectionKind, Zone};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::answer::{Lines, finding_is_history, suggestion_is_history};
use super::plan::{KnownRecords, Plan};
use super::write::noon;
use crate::entity::{
    Stored, finding, inspection, suggestion, suggestion_answer, suggestion_sequence,
};
use crate::error::AppError;
use crate::service::Actor;
use crate::service::kernel::audit::{Action, ROWS_PER_INSERT};
use crate::service::kernel::command::{Audit, Command};
use crate::service::kernel::sequences::Counter;

/// What an inspection recorded for imported findings says of itself.
const SUMMARY: &str = "从台账导入的整改事项";
/// The topic of an inspection without a project (the sheet's （专题检查）).
const TOPIC: &str = "专题检查";
/// An imported answer's text: the sheet carries its class, not its words.
const ANSWER_TEXT: &str = "（从台账导入：答复原文见办理单位的书面答复）";
/// Why an imported withdrawn suggestion was withdrawn.
const WITHDRAWN: &str = "从台账导入：已撤回";

/// The organisation's inspections (by project and day), findings and suggestion numbers.
pub(super) async fn known(cmd: &Command<'_>, organization: Uuid) -> Result<KnownRecords, AppError> {
    let db = cmd.db();
    let inspections = inspection::Entity::find()
        .select_only()
        .columns([
            inspection::Column::Id,
            inspection::Column::ProjectId,
            inspection::Column::VisitedOn,
        ])
        .filter(inspection::Column::OrganizationId.eq(organization))
        .order_by_asc(inspection::Column::RecordedAt)
        .order_by_asc(inspection::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let findings: Vec<(Uuid, String)> = finding::Entity::find()
        .select_only()
        .columns([finding::Column::InspectionId, finding::Column::Description])
        .filter(finding::Column::OrganizationId.eq(organization))
        .into_tuple()
        .all(db)
        .await?;
    let suggestions: Vec<(i32, i32)> = suggestion::Entity::find()
        .select_only()
        .columns([suggestion::Column::Year, suggestion::Column::Sequence])
        .filter(suggestion::Column::OrganizationId.eq(organization))
        .into_tuple()
        .all(db)
        .await?;
    Ok(KnownRecords {
        inspections,
        findings: findings
            .into_iter()
            .map(|(inspection, words)| (inspection, kept_lines(&words)))
            .collect::<HashSet<_>>(),
        suggestions: suggestions.into_iter().collect(),
    })
}

/// Writes the plan's inspections, findings and suggestions in the import's command.
pub(super) async fn write(
    cmd: &mut Command<'_>,
    actor: &Actor,
    organization: Uuid,
    zone: Zone,
    lines: &Lines,
    plan: Plan,
    today: NaiveDate,
) -> Result<(), AppError> {
    if plan.findings.is_empty() && plan.suggestions.is_empty() {
        return Ok(());
    }
    let now = cmd.now;
    let rules = cmd.rules().await?;
    let inspections: Vec<inspection::Model> = plan
        .inspections
        .iter()
        .map(|i| inspection::Model {
            id: i.id,
            organization_id: organization,
            kind: Stored(InspectionKind::Check),
            project_id: i.project_id,
            topic: i.project_id.is_none().then(|| TOPIC.to_string()),
            visited_on: i.visited_on,
            location: None,
            summary: SUMMARY.into(),
            rating: None,
            recorded_by: actor.user_id(),
            recorded_at: now,
        })
        .collect();
    cmd.create_many::<inspection::Entity>(&inspections, Audit::new(Action::InspectionImport))
        .await?;
    let findings: Vec<finding::Model> = plan
        .findings
        .iter()
        .map(|f| {
            let line = &lines.findings[f.line];
            let due_by = rules.due_by(organization, line.deadline);
            // A finished finding's day is what its state says: by the deadline when on time
            // (its day, or today when that is still to come), so many days after its on-time
            // deadline when late — the deadline, or, when that is still to come (it was moved
            // after the fact), the day that many days before today.
            let late = Days::new(u64::from(line.late_by));
            let (resolved_on, on_time) = match (line.status.is_open(), line.late_by) {
                (true, _) => (None, (line.deadline, due_by)),
                (false, 0) => (Some(line.deadline.min(today)), (line.deadline, due_by)),
                (false, _) => match due_by.checked_add_days(late).filter(|day| *day <= today) {
                    Some(day) => (Some(day), (line.deadline, due_by)),
                    None => {
                        let on_time = today.checked_sub_days(late).unwrap_or(today);
                        (Some(today), (on_time, on_time))
                    }
                },
            };
            finding::Model {
                id: f.id,
                organization_id: organization,
                inspection_id: f.inspection_id,
                project_id: f.project_id,
                milestone_id: None,
                description: line.description.clone(),
                responsible_leader_id: f.leader_id,
                responsible_unit_id: f.unit_id,
                deadline: line.deadline,
                original_deadline: line.original_deadline,
                on_time_deadline: on_time.0,
                due_by,
                on_time_due_by: on_time.1,
                times_rescheduled: i32::try_from(line.times_rescheduled).unwrap_or(0),
                status: Stored(line.status),
                resolution: line.resolution.clone(),
                resolved_at: resolved_on.map(|day| noon(zone, day)),
                resolved_on,
                // Nobody here resolved it: the importer stays free to verify it.
                resolved_by: None,
                verification_note: None,
                historical: finding_is_history(line, today),
                version: 1,
                created_at: now,
                updated_at: now,
            }
        })
        .collect();
    debug_assert!(
        findings
            .iter()
            .all(|f| { FindingStatus::FINISHED.contains(&f.status.0) == f.resolved_on.is_some() })
    );
    cmd.create_many::<finding::Entity>(&findings, Audit::new(Action::FindingImport))
        .await?;

    let mut numbers: BTreeMap<i32, i32> = BTreeMap::new();
    let mut answers = Vec::new();
    let suggestions: Vec<suggestion::Model> = plan
        .suggestions
        .iter()
        .map(|s| {
            let line = &lines.suggestions[s.line];
            let last = numbers.entry(line.year).or_default();
            *last = (*last).max(line.sequence);
            let due_by = line.deadline.map(|d| rules.due_by(organization, d));
            let status = line.status;
            // Assigned again after an answer: a redo round (重办) of that answer.
            let round = if status == SuggestionStatus::Assigned && line.answer.is_some() {
                2
            } else {
                1
            };
            if let Some((class, met)) = line.answer {
                let answered_on = line.answered_on.unwrap_or(today);
                answers.push(suggestion_answer::Model {
                    id: jiandu_domain::new_id(),
                    suggestion_id: s.id,
                    round: 1,
                    answered_on,
                    answer_class: Stored(class),
                    text: ANSWER_TEXT.into(),
                    met_deputy: met,
                    answered_by: actor.user_id(),
                    answered_at: noon(zone, answered_on),
                    feedback: line.feedback.map(Stored),
                    feedback_note: None,
                    feedback_on: line.feedback.map(|_| answered_on),
                    feedback_by: line.feedback.map(|_| actor.user_id()),
                });
            }
            let received_on = line
                .assigned_on
                .or(line.answered_on)
                .unwrap_or(today)
                .min(today);
            suggestion::Model {
                id: s.id,
                organization_id: organization,
                number: jiandu_domain::suggestion::suggestion_number(line.year, line.sequence),
                year: line.year,
                sequence: line.sequence,
                title: line.title.clone(),
                content: line.title.clone(),
                category: None,
                source: Stored(SuggestionSource::Intersession),
                lead_deputy_id: s.lead_deputy_id,
                received_on,
                status: Stored(status),
                assigned_on: line.assigned_on,
                lead_unit_id: s.unit_id,
                responsible_leader_id: s.leader_id,
                key_item: false,
                deadline: line.deadline,
                due_by,
                on_time_deadline: line.deadline,
                on_time_due_by: due_by,
                round,
                answered_on: line.answered_on,
                concluded_on: (status == SuggestionStatus::Concluded).then(|| {
                    line.answered_on
                        .or(line.deadline)
                        .unwrap_or(today)
                        .min(today)
                }),
                withdrawn_reason: (status == SuggestionStatus::Withdrawn)
                    .then(|| WITHDRAWN.to_string()),
                project_id: None,
                historical: suggestion_is_history(line, today),
                created_by: actor.user_id(),
                created_at: now,
                version: 1,
                updated_at: now,
            }
        })
        .collect();
    cmd.create_many::<suggestion::Entity>(&suggestions, Audit::new(Action::SuggestionImport))
        .await?;
    let answers: Vec<suggestion_answer::ActiveModel> = answers
        .into_iter()
        .map(sea_orm::IntoActiveModel::into_active_model)
        .collect();
    for chunk in answers.chunks(ROWS_PER_INSERT) {
        suggestion_answer::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(cmd.db())
            .await?;
    }
    // The next suggestion registered in a year comes after the numbers brought in.
    for (year, last) in numbers {
        let mut counter =
            Counter::<suggestion_sequence::Entity>::lock(cmd, organization, year).await?;
        counter.taken_up_to(last);
        counter.save(cmd).await?;
    }
    Ok(())
}
