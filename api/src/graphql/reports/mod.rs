//! What leaders ask: `dashboard` and `annualReport`.

mod resolvers;

pub use resolvers::{ReportsMutation, ReportsQuery};

use async_graphql::{Context, Object, SimpleObject};
use jiandu_domain::DeadlineState as State;
use jiandu_domain::Reason;
use jiandu_domain::field;
use jiandu_domain::report::{YearFigures, percent};

use crate::error::AppError;
use crate::graphql::args::int;
use crate::graphql::connection::shows;
use crate::graphql::context;
use crate::graphql::error::GqlResult;
use crate::graphql::milestones::{Milestone, MilestoneCounts};
use crate::graphql::organizations::{
    Organization, Person, Unit, organization, required_person, required_unit,
};
use crate::graphql::scalars::{Date, InspectionKind, Light};
use crate::service::reports::{self, Dashboard as Figures, OrganizationFigures};

#[derive(SimpleObject)]
pub struct LightCount {
    light: Light,
    count: i32,
}

#[derive(SimpleObject)]
pub struct KindCount {
    kind: InspectionKind,
    count: i32,
}

/// One responsible leader's milestones.
pub struct LeaderLoad(uuid::Uuid, MilestoneCounts);

#[Object]
impl LeaderLoad {
    async fn leader(&self, ctx: &Context<'_>) -> async_graphql::Result<Person> {
        required_person(ctx, self.0).await
    }

    async fn counts(&self) -> &MilestoneCounts {
        &self.1
    }
}

/// One responsible unit's milestones.
pub struct UnitLoad(uuid::Uuid, MilestoneCounts);

#[Object]
impl UnitLoad {
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Unit> {
        required_unit(ctx, self.0).await
    }

    async fn counts(&self) -> &MilestoneCounts {
        &self.1
    }
}

/// One organisation's figures within a dashboard (a county's townships).
pub struct OrganizationLoad(uuid::Uuid, OrganizationFigures);

#[Object]
impl OrganizationLoad {
    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        organization(ctx, self.0).await
    }

    async fn project_count(&self) -> i32 {
        int(self.1.project_count)
    }

    async fn milestones(&self) -> MilestoneCounts {
        MilestoneCounts(self.1.milestones)
    }

    async fn open_findings(&self) -> i32 {
        int(self.1.open_findings)
    }

    async fn overdue_findings(&self) -> i32 {
        int(self.1.overdue_findings)
    }
}

/// What is late, whose, by how much: the figures of an organisation and those below it.
pub struct Dashboard(std::sync::Arc<Figures>);

shows!(Dashboard: std::sync::Arc<Figures>);

impl Dashboard {
    async fn list(
        &self,
        ctx: &Context<'_>,
        state: State,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<Milestone>> {
        let first = match first {
            None => 10,
            Some(n @ 0..=100) => n as u64,
            Some(_) => {
                return Err(AppError::invalid(
                    field::FIRST,
                    Reason::OutOfRange { min: 0, max: 100 },
                    "must be between 0 and 100",
                ))
                .gql();
            }
        };
        let rows = reports::dashboard_list(context::service(ctx)?, &self.0, state, first)
            .await
            .gql()?;
        Ok(rows
            .into_iter()
            .map(|m| match self.0.asked_as_of {
                Some(day) => Milestone::on(m, day),
                None => Milestone::from(m),
            })
            .collect())
    }
}

impl Dashboard {
    /// Open suggestions and overdue ones, each organisation judged on its own day.
    async fn suggestions(&self, ctx: &Context<'_>) -> async_graphql::Result<(u64, u64)> {
        let days: std::collections::HashMap<uuid::Uuid, chrono::NaiveDate> = self
            .0
            .todays
            .days()
            .map(|(today, org)| (org, today.date))
            .collect();
        let as_of = self.0.as_of;
        crate::service::suggestions::open_and_overdue(
            context::service(ctx)?,
            context::actor(ctx)?,
            &self.0.organizations,
            |org| days.get(&org).copied().unwrap_or(as_of),
        )
        .await
        .gql()
    }
}

#[Object]
impl Dashboard {
    /// The day the figures are for.
    async fn as_of(&self) -> Date {
        Date(self.0.as_of)
    }

    /// Milestones reported done or checked, waiting for the presidium's sign-off.
    async fn pending_sign_off(&self) -> i32 {
        int(self.0.milestones.pending_sign_off)
    }

    /// Extension requests waiting for the presidium's decision (now, whatever `asOf`).
    async fn pending_extensions(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let count = crate::service::extensions::pending_count(
            context::service(ctx)?,
            context::actor(ctx)?,
            &self.0.organizations,
        );
        Ok(int(count.await.gql()?))
    }

    /// Supervision orders (督办单) not yet acknowledged by their recipients (now, whatever
    /// `asOf`).
    async fn unacknowledged_orders(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let count = crate::service::notices::unacknowledged_orders(
            context::service(ctx)?,
            context::actor(ctx)?,
            &self.0.organizations,
        );
        Ok(int(count.await.gql()?))
    }

    /// Deputies' suggestions still being handled (neither concluded nor withdrawn).
    async fn open_suggestions(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(int(self.suggestions(ctx).await?.0))
    }

    /// Of those, the ones whose answer is overdue on the dashboard's day.
    async fn overdue_suggestions(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(int(self.suggestions(ctx).await?.1))
    }

    async fn project_count(&self) -> i32 {
        int(self.0.project_count)
    }

