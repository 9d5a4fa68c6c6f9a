//! The daily scan (docs/rules.md §5): on a working day, for one organisation, every open item climbs
//! the ladder — a reminder when it turns due soon, urges while it is overdue or behind pace, a
//! numbered supervision order once it is overdue long enough — and every order left
//! unacknowledged too long is copied to the recipient's superior.
//!
//! Idempotent: the scan takes the organisation's order counter first, so scans (and hand-issued
//! orders) of one organisation run one after another, and each then skips what the day already
//! has; the unique key (item, kind, day) stands behind it. A crash rolls the whole run back.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use jiandu_domain::congress::OpinionStatus;
use jiandu_domain::field;
use jiandu_domain::notice::{self as rules, Ladder, NoticeKind, Standing};
use jiandu_domain::suggestion::{ContactStatus, SuggestionStatus};
use jiandu_domain::validate::Reason;
use jiandu_domain::{FindingStatus, MilestoneStatus, Today};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::items::{self, Item, Kind, Words};
use super::{copies, webhooks};
use crate::entity::notice_sequence;
use crate::entity::{
    Stored, constituent_contact, deliberation_opinion, finding, milestone, notice, organization,
    suggestion,
};
use crate::error::AppError;
use crate::service::kernel::audit::Action;
use crate::service::kernel::command::{Audit, Command};
use crate::service::kernel::sequences::Counter;
use crate::service::workdays::Rules;
use crate::service::{Actor, Ctx};

/// What one run of the scan issued.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeRun {
    pub as_of: NaiveDate,
    pub reminders: u32,
    pub urges: u32,
    pub orders: u32,
    pub copies: u32,
}

impl NoticeRun {
    pub fn issued(&self) -> u32 {
        self.reminders + self.urges + self.orders
    }

    /// Adds another run's counts to these.
    pub fn add(&mut self, other: &NoticeRun) {
        self.reminders += other.reminders;
        self.urges += other.urges;
        self.orders += other.orders;
        self.copies += other.copies;
    }

    fn count(&mut self, kind: NoticeKind) {
        match kind {
            NoticeKind::Reminder => self.reminders += 1,
            NoticeKind::Urge => self.urges += 1,
            NoticeKind::SupervisionOrder => self.orders += 1,
            NoticeKind::Bulletin => {}
        }
    }
}

/// What the ladder already issued about each item's current due day.
#[derive(Default)]
struct Past {
    reminded: HashSet<(Uuid, NaiveDate)>,
    ordered: HashSet<(Uuid, NaiveDate)>,
    last_urge: HashMap<(Uuid, NaiveDate), NaiveDate>,
}

impl Past {
    fn of(rows: &[notice::Model]) -> Past {
        let mut past = Past::default();
        for n in rows {
            let Some(due_by) = n.due_by else { continue };
            let key = (n.subject_id, due_by);
            match n.kind.0 {
                NoticeKind::Reminder => {
                    past.reminded.insert(key);
                }
                NoticeKind::SupervisionOrder => {
                    past.ordered.insert(key);
                    // An order is that day's urge: the next one counts from it.
                    let last = past.last_urge.entry(key).or_insert(n.issued_on);
                    *last = (*last).max(n.issued_on);
                }
                NoticeKind::Urge => {
                    let last = past.last_urge.entry(key).or_insert(n.issued_on);
                    *last = (*last).max(n.issued_on);
                }
                NoticeKind::Bulletin => {}
            }
        }
        past
    }
}

