//! 记录视察: a deputy logs an inspection from a phone — the project, what was seen, photos taken
//! by the camera, and the problems found (each a finding with a leader, unit and deadline). The
//! photos are checked before anything is recorded, so a refused photo records nothing.

use askama::Template;
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
    /// Photos chosen that did not come with the record (too large, or the form was refused):
    /// the page names them, to be chosen again.
    pub left_out: Vec<String>,
    /// Some photos were too large (beyond the limit each).
    pub too_large: bool,
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
    /// A photo's limit, in bytes and as the form says it.
    max_photo_bytes: usize,
    max_photo_mb: usize,
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
            max_photo_bytes: ctx.limits.max_upload_bytes,
            max_photo_mb: ctx.limits.max_upload_bytes.div_ceil(1024 * 1024),
        },
    )
}

#[handler]
pub async fn inspection_form(signed: Signed, Data(state): Data<&AppState>) -> Page {
    let draft = Draft {
        kind: InspectionKind::Visit.as_str().into(),
        participants: signed.own_person(),
        ..Draft::default()
    };
    Ok(render(state, &signed, &draft, None).await)
}

/// Reads the multipart form: text fields into the draft, files into its photos; at most
/// [`MOST_PHOTOS`] photos of the upload limit each. A photo over the limit is passed over and
/// named in `left_out` rather than losing the form: whatever was typed comes back with it. (The
/// form sends its photos last, so a body cut short loses photos, never text.)
async fn read(request: &Request, body: poem::Body, max_file: usize) -> Result<Draft, AppError> {
    // The body may carry photos over the limit, passed over as they stream by.
    let whole = max_file * (MOST_PHOTOS + 2) + TEXT_BYTES;
    let mut multipart = upload::multipart(request, body, whole, whole)?;
    let mut draft = Draft::default();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // Cut short (beyond the whole limit, or a broken body): what came is kept.
            Err(_) => {
                draft.too_large = true;
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "photos" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let mut bytes = bytes::BytesMut::new();
            let mut over = false;
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) if over || bytes.len() + chunk.len() > max_file => {
                        over = true;
                    }
                    Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                    Ok(None) => break,
                    Err(_) => {
                        over = true;
                        break;
                    }
                }
            }
            // An empty file input still sends a part with no name and no bytes.
            if bytes.is_empty() && file_name.is_empty() && !over {
                continue;
            }
            if over || draft.photos.len() == MOST_PHOTOS {
                draft.too_large |= over;
                draft.left_out.push(file_name);
                continue;
            }
            draft.photos.push(Upload {
                file_name,
                bytes: bytes.freeze(),
            });
            continue;
        }
        let Ok(value) = field.text().await else {
            draft.too_large = true;
            break;
        };
        if value.len() > TEXT_BYTES {
            return Err(AppError::TooLarge {
                field: Some(name),
                message: "a text field beyond the form's room".into(),
                max_bytes: TEXT_BYTES,
            });
        }
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
    let max = state.ctx.limits.max_upload_bytes;
    if !draft.left_out.is_empty() || draft.too_large {
        // Nothing is recorded without the photos chosen for it; all that was typed comes back.
        let error = AppError::TooLarge {
            field: Some("photos".into()),
            message: format!("at most {MOST_PHOTOS} photos of the upload limit each"),
            max_bytes: max,
        };
        let mut refusal = Refusal::new("inspection", &error);
        refusal.message = format!(
            "照片太大或太多：每张最多 {} MB，最多 {MOST_PHOTOS} 张。视察记录还没有保存，填写的内容都在下面；请重新选择照片后再提交。",
            max.div_ceil(1024 * 1024)
        );
        draft
            .left_out
            .extend(draft.photos.drain(..).map(|p| p.file_name));
        return Ok(render(state, &signed, &draft, Some(refusal)).await);
    }
    Ok(match record(&state.ctx, &signed.actor, &mut draft).await {
        Ok(_) => page::redirect("/findings?notice=inspection"),
        Err(error) => {
            // The photos are not kept between tries: they are named, to be chosen again.
            draft.left_out = draft.photos.drain(..).map(|p| p.file_name).collect();
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
