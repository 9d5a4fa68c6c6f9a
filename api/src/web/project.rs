//! A project's page: its facts, its timeline (Gantt), its milestone tree with each node's light,
//! and, for its presidium, the form that splits it into milestones.

use jiandu_domain::field;
use std::collections::HashMap;

use askama::Template;
use jiandu_domain::ProjectStatus;
use jiandu_domain::report::Label;
use jiandu_domain::rollup::{self, Node};
use poem::web::{Data, Path, Query};
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::board::{item_light_word, light_word};
use super::form::{self, Refusal};
use super::gantt::{self, Gantt};
use super::inspected::Inspected;
use super::page::{self, Me, Page, Posted, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::milestones::{self, NewMilestone};
use crate::service::projects::ProjectChanges;
use crate::service::views::{MilestoneView, ProjectView};
use crate::service::{figures, organizations, projects};

/// One node of the tree, as the page lists it.
pub struct TreeRow {
    pub id: Uuid,
    pub depth: usize,
    pub title: String,
    pub leader: String,
    pub unit: String,
    pub deadline: String,
    pub moved_from: Option<String>,
    pub status: &'static str,
    pub state: &'static str,
    pub light: (&'static str, &'static str),
    pub progress: u8,
    pub is_item: bool,
}

#[derive(Template)]
#[template(path = "project.html")]
struct ProjectPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    project: &'a ProjectView,
    organization: String,
    origin: &'static str,
    /// How the deputies voted it in (民生实事票决): the tally and the resolution.
    vote: Option<(i32, String)>,
    /// Its satisfaction assessments (测评), in words.
    assessments: Vec<String>,
    status: &'static str,
    lead: String,
    light: (&'static str, &'static str),
    progress: u8,
    gantt: Option<Gantt>,
    rows: Vec<TreeRow>,
    inspected: Inspected,
    /// The presidium of the project's organisation may split it.
    manage: bool,
    parents: Vec<(Uuid, String)>,
    people: Vec<(Uuid, String)>,
    units: Vec<(Uuid, String)>,
    refusal: Option<Refusal>,
    draft: AddForm,
    /// How many milestones a paste just added, to say so.
    added: Option<usize>,
    /// The statuses the edit form offers: (value, word).
    statuses: Vec<(&'static str, &'static str)>,
}

impl ProjectPage<'_> {
    /// Whether `id` leads the project (the edit form's choice).
    fn leads(&self, id: &Uuid) -> bool {
        self.project.lead_leader_id.as_ref() == Some(id)
    }
}

