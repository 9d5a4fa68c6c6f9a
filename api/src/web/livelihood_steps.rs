//! The steps on a livelihood candidate's row of 民生实事, each posted to
//! `/livelihood/<id>/<step>` and taken through its use case: put it on the list for the vote,
//! enter its tally, enter its project's assessment. A refusal shows the page again with the
//! reason at the row and the form as it was typed.

use jiandu_domain::field;
use poem::handler;
use poem::web::Data;
use serde::Deserialize;

use super::form::{self, Refusal};
use super::livelihood::{Draft, Step, render};
use super::meetings::year_of;
use super::page::{self, Page, PostedStep};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::Ctx;
use crate::service::congress::{self, NewAssessment, Tally};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    pub(super) version: String,
    pub(super) year: String,
    pub(super) meeting: String,
    pub(super) votes_for: String,
    pub(super) votes_against: String,
    pub(super) abstentions: String,
    pub(super) resolution: String,
    pub(super) satisfied: String,
    pub(super) basically: String,
    pub(super) dissatisfied: String,
}

fn count(name: &str, value: &str) -> Result<i32, AppError> {
    let n = form::number(name, value)?;
    i32::try_from(n).map_err(|_| {
        AppError::invalid(
            name,
            jiandu_domain::Reason::OutOfRange {
                min: 0,
                max: i64::from(i32::MAX),
            },
            "too large",
        )
    })
}

async fn take(ctx: &Ctx, posted: &PostedStep<Step, StepForm>) -> Result<(), AppError> {
    let (actor, id, f) = (&posted.signed.actor, posted.id, &posted.form);
    let version = form::version(&f.version)?;
    match posted.step {
        Step::Shortlist => congress::shortlist_candidate(ctx, actor, id, version)
            .await
            .map(drop),
        Step::Vote => {
            let tally = Tally {
                meeting_id: form::id(field::MEETING_ID, &f.meeting)?,
                votes_for: count(field::VOTES_FOR, &f.votes_for)?,
                votes_against: count(field::VOTES_AGAINST, &f.votes_against)?,
                abstentions: count(field::ABSTENTIONS, &f.abstentions)?,
                resolution_number: form::optional_text(&f.resolution),
            };
            congress::record_vote(ctx, actor, id, version, tally)
                .await
                .map(drop)
        }
        Step::Assess => {
            let candidate = congress::candidates_by_ids(ctx, actor, &[id])
                .await?
                .into_iter()
                .next()
                .ok_or_else(|| AppError::not_found("livelihood candidate"))?;
            let project_id = candidate.project_id.ok_or_else(|| {
                AppError::invalid(
                    field::PROJECT_ID,
                    jiandu_domain::Reason::WrongState,
                    "only a passed candidate's project is assessed",
                )
            })?;
            let new = NewAssessment {
                project_id,
                meeting_id: form::id(field::MEETING_ID, &f.meeting)?,
                satisfied: count(field::SATISFIED, &f.satisfied)?,
                basically_satisfied: count(field::BASICALLY_SATISFIED, &f.basically)?,
                dissatisfied: count(field::DISSATISFIED, &f.dissatisfied)?,
            };
            congress::record_assessment(ctx, actor, new).await.map(drop)
        }
    }
}

#[handler]
pub async fn take_step(posted: PostedStep<Step, StepForm>, Data(state): Data<&AppState>) -> Page {
    let id = posted.id;
    let year = year_of(&posted.signed, &state.ctx, posted.form.year.parse().ok());
    Ok(match take(&state.ctx, &posted).await {
        Ok(()) => page::redirect(&format!(
            "/livelihood?year={year}&notice=saved#candidate-{id}"
        )),
        Err(error) => {
            let refusal = Some((Some(id), Refusal::new(posted.step.as_str(), &error)));
            let PostedStep { signed, form, .. } = posted;
            render(
                state,
                &signed,
                year,
                Draft::default(),
                None,
                (refusal, form),
            )
            .await
        }
    })
}
