//! 督办通知: the notices of the ladder — 提醒, 催办, 督办单 — for a leader those addressed to
//! them (签收 and answer them here), for the presidium and the others all of the organisation's,
//! with the unacknowledged orders first to see (several signed for at once, and the day's scan
//! run, in `notice_batch`).
//! On an item's page the presidium issues a supervision order by hand (see `order`).

use askama::Template;
use jiandu_domain::{NoticeLevel, Role};
use poem::web::{Data, Query};
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use super::form::{self, Refusal, page_steps};
use super::hooks::{HookRow, pushed, robot};
use super::names::Names;
use super::notice_screen::Shown;
use super::page::{self, Me, Page, PostedStep, Signed};
use super::standing;
use crate::error::AppError;
use crate::http::AppState;
use crate::service::notices::webhooks;
use crate::service::notices::{self, NoticeFilter, scan};
use crate::service::page::{self as paging, PageRequest};
use crate::service::views::NoticeView;

/// Notices a screen lists: enough for a morning's work, few enough to open at once on a phone.
const ROWS: u64 = 30;

pub struct NoticeRow {
    pub id: Uuid,
    pub kind: &'static str,
    /// The colour's class and word (colour is never the only signal).
    pub level: (&'static str, &'static str),
    pub number: Option<String>,
    pub title: String,
    /// The item it is about, 项目·节点 (the compact line a phone shows).
    pub subject: String,
    /// Where that item stands today: 逾期 5 天, 还剩 3 天, 按期完成 (empty for a letter).
    pub standing: String,
    pub body: String,
    pub recipient: String,
    pub copied_to: Vec<String>,
    pub item: Option<String>,
    pub issued: String,
    pub reply_due: Option<String>,
    pub state: &'static str,
    pub reply: Option<String>,
    /// The signed-in person is its recipient: they may acknowledge and answer it.
    pub mine: bool,
    pub acknowledged: bool,
    /// Where it was pushed besides the inbox: (where, how it went).
    pub pushed: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "notices.html")]
struct NoticesPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    heading: &'static str,
    /// Which screen of the list, the forms on it return to.
    shown: &'a Shown,
    notice: Option<String>,
    rows: Vec<NoticeRow>,
    total: u64,
    /// The query string of the next screen, if there is one.
    next: Option<String>,
    manage: bool,
    today: String,
    /// The earliest day the scan may be run for (catching up a week the server was down).
    earliest: String,
    hooks: Vec<HookRow>,
    /// The signed-in person's notices not yet signed for: ticked in one form, 签收 at once.
    unsigned: usize,
    /// A refusal of that form.
    batch_refusal: Option<String>,
    refusal: Option<(Uuid, Refusal)>,
    /// A refusal of the webhook form.
    hook_refusal: Option<Refusal>,
}

impl NoticesPage<'_> {
    fn refused(&self, id: &Uuid) -> Option<&str> {
        form::refused_on(&self.refusal, id)
    }
}

fn level(level: NoticeLevel) -> (&'static str, &'static str) {
    match level {
        NoticeLevel::Blue => ("blue", "蓝色"),
        NoticeLevel::Yellow => ("yellow", "黄色"),
        NoticeLevel::Red => ("red", "红色"),
    }
}

fn answered(n: &NoticeView) -> &'static str {
    match (n.acknowledged_at, &n.reply) {
        (_, Some(_)) => "已回复",
        (Some(_), None) => "已签收",
        (None, None) => "未签收",
    }
}

/// A notice as an item's page lists it.
pub struct NoticeLine {
    pub id: Uuid,
    pub kind: &'static str,
    pub level: (&'static str, &'static str),
    pub number: Option<String>,
    pub issued: String,
    pub state: &'static str,
}

