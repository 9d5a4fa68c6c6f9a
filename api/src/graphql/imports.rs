//! `importLedger`: an Excel 督办台账 brought in (GraphQL multipart request spec).

use async_graphql::{Context, Object, SimpleObject, Upload};
use jiandu_domain::field;

use super::context;
use super::error::GqlResult;
use crate::error::AppError;
use crate::service::import;

/// What an import did, or with `dryRun` would do.
#[derive(SimpleObject)]
pub struct LedgerImport {
    /// Nothing was written: this is what the import would do.
    dry_run: bool,
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
    /// presidium: all or nothing; dryRun writes nothing
    async fn import_ledger(
        &self,
        ctx: &Context<'_>,
        file: Upload,
        dry_run: Option<bool>,
    ) -> async_graphql::Result<LedgerImport> {
        let actor = context::actor(ctx)?;
        let service = context::service(ctx)?;
        let upload = file
            .value(ctx)
            .map_err(|_| AppError::required(field::FILE, "no file was sent with the request"))
            .gql()?;
        let bytes = Vec::from(upload.content);
        let done = import::import_ledger(service, actor, bytes, dry_run.unwrap_or(false))
            .await
            .gql()?;
        Ok(done.into())
    }
}
