//! `importLedger`: an Excel 督办台账 brought in (GraphQL multipart request spec).

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, Upload};
use jiandu_domain::{Reason, field};

use super::context;
use super::error::GqlResult;
use super::findings::Finding;
use super::milestones::{self, Milestone, MilestoneConnection};
use super::scalars::{Date, parse_id, to_id};
use super::suggestions::Suggestion;
use crate::error::AppError;
use crate::service::milestones::{self as service, Decision, MilestoneFilter};
use crate::service::{historical, import};

/// What an import did, or with `dryRun` would do.
#[derive(SimpleObject)]
pub struct LedgerImport {
    /// Nothing was written: this is what the import would do.
    dry_run: bool,
    /// a dry run keeps the file as a draft for 24 hours: confirm it with confirmLedgerImport
    draft_id: Option<ID>,
    /// names that are not yet people or units of the organisation
    new_names: Vec<ImportName>,
    /// rows whose deadline had passed before the import day: they arrive quiet (no notices)
    /// until confirmed
    historical_items: i32,
    projects_created: i32,
    milestones_created: i32,
    people_created: i32,
    units_created: i32,
    /// inspections recorded for the 整改事项 sheet's findings, one per project and day
    inspections_created: i32,
    /// findings made from the 整改事项 sheet
    findings_created: i32,
    /// suggestions made from the 代表建议办理台账 sheet
    suggestions_created: i32,
    /// Every row below the header, sheet by sheet, in the sheet's order.
    rows: Vec<LedgerImportRow>,
}

/// One row of a sheet: `CREATED` (its milestone, finding or suggestion is new; the message says
/// what else it brought: a project, a leader, a unit, a parent) or `EXISTS` (it was there and is
/// left as it is).
#[derive(SimpleObject)]
pub struct LedgerImportRow {
    /// the sheet it is on: 督办台账, 整改事项 or 代表建议办理台账
    sheet: String,
    /// The row's number as the spreadsheet shows it.
    row: i32,
    outcome: String,
    message: Option<String>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "import::NameKind")]
pub enum ImportNameKind {
    Person,
    Unit,
}

/// A person or unit the ledger names otherwise than any record of the organisation is.
#[derive(SimpleObject)]
pub struct ImportName {
    kind: ImportNameKind,
    /// As the ledger writes it.
    name: String,
    /// the existing record it was matched to, if any (by its name without the place name,
    /// spaces and punctuation, or as mapped); none: the import creates it
    matched_to: Option<String>,
}

/// A name in the ledger that is an existing person or unit: the import uses the record.
#[derive(InputObject)]
pub struct ImportNameMapping {
    kind: ImportNameKind,
    name: String,
    to_id: ID,
}

/// The mappings as the import takes them; an id that is not one is refused.
fn mappings(given: Vec<ImportNameMapping>) -> Result<import::Mappings, AppError> {
    let mut mappings = import::Mappings::default();
    for m in given {
        let to = parse_id(field::MAPPINGS, &m.to_id)?;
        let name = m.name.trim().to_string();
        let earlier = match m.kind {
            ImportNameKind::Person => mappings.people.insert(name.clone(), to),
            ImportNameKind::Unit => mappings.units.insert(name.clone(), to),
        };
        if earlier.is_some_and(|earlier| earlier != to) {
            return Err(AppError::invalid(
                field::MAPPINGS,
                Reason::Other,
                format!("「{name}」 is mapped to two different records"),
            ));
        }
    }
    Ok(mappings)
}

/// What `addMilestones` added, or with `dryRun` would add.
#[derive(SimpleObject)]
pub struct MilestoneBatch {
    dry_run: bool,
    /// The milestones made, parents first (none for a dry run).
    created: Vec<Milestone>,
    /// Every pasted row, numbered as pasted.
    rows: Vec<LedgerImportRow>,
}

impl From<import::MilestoneBatch> for MilestoneBatch {
    fn from(batch: import::MilestoneBatch) -> Self {
        MilestoneBatch {
            dry_run: batch.dry_run,
            created: batch.created.into_iter().map(Milestone::from).collect(),
            rows: batch.rows.into_iter().map(LedgerImportRow::from).collect(),
        }
    }
}