/// The scan for `organization` on `day` (a rest day issues nothing). `actor` is the presidium
/// running it now (`runNoticesNow`), or `None` for the schedule.
#[tracing::instrument(skip_all, fields(%organization, %day))]
pub async fn run(
    ctx: &Ctx,
    actor: Option<&Actor>,
    organization: Uuid,
    day: NaiveDate,
) -> Result<NoticeRun, AppError> {
    let mut run = NoticeRun {
        as_of: day,
        ..NoticeRun::default()
    };
    let rules = Rules::load(ctx).await?;
    if !rules.calendar.is_workday(day) {
        return Ok(run);
    }
    let settings = rules.settings_of(organization);
    let today = rules.today(organization, day);
    let ladder = Ladder {
        urge_every_working_days: settings.urge_every_working_days,
        order_after_working_days_overdue: settings.order_after_working_days_overdue,
    };
    let mut cmd = match actor {
        Some(actor) => Command::begin(ctx, actor).await?,
        None => Command::unattended(ctx).await?,
    };
    // First the counter: from here on no other scan or issuer of this organisation runs.
    let mut counter =
        Counter::<notice_sequence::Entity>::lock(&cmd, organization, day.year()).await?;
    let items = open_items(&cmd, organization, &today).await?;
    let subjects: Vec<Uuid> = items.iter().map(|i| i.id).collect();
    let earlier = notice::Entity::find()
        .filter(notice::Column::OrganizationId.eq(organization))
        .filter(notice::Column::SubjectId.is_in(subjects.iter().copied()))
        .all(cmd.db())
        .await?;
    let issued_today: HashSet<(Uuid, NoticeKind)> = earlier
        .iter()
        .filter(|n| n.issued_on == day)
        .map(|n| (n.subject_id, n.kind.0))
        .collect();
    let past = Past::of(&earlier);
    let org = organization::Entity::find_by_id(organization)
        .one(cmd.db())
        .await?
        .ok_or_else(|| AppError::not_found("organisation"))?;
    let people = ctx.people.all(&ctx.db).await?;
    let name_of = |id: Uuid| {
        people
            .iter()
            .find(|p| p.id == id)
            .map_or_else(String::new, |p| p.name.clone())
    };
    let mut overdue_by: HashMap<NaiveDate, u32> = HashMap::new();
    let words = Words {
        organization: &org.name,
        day,
        reply_due: rules
            .calendar
            .nth_workday_after(day, rules::ORDER_REPLY_WORKING_DAYS),
    };
    let mut issued = Vec::new();
    for item in &items {
        let state = item.tracked.deadline_state(&today);
        let due_by = item.tracked.due_by;
        let key = (item.id, due_by);
        let workdays_overdue = *overdue_by
            .entry(due_by)
            .or_insert_with(|| rules.calendar.workdays_between(due_by, day));
        let standing = Standing {
            state: Some(state),
            behind_pace: item.tracked.behind_pace(&today),
            workdays_overdue,
            reminded: past.reminded.contains(&key),
            ordered: past.ordered.contains(&key),
            since_last_urge: past.last_urge.get(&key).map(|&last| {
                (
                    rules.calendar.workdays_between(last, day),
                    (day - last).num_days(),
                )
            }),
        };
        for kind in rules::climb(&standing, &ladder) {
            if issued_today.contains(&(item.id, kind)) {
                continue;
            }
            let leader = name_of(item.leader);
            let (title, body) = words.of(kind, item, &leader, state, &today);
            let number = (kind == NoticeKind::SupervisionOrder).then(|| {
                let sequence = counter.take();
                (
                    rules::order_number(&rules::short_name(&org.name), day.year(), sequence),
                    sequence,
                )
            });
            issued.push(notice::Model {
                id: jiandu_domain::new_id(),
                organization_id: organization,
                kind: Stored(kind),
                level: Stored(kind.level()),
                number: number.as_ref().map(|(n, _)| n.clone()),
                year: number.as_ref().map(|_| day.year()),
                sequence: number.as_ref().map(|(_, s)| *s),
                recipient_id: item.leader,
                milestone_id: (item.kind == Kind::Milestone).then_some(item.id),
                finding_id: (item.kind == Kind::Finding).then_some(item.id),
                suggestion_id: (item.kind == Kind::Suggestion).then_some(item.id),
                contact_id: (item.kind == Kind::Contact).then_some(item.id),
                opinion_id: (item.kind == Kind::Opinion).then_some(item.id),
                subject_id: item.id,
                due_by: Some(due_by),
                title,
                body,
                issued_at: cmd.now,
                issued_on: day,
                issued_by: None,
                reply_due: number.as_ref().map(|_| words.reply_due),
                acknowledged_at: None,
                acknowledged_by: None,
                reply: None,
                replied_at: None,
                version: 1,
                updated_at: cmd.now,
            });
            run.count(kind);
        }
    }
    cmd.create_many::<notice::Entity>(&issued, Audit::new(Action::NoticeIssue))
        .await?;
    webhooks::enqueue(&mut cmd, &issued).await?;
    run.copies = copies::copy_upward(&mut cmd, &rules, organization, day).await?;
    counter.save(&cmd).await?;
    cmd.finish(run).await
}

