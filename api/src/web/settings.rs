//! 规则设置: the rules the organisation's figures follow (docs/rules.md §4) — how many working days
//! before a deadline an item is due soon, how far behind pace turns yellow and red, whether a
//! deadline on a rest day moves to the next working day, whether 办结 waits for sign-off, and
//! how late a completion may be dated back, and the congress's own: the satisfaction
//! assessment's pass mark and rectification days, the working days a deliberation opinion's
//! reply has. Read by everyone, changed by its presidium.

use askama::Template;
use jiandu_domain::field;
use jiandu_domain::settings::Settings;
use poem::web::Data;
use poem::{Response, handler};
use serde::Deserialize;

use super::form::{self, Refusal};
use super::page::{self, Me, Page, Posted, Signed};
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
    /// For the presidium: how the database is backed up, in a sentence.
    backup: Option<String>,
}

/// The server's backups as the presidium reads them.
fn backup_sentence(state: &AppState, zone: jiandu_domain::Zone) -> String {
    let last = state
        .backups
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let Some((keep, hour)) = last.daily else {
        return "本服务器不自动备份数据库（使用 PostgreSQL 时请按说明用 pg_dump 备份，或已关闭自动备份）。".into();
    };
    let mut sentence = format!(
        "每天 {hour} 点自动备份数据库和附件到数据目录的 backups 文件夹，保留最近 {keep} 份。"
    );
    match last.at {
        Some(at) => sentence.push_str(&format!(
            "最近一次：{}（{:.1} MB）。",
            at.with_timezone(&zone.tz()).format("%Y-%m-%d %H:%M"),
            last.bytes as f64 / 1024.0 / 1024.0
        )),
        None => sentence.push_str("本次启动以来尚未备份。"),
    }
    if last.failures > 0 {
        sentence.push_str(&format!(
            "有 {} 次备份失败，请查看服务器日志。",
            last.failures
        ));
    }
    sentence
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
            backup: actor
                .access
                .check_manage(org, "settings")
                .is_ok()
                .then(|| backup_sentence(state, actor.zone_of(org))),
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
    signed: Signed,
    Data(state): Data<&AppState>,
    poem::web::Query(query): poem::web::Query<SettingsQuery>,
) -> Page {
    Ok(render(state, &signed, !query.saved.is_empty(), None).await)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    due_soon: String,
    yellow: String,
    red: String,
    backdate: String,
    /// 测评满意率合格线, in percent.
    pass: String,
    rectify: String,
    reply: String,
    /// Checkboxes: present when ticked.
    roll: Option<String>,
    sign_off: Option<String>,
}

#[handler]
pub async fn save(
    Posted {
        signed, form: f, ..
    }: Posted<SettingsForm>,
    Data(state): Data<&AppState>,
) -> Page {
    let result = async {
        let changes = SettingsChanges {
            due_soon_working_days: Some(form::number(field::DUE_SOON_WORKING_DAYS, &f.due_soon)?),
            behind_pace_yellow_points: Some(form::number(
                field::BEHIND_PACE_YELLOW_POINTS,
                &f.yellow,
            )?),
            behind_pace_red_points: Some(form::number(field::BEHIND_PACE_RED_POINTS, &f.red)?),
            backdate_days: Some(form::number(field::BACKDATE_DAYS, &f.backdate)?),
            assessment_pass_percent: Some(form::number(field::ASSESSMENT_PASS_RATE, &f.pass)?),
            assessment_rectify_days: Some(form::number(
                field::ASSESSMENT_RECTIFY_DAYS,
                &f.rectify,
            )?),
            opinion_reply_days: Some(form::number(field::OPINION_REPLY_DAYS, &f.reply)?),
            roll_deadlines_off_rest_days: Some(f.roll.is_some()),
            sign_off_required: Some(f.sign_off.is_some()),
            ..SettingsChanges::default()
        };
        settings::update(&state.ctx, &signed.actor, None, changes).await
    }
    .await;
    Ok(match result {
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
    })
}
