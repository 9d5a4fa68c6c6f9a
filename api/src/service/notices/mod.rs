//! Notices (docs/rules.md §5): a supervision order (督办单) issued by the presidium for an open item,
//! numbered per organisation and year without gaps or duplicates, addressed to the item's
//! responsible leader; acknowledged (签收) and answered only by the recipient. At most one notice
//! of a kind per item and day, by a unique key.

use chrono::{Datelike, NaiveDate};
use jiandu_domain::Reason;
use jiandu_domain::congress::OpinionStatus;
use jiandu_domain::field;
use jiandu_domain::notice::{self as rules, NoticeKind, written_date};
use jiandu_domain::suggestion::SuggestionStatus;
use jiandu_domain::validate::limits;
use jiandu_domain::{Denied, Text};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use uuid::Uuid;

mod answers;
mod copies;
pub mod deliver;
mod items;
mod outbox;
pub mod reach;
mod reads;
pub mod scan;
pub mod schedule;
pub mod webhooks;

pub use answers::{acknowledge_notice, acknowledge_notices, reply_to_notice};
pub(crate) use items::opinion_sent;
pub use reads::{
    NoticeFilter, NoticeKey, copies_of, list_notices, notices_by_ids, unacknowledged_orders,
};

use super::kernel::command::{Audit, Command};
use super::kernel::sequences::Counter;
use super::views::NoticeView;
use super::{Actor, Ctx};
use crate::entity::{
    Stored, deliberation_opinion, finding, milestone, notice, notice_sequence, organization,
    person, suggestion,
};
use crate::error::{AppError, OnConstraint};
use crate::service::kernel::audit::Action;

/// The item a notice is about, as the notice words it.
struct Subject {
    organization_id: Uuid,
    milestone_id: Option<Uuid>,
    finding_id: Option<Uuid>,
    suggestion_id: Option<Uuid>,
    opinion_id: Option<Uuid>,
    title: String,
    leader: Uuid,
    due_by: NaiveDate,
    open: bool,
}

/// Why an imported item past its deadline gets no order yet.
fn awaits_confirmation() -> AppError {
    AppError::invalid(
        field::ENTITY_ID,
        Reason::WrongState,
        "an imported item past its deadline is confirmed first (confirmHistoricalItem)",
    )
}

/// Finds the milestone or finding `id` for the presidium of its organisation to order on.
async fn subject(cmd: &mut Command<'_>, actor: &Actor, id: Uuid) -> Result<Subject, AppError> {
    let manage = |org: Uuid| actor.access.check_manage(org, "supervision orders");
    let readable = actor.readable();
    if let Some(m) = readable
        .by_ids::<milestone::Entity>(&[id])
        .one(cmd.db())
        .await?
    {
        manage(m.organization_id).map_err(denied)?;
        if !m.is_item {
            return Err(AppError::invalid(
                field::ENTITY_ID,
                Reason::HasChildren,
                "a milestone with sub-milestones is not a supervised item; order one of its items",
            ));
        }
        if m.historical {
            return Err(awaits_confirmation());
        }
        let projects = items::project_titles(cmd.db(), [m.project_id]).await?;
        return Ok(Subject {
            organization_id: m.organization_id,
            milestone_id: Some(m.id),
            finding_id: None,
            suggestion_id: None,
            opinion_id: None,
            open: m.status.0.is_open(),
            title: items::in_project(projects.get(&m.project_id), m.title),
            leader: m.responsible_leader_id,
            due_by: m.due_by,
        });
    }
    if let Some(f) = readable
        .by_ids::<finding::Entity>(&[id])
        .one(cmd.db())
        .await?
    {
        manage(f.organization_id).map_err(denied)?;
        if f.historical {
            return Err(awaits_confirmation());
        }
        let projects = items::project_titles(cmd.db(), f.project_id).await?;
        let project = f.project_id.and_then(|p| projects.get(&p));
        return Ok(Subject {
            organization_id: f.organization_id,
            milestone_id: None,
            finding_id: Some(f.id),
            suggestion_id: None,
            opinion_id: None,
            open: f.status.0.is_open(),
            title: items::in_project(project, format!("整改问题：{}", f.description)),
            leader: f.responsible_leader_id,
            due_by: f.due_by,
        });
    }
    if let Some(s) = readable
        .by_ids::<suggestion::Entity>(&[id])
        .one(cmd.db())
        .await?
    {
        manage(s.organization_id).map_err(denied)?;
        if s.historical {
            return Err(awaits_confirmation());
        }
        let (Some(leader), Some(due_by)) = (s.responsible_leader_id, s.due_by) else {
            return Err(AppError::invalid(
                field::ENTITY_ID,
                Reason::WrongState,
                "assign the suggestion to a leader before ordering on it",
            ));
        };
        return Ok(Subject {
            organization_id: s.organization_id,
            milestone_id: None,
            finding_id: None,
            suggestion_id: Some(s.id),
            opinion_id: None,
            // Open while its answer is awaited.
            open: s.status.0 == SuggestionStatus::Assigned,
            title: suggestion_title(&s),
            leader,
            due_by,
        });
    }
    if let Some(o) = readable
        .by_ids::<deliberation_opinion::Entity>(&[id])
        .one(cmd.db())
        .await?
    {
        manage(o.organization_id).map_err(denied)?;
        return Ok(Subject {
            organization_id: o.organization_id,
            milestone_id: None,
            finding_id: None,
            suggestion_id: None,
            opinion_id: Some(o.id),
            // Open while its written reply is awaited.
            open: o.status.0 == OpinionStatus::Sent,
            title: opinion_title(&o.title),
            leader: o.responsible_leader_id,
            due_by: o.due_by,
        });
    }
    Err(AppError::not_found(
        "milestone, finding, suggestion or deliberation opinion",
    ))
}

