//! 督办看板: the projects the signed-in person may read, with their lights, progress and counts,
//! filtered by light, origin and leader; the same use cases as the API's `projects` list.

use std::collections::HashMap;

use askama::Template;
use jiandu_domain::report::Label;
use jiandu_domain::{Light, MilestoneStatus, ProjectOrigin, Today};
use poem::handler;
use poem::web::{Data, Query};
use serde::Deserialize;
use uuid::Uuid;

use super::page::{self, Me, OrPage, Page, Signed};
use crate::http::AppState;
use crate::service::page::PageRequest;
use crate::service::projects::{self, ProjectFilter};
use crate::service::{extensions, figures, milestones, notices, organizations, reports};

/// Projects on one screen of the board.
const ROWS: u64 = 50;

/// Each light as a filter value, with its word (colour is never the only signal).
pub const LIGHTS: [(Light, &str); 3] = [
    (Light::Red, "red"),
    (Light::Yellow, "yellow"),
    (Light::Green, "green"),
];

/// A light's class suffix and word.
pub fn light_word(light: Light) -> (&'static str, &'static str) {
    let class = match light {
        Light::Red => "red",
        Light::Yellow => "yellow",
        Light::Green => "green",
        Light::Grey => "grey",
    };
    let word = match light {
        Light::Grey => "已结束",
        other => other.label(),
    };
    (class, word)
}

/// An item's light and its word: an item reported done (or verified) that still waits for 销号
/// where sign-off concludes it says 待销号 in a colour of its own, not the grey of closed work.
pub fn item_light_word(
    light: Light,
    status: MilestoneStatus,
    today: &Today,
) -> (&'static str, &'static str) {
    let reported = matches!(status, MilestoneStatus::Done | MilestoneStatus::Verified);
    if light == Light::Grey && reported && !today.concluded().contains(&status) {
        ("pending", "待销号")
    } else {
        light_word(light)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BoardQuery {
    light: String,
    origin: String,
    leader: String,
    after: Option<String>,
    notice: Option<String>,
}

pub struct Row {
    id: Uuid,
    title: String,
    organization: Option<String>,
    light: (&'static str, &'static str),
    progress: u8,
    items: u64,
    overdue: u64,
    due_soon: u64,
    leader: String,
}

#[derive(Template)]
#[template(path = "board.html")]
struct BoardPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    notice: Option<&'static str>,
    filter: &'a BoardQuery,
    lights: Vec<(&'static str, &'static str)>,
    origins: Vec<(&'static str, &'static str)>,
    leaders: Vec<(String, String)>,
    rows: Vec<Row>,
    total: u64,
    next: Option<String>,
    waiting: Waiting,
}

/// What waits to be done across what the person may read.
pub struct Waiting {
    sign_off: u64,
    extensions: u64,
    overdue: u64,
    /// Supervision orders not yet signed for.
    orders: u64,
}

impl BoardPage<'_> {
    /// The query string of the next screen: the same filters, after the last row.
    fn next_query(&self, after: &str) -> String {
        let pairs = [
            ("light", self.filter.light.as_str()),
            ("origin", self.filter.origin.as_str()),
            ("leader", self.filter.leader.as_str()),
            ("after", after),
        ];
        pairs
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(key, value)| {
                format!(
                    "{key}={}",
                    url::form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>()
                )
            })
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// What a finished step tells the person on the board it returns to.
fn notice(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "password" => Some("新密码已保存；您在其他设备上的登录已退出。"),
        _ => None,
    }
}

#[handler]
pub async fn board(
    signed: Signed,
    Data(state): Data<&AppState>,
    Query(query): Query<BoardQuery>,
) -> Page {
    let ctx = &state.ctx;
    let actor = &signed.actor;
    let light = LIGHTS
        .iter()
        .find(|(_, value)| *value == query.light)
        .map(|(light, _)| *light);
    let origin: Option<ProjectOrigin> = query.origin.parse().ok();
    let leader: Option<Uuid> = query.leader.parse().ok();
    let filter = ProjectFilter {
        light: light.map(|l| vec![l]),
        origin: origin.map(|o| vec![o]),
        leader_id: leader,
        ..ProjectFilter::default()
    };
    let after = query
        .after
        .as_deref()
        .map(crate::service::page::decode_cursor)
        .transpose()
        .or_page(&signed.me)?;
    let request_page = PageRequest { first: ROWS, after };
    let result = async {
        let listed = projects::list_projects(ctx, actor, filter, request_page).await?;
        let keys: Vec<(Uuid, Uuid)> = listed
            .items
            .iter()
            .map(|(_, p)| (p.id, p.organization_id))
            .collect();
        let ids: Vec<Uuid> = keys.iter().map(|(id, _)| *id).collect();
        let figures = figures::of_projects(ctx, actor, &keys, None).await?;
        let progress = milestones::progress_of_projects(ctx, actor, &ids).await?;
        let people = organizations::readable_people(ctx, actor).await?;
        let several_organizations = actor.readable().organizations().len() > 1;
        let org_names: HashMap<Uuid, String> = if several_organizations {
            let org_ids: Vec<Uuid> = keys.iter().map(|(_, org)| *org).collect();
            organizations::organizations_by_ids(ctx, actor, &org_ids)
                .await?
                .into_iter()
                .map(|o| (o.id, o.name))
                .collect()
        } else {
            HashMap::new()
        };
        let names: HashMap<Uuid, &str> = people.iter().map(|p| (p.id, p.name.as_str())).collect();
        let next = listed
            .has_next_page
            .then(|| listed.items.last().map(|(cursor, _)| cursor.clone()))
            .flatten();
        let rows = listed
            .items
            .into_iter()
            .map(|(_, p)| {
                let figures = figures.get(&p.id).copied().unwrap_or_default();
                Row {
                    id: p.id,
                    organization: org_names.get(&p.organization_id).cloned(),
                    light: light_word(figures.light(p.status.is_closed())),
                    progress: progress.get(&p.id).copied().unwrap_or(0),
                    items: figures
                        .counts
                        .total
                        .saturating_sub(figures.counts.cancelled),
                    overdue: figures.counts.overdue,
                    due_soon: figures.counts.due_soon,
                    leader: p
                        .lead_leader_id
                        .and_then(|id| names.get(&id).copied())
                        .unwrap_or("—")
                        .to_string(),
                    title: p.title,
                }
            })
            .collect::<Vec<_>>();
        let leaders = people
            .into_iter()
            .map(|p| (p.id.to_string(), p.name))
            .collect();
        // What waits for the presidium: from the kept dashboard figures, and one count.
        let figures = reports::dashboard(ctx, actor, None, None).await?;
        let waiting = Waiting {
            sign_off: figures.milestones.pending_sign_off,
            extensions: extensions::pending_count(ctx, actor, &figures.organizations).await?,
            orders: notices::unacknowledged_orders(ctx, actor, &figures.organizations).await?,
            overdue: figures.milestones.overdue,
        };
        Ok::<_, crate::error::AppError>((rows, listed.total, next, leaders, waiting))
    }
    .await;
    let (rows, total, next, leaders, waiting) = result.or_page(&signed.me)?;
    Ok(page::ok(&BoardPage {
        me: Some(&signed.me),
        nav: "board",
        notice: notice(query.notice.as_deref()),
        filter: &query,
        lights: LIGHTS
            .iter()
            .map(|(light, value)| (*value, light.label()))
            .collect(),
        origins: ProjectOrigin::ALL
            .iter()
            .map(|o| (o.as_str(), o.label()))
            .collect(),
        leaders,
        rows,
        total,
        next,
        waiting,
    }))
}
