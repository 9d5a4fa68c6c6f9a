//! The sample's projects entered as their presidium did (the three the congress voted in filled
//! in where the vote made them): split into milestones with leaders and units, each step on its
//! day (progress, completion, check, sign-off, a reschedule), and the deputies' inspections with
//! the findings they raised.

use std::collections::HashMap;

use jiandu_domain::{FindingStatus, ProjectStatus};
use uuid::Uuid;

use super::data::Step;
use super::visits::{self, Answer};
use crate::error::AppError;
use crate::service::inspections::{self, NewFinding, NewInspection};
use crate::service::milestones::{self, NewMilestone};
use crate::service::projects::{self, NewProject, ProjectChanges};
use crate::service::{extensions, findings};

use super::{Town, data, named, undefined};

pub(super) async fn enter_project(
    town: &mut Town<'_>,
    spec: &data::Project,
) -> Result<(), AppError> {
    let ctx = town.ctx;
    let renda = town.presidium()?;
    let planned_start = spec.planned.map(|(start, _)| town.day(start));
    let planned_end = spec.planned.map(|(_, end)| town.day(end));
    let project = match town.projects.get(spec.title) {
        // Made by the congress's vote: the presidium fills in what the vote left open.
        Some(&voted) => {
            let made = projects::projects_by_ids(ctx, renda, &[voted])
                .await?
                .pop()
                .ok_or_else(|| undefined("project", spec.title))?;
            let filled = ProjectChanges {
                description: Some(Some(spec.description.into())),
                location: Some(Some(spec.location.into())),
                construction: Some(spec.construction),
                lead_leader_id: Some(Some(town.person(spec.lead)?)),
                planned_start: Some(planned_start),
                planned_end: Some(planned_end),
                ..Default::default()
            };
            projects::update_project(ctx, renda, made.id, made.version, filled).await?
        }
        None => {
            let new = NewProject {
                title: spec.title.into(),
                description: Some(spec.description.into()),
                origin: spec.origin,
                location: Some(spec.location.into()),
                construction: spec.construction,
                lead_leader_id: Some(town.person(spec.lead)?),
                planned_start,
                planned_end,
            };
            projects::create_project(ctx, renda, new).await?
        }
    };
    town.projects.insert(spec.title, project.id);
    for node in spec.milestones {
        enter_milestone(town, project.id, node).await?;
    }
    if spec.started {
        let started = ProjectChanges {
            status: Some(ProjectStatus::InProgress),
            ..Default::default()
        };
        projects::update_project(ctx, town.presidium()?, project.id, project.version, started)
            .await?;
    }
    Ok(())
}

