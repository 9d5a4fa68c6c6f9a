//! The steps on a milestone's page, each posted to `/milestones/<id>/<step>` and taken through
//! its use case; a refusal shows the page again with the reason next to the step's form.

use jiandu_domain::field;
use poem::handler;
use poem::web::Data;
use serde::Deserialize;

use super::form::{self, Refusal};
use super::milestone::{Step, render};
use super::page::{self, Page, PostedStep};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::milestones::{self, MilestoneChanges};
use crate::service::{Ctx, extensions, notices};

/// Every step's fields; each step reads the ones it takes.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    version: String,
    progress: String,
    note: String,
    reason: String,
    date: String,
    decision: String,
    extension: String,
    title: String,
    description: String,
    leader: String,
    unit: String,
    start: String,
    body: String,
}

/// The step named `step` on the milestone `id`, through its use case.
async fn take(ctx: &Ctx, posted: &PostedStep<Step, StepForm>) -> Result<(), AppError> {
    let (actor, id, step, f) = (&posted.signed.actor, posted.id, posted.step, &posted.form);
    let note = form::optional_text(&f.note);
    match step {
        Step::Progress => {
            let progress = form::number(field::PROGRESS, &f.progress)?;
            milestones::report_progress(ctx, actor, id, progress, note.as_deref()).await?;
        }
        Step::Done => {
            let on = form::optional_date(field::COMPLETED_ON, &f.date)?;
            milestones::complete_milestone(
                ctx,
                actor,
                id,
                form::version(&f.version)?,
                note.as_deref(),
                on,
            )
            .await?;
        }
        Step::Reschedule => {
            let to = form::date(field::NEW_DEADLINE, &f.date)?;
            milestones::reschedule_milestone(
                ctx,
                actor,
                id,
                form::version(&f.version)?,
                to,
                &f.reason,
            )
            .await?;
        }
        Step::Verify => {
            let accepted = f.decision == "accept";
            milestones::verify_milestone(
                ctx,
                actor,
                id,
                form::version(&f.version)?,
                accepted,
                note.as_deref(),
            )
            .await?;
        }
        Step::SignOff => {
            milestones::sign_off_milestone(
                ctx,
                actor,
                id,
                form::version(&f.version)?,
                note.as_deref(),
            )
            .await?;
        }
        Step::Edit => {
            let changes = MilestoneChanges {
                title: Some(f.title.clone()),
                description: Some(form::optional_text(&f.description)),
                responsible_leader_id: Some(form::id(field::RESPONSIBLE_LEADER_ID, &f.leader)?),
                responsible_unit_id: Some(form::id(field::RESPONSIBLE_UNIT_ID, &f.unit)?),
                responsible_person_id: None,
                start_date: Some(form::optional_date(field::START_DATE, &f.start)?),
            };
            milestones::update_milestone(ctx, actor, id, form::version(&f.version)?, changes)
                .await?;
        }
        Step::Cancel => {
            milestones::cancel_milestone(ctx, actor, id, form::version(&f.version)?, &f.reason)
                .await?;
        }
        Step::Return => {
            milestones::return_milestone(ctx, actor, id, form::version(&f.version)?, &f.reason)
                .await?;
        }
        Step::Extension => {
            let to = form::date(field::PROPOSED_DEADLINE, &f.date)?;
            extensions::request_extension(ctx, actor, id, to, &f.reason).await?;
        }
        Step::Decide => {
            let request = form::id(field::EXTENSION, &f.extension)?;
            let approve = f.decision == "approve";
            let deadline = form::optional_date(field::DEADLINE, &f.date)?;
            extensions::decide_extension(ctx, actor, request, approve, note.as_deref(), deadline)
                .await?;
        }
        Step::Withdraw => {
            let request = form::id(field::EXTENSION, &f.extension)?;
            extensions::withdraw_extension(ctx, actor, request).await?;
        }
        Step::Order => {
            let reply_due = form::date(field::REPLY_DUE, &f.date)?;
            let body = form::optional_text(&f.body);
            notices::issue_supervision_order(ctx, actor, id, reply_due, body.as_deref()).await?;
        }
    }
    Ok(())
}

#[handler]
pub async fn take_step(posted: PostedStep<Step, StepForm>, Data(state): Data<&AppState>) -> Page {
    let (id, refused) = (posted.id, posted.step.as_str());
    Ok(match take(&state.ctx, &posted).await {
        Ok(()) => page::redirect(&format!("/milestones/{id}")),
        Err(error) => {
            render(
                state,
                &posted.signed,
                id,
                Some(Refusal::new(refused, &error)),
            )
            .await
        }
    })
}