/// The notices about the item `subject`, newest first.
pub async fn about(
    ctx: &crate::service::Ctx,
    actor: &crate::service::Actor,
    subject: Uuid,
) -> Result<Vec<NoticeLine>, AppError> {
    let filter = NoticeFilter {
        subject_id: Some(subject),
        ..NoticeFilter::default()
    };
    let page = PageRequest::largest();
    let found = notices::list_notices(ctx, actor, filter, page).await?;
    Ok(found
        .items
        .into_iter()
        .map(|(_, n)| NoticeLine {
            id: n.id,
            kind: n.kind.label(),
            level: level(n.level),
            issued: n.issued_on.to_string(),
            state: answered(&n),
            number: n.number,
        })
        .collect())
}

#[derive(Deserialize, Default)]
pub struct NoticesQuery {
    notice: Option<String>,
    /// How many were just signed for, to say so.
    signed: Option<usize>,
}

pub(super) async fn render(
    state: &AppState,
    signed: &Signed,
    shown: &Shown,
    notice: Option<String>,
    refusal: Option<(Uuid, Refusal)>,
) -> Response {
    let refused = Refused {
        notice: refusal,
        ..Refused::default()
    };
    render_with(state, signed, shown, notice, refused).await
}

/// What a notices page was refused: one notice's step, the webhook form, or the batch 签收.
#[derive(Default)]
pub(super) struct Refused {
    pub notice: Option<(Uuid, Refusal)>,
    pub hook: Option<Refusal>,
    pub batch: Option<String>,
}

pub(super) async fn render_with(
    state: &AppState,
    signed: &Signed,
    shown: &Shown,
    notice: Option<String>,
    refused: Refused,
) -> Response {
    let Refused {
        notice: refusal,
        hook: hook_refusal,
        batch: batch_refusal,
    } = refused;
    let ctx = &state.ctx;
    let actor = &signed.actor;
    let leader = actor.access.role == Role::Leader;
    let filter = NoticeFilter {
        mine: leader,
        unacknowledged: shown.waiting(),
        ..NoticeFilter::default()
    };
    let loaded = async {
        let after = Some(shown.after.as_str()).filter(|a| !a.is_empty());
        let after = after.map(paging::decode_cursor).transpose()?;
        let request = PageRequest { first: ROWS, after };
        let page = notices::list_notices(ctx, actor, filter, request).await?;
        let ids: Vec<Uuid> = page.items.iter().map(|(_, n)| n.id).collect();
        let copies = notices::copies_of(ctx, actor, &ids).await?;
        let deliveries = webhooks::deliveries_of(ctx, actor, &ids).await?;
        let names = Names::of(ctx, actor, &[]).await?;
        let standing = standing::of_notices(ctx, actor, page.items.iter().map(|(_, n)| n)).await?;
        let manage = actor
            .access
            .check_manage(actor.organization_id(), "webhooks")
            .is_ok();
        let hooks = if manage {
            webhooks::list_webhooks(ctx, actor).await?
        } else {
            Vec::new()
        };
        Ok::<_, AppError>((page, copies, deliveries, names, hooks, standing))
    }
    .await;
    let (page, copies, deliveries, names, hooks, mut standing) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return page::error_page(Some(&signed.me), &error),
    };
    let me = actor.access.person_id;
    let next = page
        .has_next_page
        .then(|| {
            page.items
                .last()
                .map(|(cursor, _)| shown.query_after(cursor))
        })
        .flatten();
    let rows = page
        .items
        .into_iter()
        .map(|(_, n)| NoticeRow {
            id: n.id,
            kind: n.kind.label(),
            level: level(n.level),
            recipient: names.person(&n.recipient_id),
            copied_to: copies
                .iter()
                .filter(|(notice, _)| *notice == n.id)
                .map(|(_, person)| names.person(person))
                .collect(),
            item: n
                .milestone_id
                .map(|id| format!("/milestones/{id}"))
                .or(n.finding_id.map(|id| format!("/findings/{id}")))
                .or(n.suggestion_id.map(|id| format!("/suggestions/{id}")))
                .or(n.contact_id.map(|id| format!("/contacts#contact-{id}")))
                .or(n.opinion_id.map(|id| format!("/opinions/{id}"))),
            issued: n.issued_on.to_string(),
            reply_due: n.reply_due.map(|d| d.to_string()),
            state: answered(&n),
            mine: me == Some(n.recipient_id),
            pushed: deliveries
                .iter()
                .filter(|(notice, d)| *notice == n.id && d.channel != "inbox")
                .map(|(_, d)| pushed(d))
                .collect(),
            acknowledged: n.acknowledged_at.is_some(),
            subject: standing::subject(&n.title).to_string(),
            standing: standing.remove(&n.id).unwrap_or_default(),
            number: n.number,
            title: n.title,
            body: n.body,
            reply: n.reply,
        })
        .collect::<Vec<NoticeRow>>();
    let unsigned = rows.iter().filter(|r| r.mine && !r.acknowledged).count();
    let organization = actor.organization_id();
    let manage = actor
        .access
        .check_manage(organization, "the notice scan")
        .is_ok();
    page::render(
        match batch_refusal {
            Some(_) => poem::http::StatusCode::UNPROCESSABLE_ENTITY,
            None => form::status_of(refusal.as_ref().map(|(_, r)| r).or(hook_refusal.as_ref())),
        },
        &NoticesPage {
            me: Some(&signed.me),
            nav: "notices",
            heading: if leader {
                "我的督办通知"
            } else {
                "督办通知"
            },
            shown,
            notice,
            rows,
            total: page.total,
            next,
            manage,
            today: actor.today_in(organization, ctx.now(), None).to_string(),
            earliest: (actor.today_in(organization, ctx.now(), None)
                - chrono::Duration::days(i64::from(scan::CATCH_UP_DAYS)))
            .to_string(),
            hooks: hooks
                .into_iter()
                .map(|h| HookRow {
                    id: h.id,
                    kind: robot(h.kind),
                    url: webhooks::shown(&h.url),
                    kinds: h
                        .kinds
                        .iter()
                        .map(|k| k.label())
                        .collect::<Vec<_>>()
                        .join("、"),
                    active: h.active,
                })
                .collect(),
            unsigned,
            batch_refusal,
            refusal,
            hook_refusal,
        },
    )
}

