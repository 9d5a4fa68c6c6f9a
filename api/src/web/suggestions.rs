//! 代表建议办理: the suggestions of the organisation, those still being handled first (or all of
//! them), each with its light, who answers it and by when; the form that registers one (a deputy
//! their own, the presidium any deputy's); the 代表建议办理台账 downloads.

use askama::Template;
use chrono::NaiveDate;
use jiandu_domain::field;
use jiandu_domain::report::Label;
use jiandu_domain::suggestion::{SuggestionSource, SuggestionStatus};
use jiandu_domain::{DeadlineState, Role};
use poem::web::{Data, Query};
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::board::light_word;
use super::form::{self, Refusal};
use super::names::Names;
use super::page::{self, Me, Page, Posted, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::page::PageRequest;
use crate::service::suggestions::{self, NewSuggestion, SuggestionFilter};
use crate::service::{Actor, Ctx, organizations};

/// A suggestion's source in the words of the register.
pub fn source_word(source: SuggestionSource) -> &'static str {
    match source {
        SuggestionSource::CongressSession => "代表大会期间",
        SuggestionSource::Intersession => "闭会期间",
        SuggestionSource::LiaisonStation => "代表联络站",
    }
}

pub struct SuggestionRow {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub lead_deputy: String,
    pub answered_by: Option<String>,
    pub due_by: Option<NaiveDate>,
    pub status: &'static str,
    pub light: (&'static str, &'static str),
    pub key_item: bool,
}

/// What the register form was filled with, kept when it is refused.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Draft {
    title: String,
    content: String,
    category: String,
    source: String,
    deputy: String,
    received: String,
    /// Repeated in the form (checkboxes), read apart.
    #[serde(skip)]
    cosigners: Vec<String>,
}

impl Draft {
    fn cosigned(&self, id: &Uuid) -> bool {
        self.cosigners.iter().any(|c| c == &id.to_string())
    }
}

#[derive(Template)]
#[template(path = "suggestions.html")]
struct SuggestionsPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    /// `open`, `overdue` or `all`.
    shown: &'static str,
    rows: Vec<SuggestionRow>,
    total: u64,
    /// The register form: for the presidium with a choice of lead deputy, for a deputy their own.
    registers: bool,
    chooses_deputy: bool,
    people: Vec<(Uuid, String)>,
    sources: Vec<(&'static str, &'static str)>,
    draft: Draft,
    today: NaiveDate,
    notice: Option<&'static str>,
    refusal: Option<Refusal>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    notice: Option<String>,
}

const SOURCES: [SuggestionSource; 3] = [
    SuggestionSource::CongressSession,
    SuggestionSource::Intersession,
    SuggestionSource::LiaisonStation,
];

/// Which suggestions the list shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// Registered, assigned or answered: still being handled.
    Open,
    /// Those whose answer is overdue today.
    Overdue,
    All,
}

