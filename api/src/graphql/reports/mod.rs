//! What leaders ask: `dashboard` and `annualReport`.

mod annual;
mod resolvers;

pub use annual::AnnualReport;
pub use resolvers::{ReportsMutation, ReportsQuery};

use async_graphql::{Context, Object, SimpleObject};
use jiandu_domain::DeadlineState as State;
use jiandu_domain::Reason;
use jiandu_domain::field;

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
