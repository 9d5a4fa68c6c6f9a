//! The monthly bulletin (通报, docs/reports.md): the month's figures; the items overdue on its
//! last day by unit, and apart from them those only behind pace; the findings not put right in
//! time; the suggestions whose answer is late; and the units whose every item due in the month
//! was done on time. Numbered 思人通〔2026〕N号 from its own sequence.

mod number;
mod words;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use jiandu_domain::suggestion::SuggestionStatus;
use jiandu_domain::{
    DeadlineState, FindingStatus, Light, MilestoneStatus, NoticeKind, Reason, field,
};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, QueryTrait,
};
use uuid::Uuid;

use super::Document;
use crate::entity::{
    Stored, finding, inspection, milestone, notice, project, suggestion, suggestion_answer,
};
use crate::error::AppError;
use crate::service::kernel::tenant::belongs_to;
use crate::service::views::MilestoneView;
use crate::service::{Actor, Ctx};

/// A month's bulletin of one organisation (and those below it).
pub struct BulletinView {
    pub year: i32,
    pub month: u32,
    pub organization_id: Uuid,
    /// The day it reports on: the month's last, or today while the month runs.
    pub as_of: NaiveDate,
    /// 思人通〔2026〕3号.
    pub number: String,
    pub document: Document,
}

/// Something late on the bulletin's day: an item, a finding or a suggestion.
struct Late {
    title: String,
    /// The project (an item's, a finding's), or the unit answering (a suggestion's).
    of: String,
    leader: String,
    due_by: NaiveDate,
    days: i64,
    progress: Option<u8>,
}

/// What the month holds, gathered, for [`words::document`] to say.
struct Month {
    year: i32,
    month: u32,
    last: NaiveDate,
    as_of: NaiveDate,
    issuer: String,
    number: String,
    /// Items due in the month, those done on time, and those reported done awaiting 销号.
    due: u32,
    on_time: u32,
    awaiting_sign_off: u32,
    /// Overdue on the bulletin's day, by unit.
    late_by_unit: BTreeMap<String, Vec<Late>>,
    /// Red for being behind pace, not yet due.
    behind: Vec<Late>,
    /// Per unit: items due in the month, and of them done on time.
    due_by_unit: BTreeMap<String, (u32, u32)>,
    /// Reminders, urges, orders and orders signed for, issued in the month.
    notices: [u64; 4],
    /// Findings raised in the month and put right in it; those overdue on the day.
    findings: (u64, u64),
    findings_late: Vec<Late>,
    /// Suggestions received in the month and answered in it; those whose answer is late.
    suggestions: (u64, u64),
    suggestions_late: Vec<Late>,
}

