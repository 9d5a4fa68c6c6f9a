//! The supervision ledger (督办台账): every milestone, finding, suggestion and opinion, as of a
//! day — the rows the spreadsheet and CSV exports print. A whole city's ledger is hundreds of
//! thousands of rows, so it is read a page at a time (`Ledger::next_*`) and never held whole:
//! what is kept for the whole export is one row per project, person and unit.

mod contacts;
mod opinions;
mod rows;

pub use rows::{FindingRow, MilestoneRow, SuggestionRow};

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use jiandu_domain::{InspectionKind, Today};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use uuid::Uuid;

use super::kernel::tenant::Readable;
use super::views::{SuggestionAnswerView, SuggestionView};
use super::workdays::Rules;
use super::{Actor, Ctx};
use crate::entity::{
    finding, inspection, milestone, person, progress_report, project, suggestion,
    suggestion_answer, unit,
};
use crate::error::AppError;
use crate::service::kernel::tables;

/// Projects whose milestones are read together: a page of about a thousand rows.
const PROJECTS_PER_PAGE: usize = 40;
/// Findings read together.
const FINDINGS_PER_PAGE: u64 = 1000;
/// Suggestions read together.
const SUGGESTIONS_PER_PAGE: u64 = 500;

/// A ledger being read, page by page.
pub struct Ledger {
    /// The day states are judged on, in the asked organisation's zone.
    pub as_of: NaiveDate,
    /// The place the asked organisation is named for (思蒙镇), as the sheets' titles say it.
    pub place: String,
    ctx: Ctx,
    readable: Readable,
    project_id: Option<Uuid>,
    /// Each readable organisation's "today" (its zone, or `as_of`).
    today: HashMap<Uuid, Today>,
    rules: Rules,
    /// The projects in ledger order (as they were created) and their titles.
    projects: Vec<Uuid>,
    titles: HashMap<Uuid, String>,
    people: HashMap<Uuid, String>,
    units: HashMap<Uuid, String>,
    /// Projects whose milestones have been read.
    projects_read: usize,
    /// The last finding read, by (deadline, id); `None` before the first page.
    findings_after: Option<(NaiveDate, Uuid)>,
    findings_done: bool,
    /// The last suggestion read, by (organisation, year, sequence).
    suggestions_after: Option<(Uuid, i32, i32)>,
    suggestions_done: bool,
    /// The last opinion read, by (day sent, id).
    opinions_after: Option<(NaiveDate, Uuid)>,
    opinions_done: bool,
    /// The last letter or visit read, by (day received, id).
    contacts_after: Option<(NaiveDate, Uuid)>,
    contacts_done: bool,
    /// The organisations whose constituents' names and phones the reader sees: those whose
    /// presidium they are.
    personal: HashSet<Uuid>,
}

pub use contacts::ContactRow;
pub use opinions::OpinionRow;

