//! Lists of supervised items: the overdue and due-soon lists of the board, and a leader's
//! 我的督办事项 (what they answer for, most urgent first, and the deliberation opinions sent to
//! them that await their written reply or its judgement).

use askama::Template;
use jiandu_domain::report::Label;
use jiandu_domain::{DeadlineState, MilestoneStatus, Role};
use poem::handler;
use poem::web::{Data, Query};
use serde::Deserialize;
use uuid::Uuid;

use super::board::item_light_word;
use super::meetings::{OpinionRow, opinion_rows};
use super::names::Names;
use super::page::{self, Me, Page, Posted, Signed};
use super::refusal;
use crate::error::AppError;
use crate::http::AppState;
use crate::service::congress;
use crate::service::milestones::{self, MilestoneFilter};
use crate::service::page::PageRequest;
use crate::service::views::MilestoneView;

pub struct ItemRow {
    pub id: Uuid,
    pub version: i32,
    pub title: String,
    pub project_id: Uuid,
    pub project: String,
    pub leader: String,
    pub unit: String,
    pub due_by: String,
    pub status: &'static str,
    pub state: &'static str,
    pub light: (&'static str, &'static str),
    pub days: String,
    pub progress: u8,
}

#[derive(Template)]
#[template(path = "items.html")]
struct ItemsPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    heading: &'static str,
    empty: &'static str,
    rows: Vec<ItemRow>,
    total: u64,
    /// On 我的督办事项: the deliberation opinions sent to the person, not yet judged.
    opinions: Vec<OpinionRow>,
    /// The list of reported items, for the presidium: tick several and 销号 them at once.
    sign_off: bool,
    notice: Option<String>,
    refusal: Option<String>,
}

impl<'a> ItemsPage<'a> {
    fn new(
        me: &'a Me,
        nav: &'a str,
        (heading, empty): (&'static str, &'static str),
        rows: Vec<ItemRow>,
        total: u64,
    ) -> Self {
        ItemsPage {
            me: Some(me),
            nav,
            heading,
            empty,
            rows,
            total,
            opinions: Vec::new(),
            sign_off: false,
            notice: None,
            refusal: None,
        }
    }
}

/// The rows of `found`, with their projects', leaders' and units' names, judged today.
pub(super) async fn rows_of(
    state: &AppState,
    signed: &Signed,
    found: Vec<MilestoneView>,
) -> Result<Vec<ItemRow>, AppError> {
    let ctx = &state.ctx;
    let actor = &signed.actor;
    let project_ids: Vec<Uuid> = found.iter().map(|m| m.project_id).collect();
    let names = Names::of(ctx, actor, &project_ids).await?;
    let now = ctx.now();
    Ok(found
        .into_iter()
        .map(|m| {
            let today = actor.judging_day(m.organization_id, now, None);
            let tracked = m.tracked();
            let state = tracked.deadline_state(&today);
            let days = match state {
                DeadlineState::Overdue | DeadlineState::Upcoming | DeadlineState::DueSoon => {
                    super::standing::days(&tracked, &today)
                }
                _ => String::new(),
            };
            ItemRow {
                id: m.id,
                version: m.version,
                project_id: m.project_id,
                project: names.project(&m.project_id),
                leader: names.person(&m.responsible_leader_id),
                unit: names.unit(&m.responsible_unit_id),
                due_by: m.due_by.to_string(),
                status: m.status.label(),
                state: state.label(),
                light: item_light_word(tracked.light(&today), m.status, &today),
                days,
                progress: m.progress,
                title: m.title,
            }
        })
        .collect())
}

fn in_state(state: DeadlineState) -> MilestoneFilter {
    MilestoneFilter {
        deadline_state: Some(vec![state]),
        ..MilestoneFilter::default()
    }
}

#[derive(Deserialize)]
pub struct ItemsQuery {
    #[serde(default)]
    state: String,
    /// How many were just signed off, to say so.
    signed: Option<usize>,
}

/// 已逾期 / 临近到期: the open items in that state, earliest due first.
#[handler]
pub async fn by_state(
    signed: Signed,
    Data(state): Data<&AppState>,
    Query(query): Query<ItemsQuery>,
) -> Page {
    let (filter, nav, heading, empty) = match query.state.as_str() {
        "due_soon" => (
            in_state(DeadlineState::DueSoon),
            "due_soon",
            "临近到期的督办事项",
            "没有临近到期的督办事项。",
        ),
        "reported" => (
            reported_filter(),
            "reported",
            "已报办结、待核验销号的督办事项",
            "没有待核验或待销号的督办事项。",
        ),
        _ => (
            in_state(DeadlineState::Overdue),
            "overdue",
            "已逾期的督办事项",
            "没有逾期的督办事项。",
        ),
    };
    let sign_off = nav == "reported" && signed.actor.access.role == Role::Presidium;
    let notice = query.signed.map(|n| format!("已销号 {n} 项。"));
    Ok(list_page(
        state,
        &signed,
        filter,
        (nav, heading, empty),
        sign_off,
        notice,
        None,
    )
    .await)
}