#[handler]
pub async fn list(
    signed: Signed,
    Data(state): Data<&AppState>,
    Query(query): Query<NoticesQuery>,
    Query(shown): Query<Shown>,
) -> Page {
    let notice = match (query.notice.as_deref(), query.signed) {
        (_, Some(n)) => Some(format!("已签收 {n} 条。")),
        (Some("saved"), _) => Some("已保存。".to_string()),
        _ => None,
    };
    Ok(render(state, &signed, &shown, notice, None).await)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    reply: String,
    #[serde(flatten)]
    shown: Shown,
}

page_steps! {
    record = "notice";
    /// What a notice's recipient does with it (`/notices/<id>/<step>`): sign for it (签收) or answer it.
    pub enum Step {
        Acknowledge = "acknowledge",
        Reply = "reply",
    }
}

/// `acknowledge` (签收) or `reply` to the notice `id`, by its recipient.
#[handler]
pub async fn answer(posted: PostedStep<Step, StepForm>, Data(state): Data<&AppState>) -> Page {
    let PostedStep {
        signed,
        id,
        step,
        form: f,
        ..
    } = posted;
    let ctx = &state.ctx;
    let result = match step {
        Step::Acknowledge => notices::acknowledge_notice(ctx, &signed.actor, id).await,
        Step::Reply => notices::reply_to_notice(ctx, &signed.actor, id, &f.reply).await,
    };
    Ok(match result {
        Ok(_) => page::redirect(&format!("{}#notice-{id}", f.shown.link("notice=saved"))),
        Err(error) => {
            let refusal = Refusal::new("notice", &error);
            render(state, &signed, &f.shown, None, Some((id, refusal))).await
        }
    })
}