/// The milestones in tree order (each parent before its children, siblings by deadline), each
/// with its depth.
pub fn tree_order(all: &[MilestoneView]) -> Vec<(&MilestoneView, usize)> {
    let mut children: HashMap<Option<Uuid>, Vec<&MilestoneView>> = HashMap::new();
    for m in all {
        children.entry(m.parent_id).or_default().push(m);
    }
    let mut ordered = Vec::with_capacity(all.len());
    let mut stack: Vec<(&MilestoneView, usize)> = children
        .get(&None)
        .map(|roots| roots.iter().rev().map(|m| (*m, 0)).collect())
        .unwrap_or_default();
    while let Some((m, depth)) = stack.pop() {
        ordered.push((m, depth));
        // A tree is never deeper than its size; the bound guards against a corrupt cycle.
        if ordered.len() > all.len() {
            break;
        }
        if let Some(kids) = children.get(&Some(m.id)) {
            stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
        }
    }
    ordered
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AddForm {
    title: String,
    parent: String,
    leader: String,
    unit: String,
    start: String,
    deadline: String,
    description: String,
}

async fn render(
    state: &AppState,
    signed: &Signed,
    id: Uuid,
    refusal: Option<Refusal>,
    draft: AddForm,
) -> Response {
    render_with(state, signed, id, refusal, draft, None).await
}

async fn render_with(
    state: &AppState,
    signed: &Signed,
    id: Uuid,
    refusal: Option<Refusal>,
    draft: AddForm,
    added: Option<usize>,
) -> Response {
    let ctx = &state.ctx;
    let actor = &signed.actor;
    let loaded = async {
        let Some(project) = projects::get_project(ctx, actor, id).await? else {
            return Err(AppError::not_found("project"));
        };
        let all = milestones::milestones_of_projects(ctx, actor, &[id]).await?;
        let people = organizations::readable_people(ctx, actor).await?;
        let units = organizations::readable_units(ctx, actor).await?;
        let organization = organizations::organization_by_id(ctx, project.organization_id)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        let figures =
            figures::of_projects(ctx, actor, &[(project.id, project.organization_id)], None)
                .await?;
        let (vote, assessments) = super::congress_words::told(ctx, actor, &project).await?;
        Ok((
            project,
            all,
            people,
            units,
            organization,
            figures,
            (vote, assessments),
        ))
    }
    .await;
    let (project, all, people, units, organization, figures, (vote, assessments)) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let today = actor.judging_day(project.organization_id, ctx.now(), None);
    let people_names: HashMap<Uuid, &str> =
        people.iter().map(|p| (p.id, p.name.as_str())).collect();
    let unit_names: HashMap<Uuid, &str> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
    let nodes: Vec<Node<Uuid>> = all
        .iter()
        .map(|m| Node {
            id: m.id,
            parent: m.parent_id,
            light: m.tracked().light(&today),
        })
        .collect();
    let lights = rollup::roll_up_lights(&nodes);
    let ordered = tree_order(&all);
    let light_of = |m: &MilestoneView| {
        lights
            .get(&m.id)
            .copied()
            .unwrap_or_else(|| m.tracked().light(&today))
    };
    let gantt = gantt::draw(
        &ordered
            .iter()
            .map(|(m, depth)| gantt::Item {
                title: &m.title,
                depth: *depth,
                start: m.start_date,
                deadline: m.deadline,
                original_deadline: m.original_deadline,
                progress: m.progress,
                light: light_of(m),
                finished_on: m.completed_on,
            })
            .collect::<Vec<_>>(),
        today.date,
    );
    let name =
        |id: Uuid, names: &HashMap<Uuid, &str>| names.get(&id).copied().unwrap_or("—").to_string();
    let rows = ordered
        .iter()
        .map(|(m, depth)| TreeRow {
            id: m.id,
            depth: *depth,
            title: m.title.clone(),
            leader: name(m.responsible_leader_id, &people_names),
            unit: name(m.responsible_unit_id, &unit_names),
            deadline: m.deadline.to_string(),
            moved_from: (m.original_deadline != m.deadline)
                .then(|| m.original_deadline.to_string()),
            status: m.status.label(),
            state: m.tracked().deadline_state(&today).label(),
            light: item_light_word(light_of(m), m.status, &today),
            progress: m.progress,
            is_item: m.is_item,
        })
        .collect();
    let project_figures = figures.get(&project.id).copied().unwrap_or_default();
    let progress = rollup::mean_progress(all.iter().filter(|m| m.parent_id.is_none()).map(|m| {
        rollup::Share {
            progress: m.progress,
            weight: m.weight,
            closure: m.status.closure(m.completed_on),
        }
    }))
    .unwrap_or(0);
    let manage = actor
        .access
        .check_manage(project.organization_id, "project")
        .is_ok();
    let leader = |id| name(id, &people_names);
    let inspected = match Inspected::of(ctx, actor, project.id, &today, leader).await {
        Ok(inspected) => inspected,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let status = form::status_of(refusal.as_ref());
    page::render(
        status,
        &ProjectPage {
            me: Some(&signed.me),
            nav: "board",
            organization,
            origin: project.origin.label(),
            vote,
            assessments,
            status: project.status.label(),
            lead: project
                .lead_leader_id
                .map_or("—".to_string(), |id| name(id, &people_names)),
            light: light_word(project_figures.light(project.status.is_closed())),
            progress,
            gantt,
            parents: ordered
                .iter()
                .filter(|(m, depth)| *depth < 3 && m.status.is_open())
                .map(|(m, depth)| (m.id, format!("{}{}", "　".repeat(*depth), m.title)))
                .collect(),
            rows,
            inspected,
            manage,
            people: people
                .iter()
                .filter(|p| p.organization_id == project.organization_id)
                .map(|p| (p.id, p.name.clone()))
                .collect(),
            units: units
                .iter()
                .filter(|u| u.organization_id == project.organization_id)
                .map(|u| (u.id, u.name.clone()))
                .collect(),
            refusal,
            draft,
            added,
            statuses: ProjectStatus::ALL
                .iter()
                .map(|s| (s.as_str(), s.label()))
                .collect(),
            project: &project,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    /// Milestones just added from a paste (anything but a number is left unsaid).
    added: String,
}

#[handler]
pub async fn show(
    signed: Signed,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Page {
    let id = signed.record(&id, "project")?;
    let draft = AddForm::default();
    let added = query.added.parse().ok();
    Ok(render_with(state, &signed, id, None, draft, added).await)
}

/// 分解节点: adds a milestone to the project (under a parent when one is chosen).
#[handler]
pub async fn add_milestone(
    Posted {
        signed,
        form: draft,
        ..
    }: Posted<AddForm>,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
) -> Page {
    let id = signed.record(&id, "project")?;
    let input = (|| {
        Ok::<_, AppError>(NewMilestone {
            project_id: id,
            parent_id: form::optional_id(field::PARENT_ID, &draft.parent)?,
            title: draft.title.clone(),
            description: form::optional_text(&draft.description),
            responsible_leader_id: form::id(field::RESPONSIBLE_LEADER_ID, &draft.leader)?,
            responsible_unit_id: form::id(field::RESPONSIBLE_UNIT_ID, &draft.unit)?,
            responsible_person_id: None,
            start_date: form::optional_date(field::START_DATE, &draft.start)?,
            deadline: form::date(field::DEADLINE, &draft.deadline)?,
            weight: None,
        })
    })();
    let result = match input {
        Ok(input) => milestones::add_milestone(&state.ctx, &signed.actor, input).await,
        Err(error) => Err(error),
    };
    Ok(match result {
        Ok(_) => page::redirect(&format!("/projects/{id}#tree")),
        Err(error) => render(state, &signed, id, Some(Refusal::new("add", &error)), draft).await,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditForm {
    version: String,
    title: String,
    status: String,
    lead: String,
    location: String,
    start: String,
    end: String,
    construction: Option<String>,
    description: String,
}

/// 修改项目: the presidium changes the project's facts, or its status (completed, suspended…).
#[handler]
pub async fn edit(
    Posted {
        signed, form: f, ..
    }: Posted<EditForm>,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
) -> Page {
    let id = signed.record(&id, "project")?;
    let result = async {
        let changes = ProjectChanges {
            title: Some(f.title.clone()),
            description: Some(form::optional_text(&f.description)),
            location: Some(form::optional_text(&f.location)),
            construction: Some(f.construction.is_some()),
            lead_leader_id: Some(form::optional_id(field::LEAD_LEADER_ID, &f.lead)?),
            planned_start: Some(form::optional_date(field::PLANNED_START, &f.start)?),
            planned_end: Some(form::optional_date(field::PLANNED_END, &f.end)?),
            status: Some(
                f.status
                    .parse()
                    .map_err(|_| AppError::not_in_list(field::STATUS))?,
            ),
        };
        let version = form::version(&f.version)?;
        projects::update_project(&state.ctx, &signed.actor, id, version, changes).await
    }
    .await;
    Ok(match result {
        Ok(_) => page::redirect(&format!("/projects/{id}")),
        Err(error) => {
            let refusal = Some(Refusal::new("edit", &error));
            render(state, &signed, id, refusal, AddForm::default()).await
        }
    })
}
