//! 记录视察: a deputy logs an inspection from a phone — the project, what was seen, photos taken
//! by the camera, and the problems found (each a finding with a leader, unit and deadline). The
//! photos are checked before anything is recorded, so a refused photo records nothing.

use askama::Template;
use bytes::Bytes;
use chrono::NaiveDate;
use jiandu_domain::InspectionKind;
use jiandu_domain::field;
use jiandu_domain::report::Label;
use poem::web::Data;
use poem::{Request, Response, handler};
use uuid::Uuid;

use super::form::{self, Refusal};
use super::page::{self, Me, OrPage, Page, Signed};
use super::upload;
use crate::error::AppError;
use crate::http::AppState;
use crate::service::attachments::{self, Upload};
use crate::service::inspections::{self, NewFinding, NewInspection};
use crate::service::page::PageRequest;
use crate::service::projects::{self, ProjectFilter};
use crate::service::{Actor, Ctx, organizations};

/// Findings one form can raise (more can follow in another visit's record).
pub const FINDING_SLOTS: usize = 3;
/// Photos one form can carry.
const MOST_PHOTOS: usize = 6;
/// Room for the text fields beside the photos.
const TEXT_BYTES: usize = 64 * 1024;

/// The fields as posted, kept to fill the form again after a refusal.
#[derive(Default)]
pub struct Draft {
    pub csrf: String,
    pub project: String,
    pub kind: String,
    pub date: String,
    pub location: String,
    pub summary: String,
    /// The people who took part (the deputy themselves, ticked at first).
    pub participants: Vec<String>,
    pub findings: [FindingDraft; FINDING_SLOTS],
    pub photos: Vec<Upload>,
}

#[derive(Default)]
pub struct FindingDraft {
    pub description: String,
    pub leader: String,
    pub unit: String,
    pub deadline: String,
}

#[derive(Template)]
#[template(path = "inspection.html")]
struct InspectionPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    projects: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    people: Vec<(String, String)>,
    units: Vec<(String, String)>,
    draft: &'a Draft,
    today: NaiveDate,
    refusal: Option<Refusal>,
    most_photos: usize,
}

async fn render(
    state: &AppState,
    signed: &Signed,
    draft: &Draft,
    refusal: Option<Refusal>,
) -> Response {
    let ctx = &state.ctx;
    let actor = &signed.actor;
    let org = actor.organization_id();
    if let Err(denied) = actor.access.check_inspect(org, "record an inspection") {
        return page::error_page(Some(&signed.me), &denied.into());
    }
    let loaded = async {
        let listed = projects::list_projects(
            ctx,
            actor,
            ProjectFilter {
                organization_id: Some(org),
                ..ProjectFilter::default()
            },
            PageRequest {
                first: crate::service::page::MAX_PAGE_SIZE,
                after: None,
            },
        )
        .await?;
        let people = organizations::readable_people(ctx, actor).await?;
        let units = organizations::readable_units(ctx, actor).await?;
        Ok::<_, AppError>((listed, people, units))
    }
    .await;
    let (listed, people, units) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let status = form::status_of(refusal.as_ref());
    page::render(
        status,
        &InspectionPage {
            me: Some(&signed.me),
            nav: "inspection",
            projects: listed
                .items
                .into_iter()
                .filter(|(_, p)| !p.status.is_closed())
                .map(|(_, p)| (p.id.to_string(), p.title))
                .collect(),
            kinds: InspectionKind::ALL
                .iter()
                .map(|k| (k.as_str(), k.label()))
                .collect(),
            people: people
                .into_iter()
                .filter(|p| p.organization_id == org)
                .map(|p| (p.id.to_string(), p.name))
                .collect(),
            units: units
                .into_iter()
                .filter(|u| u.organization_id == org)
                .map(|u| (u.id.to_string(), u.name))
                .collect(),
            draft,
            today: actor.today_in(org, ctx.now(), None),
            refusal,
            most_photos: MOST_PHOTOS,
        },
    )
}

#[handler]
pub async fn inspection_form(signed: Signed, Data(state): Data<&AppState>) -> Page {
    let draft = Draft {
        kind: InspectionKind::Visit.as_str().into(),
        participants: signed
            .actor
            .access
            .person_id
            .iter()
            .map(Uuid::to_string)
            .collect(),
        ..Draft::default()
    };
    Ok(render(state, &signed, &draft, None).await)
}