    /// RED, YELLOW, GREEN and GREY, each with its number of projects.
    async fn projects_by_light(&self) -> Vec<LightCount> {
        self.0
            .projects_by_light
            .iter()
            .map(|(light, n)| LightCount {
                light: (*light).into(),
                count: int(*n),
            })
            .collect()
    }

    async fn milestones(&self) -> MilestoneCounts {
        MilestoneCounts(self.0.milestones)
    }

    /// Responsible leaders, most overdue first (then most due soon, then most open).
    async fn by_leader(&self) -> Vec<LeaderLoad> {
        self.0
            .by_leader
            .iter()
            .map(|(id, counts)| LeaderLoad(*id, MilestoneCounts(*counts)))
            .collect()
    }

    /// Responsible units, most overdue first.
    async fn by_unit(&self) -> Vec<UnitLoad> {
        self.0
            .by_unit
            .iter()
            .map(|(id, counts)| UnitLoad(*id, MilestoneCounts(*counts)))
            .collect()
    }

    /// The asked organisation first, then each one below it by name.
    async fn by_organization(&self) -> Vec<OrganizationLoad> {
        self.0
            .by_organization
            .iter()
            .map(|(id, figures)| OrganizationLoad(*id, figures.clone()))
            .collect()
    }

    /// Overdue milestones, longest overdue first (default 10, at most 100).
    async fn overdue(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<Milestone>> {
        self.list(ctx, State::Overdue, first).await
    }

    /// Milestones due soon, nearest deadline first (default 10, at most 100).
    async fn due_soon(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<Milestone>> {
        self.list(ctx, State::DueSoon, first).await
    }

    async fn open_findings(&self) -> i32 {
        int(self.0.open_findings)
    }

    async fn overdue_findings(&self) -> i32 {
        int(self.0.overdue_findings)
    }
}

/// The year-end figures for the work report (人大工作总结).
pub struct AnnualReport(YearFigures);

shows!(AnnualReport: YearFigures);

#[Object]
impl AnnualReport {
    async fn year(&self) -> i32 {
        self.0.year
    }

    /// Inspections visited in the year.
    async fn inspections(&self) -> i32 {
        int(self.0.inspections())
    }

    /// Every kind, zeros included.
    async fn inspections_by_kind(&self) -> Vec<KindCount> {
        self.0
            .inspections_by_kind
            .iter()
            .map(|(kind, n)| KindCount {
                kind: (*kind).into(),
                count: int(*n),
            })
            .collect()
    }

    /// supervised items (leaf milestones) whose on-time deadline, as rolled off rest days, falls in
    /// the year; CANCELLED excluded
    async fn items_due(&self) -> i32 {
        int(self.0.items_due)
    }

    /// of itemsDue, those concluded (办结: signed off, or reported done where sign-off is not
    /// required) on or before their on-time deadline
    async fn items_closed_on_time(&self) -> i32 {
        int(self.0.items_closed_on_time)
    }

    /// 按期办结率: itemsClosedOnTime / itemsDue, 0..1; null when none was due
    async fn on_time_closed_rate(&self) -> Option<f64> {
        self.0.on_time_closed_rate()
    }

    #[graphql(deprecation = "the same as itemsDue")]
    async fn milestones_due(&self) -> i32 {
        int(self.0.items_due)
    }

    #[graphql(deprecation = "the same as itemsClosedOnTime")]
    async fn milestones_done_on_time(&self) -> i32 {
        int(self.0.items_closed_on_time)
    }

    /// 按期办结率 = itemsClosedOnTime / itemsDue, 0..1 (the same as onTimeClosedRate); null when
    /// nothing was due
    async fn on_time_rate(&self) -> Option<f64> {
        self.0.on_time_closed_rate()
    }

    /// The on-time rate as the report writes it, e.g. "91.7%".
    async fn on_time_rate_text(&self) -> Option<String> {
        self.0.on_time_closed_rate().map(percent)
    }

    /// Findings raised by the year's inspections.
    async fn findings_raised(&self) -> i32 {
        int(self.0.findings_raised)
    }

    /// Of findingsRaised, those reported rectified or verified since (one cohort).
    async fn findings_resolved(&self) -> i32 {
        int(self.0.findings_resolved)
    }

    /// findings raised in the year that are verified (one cohort): 已整改落实
    async fn findings_verified(&self) -> i32 {
        int(self.0.findings_verified)
    }

    /// 整改率: findingsVerified / findingsRaised, 0..1; null when none was raised
    async fn rectification_rate(&self) -> Option<f64> {
        self.0.rectification_rate()
    }

    /// Projects completed in the year, construction projects included.
    async fn projects_completed(&self) -> i32 {
        int(self.0.projects_completed)
    }

    /// Of projectsCompleted, construction projects (工程建设项目): 竣工 in the summary
    async fn construction_projects_completed(&self) -> i32 {
        int(self.0.construction_completed)
    }

    /// the year's deputies' suggestions (代表建议办理)
    async fn suggestions(&self) -> super::suggestion_stats::SuggestionStats {
        super::suggestion_stats::SuggestionStats(self.0.suggestions.clone())
    }

    /// the year's letters and visits (来信来访)
    async fn contacts(&self) -> super::contacts::ContactStats {
        super::contacts::ContactStats(self.0.contacts.clone())
    }

    /// a paragraph in Chinese, in the style of a work report, built from the figures above
    async fn summary(&self) -> String {
        self.0.summary()
    }
}
