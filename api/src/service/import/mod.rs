//! Importing a 督办台账 kept in Excel (docs/import.md, docs/rules.md §8): the sheet is read ([`workbook`]), each row
//! checked ([`jiandu_domain::import`]), matched against the organisation's records ([`plan`]),
//! and only then written, all in one command: any row that cannot be imported fails the whole
//! import, which writes nothing, and a dry run stops before writing.

mod answer;
mod drafts;
mod paste;
mod plan;
mod records;
mod turns;
mod workbook;
mod write;

use jiandu_domain::Reason;
use jiandu_domain::field;

use jiandu_domain::ProjectStatus;
use jiandu_domain::import::Problem;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

pub use self::answer::LEDGER_SHEET;
pub use self::drafts::{DRAFT_HOURS, MAX_DRAFTS};
pub use self::paste::{MAX_PASTED_ROWS, MilestoneBatch, add_milestones};
pub use self::plan::{Mappings, NameKind, NewName};
pub use self::turns::Imports;
pub use self::workbook::{MAX_MERGED, MAX_ROWS, Unreadable};
use super::kernel::command::Command;
use super::{Actor, Ctx};
use crate::entity::{Stored, milestone, organization, person, project, unit};
use crate::error::AppError;

/// How a ledger is to be imported.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Read and check everything, write nothing.
    pub dry_run: bool,
    /// With `dry_run`: keep the file as a draft to confirm ([`confirm`]).
    pub keep_draft: bool,
    /// The ledger's year, for dates written without one when its title gives none.
    pub year: Option<i32>,
    /// Names in the ledger that are records of the organisation written otherwise.
    pub mappings: Mappings,
    /// The file's name as uploaded, kept with a draft.
    pub file_name: String,
}

/// A ledger's year as chosen at import: one anyone plans in.
pub fn ledger_year(year: i32) -> Result<i32, AppError> {
    if (2000..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(AppError::invalid(
            field::YEAR,
            Reason::OutOfRange {
                min: 2000,
                max: 2100,
            },
            "a year from 2000 to 2100",
        ))
    }
}

/// What an import did, or with `dry_run` would do.
pub struct LedgerImport {
    pub dry_run: bool,
    /// A dry run's file kept for [`DRAFT_HOURS`], to confirm with [`confirm`].
    pub draft_id: Option<Uuid>,
    /// People and units named otherwise than any record is: new, or matched to a record.
    pub new_names: Vec<NewName>,
    /// Open items whose deadline had passed before the import day: they arrive quiet (no
    /// notices) until the presidium confirms each.
    pub historical_items: usize,
    pub projects_created: usize,
    pub milestones_created: usize,
    pub people_created: usize,
    pub units_created: usize,
    /// Inspections recorded for the findings sheet's rows, one per project and day.
    pub inspections_created: usize,
    pub findings_created: usize,
    pub suggestions_created: usize,
    pub rows: Vec<RowOutcome>,
}

/// One row's outcome: its milestone created (with what else it brought: a project, a leader …)
/// or already there and left as it is.
pub struct RowOutcome {
    /// The sheet it is on: 督办台账, 整改事项 or 代表建议办理台账.
    pub sheet: &'static str,
    pub row: u32,
    pub created: bool,
    pub message: String,
}

/// Problems listed in the refusal; the rest are counted.
const PROBLEMS_SHOWN: usize = 50;

fn refusal(field: &str, problems: Vec<Problem>) -> AppError {
    let count = problems.len();
    let mut listed: Vec<String> = problems
        .iter()
        .take(PROBLEMS_SHOWN)
        .map(Problem::to_string)
        .collect();
    if count > PROBLEMS_SHOWN {
        listed.push(format!("……另有{}处", count - PROBLEMS_SHOWN));
    }
    AppError::invalid(
        field,
        Reason::BadCells { count },
        format!(
            "nothing was imported: {count} cell(s) cannot be read — {}",
            listed.join("；")
        ),
    )
}

