//! The steps on a milestone's page, each posted to `/milestones/<id>/<step>` and taken through
//! its use case; a refusal shows the page again with the reason next to the step's form.

use poem::handler;
use poem::web::{Data, Path};
use serde::Deserialize;
use uuid::Uuid;

use super::form::{self, Refusal};
use super::milestone::render;
use super::page::{self, Page, Posted};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::milestones::{self, MilestoneChanges};
use crate::service::{Actor, Ctx, extensions, notices};

/// Every step's fields; each step reads the ones it takes.
#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    progress: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    extension: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    leader: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    body: String,
}

/// The step named `step` on the milestone `id`, through its use case.
async fn take(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    step: &str,
    f: &StepForm,
) -> Result<(), AppError> {
    let note = form::optional_text(&f.note);
    match step {
        "progress" => {
            let progress = form::number("progress", &f.progress)?;
            milestones::report_progress(ctx, actor, id, progress, note.as_deref()).await?;
        }
        "done" => {
            let on = form::optional_date("completedOn", &f.date)?;
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
        "reschedule" => {
            let to = form::date("newDeadline", &f.date)?;
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
        "verify" => {
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
        "sign-off" => {
            milestones::sign_off_milestone(
                ctx,
                actor,
                id,
                form::version(&f.version)?,
                note.as_deref(),
            )
            .await?;
        }
        "edit" => {
            let changes = MilestoneChanges {
                title: Some(f.title.clone()),
                description: Some(form::optional_text(&f.description)),
                responsible_leader_id: Some(form::id("responsibleLeaderId", &f.leader)?),
                responsible_unit_id: Some(form::id("responsibleUnitId", &f.unit)?),
                responsible_person_id: None,
                start_date: Some(form::optional_date("startDate", &f.start)?),
            };
            milestones::update_milestone(ctx, actor, id, form::version(&f.version)?, changes)
                .await?;
        }
        "cancel" => {
            milestones::cancel_milestone(ctx, actor, id, form::version(&f.version)?, &f.reason)
                .await?;
        }
        "return" => {
            milestones::return_milestone(ctx, actor, id, form::version(&f.version)?, &f.reason)
                .await?;
        }
        "extension" => {
            let to = form::date("proposedDeadline", &f.date)?;
            extensions::request_extension(ctx, actor, id, to, &f.reason).await?;
        }
        "decide" => {
            let request = form::id("extension", &f.extension)?;
            let approve = f.decision == "approve";
            let deadline = form::optional_date("deadline", &f.date)?;
            extensions::decide_extension(ctx, actor, request, approve, note.as_deref(), deadline)
                .await?;
        }
        "withdraw" => {
            let request = form::id("extension", &f.extension)?;
            extensions::withdraw_extension(ctx, actor, request).await?;
        }
        "order" => {
            let reply_due = form::date("replyDue", &f.date)?;
            let body = form::optional_text(&f.body);
            notices::issue_supervision_order(ctx, actor, id, reply_due, body.as_deref()).await?;
        }
        _ => return Err(AppError::not_found("step")),
    }
    Ok(())
}

/// The steps' names, as the page's forms post them (and the refusal finds its form by).
const STEPS: [&str; 12] = [
    "progress",
    "done",
    "reschedule",
    "verify",
    "sign-off",
    "return",
    "extension",
    "decide",
    "withdraw",
    "cancel",
    "edit",
    "order",
];

#[handler]
pub async fn take_step(
    Posted {
        signed, form: f, ..
    }: Posted<StepForm>,
    Data(state): Data<&AppState>,
    Path((id, step)): Path<(String, String)>,
) -> Page {
    let (Ok(id), Some(step)) = (id.parse::<Uuid>(), STEPS.iter().find(|s| **s == step)) else {
        return Err(signed.refuse(&AppError::not_found("milestone")));
    };
    Ok(match take(&state.ctx, &signed.actor, id, step, &f).await {
        Ok(()) => page::redirect(&format!("/milestones/{id}")),
        Err(error) => render(state, &signed, id, Some(Refusal::new(step, &error))).await,
    })
}
