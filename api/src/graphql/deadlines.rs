//! The deadline fields a `Milestone` and a `Finding` share, written once: the days an item is
//! judged by and how it stands on a day (docs/rules.md §2). Each object flattens them in with
//! `#[graphql(flatten)]`, so they are that object's own fields in the schema.

use async_graphql::{Context, Object};
use chrono::NaiveDate;
use jiandu_domain::deadline::Tracked;

use super::context::{self, Timing};
use super::scalars::{Date, DeadlineState};

/// One tracked item's deadline record: what is stored, and what follows from it on a day.
pub struct Deadlines {
    pub organization_id: uuid::Uuid,
    pub tracked: Tracked,
    /// The day the answers are for when a query gives no `asOf` of its own (a dashboard's day);
    /// none means today.
    pub day: Option<NaiveDate>,
    pub original_deadline: NaiveDate,
    pub on_time_deadline: NaiveDate,
    pub due_by: NaiveDate,
    pub times_rescheduled: i32,
}

impl Deadlines {
    /// How the item stands on `as_of`, the object's day, or today, by its organisation's rules.
    pub fn timing(&self, ctx: &Context<'_>, as_of: Option<Date>) -> async_graphql::Result<Timing> {
        context::timing(
            ctx,
            self.organization_id,
            self.tracked,
            as_of.map(|d| d.0).or(self.day),
        )
    }
}

#[Object]
impl Deadlines {
    /// The deadline first set; it stays visible however often the item slips.
    async fn original_deadline(&self) -> Date {
        Date(self.original_deadline)
    }

    /// the deadline that on-time figures are judged against: moves made after a deadline had
    /// passed do not count
    async fn on_time_deadline(&self) -> Date {
        Date(self.on_time_deadline)
    }

    /// the day by which it must be done: the deadline, moved past rest days when the
    /// organisation says so (rollDeadlinesOffRestDays); lights and overdue days follow it
    async fn due_by(&self) -> Date {
        Date(self.due_by)
    }

    async fn times_rescheduled(&self) -> i32 {
        self.times_rescheduled
    }

    async fn deadline_state(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<DeadlineState> {
        Ok(self.timing(ctx, as_of)?.state().into())
    }

    async fn days_overdue(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<i32> {
        Ok(self.timing(ctx, as_of)?.days_overdue())
    }

    /// days until the deadline; null once closed
    async fn days_left(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<Option<i32>> {
        Ok(self.timing(ctx, as_of)?.days_left())
    }
}
