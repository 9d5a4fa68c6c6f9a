//! `importLedger`: an Excel 督办台账 brought in (GraphQL multipart request spec).

use async_graphql::{Context, Enum, ID, Object, SimpleObject, Upload};
use jiandu_domain::field;

use super::context;
use super::error::GqlResult;
use super::milestones::{self, Milestone, MilestoneConnection};
use super::scalars::Date;
use crate::error::AppError;
use crate::service::import;
use crate::service::milestones::{self as service, Decision, MilestoneFilter};

/// What an import did, or with `dryRun` would do.
#[derive(SimpleObject)]
pub struct LedgerImport {
    /// Nothing was written: this is what the import would do.
    dry_run: bool,
    /// rows whose deadline had passed before the import day: they arrive quiet (no notices)
    /// until confirmed
    historical_items: i32,
    projects_created: i32,
    milestones_created: i32,
    people_created: i32,
    units_created: i32,
    /// Every row below the header, in the sheet's order.
    rows: Vec<LedgerImportRow>,
}

/// One row of the sheet: `CREATED` (its milestone is new; the message says what else it brought:
/// a project, a leader, a unit, a parent) or `EXISTS` (the milestone was there and is left as it is).
#[derive(SimpleObject)]
pub struct LedgerImportRow {
    /// The row's number as the spreadsheet shows it.
    row: i32,
    outcome: String,
    message: Option<String>,
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl From<import::LedgerImport> for LedgerImport {
    fn from(done: import::LedgerImport) -> Self {
        LedgerImport {
            dry_run: done.dry_run,
            historical_items: count(done.historical_items),
            projects_created: count(done.projects_created),
            milestones_created: count(done.milestones_created),
            people_created: count(done.people_created),
            units_created: count(done.units_created),
            rows: done
                .rows
                .into_iter()
                .map(|row| LedgerImportRow {
                    row: i32::try_from(row.row).unwrap_or(i32::MAX),
                    outcome: if row.created { "CREATED" } else { "EXISTS" }.into(),
                    message: Some(row.message),
                })
                .collect(),
        }
    }
}

#[derive(Default)]
pub struct ImportsMutation;

#[Object]
impl ImportsMutation {
    /// presidium: all or nothing; dryRun writes nothing. `year` is the ledger's, for dates
    /// written without one (8月31日, 年底前) when the sheet's title gives none.
    async fn import_ledger(
        &self,
        ctx: &Context<'_>,
        file: Upload,
        dry_run: Option<bool>,
        year: Option<i32>,
    ) -> async_graphql::Result<LedgerImport> {
        let actor = context::actor(ctx)?;
        let service = context::service(ctx)?;
        let upload = file
            .value(ctx)
            .map_err(|_| AppError::required(field::FILE, "no file was sent with the request"))
            .gql()?;
        let year = year.map(import::ledger_year).transpose().gql()?;
        let bytes = Vec::from(upload.content);
        let options = import::Options {
            dry_run: dry_run.unwrap_or(false),
            year,
        };
        let done = import::import_ledger(service, actor, bytes, options)
            .await
            .gql()?;
        Ok(done.into())
    }
}

/// What the presidium decides for an imported item past its deadline.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum HistoricalDecision {
    /// done on `completedOn`: closed (已销号), recorded late
    CloseDone,
    /// still to do by `newDeadline`: a late change; notices follow from then on
    KeepOpen,
    Cancel,
}

#[derive(Default)]
pub struct ImportsQuery;

#[Object]
impl ImportsQuery {
    /// imported items awaiting the presidium's confirmation (no notices until then)
    #[graphql(complexity = "super::connection::cost(first, child_complexity)")]
    async fn historical_items(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<MilestoneConnection> {
        let filter = MilestoneFilter {
            historical: Some(true),
            ..MilestoneFilter::default()
        };
        milestones::list(ctx, first, after, filter).await
    }
}

/// The presidium's word on imported items past their deadline.
#[derive(Default)]
pub struct HistoricalMutation;

#[Object]
impl HistoricalMutation {
    /// presidium: close as done on completedOn, keep open with newDeadline (a late change), or
    /// cancel
    #[allow(clippy::too_many_arguments)]
    async fn confirm_historical_item(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        decision: HistoricalDecision,
        completed_on: Option<Date>,
        new_deadline: Option<Date>,
        note: Option<String>,
    ) -> async_graphql::Result<Milestone> {
        let (service, actor, id) = context::signed_on(ctx, &id, "milestone")?;
        let decision = match decision {
            HistoricalDecision::CloseDone => Decision::CloseDone {
                on: completed_on.map(|d| d.0),
            },
            HistoricalDecision::KeepOpen => Decision::KeepOpen {
                deadline: new_deadline.map(|d| d.0),
            },
            HistoricalDecision::Cancel => Decision::Cancel,
        };
        service::confirm_historical_item(
            service,
            actor,
            id,
            expected_version,
            decision,
            note.as_deref(),
        )
        .await
        .answer()
    }
}