impl From<import::RowOutcome> for LedgerImportRow {
    fn from(row: import::RowOutcome) -> Self {
        LedgerImportRow {
            sheet: row.sheet.into(),
            row: i32::try_from(row.row).unwrap_or(i32::MAX),
            outcome: if row.created { "CREATED" } else { "EXISTS" }.into(),
            message: Some(row.message),
        }
    }
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl From<import::LedgerImport> for LedgerImport {
    fn from(done: import::LedgerImport) -> Self {
        LedgerImport {
            dry_run: done.dry_run,
            draft_id: done.draft_id.map(to_id),
            new_names: done
                .new_names
                .into_iter()
                .map(|n| ImportName {
                    kind: n.kind.into(),
                    name: n.name,
                    matched_to: n.matched_to,
                })
                .collect(),
            historical_items: count(done.historical_items),
            projects_created: count(done.projects_created),
            milestones_created: count(done.milestones_created),
            people_created: count(done.people_created),
            units_created: count(done.units_created),
            inspections_created: count(done.inspections_created),
            findings_created: count(done.findings_created),
            suggestions_created: count(done.suggestions_created),
            rows: done.rows.into_iter().map(LedgerImportRow::from).collect(),
        }
    }
}

#[derive(Default)]
pub struct ImportsMutation;

#[Object]
impl ImportsMutation {
    /// presidium: all or nothing; dryRun writes nothing and keeps the file as a draft for 24
    /// hours (`draftId`). `year` is the ledger's, for dates written without one (8月31日, 年底前)
    /// when the sheet's title gives none; `mappings` names existing people and units the
    /// ledger writes otherwise.
    async fn import_ledger(
        &self,
        ctx: &Context<'_>,
        file: Upload,
        dry_run: Option<bool>,
        year: Option<i32>,
        mappings: Option<Vec<ImportNameMapping>>,
    ) -> async_graphql::Result<LedgerImport> {
        let actor = context::actor(ctx)?;
        let service = context::service(ctx)?;
        let upload = file
            .value(ctx)
            .map_err(|_| AppError::required(field::FILE, "no file was sent with the request"))
            .gql()?;
        let year = year.map(import::ledger_year).transpose().gql()?;
        let mappings = self::mappings(mappings.unwrap_or_default()).gql()?;
        let options = import::Options {
            dry_run: dry_run.unwrap_or(false),
            keep_draft: true,
            year,
            mappings,
            file_name: upload.filename.clone(),
        };
        let bytes = Vec::from(upload.content);
        let done = import::import_ledger(service, actor, bytes, options)
            .await
            .gql()?;
        Ok(done.into())
    }

    /// presidium: rows pasted from Excel (tab separated: 节点, 上级节点, 责任领导, 责任单位, 期限,
    /// or the columns a first row of headers names), read as an imported ledger's; all or
    /// nothing
    async fn add_milestones(
        &self,
        ctx: &Context<'_>,
        project_id: ID,
        rows: String,
        dry_run: Option<bool>,
    ) -> async_graphql::Result<MilestoneBatch> {
        let (service, actor, project) = context::signed_on(ctx, &project_id, "project")?;
        import::add_milestones(service, actor, project, &rows, dry_run.unwrap_or(false))
            .await
            .map_err(import::paste_refused)
            .answer()
    }

    /// presidium: a draft from importLedger(dryRun: true), with names mapped (if given, these
    /// replace the preview's); all or nothing, and the draft is gone once imported
    async fn confirm_ledger_import(
        &self,
        ctx: &Context<'_>,
        draft_id: ID,
        mappings: Option<Vec<ImportNameMapping>>,
    ) -> async_graphql::Result<LedgerImport> {
        let (service, actor) = context::signed(ctx)?;
        let draft = parse_id(field::DRAFT_ID, &draft_id).gql()?;
        let mappings = mappings.map(self::mappings).transpose().gql()?;
        let done = import::confirm(service, actor, draft, mappings)
            .await
            .map_err(import::refused)
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
        let decision = decided(decision, completed_on, new_deadline);
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

    /// presidium: an imported finding past its deadline, rectified on completedOn (verified) or
    /// kept open with newDeadline (a late change); a finding is not cancelled
    #[allow(clippy::too_many_arguments)]
    async fn confirm_historical_finding(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        decision: HistoricalDecision,
        completed_on: Option<Date>,
        new_deadline: Option<Date>,
        note: Option<String>,
    ) -> async_graphql::Result<Finding> {
        let (service, actor, id) = context::signed_on(ctx, &id, "finding")?;
        let decision = decided(decision, completed_on, new_deadline);
        historical::confirm_historical_finding(
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

    /// presidium: an imported suggestion awaiting its answer past the deadline, concluded on
    /// completedOn, kept open with newDeadline, or withdrawn (note: why)
    #[allow(clippy::too_many_arguments)]
    async fn confirm_historical_suggestion(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        decision: HistoricalDecision,
        completed_on: Option<Date>,
        new_deadline: Option<Date>,
        note: Option<String>,
    ) -> async_graphql::Result<Suggestion> {
        let (service, actor, id) = context::signed_on(ctx, &id, "suggestion")?;
        let decision = decided(decision, completed_on, new_deadline);
        historical::confirm_historical_suggestion(
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

/// The decision as the service takes it, with the day or deadline it needs.
fn decided(
    decision: HistoricalDecision,
    completed_on: Option<Date>,
    new_deadline: Option<Date>,
) -> Decision {
    match decision {
        HistoricalDecision::CloseDone => Decision::CloseDone {
            on: completed_on.map(|d| d.0),
        },
        HistoricalDecision::KeepOpen => Decision::KeepOpen {
            deadline: new_deadline.map(|d| d.0),
        },
        HistoricalDecision::Cancel => Decision::Cancel,
    }
}
