//! The steps on a finding (整改问题), each posted to `/findings/<id>/<step>` from the finding's
//! page or from the findings list and taken through its use case; a refusal shows the page it
//! came from again with the reason next to the step's form.

use jiandu_domain::FindingStatus;
use jiandu_domain::field;
use poem::handler;
use poem::web::Data;
use serde::Deserialize;

use super::finding::{Step, render};
use super::form::{self, Refusal};
use super::page::{self, Page, PostedStep};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::{Ctx, extensions, findings, notices};

/// Every step's fields; each step reads the ones it takes. `from` names the page that posted
/// (`finding`: this page; anything else: the findings list), where the answer goes back.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    version: String,
    resolution: String,
    note: String,
    date: String,
    reason: String,
    decision: String,
    extension: String,
    body: String,
    from: String,
}

/// The step named `step` on the finding `id`, through its use case.
async fn take(ctx: &Ctx, posted: &PostedStep<Step, StepForm>) -> Result<(), AppError> {
    let (actor, id, step, f) = (&posted.signed.actor, posted.id, posted.step, &posted.form);
    let note = form::optional_text(&f.note);
    let to = match step {
        Step::Start => FindingStatus::Rectifying,
        Step::Resolve => FindingStatus::Resolved,
        Step::Accept => FindingStatus::Verified,
        Step::Reject => FindingStatus::Rectifying,
        Step::Extension => {
            let proposed = form::date(field::PROPOSED_DEADLINE, &f.date)?;
            extensions::request_extension(ctx, actor, id, proposed, &f.reason).await?;
            return Ok(());
        }
        Step::Reschedule => {
            let to = form::date(field::NEW_DEADLINE, &f.date)?;
            let version = form::version(&f.version)?;
            findings::reschedule_finding(ctx, actor, id, version, to, &f.reason).await?;
            return Ok(());
        }
        Step::Decide => {
            let request = form::id(field::EXTENSION, &f.extension)?;
            let deadline = form::optional_date(field::DEADLINE, &f.date)?;
            let approve = f.decision == "approve";
            extensions::decide_extension(ctx, actor, request, approve, note.as_deref(), deadline)
                .await?;
            return Ok(());
        }
        Step::Withdraw => {
            let request = form::id(field::EXTENSION, &f.extension)?;
            extensions::withdraw_extension(ctx, actor, request).await?;
            return Ok(());
        }
        Step::Order => {
            let reply_due = form::date(field::REPLY_DUE, &f.date)?;
            let body = form::optional_text(&f.body);
            notices::issue_supervision_order(ctx, actor, id, reply_due, body.as_deref()).await?;
            return Ok(());
        }
    };
    let version = form::version(&f.version)?;
    let resolution = form::optional_text(&f.resolution);
    findings::update_finding(
        ctx,
        actor,
        id,
        version,
        to,
        resolution.as_deref(),
        note.as_deref(),
    )
    .await?;
    Ok(())
}

/// A step on the finding `id`, posted from its page or from the findings list; a refusal shows
/// the page it came from again with the reason next to the step's form.
#[handler]
pub async fn take_step(posted: PostedStep<Step, StepForm>, Data(state): Data<&AppState>) -> Page {
    let (id, step) = (posted.id, posted.step);
    let on_its_page = posted.form.from == "finding";
    let result = take(&state.ctx, &posted).await;
    let signed = posted.signed;
    Ok(match (result, on_its_page) {
        (Ok(()), true) => page::redirect(&format!("/findings/{id}")),
        (Ok(()), false) => page::redirect("/findings?notice=answered"),
        (Err(error), true) => {
            render(
                state,
                &signed,
                id,
                Some(Refusal::new(step.as_str(), &error)),
            )
            .await
        }
        (Err(error), false) => {
            let refusal = Refusal::new("finding", &error);
            super::findings::render(state, &signed, None, Some((id, refusal))).await
        }
    })
}
