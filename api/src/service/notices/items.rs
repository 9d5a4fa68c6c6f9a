//! What the daily scan looks at — the open items of every kind, as one shape — and how it
//! words the notices it issues about them.

use chrono::NaiveDate;
use jiandu_domain::notice::{NoticeKind, written_date};
use jiandu_domain::suggestion::ContactKind;
use jiandu_domain::{DeadlineState, Today, Tracked};
use uuid::Uuid;

use crate::entity::{
    Stored, constituent_contact, deliberation_opinion, finding, milestone, notice, suggestion,
};
use crate::service::views::{ContactView, MeetingView, OpinionView, SuggestionView};

/// What kind of item a notice is about.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Milestone,
    Finding,
    Suggestion,
    Contact,
    /// A deliberation opinion's written reply.
    Opinion,
}

/// An open item as the ladder reads it.
pub(super) struct Item {
    pub id: Uuid,
    pub kind: Kind,
    pub title: String,
    pub leader: Uuid,
    pub tracked: Tracked,
}

impl From<milestone::Model> for Item {
    fn from(m: milestone::Model) -> Item {
        Item {
            id: m.id,
            kind: Kind::Milestone,
            tracked: Tracked {
                start: m.start_date,
                due_by: m.due_by,
                on_time_due_by: m.on_time_due_by,
                closure: m.status.0.closure(m.completed_on),
                progress: u8::try_from(m.progress).unwrap_or(0),
            },
            title: m.title,
            leader: m.responsible_leader_id,
        }
    }
}

impl From<finding::Model> for Item {
    fn from(f: finding::Model) -> Item {
        Item {
            id: f.id,
            kind: Kind::Finding,
            tracked: Tracked {
                start: None,
                due_by: f.due_by,
                on_time_due_by: f.on_time_due_by,
                closure: f.status.0.closure(f.resolved_on),
                progress: 0,
            },
            title: format!("整改问题：{}", f.description),
            leader: f.responsible_leader_id,
        }
    }
}

impl Item {
    /// A suggestion awaiting its answer, with the leader it is assigned to; `None` for one not
    /// (yet) assigned.
    pub(super) fn of_suggestion(s: suggestion::Model) -> Option<Item> {
        let (id, title) = (s.id, super::suggestion_title(&s));
        let leader = s.responsible_leader_id?;
        let tracked = SuggestionView::from(s).tracked()?;
        Some(Item {
            id,
            kind: Kind::Suggestion,
            title,
            leader,
            tracked,
        })
    }
}

impl Item {
    /// A letter or visit transferred to a unit with a reply date, addressed to the head of that
    /// unit; `None` when the unit has no head to answer for it. Its title names what was raised,
    /// never who raised it.
    pub(super) fn of_contact(c: constituent_contact::Model, head: Option<Uuid>) -> Option<Item> {
        let leader = head?;
        let (id, kind) = (c.id, c.kind.0);
        let summary: String = c.summary.chars().take(30).collect();
        let tracked = ContactView::from(c).tracked()?;
        Some(Item {
            id,
            kind: Kind::Contact,
            title: format!("群众{}转办答复：{summary}", contact_kind_word(kind)),
            leader,
            tracked,
        })
    }
}

impl Item {
    /// A deliberation opinion awaiting its written reply, addressed to the leader it was sent to.
    pub(super) fn of_opinion(o: deliberation_opinion::Model) -> Item {
        let view = OpinionView::from(o);
        Item {
            id: view.id,
            kind: Kind::Opinion,
            title: super::opinion_title(&view.title),
            leader: view.responsible_leader_id,
            tracked: view.tracked(),
        }
    }
}

