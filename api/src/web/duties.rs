//! 代表履职: the duties deputies logged in a year (docs/deputies.md) — visits to constituents and
//! trainings — and the form to log one: a deputy their own (我的履职, on a phone), the presidium
//! any serving deputy's. A deputy sees their own; the others see every deputy's, or one's
//! (`?deputy=`).

use askama::Template;
use chrono::{Datelike, NaiveDate};
use jiandu_domain::deputies::DutyActivityKind;
use jiandu_domain::{Role, field};
use poem::web::{Data, Query};
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::form::{self, Refusal};
use super::names::Names;
use super::page::{self, Me, Page, Posted, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::deputies::{self, NewActivity, RaisedContact, RaisedSuggestion};
use crate::service::documents;
use crate::service::views::ActivityView;
use crate::service::{Actor, Ctx};

pub fn kind_word(kind: DutyActivityKind) -> &'static str {
    match kind {
        DutyActivityKind::ConstituentVisit => "走访选民",
        DutyActivityKind::Training => "培训学习",
    }
}

/// The log form as it was typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Draft {
    kind: String,
    deputy: String,
    on: String,
    village: String,
    people: String,
    topic: String,
    hours: String,
    /// A suggestion the visit raised: its title and content.
    s_title: String,
    s_content: String,
    /// A letter or visit taken in on it: how, from whom, what.
    c_kind: String,
    c_name: String,
    c_phone: String,
    c_summary: String,
}

impl Draft {
    /// Whether anything of a suggestion was typed: it is raised then.
    fn raises(&self) -> bool {
        !(self.s_title.trim().is_empty() && self.s_content.trim().is_empty())
    }

    /// Whether anything of a letter or visit was typed: it is logged then.
    fn takes_in(&self) -> bool {
        ![&self.c_name, &self.c_phone, &self.c_summary]
            .iter()
            .all(|text| text.trim().is_empty())
    }
}

/// A duty as the list prints it.
pub struct Row {
    pub deputy: String,
    pub kind: &'static str,
    pub on: NaiveDate,
    pub village: Option<(String, bool)>,
    pub topic: String,
    pub people: Option<i32>,
    pub hours: Option<String>,
    /// The suggestion the visit raised, and the letter or visit taken in on it.
    pub suggestion: Option<Uuid>,
    pub contact: Option<Uuid>,
}

impl Row {
    fn of(a: ActivityView, names: &Names) -> Row {
        Row {
            deputy: names.person(&a.deputy_id),
            kind: kind_word(a.kind),
            on: a.on,
            village: a
                .village
                .clone()
                .map(|v| (v, a.village_linked.unwrap_or(true))),
            people: a.people,
            hours: a.hours().map(|h| format!("{h:.1}")),
            suggestion: a.suggestion_id,
            contact: a.contact_id,
            topic: a.topic,
        }
    }
}

#[derive(Template)]
#[template(path = "duties.html")]
struct DutiesPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    year: i32,
    heading: &'static str,
    rows: Vec<Row>,
    /// The deputy or presidium may log; the presidium chooses whose.
    logs: bool,
    /// The serving deputies the presidium logs for: (person, name).
    deputies: Vec<(Uuid, String)>,
    /// The villages the signed-in deputy links, offered as they type.
    villages: Vec<String>,
    kinds: Vec<(&'static str, &'static str)>,
    contact_kinds: Vec<(&'static str, &'static str)>,
    /// A deputy's own year in a sentence, and where its 述职报告 draft is downloaded.
    summary: Option<(String, String)>,
    today: NaiveDate,
    draft: Draft,
    notice: Option<&'static str>,
    refusal: Option<Refusal>,
}

impl DutiesPage<'_> {
    fn chosen(&self, id: &Uuid) -> bool {
        self.draft.deputy == id.to_string()
    }
}

