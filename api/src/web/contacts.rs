//! 来信来访: constituents' letters and visits, newest first — logged by deputies and the
//! presidium, transferred (转办) to a unit with a reply date, replied, closed by the presidium.
//! The constituent's name and phone are shown to the presidium only: the use cases leave them
//! out for every other reader, and this page prints what they hand out.

use askama::Template;
use chrono::NaiveDate;
use jiandu_domain::Role;
use jiandu_domain::field;
use jiandu_domain::report::Label;
use jiandu_domain::suggestion::{ContactKind, ContactStatus};
use poem::web::{Data, Query};
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::board::light_word;
use super::form::{self, Refusal, page_steps};
use super::names::Names;
use super::page::{self, Me, Page, Posted, PostedStep, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::contacts::{self, NewContact};
use crate::service::page::PageRequest;
use crate::service::{Actor, Ctx};

pub struct ContactRow {
    pub id: Uuid,
    pub version: i32,
    pub kind: &'static str,
    pub received_on: NaiveDate,
    /// The presidium's only.
    pub constituent: Option<String>,
    pub summary: String,
    pub receivers: String,
    pub status: &'static str,
    pub transferred: Option<String>,
    pub reply: Option<(NaiveDate, String)>,
    pub light: (&'static str, &'static str),
    pub can_transfer: bool,
    pub can_reply: bool,
    pub can_close: bool,
}

/// What the log form was filled with, kept when it is refused.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Draft {
    kind: String,
    received: String,
    name: String,
    phone: String,
    summary: String,
    /// Repeated in the form (checkboxes), read apart.
    #[serde(skip)]
    receivers: Vec<String>,
}

impl Draft {
    fn received_by(&self, id: &Uuid) -> bool {
        self.receivers.iter().any(|r| r == &id.to_string())
    }
}

#[derive(Template)]
#[template(path = "contacts.html")]
struct ContactsPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    rows: Vec<ContactRow>,
    total: u64,
    logs: bool,
    presidium: bool,
    kinds: Vec<(&'static str, &'static str)>,
    people: Vec<(Uuid, String)>,
    units: Vec<(Uuid, String)>,
    draft: Draft,
    today: NaiveDate,
    notice: Option<&'static str>,
    /// A refusal of the log form (`None` as id) or of a row's step.
    refusal: Option<(Option<Uuid>, Refusal)>,
}

impl ContactsPage<'_> {
    fn refused(&self, id: &Uuid) -> Option<&str> {
        match &self.refusal {
            Some((Some(on), r)) if on == id => Some(&r.message),
            _ => None,
        }
    }

    fn log_refused(&self) -> Option<&str> {
        match &self.refusal {
            Some((None, r)) => Some(&r.message),
            _ => None,
        }
    }
}

/// The ways a letter or visit comes in, as a form offers them.
pub fn kinds() -> Vec<(&'static str, &'static str)> {
    [
        ContactKind::Visit,
        ContactKind::Letter,
        ContactKind::Phone,
        ContactKind::Online,
    ]
    .iter()
    .map(|k| (k.as_str(), Label::label(*k)))
    .collect()
}