/// Why an import wrote nothing: cells that cannot be imported, a file that cannot be read as a
/// ledger, or a refusal (not allowed, the database busy).
pub enum Failure {
    Rows(Vec<Problem>),
    File(Unreadable),
    Refused(AppError),
}

impl From<AppError> for Failure {
    fn from(error: AppError) -> Self {
        Failure::Refused(error)
    }
}

/// Imports the ledger in `bytes` (an .xlsx) into the actor's organisation; the presidium only.
pub async fn import_ledger(
    ctx: &Ctx,
    actor: &Actor,
    bytes: Vec<u8>,
    options: Options,
) -> Result<LedgerImport, AppError> {
    try_import(ctx, actor, bytes, options)
        .await
        .map_err(refused)
}

/// In words for a refusal: what a failed import says.
pub fn refused(failure: Failure) -> AppError {
    match failure {
        Failure::Rows(problems) => refusal(field::FILE, problems),
        Failure::File(why) => AppError::invalid(field::FILE, Reason::NotALedger, why.english()),
        Failure::Refused(error) => error,
    }
}

/// What a refused paste says: the cells named as the rows were pasted (`rows`).
pub fn paste_refused(failure: Failure) -> AppError {
    match failure {
        Failure::Rows(problems) => refusal(field::ROWS, problems),
        other => refused(other),
    }
}

/// Imports the draft `draft_id` kept by a dry run, with `mappings` if given (else the draft's),
/// and deletes the draft in the same command.
pub async fn confirm(
    ctx: &Ctx,
    actor: &Actor,
    draft_id: Uuid,
    mappings: Option<Mappings>,
) -> Result<LedgerImport, Failure> {
    actor
        .access
        .check_manage(actor.organization_id(), "the ledger")
        .map_err(AppError::from)?;
    let draft = drafts::open(ctx, actor, draft_id).await?;
    let options = Options {
        dry_run: false,
        keep_draft: false,
        year: draft.year,
        mappings: mappings.unwrap_or(draft.mappings),
        file_name: draft.file_name,
    };
    run(ctx, actor, draft.bytes, options, Some(draft.id)).await
}

/// [`import_ledger`], with the cells that cannot be imported kept apart (for a page to list).
pub async fn try_import(
    ctx: &Ctx,
    actor: &Actor,
    bytes: Vec<u8>,
    options: Options,
) -> Result<LedgerImport, Failure> {
    run(ctx, actor, bytes, options, None).await
}

/// Imports `bytes`; an import confirming a draft deletes it in its command (`confirms`).
#[tracing::instrument(skip_all, fields(actor = %actor.username, dry_run = options.dry_run))]
async fn run(
    ctx: &Ctx,
    actor: &Actor,
    bytes: Vec<u8>,
    options: Options,
    confirms: Option<Uuid>,
) -> Result<LedgerImport, Failure> {
    let dry_run = options.dry_run;
    let organization = actor.organization_id();
    actor
        .access
        .check_manage(organization, "the ledger")
        .map_err(AppError::from)?;
    // The turn and the reader's place are let go when the reading has really stopped; it stops
    // soon after this request ends, `stopping` dropped with it.
    let turn = std::sync::Arc::new(ctx.imports.begin(organization)?);
    let place = ctx.imports.reader().await?;
    let stop = turns::Stop::default();
    let _stopping = stop.on_drop();
    let reading = (turn.clone(), place);
    let bytes = bytes::Bytes::from(bytes);
    let file = bytes.clone();
    let book = tokio::task::spawn_blocking(move || {
        let _held = reading;
        workbook::read(&file, &stop)
    })
    .await
    .map_err(|e| AppError::internal(anyhow::anyhow!("the workbook reader stopped: {e}")))?
    .map_err(Failure::File)?;
    let today = actor.today_in(organization, ctx.now(), None);
    let lines = answer::read_workbook(&book, options.year, today)?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let mut known = known(&cmd, organization, &options.mappings).await?;
    if !lines.findings.is_empty() || !lines.suggestions.is_empty() {
        known.records = records::known(&cmd, organization).await?;
    }
    let plan = plan::plan(&lines.ledger, &lines.findings, &lines.suggestions, &known)
        .map_err(Failure::Rows)?;
    let mut answer = answer::outcome(&lines, &plan, today, dry_run);
    if dry_run {
        // Dropped unfinished, the command writes nothing; then the file is kept to confirm.
        drop(cmd);
        if options.keep_draft {
            answer.draft_id = Some(drafts::keep(ctx, actor, organization, &bytes, &options).await?);
        }
        return Ok(answer);
    }
    let zone = actor.zone_of(organization);
    if let Some(draft) = confirms {
        drafts::consume(&cmd, draft).await?;
    }
    write::write(
        &mut cmd,
        actor,
        organization,
        zone,
        &lines.ledger,
        &plan,
        today,
    )
    .await?;
    records::write(&mut cmd, actor, organization, zone, &lines, plan, today).await?;
    Ok(cmd.finish(answer).await?)
}