/// The notice that sends a deliberation opinion (交办): blue, addressed to its leader, with every
/// point. It names no due day of the ladder — so the reminder before the deadline still comes —
/// unless the opinion is `due_soon` already: then it is that reminder.
pub(crate) fn opinion_sent(
    row: &deliberation_opinion::Model,
    hearing: &MeetingView,
    (leader, organization): (&str, &str),
    due_soon: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> notice::Model {
    let points: String = row
        .points
        .0
        .iter()
        .enumerate()
        .map(|(i, p)| format!("\n（{}）{}", i + 1, p.text))
        .collect();
    let kind = NoticeKind::Reminder;
    notice::Model {
        id: jiandu_domain::new_id(),
        organization_id: row.organization_id,
        kind: Stored(kind),
        level: Stored(kind.level()),
        number: None,
        year: None,
        sequence: None,
        recipient_id: row.responsible_leader_id,
        milestone_id: None,
        finding_id: None,
        suggestion_id: None,
        contact_id: None,
        opinion_id: Some(row.id),
        subject_id: row.id,
        due_by: due_soon.then_some(row.due_by),
        title: format!("交办：{}", row.title),
        body: format!(
            "{leader}同志：\n{organization}在{}（{}）上形成的审议意见“{}”共{}条，现交你办理，请于{}前将落实情况逐条书面反馈{organization}。{points}",
            hearing.title,
            hearing.held_on,
            row.title,
            row.points.0.len(),
            row.reply_deadline,
        ),
        issued_at: now,
        issued_on: row.sent_on,
        issued_by: Some(row.created_by),
        reply_due: None,
        acknowledged_at: None,
        acknowledged_by: None,
        reply: None,
        replied_at: None,
        version: 1,
        updated_at: now,
    }
}

/// A letter or visit's kind as a notice words it.
fn contact_kind_word(kind: ContactKind) -> &'static str {
    match kind {
        ContactKind::Visit => "来访",
        ContactKind::Letter => "来信",
        ContactKind::Phone => "来电",
        ContactKind::Online => "网上留言",
    }
}

/// How the day's notices are worded.
pub(super) struct Words<'a> {
    pub organization: &'a str,
    pub day: NaiveDate,
    pub reply_due: NaiveDate,
}

impl Words<'_> {
    pub(super) fn of(
        &self,
        kind: NoticeKind,
        item: &Item,
        leader: &str,
        state: DeadlineState,
        today: &Today,
    ) -> (String, String) {
        let t = &item.title;
        // Days as documents write them: 2026年11月30日.
        let due = written_date(item.tracked.due_by);
        // An opinion is answered in writing, not 办结, and has no extension to ask for.
        let (done, ask) = match item.kind {
            Kind::Opinion => ("书面反馈", "请抓紧落实，按期逐条书面反馈。"),
            _ => (
                "办结",
                "请抓紧推进，按期办结；确需延期的，请在到期前提出延期申请。",
            ),
        };
        match (kind, state) {
            (NoticeKind::Reminder, _) => (
                format!("提醒：“{t}”将于{due}到期"),
                format!("{leader}同志：\n你负责的“{t}”应于{due}前{done}，即将到期。{ask}"),
            ),
            (NoticeKind::Urge, DeadlineState::Overdue) => {
                let late = item.tracked.days_overdue(self.day);
                (
                    format!("催办：“{t}”已逾期{late}天"),
                    format!(
                        "{leader}同志：\n你负责的“{t}”应于{due}前{done}，现已逾期{late}天。请加快办理，及时报告进展。"
                    ),
                )
            }
            (NoticeKind::Urge, _) => {
                let progress = item.tracked.progress;
                (
                    format!("催办：“{t}”进度滞后"),
                    format!(
                        "{leader}同志：\n你负责的“{t}”当前进度{progress}%，落后于序时进度（{}起至{due}）。请加快推进，及时报告进展。",
                        written_date(item.tracked.start.unwrap_or(today.date))
                    ),
                )
            }
            (NoticeKind::SupervisionOrder, _) | (NoticeKind::Bulletin, _) => {
                let late = item.tracked.days_overdue(self.day);
                (
                    format!("关于督办“{t}”的通知"),
                    format!(
                        "{leader}同志：\n你负责的“{t}”应于{due}前{done}，现已逾期{late}天。请高度重视，抓紧办理，并于{}前将办理情况书面回复{}。",
                        written_date(self.reply_due),
                        self.organization
                    ),
                )
            }
        }
    }
}

/// The titles of `projects`, for notices that name an item with its project (several projects
/// have a 竣工验收).
pub(super) async fn project_titles(
    db: &impl sea_orm::ConnectionTrait,
    projects: impl IntoIterator<Item = Uuid>,
) -> Result<std::collections::HashMap<Uuid, String>, crate::error::AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    let ids: std::collections::HashSet<Uuid> = projects.into_iter().collect();
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let titles: Vec<(Uuid, String)> = crate::entity::project::Entity::find()
        .select_only()
        .columns([
            crate::entity::project::Column::Id,
            crate::entity::project::Column::Title,
        ])
        .filter(crate::entity::project::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(titles.into_iter().collect())
}

/// An item as a notice names it: with its project, 项目·节点.
pub(super) fn in_project(project: Option<&String>, title: String) -> String {
    match project {
        Some(project) => format!("{project}·{title}"),
        None => title,
    }
}
