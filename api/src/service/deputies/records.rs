//! The record of each deputy's year (履职档案, docs/deputies.md): the inspections they took part
//! in, the suggestions they led or co-signed, the letters and visits they received, their visits
//! to constituents and trainings, the meetings they attended. One grouped statement per figure
//! over the organisations in scope — never one per deputy — joined to the roster here, and kept
//! like the dashboards' figures until a write in any of those organisations.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use jiandu_domain::deputies::{DutyActivityKind, DutyYear};
use jiandu_domain::report::DeputyFigures;
use jiandu_domain::suggestion::SuggestionStatus;
use jiandu_domain::{Role, field};
use sea_orm::sea_query::{Expr, Func, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};
use uuid::Uuid;

use super::super::kernel::tenant::{Owned, belongs_to};
use super::super::views::DeputyView;
use super::super::{Actor, Ctx};
use crate::entity::deputy_profile as profile;
use crate::entity::{
    Stored, constituent_contact, contact_receiver, duty_activity, inspection,
    inspection_participant, meeting, meeting_attendee, suggestion, suggestion_cosigner,
};
use crate::error::AppError;

/// One deputy's year.
#[derive(Debug, Clone)]
pub struct RecordView {
    /// The deputy (a person), of the organisation whose roster they are on.
    pub person_id: Uuid,
    pub organization_id: Uuid,
    /// Serving (在任).
    pub active: bool,
    pub year: i32,
    pub figures: DutyYear,
}

/// A deputy on a roster: all a record needs of the profile, read without the rest of it (a
/// county's 1 200 profiles in full cost more to decode than every figure costs to count).
#[derive(Debug, Clone, Copy)]
struct OnRoster {
    person: Uuid,
    organization: Uuid,
    active: bool,
}

impl From<&DeputyView> for OnRoster {
    fn from(d: &DeputyView) -> Self {
        OnRoster {
            person: d.person_id,
            organization: d.organization_id,
            active: d.active,
        }
    }
}

/// The deputies of `select`'s profiles, in roster order (by organisation and group).
async fn on_roster(ctx: &Ctx, select: Select<profile::Entity>) -> Result<Vec<OnRoster>, AppError> {
    use profile::Column as P;
    let rows: Vec<(Uuid, Uuid, bool)> = select
        .select_only()
        .column(P::PersonId)
        .column(P::OrganizationId)
        .column(P::Active)
        .order_by_asc(P::OrganizationId)
        .order_by_asc(P::GroupName)
        .order_by_asc(P::Id)
        .into_tuple()
        .all(ctx.db.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(person, organization, active)| OnRoster {
            person,
            organization,
            active,
        })
        .collect())
}

/// The records of `year` the actor may read, in roster order: every deputy's for the presidium,
/// leaders and readers; a deputy's own for a deputy.
pub async fn deputy_records(
    ctx: &Ctx,
    actor: &Actor,
    year: i32,
) -> Result<Vec<RecordView>, AppError> {
    let readable = actor.readable();
    let records = kept(ctx, readable.organizations(), year).await?;
    Ok(if actor.access.role == Role::Deputy {
        let me = actor.access.person_id;
        records
            .iter()
            .filter(|r| Some(r.person_id) == me)
            .cloned()
            .collect()
    } else {
        records.to_vec()
    })
}

/// Every record of `year` on the rosters of `orgs` (sorted), serving deputies or not: kept from
/// the last time they were counted while nothing has been written to any of `orgs` since (on
/// any replica), counted again otherwise.
async fn kept(ctx: &Ctx, orgs: &[Uuid], year: i32) -> Result<Arc<Vec<RecordView>>, AppError> {
    span(year)?;
    let key = (orgs.to_vec(), year);
    // Read before the figures, so a write committed meanwhile leaves them already stale.
    let changes = ctx.db.changes().current(orgs);
    if let Some(records) = ctx.deputy_records.get(&key, changes) {
        return Ok(records);
    }
    let roster = on_roster(
        ctx,
        profile::Entity::find().filter(belongs_to::<profile::Entity>(orgs)),
    )
    .await?;
    let records = Arc::new(records_of(ctx, orgs, year, roster).await?);
    ctx.deputy_records.put(key, changes, records.clone());
    Ok(records)
}

