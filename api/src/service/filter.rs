//! The time rules of `jiandu_domain::deadline` said again in SQL, so that lists of milestones and
//! findings filtered by deadline state or light run as indexed range queries on the stored
//! `due_by` instead of loading rows. What the calendar and an organisation's settings make of a
//! day (the last due-soon day, the pace thresholds) is worked out in Rust, per group of
//! organisations that agree on it, and passed as values. A test checks on generated data that
//! both say the same.

mod projects;

pub use projects::{
    figures_by_project, finding_rank_by_project, project_light, project_lights,
    worst_light_by_project,
};

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use jiandu_domain::rollup::Tally;
use jiandu_domain::suggestion::SuggestionStatus;
use jiandu_domain::{DeadlineState, FindingStatus, MilestoneStatus, Today};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, DatabaseBackend, IdenStatic};
use uuid::Uuid;

use super::Actor;
use crate::entity::{finding, milestone, suggestion};

/// "Today" for each group of organisations that agree on the date and on what their rules make
/// of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Todays(Vec<(Today, Vec<Uuid>)>);

impl Todays {
    pub fn new(
        actor: &Actor,
        organizations: &[Uuid],
        now: DateTime<Utc>,
        as_of: Option<NaiveDate>,
    ) -> Self {
        Todays::of(
            organizations
                .iter()
                .map(|&org| (actor.judging_day(org, now, as_of), org)),
        )
    }

    /// Each organisation on its day, grouped as given.
    pub fn of(days: impl IntoIterator<Item = (Today, Uuid)>) -> Self {
        let mut groups: BTreeMap<Today, Vec<Uuid>> = BTreeMap::new();
        for (day, org) in days {
            groups.entry(day).or_default().push(org);
        }
        Todays(groups.into_iter().collect())
    }

    /// Each organisation with its day.
    pub fn days(&self) -> impl Iterator<Item = (Today, Uuid)> + '_ {
        self.0
            .iter()
            .flat_map(|(day, orgs)| orgs.iter().map(move |&org| (*day, org)))
    }

    /// `condition(today)` for each group, restricted to the group's organisations when the
    /// groups disagree (organisations in zones on different sides of midnight, or with
    /// different settings).
    pub fn each(
        &self,
        org_column: impl ColumnTrait,
        condition: impl Fn(&Today) -> Condition,
    ) -> Condition {
        match self.0.as_slice() {
            [(today, _)] => condition(today),
            groups => groups.iter().fold(Condition::any(), |any, (today, orgs)| {
                any.add(
                    Condition::all()
                        .add(org_column.is_in(orgs.iter().copied()))
                        .add(condition(today)),
                )
            }),
        }
    }
}

fn statuses(list: &[MilestoneStatus]) -> Vec<&'static str> {
    list.iter().map(|s| s.as_str()).collect()
}

fn open() -> Condition {
    Condition::all().add(milestone::Column::Status.is_in(statuses(&MilestoneStatus::OPEN)))
}

/// Where a tracked kind of record (milestones, findings) keeps what its deadline state depends
/// on.
struct Tracking<C> {
    status: C,
    due_by: C,
    /// What a finished record is judged on time against.
    on_time_due_by: C,
    /// The completion day in the organisation's zone.
    done_on: C,
    open: Vec<&'static str>,
    finished: Vec<&'static str>,
    cancelled: Option<&'static str>,
}

impl Tracking<milestone::Column> {
    fn milestones() -> Self {
        use milestone::Column as C;
        Tracking {
            status: C::Status,
            due_by: C::DueBy,
            on_time_due_by: C::OnTimeDueBy,
            done_on: C::CompletedOn,
            open: statuses(&MilestoneStatus::OPEN),
            finished: statuses(&MilestoneStatus::FINISHED),
            cancelled: Some(MilestoneStatus::Cancelled.as_str()),
        }
    }
}

