//! 新建监督项目: the presidium's form for a project; splitting it follows on its page.

use askama::Template;
use jiandu_domain::ProjectOrigin;
use jiandu_domain::field;
use jiandu_domain::report::Label;
use poem::web::Data;
use poem::{Response, handler};
use serde::Deserialize;

use super::form::{self, Refusal};
use super::page::{self, Me, Page, Posted, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::organizations;
use crate::service::projects::{self, NewProject};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProjectForm {
    title: String,
    origin: String,
    lead: String,
    location: String,
    start: String,
    end: String,
    construction: String,
    description: String,
}

#[derive(Template)]
#[template(path = "new_project.html")]
struct NewProjectPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    origins: Vec<(&'static str, &'static str)>,
    people: Vec<(String, String)>,
    draft: &'a ProjectForm,
    refusal: Option<Refusal>,
}

async fn render(
    state: &AppState,
    signed: &Signed,
    draft: &ProjectForm,
    refusal: Option<Refusal>,
) -> Response {
    let actor = &signed.actor;
    if let Err(denied) = actor
        .access
        .check_manage(actor.organization_id(), "projects")
    {
        return page::error_page(Some(&signed.me), &denied.into());
    }
    let people = match organizations::readable_people(&state.ctx, actor).await {
        Ok(people) => people,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let status = form::status_of(refusal.as_ref());
    page::render(
        status,
        &NewProjectPage {
            me: Some(&signed.me),
            nav: "new_project",
            origins: ProjectOrigin::ALL
                .iter()
                .map(|o| (o.as_str(), o.label()))
                .collect(),
            people: people
                .into_iter()
                .filter(|p| p.organization_id == actor.organization_id())
                .map(|p| (p.id.to_string(), p.name))
                .collect(),
            draft,
            refusal,
        },
    )
}

#[handler]
pub async fn project_form(signed: Signed, Data(state): Data<&AppState>) -> Page {
    Ok(render(state, &signed, &ProjectForm::default(), None).await)
}

#[handler]
pub async fn create(
    Posted {
        signed,
        form: draft,
        ..
    }: Posted<ProjectForm>,
    Data(state): Data<&AppState>,
) -> Page {
    let input = (|| {
        Ok::<_, AppError>(NewProject {
            title: draft.title.clone(),
            description: form::optional_text(&draft.description),
            origin: draft
                .origin
                .parse()
                .map_err(|_| AppError::not_in_list(field::ORIGIN))?,
            location: form::optional_text(&draft.location),
            construction: draft.construction == "on",
            lead_leader_id: form::optional_id(field::LEAD_LEADER_ID, &draft.lead)?,
            planned_start: form::optional_date(field::PLANNED_START, &draft.start)?,
            planned_end: form::optional_date(field::PLANNED_END, &draft.end)?,
        })
    })();
    let created = match input {
        Ok(input) => projects::create_project(&state.ctx, &signed.actor, input).await,
        Err(error) => Err(error),
    };
    Ok(match created {
        Ok(project) => page::redirect(&format!("/projects/{}#add", project.id)),
        Err(error) => {
            render(
                state,
                &signed,
                &draft,
                Some(Refusal::new("project", &error)),
            )
            .await
        }
    })
}