/// A list of items, the reported ones with their 销号 form when `sign_off`.
async fn list_page(
    state: &AppState,
    signed: &Signed,
    filter: MilestoneFilter,
    (nav, heading, empty): (&'static str, &'static str, &'static str),
    sign_off: bool,
    notice: Option<String>,
    refusal: Option<String>,
) -> poem::Response {
    let listed = async {
        let (found, total) = listed(state, signed, filter).await?;
        Ok::<_, AppError>((rows_of(state, signed, found).await?, total))
    }
    .await;
    match listed {
        Ok((rows, total)) => {
            let mut page = ItemsPage::new(&signed.me, nav, (heading, empty), rows, total);
            page.sign_off = sign_off && page.total > 0;
            page.notice = notice;
            let status = if refusal.is_some() {
                poem::http::StatusCode::UNPROCESSABLE_ENTITY
            } else {
                poem::http::StatusCode::OK
            };
            page.refusal = refusal;
            page::render(status, &page)
        }
        Err(error) => page::error_page(Some(&signed.me), &error),
    }
}

/// 销号所选: the presidium signs off the ticked reported items at once (all or nothing); a
/// refusal names the item it is about.
#[handler]
pub async fn sign_off_selected(posted: Posted<Ticked>, Data(state): Data<&AppState>) -> Page {
    let ticked = posted.list("item");
    let signed = posted.signed;
    let items: Vec<(Uuid, i32)> = ticked
        .iter()
        .filter_map(|value| {
            let (id, version) = value.split_once(':')?;
            Some((id.parse().ok()?, version.parse().ok()?))
        })
        .collect();
    let reported = (
        "reported",
        "已报办结、待核验销号的督办事项",
        "没有待核验或待销号的督办事项。",
    );
    let outcome = if items.is_empty() {
        Err(AppError::required("items", "tick the items to sign off"))
    } else {
        milestones::sign_off_milestones(&state.ctx, &signed.actor, &items).await
    };
    Ok(match outcome {
        Ok(done) => page::redirect(&format!("/items?state=reported&signed={}", done.len())),
        Err(error) => {
            let mut said = refusal::in_chinese(&error);
            if items.is_empty() {
                said = "请先勾选要销号的督办事项。".into();
            } else if let Some(about) = named_item(state, &signed, &items, &error).await {
                said = format!("「{about}」：{said}");
            }
            list_page(
                state,
                &signed,
                reported_filter(),
                reported,
                true,
                None,
                Some(format!("没有销号任何一项。{said}")),
            )
            .await
        }
    })
}

#[derive(Deserialize)]
pub struct Ticked {}

/// The title of the ticked item a batch refusal is about (its message names the item's id).
async fn named_item(
    state: &AppState,
    signed: &Signed,
    items: &[(Uuid, i32)],
    error: &AppError,
) -> Option<String> {
    let said = error.to_string();
    let id = items
        .iter()
        .map(|(id, _)| *id)
        .find(|id| said.contains(&id.to_string()))?;
    milestones::milestones_by_ids(&state.ctx, &signed.actor, &[id])
        .await
        .ok()?
        .pop()
        .map(|m| m.title)
}

fn reported_filter() -> MilestoneFilter {
    MilestoneFilter {
        status: Some(vec![MilestoneStatus::Done, MilestoneStatus::Verified]),
        ..MilestoneFilter::default()
    }
}

/// 我的督办事项: the open and reported items the signed-in person answers for, the reddest and
/// earliest due first.
#[handler]
pub async fn mine(signed: Signed, Data(state): Data<&AppState>) -> Page {
    let Some(person) = signed.actor.access.person_id else {
        return Ok(page::ok(&ItemsPage::new(
            &signed.me,
            "mine",
            (
                "我的督办事项",
                "您的账号没有对应的责任人，所以没有需要您办理的督办事项。",
            ),
            Vec::new(),
            0,
        )));
    };
    let mut status: Vec<MilestoneStatus> = MilestoneStatus::OPEN.to_vec();
    status.extend([MilestoneStatus::Done, MilestoneStatus::Verified]);
    let filter = MilestoneFilter {
        leader_id: Some(person),
        status: Some(status),
        ..MilestoneFilter::default()
    };
    let listed = async {
        let (mut found, total) = listed(state, &signed, filter).await?;
        // Parents are groups of items, not items: neither listed nor counted.
        let listed_all = found.len();
        found.retain(|m| m.is_item);
        let total = total - (listed_all - found.len()) as u64;
        let mut rows = rows_of(state, &signed, found).await?;
        // Red before yellow before green; within a light, the earliest due first (the list
        // came in that order, and the sort is stable).
        rows.sort_by_key(|row| match row.light.0 {
            "red" => 0,
            "yellow" => 1,
            "green" => 2,
            _ => 3,
        });
        let opinions = congress::opinions_of_leader(&state.ctx, &signed.actor, person).await?;
        let opinions = opinion_rows(&state.ctx, &signed.actor, opinions).await?;
        Ok::<_, AppError>((rows, total, opinions))
    }
    .await;
    Ok(match listed {
        Ok((rows, total, opinions)) => {
            let mut page = ItemsPage::new(
                &signed.me,
                "mine",
                ("我的督办事项", "目前没有需要您办理的督办事项。"),
                rows,
                total,
            );
            page.opinions = opinions;
            page::ok(&page)
        }
        Err(error) => page::error_page(Some(&signed.me), &error),
    })
}

/// The milestones `filter` lists (the first page of the largest size) and how many there are.
async fn listed(
    state: &AppState,
    signed: &Signed,
    filter: MilestoneFilter,
) -> Result<(Vec<MilestoneView>, u64), AppError> {
    let page =
        milestones::list_milestones(&state.ctx, &signed.actor, filter, PageRequest::largest())
            .await?;
    Ok((page.items.into_iter().map(|(_, m)| m).collect(), page.total))
}