impl Tracking<finding::Column> {
    fn findings() -> Self {
        use finding::Column as C;
        let names = |list: &[FindingStatus]| list.iter().map(|s| s.as_str()).collect();
        Tracking {
            status: C::Status,
            due_by: C::DueBy,
            on_time_due_by: C::OnTimeDueBy,
            done_on: C::ResolvedOn,
            open: names(&FindingStatus::OPEN),
            finished: names(&FindingStatus::FINISHED),
            cancelled: None,
        }
    }
}

impl Tracking<suggestion::Column> {
    /// A suggestion's answer deadline: open while assigned (a redo round reopens it), done once
    /// answered, cancelled when withdrawn after it was assigned.
    fn suggestions() -> Self {
        use suggestion::Column as C;
        let names = |list: &[SuggestionStatus]| list.iter().map(|s| s.as_str()).collect();
        Tracking {
            status: C::Status,
            due_by: C::DueBy,
            on_time_due_by: C::OnTimeDueBy,
            done_on: C::AnsweredOn,
            open: names(&[SuggestionStatus::Assigned]),
            finished: names(&[SuggestionStatus::Answered, SuggestionStatus::Concluded]),
            cancelled: Some(SuggestionStatus::Withdrawn.as_str()),
        }
    }
}

impl<C: ColumnTrait> Tracking<C> {
    /// Records in `state` on `today`: the SQL twin of `Tracked::deadline_state`.
    fn state(&self, state: DeadlineState, today: &Today) -> Condition {
        let soon = today.due_soon_until;
        let open = || Condition::all().add(self.status.is_in(self.open.clone()));
        match state {
            DeadlineState::Overdue => open().add(self.due_by.lt(today.date)),
            DeadlineState::DueSoon => open()
                .add(self.due_by.gte(today.date))
                .add(self.due_by.lte(soon)),
            DeadlineState::Upcoming => open().add(self.due_by.gt(soon)),
            DeadlineState::DoneOnTime | DeadlineState::DoneLate => {
                let finished = self.status.is_in(self.finished.clone());
                let on_time = Expr::col(self.done_on.as_column_ref())
                    .lte(Expr::col(self.on_time_due_by.as_column_ref()));
                let compared = if state == DeadlineState::DoneOnTime {
                    on_time
                } else {
                    on_time.not()
                };
                Condition::all().add(finished).add(compared)
            }
            DeadlineState::Cancelled => match self.cancelled {
                Some(cancelled) => Condition::all().add(self.status.eq(cancelled)),
                None => Condition::all().add(Expr::val(1).eq(2)),
            },
        }
    }

    /// Records in any of `states`, each judged by its own organisation's today.
    fn states(&self, org_column: C, states: &[DeadlineState], todays: &Todays) -> Condition {
        todays.each(org_column, |today| {
            states.iter().fold(Condition::any(), |any, &state| {
                any.add(self.state(state, today))
            })
        })
    }
}

/// Milestones in `state` on `today`: the SQL twin of `Tracked::deadline_state`.
pub fn milestone_state(state: DeadlineState, today: &Today) -> Condition {
    Tracking::milestones().state(state, today)
}

/// Findings in any of `states`, each judged by its own organisation's today.
pub fn finding_states(states: &[DeadlineState], todays: &Todays) -> Condition {
    Tracking::findings().states(finding::Column::OrganizationId, states, todays)
}

/// Milestones in any of `states`, each judged by its own organisation's today.
pub fn milestone_states(states: &[DeadlineState], todays: &Todays) -> Condition {
    Tracking::milestones().states(milestone::Column::OrganizationId, states, todays)
}

/// Suggestions in any of `states`, each judged by its own organisation's today; one not yet
/// assigned has no deadline and so no state.
pub fn suggestion_states(states: &[DeadlineState], todays: &Todays) -> Condition {
    Condition::all()
        .add(suggestion::Column::DueBy.is_not_null())
        .add(Tracking::suggestions().states(suggestion::Column::OrganizationId, states, todays))
}

