//! The time rules of `jiandu_domain::deadline` said again in SQL, so that lists filtered by
//! deadline state or light run as indexed range queries instead of loading rows. A test checks on
//! generated data that both say the same.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use jiandu_domain::deadline::BEHIND_PACE_POINTS;
use jiandu_domain::{DeadlineState, Light, MilestoneStatus};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, DatabaseBackend, EntityName, IdenStatic};
use uuid::Uuid;

use super::Actor;
use crate::entity::{milestone, project};

/// "Today" for each group of organisations whose calendars agree on the date.
#[derive(Debug, Clone)]
pub struct Todays(Vec<(NaiveDate, Vec<Uuid>)>);

impl Todays {
    pub fn new(
        actor: &Actor,
        organizations: &[Uuid],
        now: DateTime<Utc>,
        as_of: Option<NaiveDate>,
    ) -> Self {
        if let Some(day) = as_of {
            return Todays(vec![(day, organizations.to_vec())]);
        }
        let mut groups: BTreeMap<NaiveDate, Vec<Uuid>> = BTreeMap::new();
        for &org in organizations {
            groups
                .entry(actor.today_in(org, now, None))
                .or_default()
                .push(org);
        }
        Todays(groups.into_iter().collect())
    }

    /// `condition(today)` for each group, restricted to the group's organisations when the
    /// groups disagree (organisations in zones on different sides of midnight).
    pub fn each(
        &self,
        org_column: impl ColumnTrait,
        condition: impl Fn(NaiveDate) -> Condition,
    ) -> Condition {
        match self.0.as_slice() {
            [(today, _)] => condition(*today),
            groups => groups.iter().fold(Condition::any(), |any, (today, orgs)| {
                any.add(
                    Condition::all()
                        .add(org_column.is_in(orgs.iter().copied()))
                        .add(condition(*today)),
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

/// Milestones in `state` on `today`: the SQL twin of `Tracked::deadline_state`.
pub fn milestone_state(state: DeadlineState, today: NaiveDate, due_soon_days: u32) -> Condition {
    use milestone::Column as C;
    let soon = today + Duration::days(i64::from(due_soon_days));
    match state {
        DeadlineState::Overdue => open().add(C::Deadline.lt(today)),
        DeadlineState::DueSoon => open()
            .add(C::Deadline.gte(today))
            .add(C::Deadline.lte(soon)),
        DeadlineState::Upcoming => open().add(C::Deadline.gt(soon)),
        DeadlineState::DoneOnTime | DeadlineState::DoneLate => {
            let finished = C::Status.is_in(statuses(&MilestoneStatus::FINISHED));
            let on_time = Expr::col((milestone::Entity, C::CompletedOn))
                .lte(Expr::col((milestone::Entity, C::Deadline)));
            let compared = if state == DeadlineState::DoneOnTime {
                on_time
            } else {
                on_time.not()
            };
            Condition::all().add(finished).add(compared)
        }
        DeadlineState::Cancelled => {
            Condition::all().add(C::Status.eq(MilestoneStatus::Cancelled.as_str()))
        }
    }
}

/// Milestones in any of `states`, each judged by its own organisation's today.
pub fn milestone_states(
    states: &[DeadlineState],
    todays: &Todays,
    due_soon_days: u32,
) -> Condition {
    todays.each(milestone::Column::OrganizationId, |today| {
        states.iter().fold(Condition::any(), |any, &state| {
            any.add(milestone_state(state, today, due_soon_days))
        })
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

/// Open milestones behind pace on `today` (the SQL twin of `Tracked::behind_pace`, for items
/// not yet overdue).
fn behind_pace(backend: DatabaseBackend, today: NaiveDate) -> Condition {
    use milestone::Column as C;
    let span = day_number(backend, C::Deadline).sub(day_number(backend, C::StartDate));
    let elapsed = day_number_of(backend, today).sub(day_number(backend, C::StartDate));
    let expected_lead = Expr::col((milestone::Entity, C::Progress))
        .add(BEHIND_PACE_POINTS)
        .mul(span);
    open()
        .add(C::StartDate.is_not_null())
        .add(
            Expr::col((milestone::Entity, C::Deadline))
                .gt(Expr::col((milestone::Entity, C::StartDate))),
        )
        .add(expected_lead.lt(Expr::val(100).mul(elapsed)))
}

fn project_has_milestone(condition: Condition) -> SimpleExpr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(milestone::Entity.table_ref())
            .and_where(
                Expr::col((milestone::Entity, milestone::Column::ProjectId))
                    .equals((project::Entity, project::Column::Id)),
            )
            .cond_where(condition)
            .to_owned(),
    )
}

/// Projects whose light on `today` is `light`: the SQL twin of `rollup::project_light` over the
/// milestones' own lights.
pub fn project_light(
    backend: DatabaseBackend,
    light: Light,
    today: NaiveDate,
    due_soon_days: u32,
) -> Condition {
    use jiandu_domain::ProjectStatus;
    let closed: Vec<&str> = ProjectStatus::CLOSED.iter().map(|s| s.as_str()).collect();
    let active = project::Column::Status.is_not_in(closed.clone());
    let soon = today + Duration::days(i64::from(due_soon_days));
    let red = project_has_milestone(milestone_state(
        DeadlineState::Overdue,
        today,
        due_soon_days,
    ));
    let yellow = project_has_milestone(
        Condition::any()
            .add(open().add(milestone::Column::Deadline.lte(soon)))
            .add(behind_pace(backend, today)),
    );
    match light {
        Light::Grey => Condition::all().add(project::Column::Status.is_in(closed)),
        Light::Red => Condition::all().add(active).add(red),
        Light::Yellow => Condition::all().add(active).add(red.not()).add(yellow),
        Light::Green => Condition::all()
            .add(active)
            .add(red.not())
            .add(yellow.not()),
    }
}

/// Projects with any of `lights`, each by its own organisation's today.
pub fn project_lights(
    backend: DatabaseBackend,
    lights: &[Light],
    todays: &Todays,
    due_soon_days: u32,
) -> Condition {
    todays.each(project::Column::OrganizationId, |today| {
        lights.iter().fold(Condition::any(), |any, &light| {
            any.add(project_light(backend, light, today, due_soon_days))
        })
    })
}
