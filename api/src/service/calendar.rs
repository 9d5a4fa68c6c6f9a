//! Calendar feeds: a secret, revocable iCalendar (RFC 5545) address per user that leaders'
//! phones subscribe to. Each open milestone and finding the user answers for is an all-day event
//! on the day it is due by, with a reminder on the day it turns due soon (in working days); UIDs are stable, so
//! calendar apps update events instead of duplicating them.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use jiandu_domain::{FindingStatus, MilestoneStatus, Tracked, WorkCalendar};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::accounts::{self, new_token, token_hash};
use super::kernel::audit::Change;
use super::kernel::command::Command;
use super::views::UserView;
use super::{Actor, Ctx};
use crate::entity::{app_user, calendar_feed, finding, milestone, project};
use crate::error::AppError;
use crate::service::formats::ics::Ics;
use crate::service::kernel::audit::Action;
use crate::service::kernel::tables;

/// Makes a new secret feed address for the actor, revoking the previous one; returns its path.
#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn rotate(ctx: &Ctx, actor: &Actor) -> Result<String, AppError> {
    let secret = new_token();
    let mut cmd = Command::begin(ctx, actor).await?;
    calendar_feed::Entity::delete_by_id(actor.user_id())
        .exec(cmd.db())
        .await?;
    calendar_feed::ActiveModel {
        user_id: Set(actor.user_id()),
        secret_hash: Set(token_hash(&secret)),
        created_at: Set(cmd.now),
    }
    .insert(cmd.db())
    .await?;
    cmd.record(Change {
        organization_id: actor.organization_id(),
        action: Action::CalendarRotate,
        entity_type: "User",
        entity_id: actor.user_id(),
        before: None,
        after: None,
    })
    .await?;
    cmd.finish(format!("/calendar/{secret}.ics")).await
}

/// One open item on a leader's calendar.
struct Item {
    uid: String,
    title: String,
    project: Option<String>,
    kind: &'static str,
    tracked: Tracked,
    version: i32,
    updated_at: DateTime<Utc>,
}

/// The feed behind `secret`, or `None` when no user has that feed (any more).
pub async fn feed(ctx: &Ctx, secret: &str) -> Result<Option<String>, AppError> {
    let db = ctx.db.conn();
    let Some(feed) = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::SecretHash.eq(token_hash(secret)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    // A disabled account's feed was deleted with it; one left by an older server ends too.
    let Some(user) = app_user::Entity::find_by_id(feed.user_id)
        .one(db)
        .await?
        .filter(|user| user.disabled_at.is_none())
    else {
        return Ok(None);
    };
    let user = UserView::from(user);
    let actor = accounts::actor_for(ctx, user.clone()).await?;
    let now = ctx.now();
    let today = actor.today_in(user.organization_id, now, None);

    // What the user answers for; a user who is no person (presidium staff, a viewer) sees the
    // open items of their own organisation.
    let open_milestones: Vec<&str> = MilestoneStatus::OPEN.iter().map(|s| s.as_str()).collect();
    let open_findings: Vec<&str> = FindingStatus::OPEN.iter().map(|s| s.as_str()).collect();
    let (milestone_scope, finding_scope) = match user.person_id {
        Some(person) => (
            Condition::any()
                .add(milestone::Column::ResponsibleLeaderId.eq(person))
                .add(milestone::Column::ResponsiblePersonId.eq(person)),
            Condition::all().add(finding::Column::ResponsibleLeaderId.eq(person)),
        ),
        None => (
            Condition::all().add(milestone::Column::OrganizationId.eq(user.organization_id)),
            Condition::all().add(finding::Column::OrganizationId.eq(user.organization_id)),
        ),
    };
    let milestones = tables::all(
        milestone::Entity::find()
            .filter(milestone_scope)
            .filter(milestone::Column::Status.is_in(open_milestones))
            .order_by_asc(milestone::Column::Deadline),
        db,
    )
    .await?;
    let findings = tables::all(
        finding::Entity::find()
            .filter(finding_scope)
            .filter(finding::Column::Status.is_in(open_findings))
            .order_by_asc(finding::Column::Deadline),
        db,
    )
    .await?;
    let project_ids: Vec<Uuid> = milestones
        .iter()
        .map(|m| m.project_id)
        .chain(findings.iter().filter_map(|f| f.project_id))
        .collect();
    let projects = project::Entity::find()
        .filter(project::Column::Id.is_in(project_ids))
        .all(db)
        .await?;
    let project_title = |id: Option<Uuid>| {
        id.and_then(|id| projects.iter().find(|p| p.id == id))
            .map(|p| p.title.clone())
    };
    let items = milestones
        .iter()
        .map(|m| Item {
            uid: format!("milestone-{}@jiandu", m.id),
            title: m.title.clone(),
            project: project_title(Some(m.project_id)),
            kind: "督办节点",
            tracked: m.tracked(),
            version: m.version,
            updated_at: m.updated_at,
        })
        .chain(findings.iter().map(|f| Item {
            uid: format!("finding-{}@jiandu", f.id),
            title: format!("整改：{}", f.description),
            project: project_title(f.project_id),
            kind: "整改事项",
            tracked: f.tracked(),
            version: f.version,
            updated_at: f.updated_at,
        }));
    let warning = Warning {
        calendar: &actor.rules.calendar,
        working_days: actor
            .rules
            .settings_of(user.organization_id)
            .due_soon_working_days,
    };
    Ok(Some(calendar(&user.username, items, today, now, &warning)))
}

/// When an item turns due soon, for its reminder.
struct Warning<'a> {
    calendar: &'a WorkCalendar,
    working_days: u32,
}