async fn render(
    state: &AppState,
    signed: &Signed,
    shown: Shown,
    draft: Draft,
    notice: Option<&'static str>,
    refusal: Option<Refusal>,
) -> Response {
    let ctx = &state.ctx;
    let actor = &signed.actor;
    let filter = SuggestionFilter {
        status: (shown == Shown::Open).then(|| {
            vec![
                SuggestionStatus::Registered,
                SuggestionStatus::Assigned,
                SuggestionStatus::Answered,
            ]
        }),
        deadline_state: (shown == Shown::Overdue).then(|| vec![DeadlineState::Overdue]),
        ..SuggestionFilter::default()
    };
    let page = PageRequest::largest();
    let loaded = async {
        let found = suggestions::list_suggestions(ctx, actor, filter, page).await?;
        let names = Names::of(ctx, actor, &[]).await?;
        Ok::<_, AppError>((found, names))
    }
    .await;
    let (found, names) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let now = ctx.now();
    let rows = found
        .items
        .into_iter()
        .map(|(_, s)| {
            let today = actor.judging_day(s.organization_id, now, None);
            let light = s.tracked().map(|t| t.light(&today));
            SuggestionRow {
                id: s.id,
                lead_deputy: names.person(&s.lead_deputy_id),
                answered_by: s.responsible_leader_id.map(|id| {
                    let unit = s.lead_unit_id.map(|u| names.unit(&u)).unwrap_or_default();
                    format!("{}（{unit}）", names.person(&id))
                }),
                due_by: s.due_by.filter(|_| s.status.is_open()),
                status: s.status.label(),
                light: light.map_or(("grey", "—"), light_word),
                key_item: s.key_item,
                number: s.number,
                title: s.title,
            }
        })
        .collect();
    let organization = actor.organization_id();
    let registers = matches!(actor.access.role, Role::Presidium | Role::Deputy);
    // A suggestion is a deputy's: the form offers deputies only, as lead and as co-signers.
    let people = match organizations::deputies(ctx, actor).await {
        Ok(deputies) => deputies.into_iter().map(|p| (p.id, p.name)).collect(),
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    page::render(
        form::status_of(refusal.as_ref()),
        &SuggestionsPage {
            me: Some(&signed.me),
            nav: "suggestions",
            shown: match shown {
                Shown::Open => "open",
                Shown::Overdue => "overdue",
                Shown::All => "all",
            },
            rows,
            total: found.total,
            registers,
            chooses_deputy: actor.access.role == Role::Presidium,
            people,
            sources: SOURCES
                .iter()
                .map(|s| (s.as_str(), source_word(*s)))
                .collect(),
            draft,
            today: actor.judging_day(organization, now, None).date,
            notice,
            refusal,
        },
    )
}

#[handler]
pub async fn list(
    signed: Signed,
    Data(state): Data<&AppState>,
    Query(query): Query<ListQuery>,
) -> Page {
    let notice = match query.notice.as_deref() {
        Some("registered") => Some("建议已登记，编号已生成。"),
        _ => None,
    };
    let shown = match query.status.as_deref() {
        Some("all") => Shown::All,
        Some("overdue") => Shown::Overdue,
        _ => Shown::Open,
    };
    Ok(render(state, &signed, shown, Draft::default(), notice, None).await)
}

/// The suggestion the form describes; a deputy's own unless the presidium chose another.
fn input(actor: &Actor, draft: &Draft) -> Result<NewSuggestion, AppError> {
    let lead_deputy_id = match (actor.access.role, actor.access.person_id) {
        (Role::Deputy, Some(own)) => own,
        _ => form::id(field::LEAD_DEPUTY_ID, &draft.deputy)?,
    };
    Ok(NewSuggestion {
        title: draft.title.clone(),
        content: draft.content.clone(),
        category: form::optional_text(&draft.category),
        source: draft
            .source
            .parse()
            .map_err(|_| AppError::not_in_list(field::SOURCE))?,
        lead_deputy_id,
        co_signer_ids: draft
            .cosigners
            .iter()
            .map(|id| form::id(field::CO_SIGNER_IDS, id))
            .collect::<Result<_, _>>()?,
        received_on: form::date(field::RECEIVED_ON, &draft.received)?,
    })
}

async fn register(ctx: &Ctx, actor: &Actor, draft: &Draft) -> Result<Uuid, AppError> {
    let new = input(actor, draft)?;
    Ok(suggestions::register_suggestion(ctx, actor, new).await?.id)
}

#[handler]
pub async fn submit(posted: Posted<Draft>, Data(state): Data<&AppState>) -> Page {
    let cosigners = posted.list("cosigners");
    let Posted {
        signed,
        form: mut draft,
        ..
    } = posted;
    draft.cosigners = cosigners;
    Ok(match register(&state.ctx, &signed.actor, &draft).await {
        Ok(id) => page::redirect(&format!("/suggestions/{id}?notice=registered")),
        Err(error) => {
            let refusal = Refusal::new("register", &error);
            render(state, &signed, Shown::Open, draft, None, Some(refusal)).await
        }
    })
}