/// The open supervised items of `organization` the ladder may act on today: milestones,
/// findings, suggestions, transferred letters and visits and deliberation opinions due soon or
/// overdue, and milestones with a start date (which may be behind pace).
async fn open_items(
    cmd: &Command<'_>,
    organization: Uuid,
    today: &Today,
) -> Result<Vec<Item>, AppError> {
    use sea_orm::Condition;
    let milestones = milestone::Entity::find()
        .filter(milestone::Column::OrganizationId.eq(organization))
        .filter(milestone::Column::IsItem.eq(true))
        .filter(milestone::Column::Status.is_in(MilestoneStatus::OPEN.map(Stored)))
        // History is not an emergency: an imported item past its deadline waits for the
        // presidium's word before the ladder acts on it.
        .filter(milestone::Column::Historical.eq(false))
        .filter(
            Condition::any()
                .add(milestone::Column::DueBy.lte(today.due_soon_until))
                .add(milestone::Column::StartDate.is_not_null()),
        )
        .all(cmd.db())
        .await?;
    let findings = finding::Entity::find()
        .filter(finding::Column::OrganizationId.eq(organization))
        .filter(finding::Column::Status.is_in(FindingStatus::OPEN.map(Stored)))
        .filter(finding::Column::Historical.eq(false))
        .filter(finding::Column::DueBy.lte(today.due_soon_until))
        .all(cmd.db())
        .await?;
    // Suggestions whose answer is awaited: assigned, not yet answered (a redo round is assigned
    // again).
    let suggestions = suggestion::Entity::find()
        .filter(suggestion::Column::OrganizationId.eq(organization))
        .filter(suggestion::Column::Status.eq(Stored(SuggestionStatus::Assigned)))
        .filter(suggestion::Column::Historical.eq(false))
        .filter(suggestion::Column::DueBy.lte(today.due_soon_until))
        .all(cmd.db())
        .await?;
    // Letters and visits transferred to a unit and not yet replied to: the unit's head answers.
    let contacts = constituent_contact::Entity::find()
        .filter(constituent_contact::Column::OrganizationId.eq(organization))
        .filter(constituent_contact::Column::Status.eq(Stored(ContactStatus::Transferred)))
        .filter(constituent_contact::Column::ReplyDue.lte(today.due_soon_until))
        .all(cmd.db())
        .await?;
    // Deliberation opinions sent to a leader whose written reply is awaited.
    let opinions = deliberation_opinion::Entity::find()
        .filter(deliberation_opinion::Column::OrganizationId.eq(organization))
        .filter(deliberation_opinion::Column::Status.eq(Stored(OpinionStatus::Sent)))
        .filter(deliberation_opinion::Column::DueBy.lte(today.due_soon_until))
        .all(cmd.db())
        .await?;
    let heads: HashMap<Uuid, Uuid> = if contacts.is_empty() {
        HashMap::new()
    } else {
        cmd.ctx
            .units
            .all(&cmd.ctx.db)
            .await?
            .iter()
            .filter_map(|u| Some((u.id, u.head_id?)))
            .collect()
    };
    let projects = items::project_titles(
        cmd.db(),
        milestones
            .iter()
            .map(|m| m.project_id)
            .chain(findings.iter().filter_map(|f| f.project_id)),
    )
    .await?;
    let mut items: Vec<Item> = milestones
        .into_iter()
        .map(|m| {
            let project = projects.get(&m.project_id);
            let mut item = Item::from(m);
            item.title = items::in_project(project, item.title);
            item
        })
        .collect();
    items.extend(findings.into_iter().map(|f| {
        let project = f.project_id.and_then(|p| projects.get(&p));
        let mut item = Item::from(f);
        item.title = items::in_project(project, item.title);
        item
    }));
    items.extend(suggestions.into_iter().filter_map(Item::of_suggestion));
    items.extend(opinions.into_iter().map(Item::of_opinion));
    items.extend(contacts.into_iter().filter_map(|c| {
        let head = c.transferred_to.and_then(|unit| heads.get(&unit).copied());
        Item::of_contact(c, head)
    }));
    Ok(items)
}

/// How far back the presidium may run the scan: the days of a week the server was down.
pub const CATCH_UP_DAYS: u32 = 7;

/// The presidium runs its organisation's scan now, for `as_of`: today in its zone when absent,
/// or a day of the last [`CATCH_UP_DAYS`] to catch up — never a day to come, whose notices would
/// go out for real. (An operator's `jiandu notices run --as-of` takes any day.)
pub async fn run_now(
    ctx: &Ctx,
    actor: &Actor,
    organization: Option<Uuid>,
    as_of: Option<NaiveDate>,
) -> Result<NoticeRun, AppError> {
    let organization = organization.unwrap_or(actor.organization_id());
    actor.reads(Some(organization))?;
    actor.access.check_manage(organization, "the notice scan")?;
    let today = actor.today_in(organization, ctx.now(), None);
    let day = match as_of {
        Some(day) if !ctx.limits.scan_any_day => catching_up(today, day)?,
        Some(day) => day,
        None => today,
    };
    run(ctx, Some(actor), organization, day).await
}

/// `day`, when the presidium may run the scan for it on `today`.
fn catching_up(today: NaiveDate, day: NaiveDate) -> Result<NaiveDate, AppError> {
    if day > today {
        return Err(AppError::invalid(
            field::AS_OF,
            Reason::InFuture { today },
            format!("must not be after today ({today}): notices go out on the day they are for"),
        ));
    }
    if (today - day).num_days() > i64::from(CATCH_UP_DAYS) {
        return Err(AppError::invalid(
            field::AS_OF,
            Reason::BackdateLimit {
                days: CATCH_UP_DAYS,
            },
            format!(
                "may go back at most {CATCH_UP_DAYS} days, to catch up days the server missed; \
                 an operator runs older days with `jiandu notices run --as-of`"
            ),
        ));
    }
    Ok(day)
}