impl Warning<'_> {
    /// Days before `due_by` the item turns DUE_SOON: the earliest day whose due-soon window
    /// reaches it.
    fn days_before(&self, due_by: NaiveDate) -> i64 {
        let mut first = due_by;
        for _ in 0..MAX_WARNING_DAYS {
            let earlier = first - Duration::days(1);
            if self.calendar.due_soon_until(earlier, self.working_days) < due_by {
                break;
            }
            first = earlier;
        }
        (due_by - first).num_days()
    }
}

/// No warning starts earlier than this many days before an item is due.
const MAX_WARNING_DAYS: u32 = 120;

fn calendar(
    name: &str,
    items: impl Iterator<Item = Item>,
    today: NaiveDate,
    now: DateTime<Utc>,
    warning: &Warning<'_>,
) -> String {
    let mut ics = Ics::default();
    ics.line("BEGIN:VCALENDAR");
    ics.line("VERSION:2.0");
    ics.line("PRODID:-//Jiandu//Jiandu supervision tracker//ZH");
    ics.line("CALSCALE:GREGORIAN");
    ics.line("METHOD:PUBLISH");
    ics.property("X-WR-CALNAME", &format!("监督节点（{name}）"));
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    for item in items {
        let overdue = item.tracked.days_overdue(today);
        let mut summary = String::new();
        if overdue > 0 {
            summary.push_str(&format!("【逾期{overdue}天】"));
        }
        summary.push_str(&item.title);
        if let Some(project) = &item.project {
            summary.push_str(&format!("（{project}）"));
        }
        let deadline = item.tracked.due_by;
        ics.line("BEGIN:VEVENT");
        ics.property("UID", &item.uid);
        ics.line(&format!("DTSTAMP:{stamp}"));
        ics.line(&format!(
            "LAST-MODIFIED:{}",
            item.updated_at.format("%Y%m%dT%H%M%SZ")
        ));
        ics.line(&format!("SEQUENCE:{}", item.version.max(0)));
        ics.line(&format!("DTSTART;VALUE=DATE:{}", deadline.format("%Y%m%d")));
        ics.line(&format!(
            "DTEND;VALUE=DATE:{}",
            (deadline + Duration::days(1)).format("%Y%m%d")
        ));
        ics.property("SUMMARY", &summary);
        ics.property("CATEGORIES", item.kind);
        ics.line("TRANSP:TRANSPARENT");
        ics.line("BEGIN:VALARM");
        ics.line("ACTION:DISPLAY");
        ics.line(&format!("TRIGGER:-P{}D", warning.days_before(deadline)));
        ics.property("DESCRIPTION", &summary);
        ics.line("END:VALARM");
        ics.line("END:VEVENT");
    }
    ics.line("END:VCALENDAR");
    ics.into_text()
}