/// Opens the ledger of `organization_id` (the actor's own when absent) and those below it, or of
/// one project.
#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn ledger(
    ctx: &Ctx,
    actor: &Actor,
    organization_id: Option<Uuid>,
    project_id: Option<Uuid>,
    as_of: Option<NaiveDate>,
) -> Result<Ledger, AppError> {
    let db = ctx.db.conn();
    let root = organization_id.unwrap_or(actor.organization_id());
    let readable = actor.reads(Some(root))?;
    let mut projects = readable.select::<project::Entity>();
    if let Some(id) = project_id {
        projects = projects.filter(project::Column::Id.eq(id));
    }
    let projects: Vec<(Uuid, String)> = projects
        .select_only()
        .column(project::Column::Id)
        .column(project::Column::Title)
        .order_by_asc(project::Column::CreatedAt)
        .order_by_asc(project::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    if project_id.is_some() && projects.is_empty() {
        return Err(AppError::not_found("project"));
    }
    let names = |rows: Vec<(Uuid, String)>| rows.into_iter().collect::<HashMap<_, _>>();
    let people = readable
        .select::<person::Entity>()
        .select_only()
        .column(person::Column::Id)
        .column(person::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    let units = readable
        .select::<unit::Entity>()
        .select_only()
        .column(unit::Column::Id)
        .column(unit::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    let now = ctx.now();
    let today = readable
        .organizations()
        .iter()
        .map(|org| (*org, actor.judging_day(*org, now, as_of)))
        .collect();
    let personal = readable
        .organizations()
        .iter()
        .copied()
        .filter(|org| {
            actor
                .access
                .check_manage(*org, "letters and visits")
                .is_ok()
        })
        .collect();
    let place = ctx
        .organizations
        .find(&ctx.db, root, |o| o.id)
        .await?
        .map(|o| jiandu_domain::notice::place(&o.name).to_string())
        .unwrap_or_default();
    Ok(Ledger {
        as_of: actor.today_in(root, now, as_of),
        place,
        ctx: ctx.clone(),
        readable,
        project_id,
        today,
        rules: actor.rules.clone(),
        projects: projects.iter().map(|(id, _)| *id).collect(),
        titles: names(projects),
        people: names(people),
        units: names(units),
        projects_read: 0,
        findings_after: None,
        findings_done: false,
        suggestions_after: None,
        suggestions_done: false,
        opinions_after: None,
        opinions_done: false,
        contacts_after: None,
        contacts_done: false,
        personal,
    })
}

impl Ledger {
    fn name(names: &HashMap<Uuid, String>, id: Uuid) -> String {
        names.get(&id).cloned().unwrap_or_default()
    }

    fn today_of(&self, organization: Uuid) -> Today {
        self.today
            .get(&organization)
            .copied()
            .unwrap_or_else(|| self.rules.today(organization, self.as_of))
    }

    /// The supervised items (leaf milestones) of the next few projects, project by project (in
    /// the order they were created), each by deadline; empty once every project has been read.
    pub async fn next_milestones(&mut self) -> Result<Vec<MilestoneRow>, AppError> {
        let db = self.ctx.db.conn();
        let end = (self.projects_read + PROJECTS_PER_PAGE).min(self.projects.len());
        let chunk = &self.projects[self.projects_read..end];
        self.projects_read = end;
        if chunk.is_empty() {
            return Ok(Vec::new());
        }
        let in_chunk = self
            .readable
            .select::<milestone::Entity>()
            .filter(milestone::Column::ProjectId.is_in(chunk.iter().copied()));
        let milestone_ids = in_chunk
            .clone()
            .select_only()
            .column(milestone::Column::Id)
            .into_query();
        let milestones = tables::all(
            in_chunk
                .order_by_asc(milestone::Column::Deadline)
                .order_by_asc(milestone::Column::Title)
                .order_by_asc(milestone::Column::Id),
            db,
        )
        .await?;
        let mut notes: HashMap<Uuid, String> = HashMap::new();
        for (milestone_id, note) in progress_report::Entity::find()
            .select_only()
            .column(progress_report::Column::MilestoneId)
            .column(progress_report::Column::Note)
            .filter(progress_report::Column::MilestoneId.in_subquery(milestone_ids))
            .filter(progress_report::Column::Note.is_not_null())
            .order_by_asc(progress_report::Column::ReportedAt)
            .order_by_asc(progress_report::Column::Id)
            .into_tuple::<(Uuid, Option<String>)>()
            .all(db)
            .await?
        {
            if let Some(note) = note {
                notes.insert(milestone_id, note);
            }
        }
        // A parent is in the same project, so in the same page.
        let titles_by_id: HashMap<Uuid, String> =
            milestones.iter().map(|m| (m.id, m.title.clone())).collect();
        let order: HashMap<Uuid, usize> =
            chunk.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        // One row per supervised item; a parent is named in its children's rows.
        let mut rows: Vec<MilestoneRow> = milestones
            .into_iter()
            .filter(|m| m.is_item)
            .map(|m| {
                let today = self.today_of(m.organization_id);
                let tracked = m.tracked();
                MilestoneRow {
                    project: Self::name(&self.titles, m.project_id),
                    parent: m.parent_id.and_then(|id| titles_by_id.get(&id).cloned()),
                    leader: Self::name(&self.people, m.responsible_leader_id),
                    unit: Self::name(&self.units, m.responsible_unit_id),
                    person: m
                        .responsible_person_id
                        .map(|id| Self::name(&self.people, id)),
                    state: tracked.deadline_state(&today),
                    light: tracked.light(&today),
                    days_overdue: tracked.days_overdue(today.date),
                    last_note: notes.remove(&m.id),
                    milestone: m,
                }
            })
            .collect();
        rows.sort_by_key(|row| order.get(&row.milestone.project_id).copied());
        Ok(rows)
    }

    /// The next page of findings, by deadline; empty once all have been read.
    pub async fn next_findings(&mut self) -> Result<Vec<FindingRow>, AppError> {
        if self.findings_done {
            return Ok(Vec::new());
        }
        let db = self.ctx.db.conn();
        let mut query = self.readable.select::<finding::Entity>();
        if let Some(id) = self.project_id {
            query = query.filter(finding::Column::ProjectId.eq(id));
        }
        if let Some((deadline, id)) = self.findings_after {
            query = query.filter(
                Condition::any()
                    .add(finding::Column::Deadline.gt(deadline))
                    .add(
                        Condition::all()
                            .add(finding::Column::Deadline.eq(deadline))
                            .add(finding::Column::Id.gt(id)),
                    ),
            );
        }
        let findings = tables::all(
            query
                .order_by_asc(finding::Column::Deadline)
                .order_by_asc(finding::Column::Id)
                .limit(FINDINGS_PER_PAGE),
            db,
        )
        .await?;
        self.findings_done = (findings.len() as u64) < FINDINGS_PER_PAGE;
        self.findings_after = findings.last().map(|f| (f.deadline, f.id));
        let inspection_ids: Vec<Uuid> = findings.iter().map(|f| f.inspection_id).collect();
        let inspections: HashMap<Uuid, (InspectionKind, NaiveDate)> = self
            .readable
            .select::<inspection::Entity>()
            .filter(inspection::Column::Id.is_in(inspection_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|i| (i.id, (i.kind.0, i.visited_on)))
            .collect();
        Ok(findings
            .into_iter()
            .filter_map(|f| {
                let today = self.today_of(f.organization_id);
                let tracked = f.tracked();
                let (inspection_kind, inspected_on) = *inspections.get(&f.inspection_id)?;
                Some(FindingRow {
                    project: f.project_id.map(|id| Self::name(&self.titles, id)),
                    inspection_kind,
                    inspected_on,
                    leader: Self::name(&self.people, f.responsible_leader_id),
                    unit: Self::name(&self.units, f.responsible_unit_id),
                    state: tracked.deadline_state(&today),
                    light: tracked.light(&today),
                    days_overdue: tracked.days_overdue(today.date),
                    finding: f,
                })
            })
            .collect())
    }

    /// The next page of deputies' suggestions, each organisation's by number; empty once all
    /// have been read. A project's ledger holds the suggestion it was made from.
    pub async fn next_suggestions(&mut self) -> Result<Vec<SuggestionRow>, AppError> {
        use suggestion::Column as C;
        if self.suggestions_done {
            return Ok(Vec::new());
        }
        let db = self.ctx.db.conn();
        let mut query = self.readable.select::<suggestion::Entity>();
        if let Some(id) = self.project_id {
            query = query.filter(C::ProjectId.eq(id));
        }
        if let Some((organization, year, sequence)) = self.suggestions_after {
            query = query.filter(
                Expr::tuple([
                    Expr::col(C::OrganizationId),
                    Expr::col(C::Year),
                    Expr::col(C::Sequence),
                ])
                .gt(Expr::tuple([
                    Expr::value(organization),
                    Expr::value(year),
                    Expr::value(sequence),
                ])),
            );
        }
        let suggestions: Vec<SuggestionView> = tables::all(
            query
                .order_by_asc(C::OrganizationId)
                .order_by_asc(C::Year)
                .order_by_asc(C::Sequence)
                .limit(SUGGESTIONS_PER_PAGE),
            db,
        )
        .await?;
        self.suggestions_done = (suggestions.len() as u64) < SUGGESTIONS_PER_PAGE;
        self.suggestions_after = suggestions
            .last()
            .map(|s| (s.organization_id, s.year, s.sequence));
        let mut answers: HashMap<Uuid, Vec<SuggestionAnswerView>> = HashMap::new();
        for answer in suggestion_answer::Entity::find()
            .filter(suggestion_answer::Column::SuggestionId.is_in(suggestions.iter().map(|s| s.id)))
            .order_by_asc(suggestion_answer::Column::Round)
            .all(db)
            .await?
        {
            answers
                .entry(answer.suggestion_id)
                .or_default()
                .push(SuggestionAnswerView::from(answer));
        }
        Ok(suggestions
            .into_iter()
            .map(|s| {
                let rounds = answers.remove(&s.id).unwrap_or_default();
                let feedback = rounds.iter().rev().find_map(|a| a.feedback);
                let today = self.today_of(s.organization_id);
                SuggestionRow {
                    lead_deputy: Self::name(&self.people, s.lead_deputy_id),
                    lead_unit: s.lead_unit_id.map(|id| Self::name(&self.units, id)),
                    leader: s
                        .responsible_leader_id
                        .map(|id| Self::name(&self.people, id)),
                    latest_answer: rounds.into_iter().last(),
                    feedback,
                    light: s.tracked().map(|tracked| tracked.light(&today)),
                    suggestion: s,
                }
            })
            .collect())
    }
}
