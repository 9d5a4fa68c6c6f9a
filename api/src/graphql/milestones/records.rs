//! What hangs off a milestone: its deadline changes and progress reports, and counts of
//! milestones by state.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use jiandu_domain::rollup::Counts;

use crate::graphql::accounts::{User, user};
use crate::graphql::args::int;
use crate::graphql::scalars::{Date, to_id};
use crate::service::views::{DeadlineChangeView, ProgressReportView};

pub struct DeadlineChange(pub DeadlineChangeView);

#[Object]
impl DeadlineChange {
    async fn from(&self) -> Date {
        Date(self.0.from)
    }

    async fn to(&self) -> Date {
        Date(self.0.to)
    }

    async fn reason(&self) -> &str {
        &self.0.reason
    }

    async fn changed_by(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        user(ctx, self.0.changed_by).await
    }

    async fn changed_at(&self) -> DateTime<Utc> {
        self.0.changed_at
    }

    /// made after the deadline in force had already passed (逾期后调整)
    async fn late_change(&self) -> bool {
        self.0.late_change
    }

    /// The extension request whose approval made this move.
    async fn extension_request(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::graphql::extensions::ExtensionRequest>> {
        crate::graphql::extensions::by_id(ctx, self.0.extension_request_id).await
    }
}

pub struct ProgressReport(pub ProgressReportView);

#[Object]
impl ProgressReport {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn progress(&self) -> i32 {
        i32::from(self.0.progress)
    }

    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    async fn reported_by(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        user(ctx, self.0.reported_by).await
    }

    async fn reported_at(&self) -> DateTime<Utc> {
        self.0.reported_at
    }
}

pub struct MilestoneCounts(pub Counts);

#[Object]
impl MilestoneCounts {
    /// supervised items (leaf milestones); a parent only sums up its children and is not counted
    async fn total(&self) -> i32 {
        int(self.0.total)
    }

    async fn open(&self) -> i32 {
        int(self.0.open)
    }

    /// 办结: signed off (销号), or reported done where the organisation does not require sign-off
    async fn done(&self) -> i32 {
        int(self.0.done)
    }

    async fn done_on_time(&self) -> i32 {
        int(self.0.done_on_time)
    }

    async fn done_late(&self) -> i32 {
        int(self.0.done_late)
    }

    async fn overdue(&self) -> i32 {
        int(self.0.overdue)
    }

    async fn due_soon(&self) -> i32 {
        int(self.0.due_soon)
    }

    /// reported done or checked, waiting for the presidium's sign-off
    async fn pending_sign_off(&self) -> i32 {
        int(self.0.pending_sign_off)
    }

    /// items signed off
    async fn closed(&self) -> i32 {
        int(self.0.closed)
    }

    async fn cancelled(&self) -> i32 {
        int(self.0.cancelled)
    }

    /// items whose on-time deadline (as rolled off rest days) has come, CANCELLED excluded: the
    /// denominator of onTimeRate
    async fn due(&self) -> i32 {
        int(self.0.due)
    }

    /// of those, the items concluded (办结: signed off, or reported done where the organisation
    /// does not require sign-off) on or before it: the numerator of onTimeRate
    async fn closed_on_time(&self) -> i32 {
        int(self.0.closed_on_time)
    }

    /// 按期办结率: items signed off by their on-time deadline / items whose on-time
    /// deadline has come, 0..1; null when none is due
    async fn on_time_rate(&self) -> Option<f64> {
        self.0.on_time_rate()
    }
}