/// The organisation's projects, their milestones, people and units, as an import matches them,
/// with the names `mappings` says are its people and units (each must be one).
async fn known(
    cmd: &Command<'_>,
    organization: Uuid,
    mappings: &Mappings,
) -> Result<plan::Known, AppError> {
    let db = cmd.db();
    // Imports into one organisation take turns, so that two at once cannot both find a project
    // missing and both create it: on PostgreSQL the organisation's row is locked until this
    // command ends; SQLite writes one command at a time anyway.
    let place = organization::Entity::find_by_id(organization)
        .lock_exclusive()
        .one(db)
        .await?
        .map(|o| jiandu_domain::import::place_of(&o.name))
        .unwrap_or_default();
    let projects: Vec<(Uuid, String, Stored<ProjectStatus>)> = project::Entity::find()
        .select_only()
        .columns([
            project::Column::Id,
            project::Column::Title,
            project::Column::Status,
        ])
        .filter(project::Column::OrganizationId.eq(organization))
        .into_tuple()
        .all(db)
        .await?;
    let milestones = milestone::Entity::find()
        .filter(milestone::Column::OrganizationId.eq(organization))
        .all(db)
        .await?
        .into_iter()
        .map(|m| plan::KnownMilestone {
            id: m.id,
            project_id: m.project_id,
            parent_id: m.parent_id,
            title: m.title,
            open: m.status.0.is_open(),
            is_item: m.is_item,
        })
        .collect();
    let people: Vec<(Uuid, String)> = person::Entity::find()
        .select_only()
        .columns([person::Column::Id, person::Column::Name])
        .filter(person::Column::OrganizationId.eq(organization))
        .into_tuple()
        .all(db)
        .await?;
    let units: Vec<(Uuid, String)> = unit::Entity::find()
        .select_only()
        .columns([unit::Column::Id, unit::Column::Name])
        .filter(unit::Column::OrganizationId.eq(organization))
        .into_tuple()
        .all(db)
        .await?;
    let known_ids = |mapped: &std::collections::HashMap<String, Uuid>,
                     records: &[(Uuid, String)]| {
        mapped
            .iter()
            .find(|(_, to)| records.iter().all(|(id, _)| id != *to))
            .map_or(Ok(()), |(name, _)| {
                Err(AppError::invalid(
                    field::MAPPINGS,
                    Reason::UnknownRecord,
                    format!(
                        "「{name}」 is mapped to a record that is not one of the organisation's"
                    ),
                ))
            })
    };
    known_ids(&mappings.people, &people)?;
    known_ids(&mappings.units, &units)?;
    Ok(plan::Known {
        place,
        mappings: mappings.clone(),
        people,
        units,
        records: plan::KnownRecords::default(),
        projects: projects
            .into_iter()
            .map(|(id, title, status)| (id, title, status.0.is_closed()))
            .collect(),
        milestones,
    })
}
