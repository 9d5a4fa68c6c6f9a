//! 规则设置: the rules the organisation's figures follow (DESIGN §9) — how many working days
//! before a deadline an item is due soon, how far behind pace turns yellow and red, whether a
//! deadline on a rest day moves to the next working day, whether 办结 waits for sign-off, and
//! how late a completion may be dated back. Read by everyone, changed by its presidium.

use askama::Template;
use jiandu_domain::settings::Settings;
use poem::web::Data;
use poem::{Request, Response, handler};
use serde::Deserialize;

use super::form::{self, Refusal};
use super::page::{self, Me, Signed};
use crate::http::AppState;
use crate::service::settings::{self, SettingsChanges};

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    current: Settings,
    manage: bool,
    notice: bool,
    refusal: Option<Refusal>,
}

async fn render(
    state: &AppState,
    signed: &Signed,
    notice: bool,
    refusal: Option<Refusal>,
) -> Response {
    let actor = &signed.actor;
    let org = actor.organization_id();
    let current = match settings::of(state.ctx.db.conn(), org).await {
        Ok(current) => current,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let status = form::status_of(refusal.as_ref());
    page::render(
        status,
        &SettingsPage {
            me: Some(&signed.me),
            nav: "settings",
            current,
            manage: actor.access.check_manage(org, "settings").is_ok(),
            notice,
            refusal,
        },
    )
}

#[derive(Deserialize)]
pub struct SettingsQuery {
    #[serde(default)]
    saved: String,
}

#[handler]
pub async fn show(
    request: &Request,
    Data(state): Data<&AppState>,
    poem::web::Query(query): poem::web::Query<SettingsQuery>,
) -> Response {
    match page::signed_in(request, state, false).await {
        Ok(signed) => render(state, &signed, !query.saved.is_empty(), None).await,
        Err(response) => response,
    }
}

#[derive(Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    due_soon: String,
    #[serde(default)]
    yellow: String,
    #[serde(default)]
    red: String,
    #[serde(default)]
    backdate: String,
    /// Checkboxes: present when ticked.
    roll: Option<String>,
    sign_off: Option<String>,
}

#[handler]
pub async fn save(request: &Request, Data(state): Data<&AppState>, body: poem::Body) -> Response {
    let (signed, f): (_, SettingsForm) = match page::signed_form(request, state, body).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let result = async {
        let changes = SettingsChanges {
            due_soon_working_days: Some(form::number("dueSoonWorkingDays", &f.due_soon)?),
            behind_pace_yellow_points: Some(form::number("behindPaceYellowPoints", &f.yellow)?),
            behind_pace_red_points: Some(form::number("behindPaceRedPoints", &f.red)?),
            backdate_days: Some(form::number("backdateDays", &f.backdate)?),
            roll_deadlines_off_rest_days: Some(f.roll.is_some()),
            sign_off_required: Some(f.sign_off.is_some()),
            ..SettingsChanges::default()
        };
        settings::update(&state.ctx, &signed.actor, None, changes).await
    }
    .await;
    match result {
        Ok(_) => page::redirect("/settings?saved=1"),
        Err(error) => {
            render(
                state,
                &signed,
                false,
                Some(Refusal::new("settings", &error)),
            )
            .await
        }
    }
}