/// The bulletin of `year`-`month` for `organization_id` (the actor's own when absent).
pub async fn bulletin(
    ctx: &Ctx,
    actor: &Actor,
    year: i32,
    month: u32,
    organization_id: Option<Uuid>,
) -> Result<BulletinView, AppError> {
    let (root, readable) = actor.reads_year(year, organization_id)?;
    let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(|| {
        AppError::invalid(
            field::MONTH,
            Reason::OutOfRange { min: 1, max: 12 },
            "must be between 1 and 12",
        )
    })?;
    let orgs = readable.organizations();
    let today = actor.today_in(root, ctx.now(), None);
    if first > today {
        return Err(AppError::invalid(
            field::MONTH,
            Reason::InFuture { today },
            format!("has not begun (today is {today})"),
        ));
    }
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(first);
    let as_of = last.min(today);
    let organization = ctx
        .organizations
        .find(&ctx.db, root, |o| o.id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let names = Names::load(ctx).await?;
    let mut gathered = Month {
        year,
        month,
        last,
        as_of,
        issuer: jiandu_domain::notice::issuer(&organization),
        number: number::number_of(ctx, actor, root, &organization, year, month).await?,
        due: 0,
        on_time: 0,
        awaiting_sign_off: 0,
        late_by_unit: BTreeMap::new(),
        behind: Vec::new(),
        due_by_unit: BTreeMap::new(),
        notices: notices_of(ctx, orgs, (first, last)).await?,
        findings: (0, 0),
        findings_late: Vec::new(),
        suggestions: (0, 0),
        suggestions_late: Vec::new(),
    };
    items_of(ctx, actor, orgs, (first, last), &names, &mut gathered).await?;
    findings_of(ctx, orgs, (first, last), &names, &mut gathered).await?;
    suggestions_of(ctx, orgs, (first, last), &names, &mut gathered).await?;
    Ok(BulletinView {
        year,
        month,
        organization_id: root,
        as_of,
        number: gathered.number.clone(),
        document: words::document(&gathered),
    })
}

/// Names of people, units and projects, as the bulletin says them.
struct Names {
    people: HashMap<Uuid, String>,
    units: HashMap<Uuid, String>,
}

impl Names {
    async fn load(ctx: &Ctx) -> Result<Names, AppError> {
        let people = ctx.people.all(&ctx.db).await?;
        let units = ctx.units.all(&ctx.db).await?;
        Ok(Names {
            people: people.iter().map(|p| (p.id, p.name.clone())).collect(),
            units: units.iter().map(|u| (u.id, u.name.clone())).collect(),
        })
    }

    fn person(&self, id: Uuid) -> String {
        self.people.get(&id).cloned().unwrap_or_default()
    }

    fn unit(&self, id: Uuid) -> String {
        self.units.get(&id).cloned().unwrap_or_default()
    }
}

async fn project_titles(
    ctx: &Ctx,
    ids: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, AppError> {
    Ok(project::Entity::find()
        .filter(project::Column::Id.is_in(ids.collect::<Vec<_>>()))
        .all(ctx.db.conn())
        .await?
        .into_iter()
        .map(|p| (p.id, p.title))
        .collect())
}

/// The items open in the month or closed in it: those due in it counted, those red on the day
/// listed — overdue by unit, behind pace apart.
async fn items_of(
    ctx: &Ctx,
    actor: &Actor,
    orgs: &[Uuid],
    (first, last): (NaiveDate, NaiveDate),
    names: &Names,
    month: &mut Month,
) -> Result<(), AppError> {
    let items: Vec<MilestoneView> = milestone::Entity::find()
        .filter(belongs_to::<milestone::Entity>(orgs))
        .filter(milestone::Column::IsItem.eq(true))
        .filter(milestone::Column::Status.ne(Stored(MilestoneStatus::Cancelled)))
        .filter(
            Condition::any()
                .add(milestone::Column::CompletedOn.is_null())
                .add(milestone::Column::CompletedOn.gte(first)),
        )
        .all(ctx.db.conn())
        .await?
        .into_iter()
        .map(MilestoneView::from)
        .collect();
    let projects = project_titles(ctx, items.iter().map(|m| m.project_id)).await?;
    for item in &items {
        let day = actor.rules.today(item.organization_id, month.as_of);
        let tracked = item.tracked();
        let unit_name = names.unit(item.responsible_unit_id);
        let state = tracked.deadline_state(&day);
        let late = || Late {
            title: item.title.clone(),
            of: projects.get(&item.project_id).cloned().unwrap_or_default(),
            leader: names.person(item.responsible_leader_id),
            due_by: item.due_by,
            days: tracked.days_overdue(month.as_of),
            progress: Some(item.progress),
        };
        if state == DeadlineState::Overdue {
            month
                .late_by_unit
                .entry(unit_name.clone())
                .or_default()
                .push(late());
        } else if tracked.light(&day) == Light::Red {
            month.behind.push(late());
        }
        if (first..=last).contains(&item.on_time_due_by) {
            month.due += 1;
            // 办结 by the organisation's own rule: signed off where sign-off is required, as the
            // dashboard and the year's figures count it; reported done, it waits for 销号.
            let concluded = day.concluded().contains(&item.status);
            let done = concluded && state == DeadlineState::DoneOnTime;
            month.on_time += u32::from(done);
            let reported = matches!(
                item.status,
                MilestoneStatus::Done | MilestoneStatus::Verified
            );
            month.awaiting_sign_off += u32::from(reported && !concluded);
            let counts = month.due_by_unit.entry(unit_name).or_default();
            counts.0 += 1;
            counts.1 += u32::from(done);
        }
    }
    month.behind.sort_by_key(|l| l.due_by);
    Ok(())
}

/// Reminders, urges, orders and orders signed for, issued in the month.
async fn notices_of(
    ctx: &Ctx,
    orgs: &[Uuid],
    (first, last): (NaiveDate, NaiveDate),
) -> Result<[u64; 4], AppError> {
    let issued = |kind: NoticeKind| {
        notice::Entity::find()
            .filter(belongs_to::<notice::Entity>(orgs))
            .filter(notice::Column::Kind.eq(Stored(kind)))
            .filter(notice::Column::IssuedOn.between(first, last))
    };
    let db = ctx.db.conn();
    Ok([
        issued(NoticeKind::Reminder).count(db).await?,
        issued(NoticeKind::Urge).count(db).await?,
        issued(NoticeKind::SupervisionOrder).count(db).await?,
        issued(NoticeKind::SupervisionOrder)
            .filter(notice::Column::AcknowledgedAt.is_not_null())
            .count(db)
            .await?,
    ])
}

/// Findings raised by the month's inspections, those put right in the month, and those open
/// past their deadline on the day (imported ones awaiting confirmation left out).
async fn findings_of(
    ctx: &Ctx,
    orgs: &[Uuid],
    (first, last): (NaiveDate, NaiveDate),
    names: &Names,
    month: &mut Month,
) -> Result<(), AppError> {
    use finding::Column as F;
    let db = ctx.db.conn();
    let visited = Query::select()
        .column(inspection::Column::Id)
        .from(inspection::Entity)
        .and_where(belongs_to::<inspection::Entity>(orgs))
        .and_where(inspection::Column::VisitedOn.between(first, last))
        .to_owned();
    let of_orgs = || finding::Entity::find().filter(belongs_to::<finding::Entity>(orgs));
    let raised = of_orgs()
        .filter(F::InspectionId.in_subquery(visited))
        .count(db)
        .await?;
    let put_right = of_orgs()
        .filter(F::ResolvedOn.between(first, last))
        .count(db)
        .await?;
    month.findings = (raised, put_right);
    let finished = FindingStatus::FINISHED.map(|s| s.as_str());
    let late = of_orgs()
        .filter(F::Status.is_not_in(finished))
        .filter(F::DueBy.lt(month.as_of))
        .filter(F::Historical.eq(false))
        .all(db)
        .await?;
    let projects = project_titles(ctx, late.iter().filter_map(|f| f.project_id)).await?;
    month.findings_late = late
        .into_iter()
        .map(|f| Late {
            of: f
                .project_id
                .and_then(|p| projects.get(&p).cloned())
                .unwrap_or_default(),
            leader: names.person(f.responsible_leader_id),
            due_by: f.due_by,
            days: (month.as_of - f.due_by).num_days(),
            progress: None,
            title: f.description,
        })
        .collect();
    month.findings_late.sort_by_key(|l| l.due_by);
    Ok(())
}

/// Suggestions received in the month, answers given in it, and those assigned whose answer is
/// past due on the day (imported ones awaiting confirmation left out).
async fn suggestions_of(
    ctx: &Ctx,
    orgs: &[Uuid],
    (first, last): (NaiveDate, NaiveDate),
    names: &Names,
    month: &mut Month,
) -> Result<(), AppError> {
    use suggestion::Column as S;
    let db = ctx.db.conn();
    let of_orgs = || suggestion::Entity::find().filter(belongs_to::<suggestion::Entity>(orgs));
    let received = of_orgs()
        .filter(S::ReceivedOn.between(first, last))
        .filter(S::Status.ne(Stored(SuggestionStatus::Withdrawn)))
        .count(db)
        .await?;
    let ours = of_orgs().select_only().column(S::Id).into_query();
    let answered = suggestion_answer::Entity::find()
        .filter(suggestion_answer::Column::SuggestionId.in_subquery(ours))
        .filter(suggestion_answer::Column::AnsweredOn.between(first, last))
        .count(db)
        .await?;
    month.suggestions = (received, answered);
    let late = of_orgs()
        .filter(S::Status.eq(Stored(SuggestionStatus::Assigned)))
        .filter(S::DueBy.lt(month.as_of))
        .filter(S::Historical.eq(false))
        .all(db)
        .await?;
    month.suggestions_late = late
        .into_iter()
        .filter_map(|s| {
            let due_by = s.due_by?;
            Some(Late {
                title: format!("{}号建议《{}》", s.number, s.title),
                of: s.lead_unit_id.map(|u| names.unit(u)).unwrap_or_default(),
                leader: s
                    .responsible_leader_id
                    .map(|p| names.person(p))
                    .unwrap_or_default(),
                due_by,
                days: (month.as_of - due_by).num_days(),
                progress: None,
            })
        })
        .collect();
    month.suggestions_late.sort_by_key(|l| l.due_by);
    Ok(())
}