/// Adds a milestone, then lets its history happen to it in order.
async fn enter_milestone(
    town: &mut Town<'_>,
    project: Uuid,
    spec: &data::Milestone,
) -> Result<(), AppError> {
    let ctx = town.ctx;
    let new = NewMilestone {
        project_id: project,
        parent_id: spec.parent.map(|title| town.milestone(title)).transpose()?,
        title: spec.title.into(),
        description: None,
        responsible_leader_id: town.person(spec.leader)?,
        responsible_unit_id: town.unit(spec.unit)?,
        responsible_person_id: spec.person.map(|name| town.person(name)).transpose()?,
        start_date: spec.start.map(|d| town.day(d)),
        deadline: if spec.title == data::ON_A_REST_DAY {
            town.rest_day_near(spec.deadline)
        } else {
            town.day(spec.deadline)
        },
        weight: None,
    };
    let mut m = milestones::add_milestone(ctx, town.presidium()?, new).await?;
    town.milestones.insert(spec.title, m.id);
    for step in spec.history {
        m = match *step {
            Step::Done { by, on, note } => {
                // Reported on the day it was done, as its leader would have.
                let then = ctx.stopped_at(town.noon(on));
                let who = town.account(by)?;
                milestones::complete_milestone(&then, who, m.id, m.version, Some(note), None)
                    .await?
            }
            Step::Verified { by, note } => {
                let who = town.account(by)?;
                milestones::verify_milestone(ctx, who, m.id, m.version, true, Some(note)).await?
            }
            Step::Rescheduled { to, reason } => {
                let who = town.presidium()?;
                let day = town.day(to);
                milestones::reschedule_milestone(ctx, who, m.id, m.version, day, reason).await?
            }
            Step::Progress { by, percent, note } => {
                let who = town.account(by)?;
                milestones::report_progress(ctx, who, m.id, percent, Some(note)).await?
            }
            Step::Cancelled { reason } => {
                let who = town.presidium()?;
                milestones::cancel_milestone(ctx, who, m.id, m.version, reason).await?
            }
            Step::SignedOff { note } => {
                let who = town.presidium()?;
                milestones::sign_off_milestone(ctx, who, m.id, m.version, Some(note)).await?
            }
            Step::Returned { by, on, reason } => {
                let then = ctx.stopped_at(town.noon(on));
                let who = town.account(by)?;
                milestones::return_milestone(&then, who, m.id, m.version, reason).await?
            }
            Step::ExtensionAsked { by, to, reason } => {
                let who = town.account(by)?;
                extensions::request_extension(ctx, who, m.id, town.day(to), reason).await?;
                m
            }
            Step::ExtensionRefused {
                by,
                to,
                reason,
                note,
            } => {
                let who = town.account(by)?;
                let asked =
                    extensions::request_extension(ctx, who, m.id, town.day(to), reason).await?;
                let presidium = town.presidium()?;
                extensions::decide_extension(ctx, presidium, asked.id, false, Some(note), None)
                    .await?;
                m
            }
        };
    }
    Ok(())
}

/// Logs an inspection with its findings, then lets each finding's answers happen in order.
pub(super) async fn enter_inspection(
    town: &Town<'_>,
    spec: &visits::Inspection,
) -> Result<(), AppError> {
    let ctx = town.ctx;
    let each = |map: &HashMap<&str, Uuid>, kind: &str, names: &[&str]| {
        names
            .iter()
            .map(|name| named(map, kind, name).copied())
            .collect::<Result<Vec<_>, _>>()
    };
    let mut findings = Vec::new();
    for finding in spec.findings {
        findings.push(NewFinding {
            description: finding.description.into(),
            milestone_id: finding.milestone.map(|t| town.milestone(t)).transpose()?,
            responsible_leader_id: town.person(finding.leader)?,
            responsible_unit_id: town.unit(finding.unit)?,
            deadline: town.day(finding.deadline),
        });
    }
    let inspection = NewInspection {
        kind: spec.kind,
        project_id: spec.project.map(|t| town.project(t)).transpose()?,
        topic: spec.topic.map(Into::into),
        visited_on: town.day(spec.visited),
        location: Some(spec.location.into()),
        participant_ids: each(&town.people, "person", spec.participants)?,
        milestone_ids: each(&town.milestones, "milestone", spec.looked_at)?,
        summary: spec.summary.into(),
        rating: Some(spec.rating),
        findings,
    };
    let recorder = town.account(spec.by)?;
    let logged = inspections::log_inspection(ctx, recorder, inspection).await?;
    let raised = findings::findings_of_inspections(ctx, recorder, &[logged.id]).await?;
    for finding_spec in spec.findings {
        let Some(mut finding) = raised
            .iter()
            .find(|f| f.description == finding_spec.description)
            .cloned()
        else {
            return Err(undefined("finding", finding_spec.description));
        };
        for answer in finding_spec.history {
            let (by, status, resolution, note) = match *answer {
                Answer::Rectifying { by, note } => {
                    (by, FindingStatus::Rectifying, None, Some(note))
                }
                Answer::Resolved { by, resolution } => {
                    (by, FindingStatus::Resolved, Some(resolution), None)
                }
                Answer::Verified { by, note } => (by, FindingStatus::Verified, None, Some(note)),
            };
            let who = town.account(by)?;
            finding = findings::update_finding(
                ctx,
                who,
                finding.id,
                finding.version,
                status,
                resolution,
                note,
            )
            .await?;
        }
    }
    Ok(())
}
