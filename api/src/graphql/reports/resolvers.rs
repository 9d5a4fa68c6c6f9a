//! The reports' queries (`dashboard`, `annualReport`) and the mutation that gives a user a new
//! secret calendar feed of their deadlines.

use super::{AnnualReport, Dashboard};
use crate::error::AppError;
use crate::graphql::context;
use crate::graphql::error::GqlResult;
use crate::graphql::scalars::{Date, parse_id};
use crate::service::calendar;
use crate::service::reports::{self};
use async_graphql::{Context, ID, Object};

fn parse_organization(id: Option<ID>) -> async_graphql::Result<Option<uuid::Uuid>> {
    id.map(|id| {
        parse_id("organizationId", &id)
            .map_err(|_| AppError::not_found("organisation"))
            .gql()
    })
    .transpose()
}

#[derive(Default)]
pub struct ReportsQuery;

/// What a dashboard or a year's figures count against the complexity limit (20 000): a few
/// per request, never thirty aliases of them on different days, each computed afresh.
const FIGURES_COST: usize = 5_000;

#[Object]
impl ReportsQuery {
    /// The status of an organisation (the caller's own by default) and everything below it, on
    /// `asOf` (default today).
    #[graphql(complexity = "FIGURES_COST + child_complexity")]
    async fn dashboard(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
        organization_id: Option<ID>,
    ) -> async_graphql::Result<Dashboard> {
        let (service, actor) = context::signed(ctx)?;
        reports::dashboard(
            service,
            actor,
            parse_organization(organization_id)?,
            as_of.map(|d| d.0),
        )
        .await
        .answer()
    }

    /// The figures of a calendar year (2000–2100) for the year-end work report.
    #[graphql(complexity = "FIGURES_COST + child_complexity")]
    async fn annual_report(
        &self,
        ctx: &Context<'_>,
        year: i32,
        organization_id: Option<ID>,
    ) -> async_graphql::Result<AnnualReport> {
        let (service, actor) = context::signed(ctx)?;
        reports::annual_report(service, actor, year, parse_organization(organization_id)?)
            .await
            .answer()
    }
}

#[derive(Default)]
pub struct ReportsMutation;

#[Object]
impl ReportsMutation {
    /// a secret, revocable iCalendar feed of the caller's deadlines; returns its path (/calendar/….ics)
    async fn rotate_calendar_feed(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let actor = context::actor(ctx)?;
        calendar::rotate(context::service(ctx)?, actor).await.gql()
    }
}