async fn render(
    state: &AppState,
    signed: &Signed,
    (year, deputy): (i32, Option<Uuid>),
    draft: Draft,
    notice: Option<&'static str>,
    refusal: Option<Refusal>,
) -> Response {
    let (ctx, actor) = (&state.ctx, &signed.actor);
    let loaded = async {
        let found = deputies::duty_activities(ctx, actor, year, deputy).await?;
        let roster = deputies::roster(ctx, actor).await?;
        let names = Names::of(ctx, actor, &[]).await?;
        // A deputy's own year: the records a deputy reads are their own.
        let own_year = if actor.access.role == Role::Deputy {
            deputies::deputy_records(ctx, actor, year).await?.pop()
        } else {
            None
        };
        Ok::<_, AppError>((found, roster, names, own_year))
    }
    .await;
    let (found, roster, names, own_year) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let own = actor.organization_id();
    let role = actor.access.role;
    let me = actor.access.person_id;
    let serving: Vec<_> = roster
        .iter()
        .filter(|d| d.active && d.organization_id == own)
        .collect();
    let mine = serving.iter().find(|d| Some(d.person_id) == me);
    let logs = match role {
        Role::Presidium => true,
        Role::Deputy => mine.is_some(),
        Role::Leader | Role::Viewer => false,
    };
    let mut choices: Vec<(Uuid, String)> = serving
        .iter()
        .map(|d| (d.person_id, names.person(&d.person_id)))
        .collect();
    choices.sort_by(|a, b| a.1.cmp(&b.1));
    page::render(
        form::status_of(refusal.as_ref()),
        &DutiesPage {
            me: Some(&signed.me),
            nav: "duties",
            year,
            heading: if role == Role::Deputy {
                "我的履职"
            } else {
                "代表履职"
            },
            rows: found.into_iter().map(|a| Row::of(a, &names)).collect(),
            logs,
            deputies: if role == Role::Presidium {
                choices
            } else {
                Vec::new()
            },
            villages: mine.map(|d| d.villages.clone()).unwrap_or_default(),
            kinds: [
                DutyActivityKind::ConstituentVisit,
                DutyActivityKind::Training,
            ]
            .iter()
            .map(|k| (k.as_str(), kind_word(*k)))
            .collect(),
            contact_kinds: super::contacts::kinds(),
            summary: own_year.map(|r| {
                (
                    r.figures.sentence(),
                    documents::duty_report_url(r.person_id, year),
                )
            }),
            today: actor.today_in(own, ctx.now(), None),
            draft,
            notice,
            refusal,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DutiesQuery {
    year: Option<i32>,
    deputy: Option<String>,
    notice: Option<String>,
}

fn this_year(signed: &Signed, ctx: &Ctx) -> i32 {
    let actor = &signed.actor;
    actor
        .today_in(actor.organization_id(), ctx.now(), None)
        .year()
}

#[handler]
pub async fn list(
    signed: Signed,
    Data(state): Data<&AppState>,
    Query(query): Query<DutiesQuery>,
) -> Page {
    let year = query
        .year
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| this_year(&signed, &state.ctx));
    let deputy = query.deputy.and_then(|d| d.parse().ok());
    let notice = (query.notice.as_deref() == Some("logged")).then_some("已记录。");
    Ok(render(
        state,
        &signed,
        (year, deputy),
        Draft::default(),
        notice,
        None,
    )
    .await)
}

async fn log(ctx: &Ctx, actor: &Actor, draft: &Draft) -> Result<(), AppError> {
    let number = |name: &str, value: &str| -> Result<Option<i32>, AppError> {
        if value.trim().is_empty() {
            return Ok(None);
        }
        let n = form::number(name, value)?;
        Ok(Some(i32::try_from(n).unwrap_or(i32::MAX)))
    };
    let hours = match draft.hours.trim() {
        "" => None,
        text => Some(text.parse::<f64>().map_err(|_| {
            AppError::invalid(
                field::HOURS,
                jiandu_domain::Reason::NotANumber,
                "hours as a number, e.g. 2.5",
            )
        })?),
    };
    let new = NewActivity {
        kind: draft
            .kind
            .parse()
            .map_err(|_| AppError::not_in_list(field::KIND))?,
        deputy_id: form::optional_id(field::DEPUTY_ID, &draft.deputy)?,
        on: form::date(field::ON, &draft.on)?,
        village: form::optional_text(&draft.village),
        topic: draft.topic.clone(),
        people: number(field::PEOPLE, &draft.people)?,
        hours,
        suggestion: draft.raises().then(|| RaisedSuggestion {
            title: draft.s_title.clone(),
            content: draft.s_content.clone(),
            category: None,
            co_signer_ids: Vec::new(),
        }),
        contact: match draft.takes_in() {
            false => None,
            true => Some(RaisedContact {
                kind: draft
                    .c_kind
                    .parse()
                    .map_err(|_| AppError::not_in_list(field::KIND).within(field::CONTACT))?,
                constituent_name: form::optional_text(&draft.c_name),
                constituent_phone: form::optional_text(&draft.c_phone),
                summary: draft.c_summary.clone(),
            }),
        },
    };
    deputies::log_duty_activity(ctx, actor, new).await.map(drop)
}

#[handler]
pub async fn submit(posted: Posted<Draft>, Data(state): Data<&AppState>) -> Page {
    let Posted {
        signed,
        form: draft,
        ..
    } = posted;
    Ok(match log(&state.ctx, &signed.actor, &draft).await {
        Ok(()) => page::redirect("/duties?notice=logged"),
        Err(error) => {
            let year = this_year(&signed, &state.ctx);
            let refusal = Some(Refusal::new("log", &error));
            render(state, &signed, (year, None), draft, None, refusal).await
        }
    })
}