/// The record of the deputy `person` in `year`: NOT_FOUND for one on no roster the actor reads,
/// FORBIDDEN for a deputy asking for another's.
pub async fn deputy_record(
    ctx: &Ctx,
    actor: &Actor,
    person: Uuid,
    year: i32,
) -> Result<RecordView, AppError> {
    if actor.access.role == Role::Deputy && actor.access.person_id != Some(person) {
        return Err(AppError::Forbidden(
            "a deputy reads their own record; the presidium reads every deputy's".into(),
        ));
    }
    let deputy = super::profiles_of(ctx, actor, &[person])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::not_found("deputy"))?;
    let readable = actor.readable();
    kept(ctx, readable.organizations(), year)
        .await?
        .iter()
        .find(|r| r.person_id == deputy.person_id)
        .cloned()
        .ok_or_else(|| AppError::not_found("deputy"))
}

/// The first and last day of `year`, a year anyone plans in.
fn span(year: i32) -> Result<(NaiveDate, NaiveDate), AppError> {
    let year = crate::service::import::ledger_year(year)?;
    NaiveDate::from_ymd_opt(year, 1, 1)
        .zip(NaiveDate::from_ymd_opt(year, 12, 31))
        .ok_or_else(|| {
            AppError::invalid(
                field::YEAR,
                jiandu_domain::Reason::Implausible,
                "is not a calendar year",
            )
        })
}

/// `SELECT id FROM <table> WHERE <organisation in scope> AND <day> BETWEEN first AND last`.
fn ids_in_year<E: Owned>(
    day: E::Column,
    organizations: &[Uuid],
    (first, last): (NaiveDate, NaiveDate),
) -> SelectStatement {
    Query::select()
        .column(E::ID)
        .from(E::default())
        .and_where(belongs_to::<E>(organizations))
        .and_where(day.between(first, last))
        .to_owned()
}