/// Reads the multipart form: text fields into the draft, files into its photos; at most
/// [`MOST_PHOTOS`] photos of the upload limit each.
async fn read(request: &Request, body: poem::Body, max_file: usize) -> Result<Draft, AppError> {
    let mut multipart = upload::multipart(
        request,
        body,
        max_file * MOST_PHOTOS + TEXT_BYTES,
        max_file + 1,
    )?;
    let too_large = || AppError::TooLarge {
        field: Some("photos".into()),
        message: format!("at most {MOST_PHOTOS} photos of the upload limit each"),
        max_bytes: max_file,
    };
    let mut draft = Draft::default();
    while let Some(field) = multipart.next_field().await.map_err(|_| too_large())? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "photos" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let bytes: Bytes = field.bytes().await.map_err(|_| too_large())?;
            // An empty file input still sends a part with no name and no bytes.
            if bytes.is_empty() && file_name.is_empty() {
                continue;
            }
            if draft.photos.len() == MOST_PHOTOS {
                return Err(too_large());
            }
            draft.photos.push(Upload { file_name, bytes });
            continue;
        }
        let value = field.text().await.map_err(|_| too_large())?;
        let slot = |prefix: &str| {
            name.strip_prefix(prefix)
                .and_then(|rest| rest.split_once('_'))
                .and_then(|(n, field)| {
                    Some((n.parse::<usize>().ok()?.checked_sub(1)?, field.to_string()))
                })
        };
        match name.as_str() {
            "csrf" => draft.csrf = value,
            "project" => draft.project = value,
            "kind" => draft.kind = value,
            "date" => draft.date = value,
            "location" => draft.location = value,
            "summary" => draft.summary = value,
            "participants" => draft.participants.push(value),
            _ => {
                if let Some((i, field)) = slot("f")
                    && let Some(finding) = draft.findings.get_mut(i)
                {
                    match field.as_str() {
                        "description" => finding.description = value,
                        "leader" => finding.leader = value,
                        "unit" => finding.unit = value,
                        "deadline" => finding.deadline = value,
                        _ => {}
                    }
                }
            }
        }
    }
    Ok(draft)
}

/// The inspection the draft describes, checked as the use case will check it.
fn input(draft: &Draft) -> Result<NewInspection, AppError> {
    let mut findings = Vec::new();
    for finding in &draft.findings {
        if finding.description.trim().is_empty() {
            continue;
        }
        findings.push(NewFinding {
            description: finding.description.clone(),
            milestone_id: None,
            responsible_leader_id: form::id(field::RESPONSIBLE_LEADER_ID, &finding.leader)?,
            responsible_unit_id: form::id(field::RESPONSIBLE_UNIT_ID, &finding.unit)?,
            deadline: form::date(field::DEADLINE, &finding.deadline)?,
        });
    }
    Ok(NewInspection {
        kind: draft
            .kind
            .parse()
            .map_err(|_| AppError::not_in_list(field::KIND))?,
        project_id: form::optional_id(field::PROJECT_ID, &draft.project)?,
        topic: None,
        visited_on: form::date(field::VISITED_ON, &draft.date)?,
        location: form::optional_text(&draft.location),
        participant_ids: draft
            .participants
            .iter()
            .map(|id| form::id(field::PARTICIPANT_IDS, id))
            .collect::<Result<_, _>>()?,
        milestone_ids: Vec::new(),
        summary: draft.summary.clone(),
        rating: None,
        findings,
    })
}

/// Checks every photo, records the inspection with its findings, then attaches the photos.
async fn record(ctx: &Ctx, actor: &Actor, draft: &mut Draft) -> Result<Uuid, AppError> {
    let input = input(draft)?;
    for photo in &draft.photos {
        attachments::check_upload(ctx, photo)?;
    }
    let inspection = inspections::log_inspection(ctx, actor, input).await?;
    for photo in std::mem::take(&mut draft.photos) {
        attachments::attach_file(ctx, actor, inspection.id, photo, None).await?;
    }
    Ok(inspection.id)
}

#[handler]
pub async fn submit(
    signed: Signed,
    request: &Request,
    Data(state): Data<&AppState>,
    body: poem::Body,
) -> Page {
    let mut draft = read(request, body, state.ctx.limits.max_upload_bytes)
        .await
        .or_page(&signed.me)?;
    signed.check_csrf(&draft.csrf)?;
    Ok(match record(&state.ctx, &signed.actor, &mut draft).await {
        Ok(_) => page::redirect("/findings?notice=inspection"),
        Err(error) => {
            draft.photos.clear();
            render(
                state,
                &signed,
                &draft,
                Some(Refusal::new("inspection", &error)),
            )
            .await
        }
    })
}