/// Milestones counted under `tally` on `today`: the SQL twin of `Tally::holds` (items only are
/// counted, which the caller's scope says).
fn milestone_tally(tally: Tally, today: &Today) -> Condition {
    use milestone::Column as C;
    let concluded = || C::Status.is_in(statuses(today.concluded()));
    let on_time = || {
        Expr::col((milestone::Entity, C::CompletedOn))
            .lte(Expr::col((milestone::Entity, C::OnTimeDueBy)))
    };
    let due = || {
        Condition::all()
            .add(C::Status.ne(MilestoneStatus::Cancelled.as_str()))
            .add(C::OnTimeDueBy.lte(today.date))
    };
    match tally {
        Tally::Total => Condition::all(),
        Tally::Upcoming => milestone_state(DeadlineState::Upcoming, today),
        Tally::DueSoon => milestone_state(DeadlineState::DueSoon, today),
        Tally::Overdue => milestone_state(DeadlineState::Overdue, today),
        Tally::ConcludedOnTime => Condition::all().add(concluded()).add(on_time()),
        Tally::ConcludedLate => Condition::all().add(concluded()).add(on_time().not()),
        Tally::Cancelled => milestone_state(DeadlineState::Cancelled, today),
        Tally::PendingSignOff => Condition::all().add(C::Status.is_in(statuses(&[
            MilestoneStatus::Done,
            MilestoneStatus::Verified,
        ]))),
        Tally::Closed => Condition::all().add(C::Status.eq(MilestoneStatus::Closed.as_str())),
        Tally::Due => due(),
        Tally::DueConcludedOnTime => due().add(concluded()).add(on_time()),
    }
}

/// Milestones counted under `tally`, each by its own organisation's today and rules.
pub fn milestone_tallies(tally: Tally, todays: &Todays) -> Condition {
    todays.each(milestone::Column::OrganizationId, |today| {
        milestone_tally(tally, today)
    })
}

/// A day number for a date column or value, in the backend's own date arithmetic.
fn day_number(backend: DatabaseBackend, column: milestone::Column) -> SimpleExpr {
    let name = format!("\"milestone\".\"{}\"", column.as_str());
    match backend {
        DatabaseBackend::Postgres => Expr::cust(format!("({name} - DATE '2000-01-01')")),
        _ => Expr::cust(format!("julianday({name})")),
    }
}

fn day_number_of(backend: DatabaseBackend, day: NaiveDate) -> SimpleExpr {
    // A `NaiveDate` always prints as YYYY-MM-DD digits, so inlining it is safe.
    match backend {
        DatabaseBackend::Postgres => Expr::cust(format!("(DATE '{day}' - DATE '2000-01-01')")),
        _ => Expr::cust(format!("julianday('{day}')")),
    }
}

/// Open milestones behind pace by more than `points` on `today` (the SQL twin of
/// `Tracked::behind_pace_by_more_than`, for items not yet overdue).
fn behind_pace(backend: DatabaseBackend, today: NaiveDate, points: u32) -> Condition {
    use milestone::Column as C;
    let span = day_number(backend, C::DueBy).sub(day_number(backend, C::StartDate));
    let elapsed = day_number_of(backend, today).sub(day_number(backend, C::StartDate));
    let expected_lead = Expr::col((milestone::Entity, C::Progress))
        .add(i64::from(points))
        .mul(span);
    open()
        .add(C::StartDate.is_not_null())
        .add(
            Expr::col((milestone::Entity, C::DueBy))
                .gt(Expr::col((milestone::Entity, C::StartDate))),
        )
        .add(expected_lead.lt(Expr::val(100).mul(elapsed)))
}

/// Open milestones whose own light on `today` is RED: overdue, or far behind pace.
fn milestone_red(backend: DatabaseBackend, today: &Today) -> Condition {
    Condition::any()
        .add(milestone_state(DeadlineState::Overdue, today))
        .add(behind_pace(backend, today.date, today.pace.red_points))
}

/// Open milestones whose own light on `today` is at least YELLOW: due soon (or overdue), or
/// behind pace.
fn milestone_yellow_or_worse(backend: DatabaseBackend, today: &Today) -> Condition {
    Condition::any()
        .add(open().add(milestone::Column::DueBy.lte(today.due_soon_until)))
        .add(behind_pace(backend, today.date, today.pace.yellow_points))
}