/// Counts of `select`'s rows by `person`: one grouped statement.
async fn counted<E: EntityTrait>(
    ctx: &Ctx,
    select: Select<E>,
    person: E::Column,
) -> Result<HashMap<Uuid, u64>, AppError> {
    let rows: Vec<(Uuid, i64)> = select
        .select_only()
        .column(person)
        .expr(Func::count(Expr::col(person)))
        .group_by(person)
        .into_tuple()
        .all(ctx.db.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// The suggestions received in the year, withdrawn ones left out: those a record counts.
fn live(orgs: &[Uuid], (first, last): (NaiveDate, NaiveDate)) -> Condition {
    Condition::all()
        .add(belongs_to::<suggestion::Entity>(orgs))
        .add(suggestion::Column::ReceivedOn.between(first, last))
        .add(suggestion::Column::Status.ne(Stored(SuggestionStatus::Withdrawn)))
}

/// A suggestion a deputy led or co-signed, as their report names it.
#[derive(Debug, Clone)]
pub struct Signed {
    /// Led (领衔), or co-signed (联名).
    pub led: bool,
    pub number: String,
    pub title: String,
    pub status: SuggestionStatus,
}

/// The suggestions the deputy `person` led or co-signed in `year` that their record counts, in
/// the order received. The caller has read the record (`deputy_record`): access is settled.
pub async fn suggestions_signed(
    ctx: &Ctx,
    actor: &Actor,
    person: Uuid,
    year: i32,
) -> Result<Vec<Signed>, AppError> {
    let readable = actor.readable();
    let cosigned = Query::select()
        .column(suggestion_cosigner::Column::SuggestionId)
        .from(suggestion_cosigner::Entity)
        .and_where(suggestion_cosigner::Column::PersonId.eq(person))
        .to_owned();
    let rows = suggestion::Entity::find()
        .filter(live(readable.organizations(), span(year)?))
        .filter(
            Condition::any()
                .add(suggestion::Column::LeadDeputyId.eq(person))
                .add(suggestion::Column::Id.in_subquery(cosigned)),
        )
        .order_by_asc(suggestion::Column::ReceivedOn)
        .order_by_asc(suggestion::Column::Sequence)
        .all(ctx.db.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| Signed {
            led: row.lead_deputy_id == person,
            number: row.number,
            title: row.title,
            status: row.status.0,
        })
        .collect())
}

/// The year of each deputy of `roster`, counted over what the organisations `orgs` recorded.
async fn records_of(
    ctx: &Ctx,
    orgs: &[Uuid],
    year: i32,
    roster: Vec<OnRoster>,
) -> Result<Vec<RecordView>, AppError> {
    let days = span(year)?;
    if roster.is_empty() {
        return Ok(Vec::new());
    }
    let live = || live(orgs, days);
    let inspections = counted(
        ctx,
        inspection_participant::Entity::find().filter(
            inspection_participant::Column::InspectionId.in_subquery(ids_in_year::<
                inspection::Entity,
            >(
                inspection::Column::VisitedOn,
                orgs,
                days,
            )),
        ),
        inspection_participant::Column::PersonId,
    )
    .await?;
    let led = counted(
        ctx,
        suggestion::Entity::find().filter(live()),
        suggestion::Column::LeadDeputyId,
    )
    .await?;
    let cosigned = counted(
        ctx,
        suggestion_cosigner::Entity::find().filter(
            suggestion_cosigner::Column::SuggestionId.in_subquery(
                Query::select()
                    .column(suggestion::Column::Id)
                    .from(suggestion::Entity)
                    .cond_where(live())
                    .to_owned(),
            ),
        ),
        suggestion_cosigner::Column::PersonId,
    )
    .await?;
    let contacts = counted(
        ctx,
        contact_receiver::Entity::find().filter(contact_receiver::Column::ContactId.in_subquery(
            ids_in_year::<constituent_contact::Entity>(
                constituent_contact::Column::ReceivedOn,
                orgs,
                days,
            ),
        )),
        contact_receiver::Column::PersonId,
    )
    .await?;
    let meetings = counted(
        ctx,
        meeting_attendee::Entity::find().filter(meeting_attendee::Column::MeetingId.in_subquery(
            ids_in_year::<meeting::Entity>(meeting::Column::HeldOn, orgs, days),
        )),
        meeting_attendee::Column::PersonId,
    )
    .await?;
    let activities = duties_by_deputy(ctx, orgs, days).await?;
    let get = |map: &HashMap<Uuid, u64>, id: &Uuid| map.get(id).copied().unwrap_or(0);
    Ok(roster
        .into_iter()
        .map(|deputy| {
            let id = deputy.person;
            let (visits, trainings, minutes) = activities.get(&id).copied().unwrap_or_default();
            RecordView {
                person_id: id,
                organization_id: deputy.organization,
                active: deputy.active,
                figures: DutyYear {
                    inspections: get(&inspections, &id),
                    suggestions: get(&led, &id) + get(&cosigned, &id),
                    contacts_received: get(&contacts, &id),
                    constituent_visits: visits,
                    trainings,
                    training_minutes: minutes,
                    meetings_attended: get(&meetings, &id),
                },
                year,
            }
        })
        .collect())
}

/// The deputies' year for the annual report of the organisations `orgs`: the serving deputies
/// on their rosters, those with anything done, their visits and trainings.
pub async fn figures_of(ctx: &Ctx, orgs: &[Uuid], year: i32) -> Result<DeputyFigures, AppError> {
    let records = kept(ctx, orgs, year).await?;
    let serving = || records.iter().filter(|r| r.active);
    Ok(DeputyFigures {
        total: serving().count() as u64,
        active: serving().filter(|r| r.figures.total() > 0).count() as u64,
        visits: serving().map(|r| r.figures.constituent_visits).sum(),
        trainings: serving().map(|r| r.figures.trainings).sum(),
    })
}

/// Each deputy's visits, trainings and minutes of training in the year: one grouped statement,
/// grouped in the order of the index that covers it (a deputy is of one organisation), so it
/// reads the index alone and sorts nothing.
async fn duties_by_deputy(
    ctx: &Ctx,
    orgs: &[Uuid],
    (first, last): (NaiveDate, NaiveDate),
) -> Result<HashMap<Uuid, (u64, u64, u64)>, AppError> {
    use duty_activity::Column as C;
    let rows: Vec<(Uuid, Stored<DutyActivityKind>, i64, Option<i64>)> =
        duty_activity::Entity::find()
            .select_only()
            .column(C::DeputyId)
            .column(C::Kind)
            // Counted on a column of the index: the rows themselves are never read.
            .expr(Func::count(Expr::col(C::DeputyId)))
            .expr(Func::sum(Expr::col(C::Minutes)))
            .filter(belongs_to::<duty_activity::Entity>(orgs))
            .filter(C::HeldOn.between(first, last))
            .group_by(C::OrganizationId)
            .group_by(C::DeputyId)
            .group_by(C::Kind)
            .into_tuple()
            .all(ctx.db.conn())
            .await?;
    let mut by_deputy: HashMap<Uuid, (u64, u64, u64)> = HashMap::new();
    for (deputy, kind, n, minutes) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        let entry = by_deputy.entry(deputy).or_default();
        match kind.0 {
            DutyActivityKind::ConstituentVisit => entry.0 += n,
            DutyActivityKind::Training => {
                entry.1 += n;
                entry.2 += minutes.and_then(|m| u64::try_from(m).ok()).unwrap_or(0);
            }
        }
    }
    Ok(by_deputy)
}
