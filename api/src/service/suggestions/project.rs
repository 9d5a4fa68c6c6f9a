//! A suggestion made a supervised project (转为监督项目), once.

use chrono::NaiveDate;
use jiandu_domain::ProjectOrigin;
use jiandu_domain::Reason;
use jiandu_domain::field;
use jiandu_domain::suggestion::SuggestionStatus;
use jiandu_domain::validate::limits;
use sea_orm::Set;
use uuid::Uuid;

use crate::entity::suggestion;
use crate::error::AppError;
use crate::service::kernel::audit::Action;
use crate::service::kernel::command::{Audit, Command};
use crate::service::projects::{NewProject, insert_project};
use crate::service::views::SuggestionView;
use crate::service::{Actor, Ctx};

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
        .load_managed::<suggestion::Entity>(id, Some(expected_version), "this suggestion")
        .await?;
    if current.before.status == SuggestionStatus::Withdrawn {
        return Err(AppError::invalid(
            field::STATUS,
            Reason::WrongState,
            "a withdrawn suggestion does not become a project",
        ));
    }
    if current.row.project_id.is_some() {
        return Err(AppError::invalid(
            field::PROJECT,
            Reason::WrongState,
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
    cmd.finish_update(&current, next, audit).await
}