async fn render(
    state: &AppState,
    signed: &Signed,
    draft: Draft,
    notice: Option<&'static str>,
    refusal: Option<(Option<Uuid>, Refusal)>,
) -> Response {
    let ctx = &state.ctx;
    let actor = &signed.actor;
    let page = PageRequest::largest();
    let loaded = async {
        let found = contacts::list_contacts(ctx, actor, None, None, page).await?;
        let ids: Vec<Uuid> = found.items.iter().map(|(_, c)| c.id).collect();
        let receivers = contacts::receivers_of(ctx, actor, &ids).await?;
        let names = Names::of(ctx, actor, &[]).await?;
        Ok::<_, AppError>((found, receivers, names))
    }
    .await;
    let (found, receivers, names) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let now = ctx.now();
    let rows = found
        .items
        .into_iter()
        .map(|(_, c)| {
            let today = actor.judging_day(c.organization_id, now, None);
            let manage = actor
                .access
                .check_manage(c.organization_id, "letters and visits")
                .is_ok();
            let open = matches!(c.status, ContactStatus::Open | ContactStatus::Transferred);
            let constituent = match (&c.constituent_name, &c.constituent_phone) {
                (None, None) => None,
                (name, phone) => Some(
                    [name.as_deref(), phone.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("，"),
                ),
            };
            let received_by: Vec<String> = receivers
                .iter()
                .filter(|(contact, _)| *contact == c.id)
                .map(|(_, person)| names.person(person))
                .collect();
            ContactRow {
                id: c.id,
                version: c.version,
                kind: Label::label(c.kind),
                received_on: c.received_on,
                constituent,
                receivers: received_by.join("、"),
                status: Label::label(c.status),
                transferred: c.transferred_to.map(|unit| match c.reply_due {
                    Some(due) => format!("{}，{due} 前答复", names.unit(&unit)),
                    None => names.unit(&unit),
                }),
                reply: c.replied_on.zip(c.reply.clone()),
                light: c
                    .tracked()
                    .map_or(("grey", "—"), |t| light_word(t.light(&today))),
                can_transfer: manage && open,
                can_reply: manage && open,
                can_close: manage && c.status != ContactStatus::Closed,
                summary: c.summary,
            }
        })
        .collect();
    let role = actor.access.role;
    let status = form::status_of(refusal.as_ref().map(|(_, r)| r));
    page::render(
        status,
        &ContactsPage {
            me: Some(&signed.me),
            nav: "contacts",
            rows,
            total: found.total,
            logs: matches!(role, Role::Presidium | Role::Deputy),
            presidium: role == Role::Presidium,
            kinds: kinds(),
            people: Names::choices(names.people()),
            units: Names::choices(names.units()),
            draft,
            today: actor.judging_day(actor.organization_id(), now, None).date,
            notice,
            refusal,
        },
    )
}

#[derive(Deserialize)]
pub struct ListQuery {
    notice: Option<String>,
}

#[handler]
pub async fn list(
    signed: Signed,
    Data(state): Data<&AppState>,
    Query(query): Query<ListQuery>,
) -> Page {
    let notice = match query.notice.as_deref() {
        Some("logged") => Some("已登记。"),
        Some("saved") => Some("已保存。"),
        _ => None,
    };
    // The one logging it usually received it: ticked at first.
    let draft = Draft {
        receivers: signed.own_person(),
        ..Draft::default()
    };
    Ok(render(state, &signed, draft, notice, None).await)
}

fn input(draft: &Draft) -> Result<NewContact, AppError> {
    Ok(NewContact {
        kind: draft
            .kind
            .parse()
            .map_err(|_| AppError::not_in_list(field::KIND))?,
        received_on: form::date(field::RECEIVED_ON, &draft.received)?,
        constituent_name: form::optional_text(&draft.name),
        constituent_phone: form::optional_text(&draft.phone),
        summary: draft.summary.clone(),
        received_by: draft
            .receivers
            .iter()
            .map(|id| form::id(field::RECEIVED_BY_IDS, id))
            .collect::<Result<_, _>>()?,
    })
}

async fn log(ctx: &Ctx, actor: &Actor, draft: &Draft) -> Result<(), AppError> {
    let logged = match input(draft) {
        Ok(new) => contacts::log_contact(ctx, actor, new).await.map(|_| ()),
        Err(error) => Err(error),
    };
    // In the form's own words: an inspection's "summary" and "kind" are other fields.
    logged.map_err(|error| match error {
        AppError::Validation {
            field,
            reason,
            message,
        } if field == "summary" || field == "kind" => {
            let field = if field == "summary" {
                "contactSummary"
            } else {
                "contactKind"
            };
            AppError::invalid(field, reason, message)
        }
        other => other,
    })
}

#[handler]
pub async fn submit(posted: Posted<Draft>, Data(state): Data<&AppState>) -> Page {
    let receivers = posted.list("receivers");
    let Posted {
        signed,
        form: mut draft,
        ..
    } = posted;
    draft.receivers = receivers;
    Ok(match log(&state.ctx, &signed.actor, &draft).await {
        Ok(()) => page::redirect("/contacts?notice=logged"),
        Err(error) => {
            let refusal = Refusal::new("log", &error);
            render(state, &signed, draft, None, Some((None, refusal))).await
        }
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    version: String,
    unit: String,
    date: String,
    reply: String,
}

page_steps! {
    record = "letter or visit";
    /// The steps on a letter or visit (`/contacts/<id>/<step>`), posted from its row of the list.
    pub enum Step {
        Transfer = "transfer",
        Reply = "reply",
        Close = "close",
    }
}

async fn take(ctx: &Ctx, posted: &PostedStep<Step, StepForm>) -> Result<(), AppError> {
    let (actor, id, step, f) = (&posted.signed.actor, posted.id, posted.step, &posted.form);
    let version = form::version(&f.version)?;
    match step {
        Step::Transfer => {
            let unit = form::id(field::UNIT_ID, &f.unit)?;
            let due = form::date(field::REPLY_DUE, &f.date)?;
            contacts::transfer_contact(ctx, actor, id, version, unit, due).await?;
        }
        Step::Reply => {
            let on = form::date(field::REPLIED_ON, &f.date)?;
            contacts::reply_contact(ctx, actor, id, version, &f.reply, on).await?;
        }
        Step::Close => {
            contacts::close_contact(ctx, actor, id, version).await?;
        }
    }
    Ok(())
}

#[handler]
pub async fn take_step(posted: PostedStep<Step, StepForm>, Data(state): Data<&AppState>) -> Page {
    let id = posted.id;
    Ok(match take(&state.ctx, &posted).await {
        Ok(()) => page::redirect(&format!("/contacts?notice=saved#contact-{id}")),
        Err(error) => {
            let refusal = Some((Some(id), Refusal::new(posted.step.as_str(), &error)));
            render(state, &posted.signed, Draft::default(), None, refusal).await
        }
    })
}
