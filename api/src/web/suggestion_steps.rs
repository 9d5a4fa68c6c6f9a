//! The steps on a suggestion's page, each posted to `/suggestions/<id>/<step>` (the written
//! answer to `/suggestions/<id>/attach`, a multipart form) and taken through its use case; a
//! refusal shows the page again with the reason next to the step's form.

use jiandu_domain::Rating;
use jiandu_domain::field;
use poem::web::{Data, Path};
use poem::{Request, handler};
use serde::Deserialize;

use super::form::{self, Refusal};
use super::page::{self, Page, PostedStep, Signed};
use super::suggestion::{Step, render};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::Ctx;
use crate::service::notices as notice_service;
use crate::service::suggestions::{self, Answer, Assignment, ProjectOfSuggestion};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    version: String,
    unit: String,
    leader: String,
    key: String,
    date: String,
    class: String,
    text: String,
    met: String,
    rating: String,
    note: String,
    reason: String,
    title: String,
    location: String,
    body: String,
}

/// The step posted on a suggestion, through its use case (an assignment's co-units are the
/// repeated field `counits`).
async fn take(ctx: &Ctx, posted: &PostedStep<Step, StepForm>) -> Result<(), AppError> {
    let (actor, id, step, f) = (&posted.signed.actor, posted.id, posted.step, &posted.form);
    if step == Step::Order {
        let reply_due = form::date(field::REPLY_DUE, &f.date)?;
        let body = form::optional_text(&f.body);
        notice_service::issue_supervision_order(ctx, actor, id, reply_due, body.as_deref()).await?;
        return Ok(());
    }
    let version = form::version(&f.version)?;
    match step {
        Step::Assign => {
            let assignment = Assignment {
                lead_unit_id: form::id(field::LEAD_UNIT_ID, &f.unit)?,
                co_unit_ids: posted
                    .list("counits")
                    .iter()
                    .map(|u| form::id(field::CO_UNIT_IDS, u))
                    .collect::<Result<_, _>>()?,
                responsible_leader_id: form::id(field::RESPONSIBLE_LEADER_ID, &f.leader)?,
                key_item: f.key == "on",
                deadline: form::optional_date(field::DEADLINE, &f.date)?,
            };
            suggestions::assign_suggestion(ctx, actor, id, version, assignment).await?;
        }
        Step::Answer => {
            let answer = Answer {
                answer_class: f
                    .class
                    .parse()
                    .map_err(|_| AppError::not_in_list(field::ANSWER_CLASS))?,
                text: f.text.clone(),
                answered_on: form::date(field::ANSWERED_ON, &f.date)?,
                met_deputy: f.met == "on",
            };
            suggestions::answer_suggestion(ctx, actor, id, version, answer).await?;
        }
        Step::Rate => {
            let rating: Rating = f
                .rating
                .parse()
                .map_err(|_| AppError::not_in_list(field::FEEDBACK))?;
            let note = form::optional_text(&f.note);
            suggestions::record_feedback(ctx, actor, id, version, rating, note.as_deref()).await?;
        }
        Step::Conclude => {
            suggestions::conclude_suggestion(ctx, actor, id, version).await?;
        }
        Step::Withdraw => {
            suggestions::withdraw_suggestion(ctx, actor, id, version, &f.reason).await?;
        }
        Step::Project => {
            let project = ProjectOfSuggestion {
                title: form::optional_text(&f.title),
                location: form::optional_text(&f.location),
                ..ProjectOfSuggestion::default()
            };
            suggestions::make_project(ctx, actor, id, version, project).await?;
        }
        // Issued above; the written answer is posted to its own form.
        Step::Order | Step::Attach => return Err(AppError::not_found("step")),
    }
    Ok(())
}

/// A step on the suggestion `id`; a refusal shows the page again with the reason next to the
/// step's form.
#[handler]
pub async fn take_step(posted: PostedStep<Step, StepForm>, Data(state): Data<&AppState>) -> Page {
    let result = take(&state.ctx, &posted).await;
    let PostedStep {
        signed, id, step, ..
    } = posted;
    Ok(match result {
        Ok(()) if step == Step::Project => {
            let project = suggestions::suggestions_by_ids(&state.ctx, &signed.actor, &[id])
                .await
                .ok()
                .and_then(|found| found.into_iter().next())
                .and_then(|s| s.project_id);
            match project {
                Some(project) => page::redirect(&format!("/projects/{project}")),
                None => page::redirect(&format!("/suggestions/{id}?notice=saved")),
            }
        }
        Ok(()) => page::redirect(&format!("/suggestions/{id}?notice=saved")),
        Err(error) => {
            render(
                state,
                &signed,
                id,
                None,
                Some(Refusal::new(step.as_str(), &error)),
            )
            .await
        }
    })
}

/// The written answer (or another paper) attached to the suggestion `id`.
#[handler]
pub async fn attach(
    signed: Signed,
    request: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
    body: poem::Body,
) -> Page {
    let id = signed.record(&id, "suggestion")?;
    let result = signed.attach_posted(&state.ctx, request, body, id).await?;
    Ok(match result {
        Ok(()) => page::redirect(&format!("/suggestions/{id}?notice=saved")),
        Err(error) => {
            render(
                state,
                &signed,
                id,
                None,
                Some(Refusal::new(Step::Attach.as_str(), &error)),
            )
            .await
        }
    })
}