/// How notices name a deliberation opinion: 审议意见：关于…的审议意见.
pub(crate) fn opinion_title(title: &str) -> String {
    format!("审议意见：{title}")
}

/// How notices name a suggestion: 代表建议2026-003“思蒙场镇增设路灯”.
pub(crate) fn suggestion_title(s: &suggestion::Model) -> String {
    format!("代表建议{}：{}", s.number, s.title)
}

fn denied(denied: Denied) -> AppError {
    match denied {
        Denied::NotFound => AppError::not_found("milestone or finding"),
        Denied::Forbidden(why) => AppError::Forbidden(why),
    }
}

/// The presidium issues a supervision order for an open item of its organisation, to its
/// responsible leader, answered by `reply_due`.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %entity_id))]
pub async fn issue_supervision_order(
    ctx: &Ctx,
    actor: &Actor,
    entity_id: Uuid,
    reply_due: NaiveDate,
    body: Option<&str>,
) -> Result<NoticeView, AppError> {
    let body = Text::parse_optional(field::BODY, body, limits::DESCRIPTION)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let item = subject(&mut cmd, actor, entity_id).await?;
    if !item.open {
        return Err(AppError::invalid(
            field::ENTITY_ID,
            Reason::WrongState,
            "the item is closed; there is nothing left to order",
        ));
    }
    let org = item.organization_id;
    let today = cmd.today_in(org);
    rules::check_reply_due(today, reply_due)?;
    let organization = organization::Entity::find_by_id(org)
        .one(cmd.db())
        .await?
        .ok_or_else(|| AppError::not_found("organisation"))?;
    let leader = person::Entity::find_by_id(item.leader)
        .one(cmd.db())
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let year = today.year();
    let mut counter = Counter::<notice_sequence::Entity>::lock(&cmd, org, year).await?;
    let sequence = counter.take();
    counter.save(&cmd).await?;
    let number = rules::order_number(&rules::short_name(&organization.name), year, sequence);
    // An opinion is answered in writing rather than 办结.
    let done = if item.opinion_id.is_some() {
        "书面反馈"
    } else {
        "办结"
    };
    let body = body.map(Text::into_string).unwrap_or_else(|| {
        let late = (today - item.due_by).num_days();
        let lateness = if late > 0 {
            format!("，现已逾期{late}天")
        } else {
            String::new()
        };
        format!(
            "{leader}同志：\n你负责的“{}”应于{}前{done}{lateness}。请高度重视，抓紧办理，并于{}前将办理情况书面回复{}。",
            item.title,
            written_date(item.due_by),
            written_date(reply_due),
            jiandu_domain::notice::issuer(&organization.name)
        )
    });
    let now = cmd.now;
    let kind = NoticeKind::SupervisionOrder;
    let row = notice::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(org),
        kind: Set(Stored(kind)),
        level: Set(Stored(kind.level())),
        number: Set(Some(number)),
        year: Set(Some(year)),
        sequence: Set(Some(sequence)),
        recipient_id: Set(item.leader),
        milestone_id: Set(item.milestone_id),
        finding_id: Set(item.finding_id),
        suggestion_id: Set(item.suggestion_id),
        contact_id: Set(None),
        opinion_id: Set(item.opinion_id),
        subject_id: Set(entity_id),
        due_by: Set(Some(item.due_by)),
        title: Set(format!("关于督办“{}”的通知", item.title)),
        body: Set(body),
        issued_at: Set(now),
        issued_on: Set(today),
        issued_by: Set(Some(actor.user_id())),
        reply_due: Set(Some(reply_due)),
        acknowledged_at: Set(None),
        acknowledged_by: Set(None),
        reply: Set(None),
        replied_at: Set(None),
        version: Set(1),
        updated_at: Set(now),
    }
    .insert(cmd.db())
    .await
    .on_constraint(
        "a supervision order for this item was already issued today",
        "entityId",
    )?;
    cmd.created::<notice::Entity>(&row, Audit::new(Action::NoticeOrder))
        .await?;
    webhooks::enqueue(&mut cmd, std::slice::from_ref(&row)).await?;
    cmd.finish(NoticeView::from(row)).await
}
