//! 代表名册: the roster of deputies (docs/deputies.md) — each deputy's level, term, constituency,
//! group and the villages they link, by group — and the presidium's form that puts a person on
//! it or changes their profile (`?person=` opens it with theirs).

use askama::Template;
use chrono::Datelike;
use jiandu_domain::deputies::{DeputyLevel, DutyYear};
use jiandu_domain::field;
use poem::web::{Data, Query};
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::form::{self, Refusal};
use super::names::Names;
use super::page::{self, Me, Page, Posted, Signed};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::deputies::{self, ProfileInput};
use crate::service::documents;
use crate::service::views::DeputyView;
use crate::service::{Actor, Ctx};

pub fn level_word(level: DeputyLevel) -> &'static str {
    match level {
        DeputyLevel::Township => "镇人大代表",
        DeputyLevel::County => "县人大代表",
    }
}

/// The profile form as it was typed (or opened with a deputy's profile).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Draft {
    person: String,
    level: String,
    term: String,
    constituency: String,
    group: String,
    /// One village a line, or separated by 、，, as offices write them.
    villages: String,
    /// A checkbox: present when ticked.
    active: Option<String>,
}

impl Draft {
    fn of(d: &DeputyView) -> Draft {
        Draft {
            person: d.person_id.to_string(),
            level: d.level.as_str().into(),
            term: d.term.clone(),
            constituency: d.constituency.clone().unwrap_or_default(),
            group: d.group.clone().unwrap_or_default(),
            villages: d.villages.join("、"),
            active: d.active.then(|| "on".into()),
        }
    }
}

/// A deputy as the roster prints them.
pub struct Row {
    pub person: Uuid,
    pub name: String,
    pub level: &'static str,
    pub term: String,
    pub constituency: String,
    pub group: String,
    pub villages: String,
    pub active: bool,
}

/// A deputy's year as the record table prints it.
pub struct YearRow {
    pub name: String,
    pub figures: DutyYear,
    pub hours: String,
    /// Where the deputy's 述职报告 draft is downloaded.
    pub report: String,
}

#[derive(Template)]
#[template(path = "deputies.html")]
struct RosterPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    year: i32,
    rows: Vec<Row>,
    /// Each serving deputy's year, those who did nothing marked.
    years: Vec<YearRow>,
    serving: usize,
    presidium: bool,
    people: Vec<(Uuid, String)>,
    levels: Vec<(&'static str, &'static str)>,
    draft: Draft,
    notice: Option<&'static str>,
    refusal: Option<Refusal>,
}

impl RosterPage<'_> {
    fn chosen(&self, id: &Uuid) -> bool {
        self.draft.person == id.to_string()
    }
}

async fn render(
    state: &AppState,
    signed: &Signed,
    draft: Option<Draft>,
    notice: Option<&'static str>,
    refusal: Option<Refusal>,
    editing: Option<Uuid>,
) -> Response {
    let (ctx, actor) = (&state.ctx, &signed.actor);
    let own = actor.organization_id();
    let year = actor.today_in(own, ctx.now(), None).year();
    let loaded = async {
        let roster = deputies::roster(ctx, actor).await?;
        let names = Names::of(ctx, actor, &[]).await?;
        let records = deputies::deputy_records(ctx, actor, year).await?;
        Ok::<_, AppError>((roster, names, records))
    }
    .await;
    let (roster, names, records) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let mut years: Vec<YearRow> = records
        .into_iter()
        .filter(|r| r.active)
        .map(|r| YearRow {
            name: names.person(&r.person_id),
            hours: format!("{:.1}", r.figures.training_hours()),
            report: documents::duty_report_url(r.person_id, year),
            figures: r.figures,
        })
        .collect();
    // Those who did nothing first: the presidium's question at year end.
    years.sort_by(|a, b| (a.figures.total() > 0, &a.name).cmp(&(b.figures.total() > 0, &b.name)));
    let draft = draft.unwrap_or_else(|| {
        editing
            .and_then(|id| roster.iter().find(|d| d.person_id == id))
            .map_or_else(
                || Draft {
                    level: DeputyLevel::Township.as_str().into(),
                    active: Some("on".into()),
                    ..Draft::default()
                },
                Draft::of,
            )
    });
    let mut rows: Vec<Row> = roster
        .iter()
        .map(|d| Row {
            person: d.person_id,
            name: names.person(&d.person_id),
            level: level_word(d.level),
            term: d.term.clone(),
            constituency: d.constituency.clone().unwrap_or_default(),
            group: d.group.clone().unwrap_or_default(),
            villages: d.villages.join("、"),
            active: d.active,
        })
        .collect();
    // By group, then by name; those no longer serving last.
    rows.sort_by(|a, b| (!a.active, &a.group, &a.name).cmp(&(!b.active, &b.group, &b.name)));
    page::render(
        form::status_of(refusal.as_ref()),
        &RosterPage {
            me: Some(&signed.me),
            nav: "deputies",
            year,
            years,
            serving: rows.iter().filter(|r| r.active).count(),
            rows,
            presidium: actor.access.check_manage(own, "the roster").is_ok(),
            people: Names::choices(names.people()),
            levels: [DeputyLevel::Township, DeputyLevel::County]
                .iter()
                .map(|l| (l.as_str(), level_word(*l)))
                .collect(),
            draft,
            notice,
            refusal,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RosterQuery {
    person: Option<String>,
    notice: Option<String>,
}

#[handler]
pub async fn list(
    signed: Signed,
    Data(state): Data<&AppState>,
    Query(query): Query<RosterQuery>,
) -> Page {
    let notice = (query.notice.as_deref() == Some("saved")).then_some("代表信息已保存。");
    let editing = query.person.and_then(|p| p.parse().ok());
    Ok(render(state, &signed, None, notice, None, editing).await)
}

/// The villages as offices write them: a line each, or separated by 、，, ; or spaces.
fn villages(raw: &str) -> Vec<String> {
    raw.split(['\n', '、', '，', ',', '；', ';', ' ', '\u{3000}'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

async fn save(ctx: &Ctx, actor: &Actor, draft: &Draft) -> Result<(), AppError> {
    let person = form::id(field::PERSON_ID, &draft.person)?;
    let input = ProfileInput {
        level: draft
            .level
            .parse()
            .map_err(|_| AppError::not_in_list(field::LEVEL))?,
        term: draft.term.clone(),
        constituency: form::optional_text(&draft.constituency),
        group: form::optional_text(&draft.group),
        villages: villages(&draft.villages),
        active: Some(draft.active.is_some()),
    };
    deputies::set_deputy_profile(ctx, actor, person, input).await?;
    Ok(())
}

#[handler]
pub async fn submit(posted: Posted<Draft>, Data(state): Data<&AppState>) -> Page {
    let Posted {
        signed,
        form: draft,
        ..
    } = posted;
    Ok(match save(&state.ctx, &signed.actor, &draft).await {
        Ok(()) => page::redirect("/deputies?notice=saved"),
        Err(error) => {
            let refusal = Some(Refusal::new("profile", &error));
            render(state, &signed, Some(draft), None, refusal, None).await
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn villages_are_read_as_offices_write_them() {
        assert_eq!(
            super::villages("思蒙村、红岩村，白马村\n 石桥村 ;思蒙村"),
            ["思蒙村", "红岩村", "白马村", "石桥村", "思蒙村"]
        );
    }
}
