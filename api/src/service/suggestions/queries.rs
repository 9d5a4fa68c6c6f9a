//! Reading suggestions: by id, a filtered list in keyset pages (newest received first), and what
//! hangs off each — answers, co-signers, co-units — for the DataLoader.

use jiandu_domain::Text;
use jiandu_domain::field;
use jiandu_domain::validate::limits;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use chrono::NaiveDate;
use std::collections::HashMap;

use jiandu_domain::report::SuggestionFigures;
use jiandu_domain::suggestion::{AnswerClass, SuggestionStatus};
use jiandu_domain::{DeadlineState, Rating};

use crate::entity::{
    Stored, suggestion, suggestion_answer, suggestion_co_unit, suggestion_cosigner,
};
use crate::error::AppError;
use crate::service::filter::{self, Todays};
use crate::service::kept;
use crate::service::kernel::tables;
use crate::service::kernel::tenant::belongs_to;
use crate::service::page::{Page, PageRequest};
use crate::service::projects::like_pattern;
use crate::service::views::{SuggestionAnswerView, SuggestionView};
use crate::service::{Actor, Ctx};

#[derive(Debug, Default)]
pub struct SuggestionFilter {
    pub status: Option<Vec<SuggestionStatus>>,
    pub lead_unit_id: Option<Uuid>,
    pub lead_deputy_id: Option<Uuid>,
    pub year: Option<i32>,
    pub key_item: Option<bool>,
    /// Words in the title or the text, matched as written (Chinese has no spaces to split on).
    pub search: Option<String>,
    /// The answer deadline's state on `as_of` (each organisation's today when absent).
    pub deadline_state: Option<Vec<DeadlineState>>,
    pub as_of: Option<NaiveDate>,
    /// Imported past their deadline and awaiting the presidium's confirmation.
    pub historical: Option<bool>,
}

impl SuggestionFilter {
    /// Whether `s` passes the filters judged in memory as the list's SQL judges them; a search
    /// and a deadline state are left to SQL ([`SuggestionFilter::judged_in_memory`]).
    pub fn matches(&self, s: &SuggestionView) -> bool {
        self.status
            .as_ref()
            .is_none_or(|list| list.contains(&s.status))
            && self
                .lead_unit_id
                .is_none_or(|unit| s.lead_unit_id == Some(unit))
            && self
                .lead_deputy_id
                .is_none_or(|deputy| s.lead_deputy_id == deputy)
            && self.year.is_none_or(|year| s.year == year)
            && self.key_item.is_none_or(|key_item| s.key_item == key_item)
            && self
                .historical
                .is_none_or(|historical| s.historical == historical)
    }

    /// Whether [`SuggestionFilter::matches`] judges the whole filter.
    pub fn judged_in_memory(&self) -> bool {
        let searched = self.search.as_deref().is_some_and(|s| !s.trim().is_empty());
        !searched && self.deadline_state.is_none()
    }
}

/// Suggestions are listed newest received first, then by number: by this key, descending.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SuggestionKey(NaiveDate, i32, i32, Uuid);

impl SuggestionKey {
    pub fn of(s: &SuggestionView) -> SuggestionKey {
        SuggestionKey(s.received_on, s.year, s.sequence, s.id)
    }
}

fn key(s: &SuggestionView) -> SuggestionKey {
    SuggestionKey::of(s)
}

pub async fn suggestions_by_ids(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<SuggestionView>, AppError> {
    tables::by_ids::<suggestion::Entity>(actor, ids, ctx.db.conn()).await
}

pub async fn list_suggestions(
    ctx: &Ctx,
    actor: &Actor,
    filter: SuggestionFilter,
    page: PageRequest<SuggestionKey>,
) -> Result<Page<SuggestionView>, AppError> {
    use suggestion::Column as C;
    let readable = actor.reads(None)?;
    if filter.judged_in_memory()
        && let Some(kept) = kept::suggestions_page(ctx, &readable, &filter, &page).await
    {
        return Ok(kept);
    }
    let mut condition = Condition::all().add(readable.filter::<suggestion::Entity>());
    if let Some(statuses) = &filter.status {
        condition = condition.add(C::Status.is_in(statuses.iter().copied().map(Stored)));
    }
    if let Some(unit) = filter.lead_unit_id {
        condition = condition.add(C::LeadUnitId.eq(unit));
    }
    if let Some(deputy) = filter.lead_deputy_id {
        condition = condition.add(C::LeadDeputyId.eq(deputy));
    }
    if let Some(year) = filter.year {
        condition = condition.add(C::Year.eq(year));
    }
    if let Some(key_item) = filter.key_item {
        condition = condition.add(C::KeyItem.eq(key_item));
    }
    if let Some(historical) = filter.historical {
        condition = condition.add(C::Historical.eq(historical));
    }
    if let Some(search) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let search = Text::parse(field::SEARCH, search, limits::TITLE)?;
        condition = condition.add(
            Condition::any()
                .add(Expr::col(C::Title).like(like_pattern(search.as_str())))
                .add(Expr::col(C::Content).like(like_pattern(search.as_str()))),
        );
    }
    if let Some(states) = &filter.deadline_state {
        let todays = Todays::new(actor, readable.organizations(), ctx.now(), filter.as_of);
        condition = condition.add(filter::suggestion_states(states, &todays));
    }
    let base = suggestion::Entity::find().filter(condition);
    let total = base.clone().count(ctx.db.conn()).await?;
    let mut query = base
        .order_by_desc(C::ReceivedOn)
        .order_by_desc(C::Year)
        .order_by_desc(C::Sequence)
        .order_by_desc(C::Id)
        .limit(page.first + 1);
    if let Some(SuggestionKey(on, year, sequence, id)) = page.after {
        query = query.filter(
            Condition::any()
                .add(C::ReceivedOn.lt(on))
                .add(C::ReceivedOn.eq(on).and(C::Year.lt(year)))
                .add(
                    C::ReceivedOn
                        .eq(on)
                        .and(C::Year.eq(year))
                        .and(C::Sequence.lt(sequence)),
                )
                .add(
                    C::ReceivedOn
                        .eq(on)
                        .and(C::Year.eq(year))
                        .and(C::Sequence.eq(sequence))
                        .and(C::Id.lt(id)),
                ),
        );
    }
    let rows = tables::all(query, ctx.db.conn()).await?;
    Ok(Page::from_rows(rows, page.first, total, key))
}

/// The suggestions each project came from, for the link back.
pub async fn suggestions_of_projects(
    ctx: &Ctx,
    actor: &Actor,
    project_ids: &[Uuid],
) -> Result<Vec<SuggestionView>, AppError> {
    tables::all(
        actor
            .readable()
            .select::<suggestion::Entity>()
            .filter(suggestion::Column::ProjectId.is_in(project_ids.iter().copied())),
        ctx.db.conn(),
    )
    .await
}

/// Every answer of each suggestion the actor may read, by round.
pub async fn answers_of(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, SuggestionAnswerView)>, AppError> {
    use suggestion_answer::{Column, Entity};
    let rows = actor
        .readable()
        .hanging_off::<suggestion::Entity, Entity>(Column::SuggestionId, ids)
        .order_by_asc(Column::Round)
        .all(ctx.db.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.suggestion_id, SuggestionAnswerView::from(r)))
        .collect())
}

/// The co-signers of each suggestion, as (suggestion, person) pairs.
pub async fn cosigners_of(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, AppError> {
    tables::links::<suggestion_cosigner::Entity>(actor, ids, ctx.db.conn()).await
}

/// The co-units of each suggestion, as (suggestion, unit) pairs.
pub async fn co_units_of(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, AppError> {
    tables::links::<suggestion_co_unit::Entity>(actor, ids, ctx.db.conn()).await
}

/// What the year's figures read of a suggestion.
type Counted = (
    Uuid,
    Stored<SuggestionStatus>,
    Option<NaiveDate>,
    i32,
    Option<NaiveDate>,
);
/// What they read of an answer.
type CountedAnswer = (
    Uuid,
    i32,
    NaiveDate,
    Stored<AnswerClass>,
    bool,
    Option<Stored<Rating>>,
);

/// The year's figures of the suggestions received in `organizations` in `year` (withdrawn ones
/// left out): two statements, whatever the number of suggestions, reading only the columns the
/// figures need.
pub async fn figures_of(
    ctx: &Ctx,
    organizations: &[Uuid],
    year: i32,
) -> Result<SuggestionFigures, AppError> {
    use suggestion::Column as C;
    use suggestion_answer::Column as A;
    let counted = || {
        suggestion::Entity::find()
            .filter(belongs_to::<suggestion::Entity>(organizations))
            .filter(C::Year.eq(year))
            .filter(C::Status.ne(Stored(SuggestionStatus::Withdrawn)))
    };
    let rows: Vec<Counted> = counted()
        .select_only()
        .columns([C::Id, C::Status, C::AssignedOn, C::Round, C::OnTimeDueBy])
        .into_tuple()
        .all(ctx.db.conn())
        .await?;
    let ids = counted().select_only().column(C::Id).into_query();
    let mut answers: HashMap<Uuid, Vec<CountedAnswer>> = HashMap::new();
    for answer in suggestion_answer::Entity::find()
        .select_only()
        .columns([
            A::SuggestionId,
            A::Round,
            A::AnsweredOn,
            A::AnswerClass,
            A::MetDeputy,
            A::Feedback,
        ])
        .filter(A::SuggestionId.in_subquery(ids))
        .into_tuple::<CountedAnswer>()
        .all(ctx.db.conn())
        .await?
    {
        answers.entry(answer.0).or_default().push(answer);
    }
    let mut figures = SuggestionFigures {
        received: rows.len() as u64,
        ..SuggestionFigures::default()
    };
    for (id, status, assigned_on, round, on_time_due_by) in &rows {
        figures.assigned += u64::from(assigned_on.is_some());
        figures.concluded += u64::from(status.0 == SuggestionStatus::Concluded);
        figures.redone += u64::from(*round > 1);
        let Some(given) = answers.get(id) else {
            continue;
        };
        figures.answered += 1;
        figures.met += u64::from(given.iter().any(|a| a.4));
        let first_on_time = given
            .iter()
            .find(|a| a.1 == 1)
            .zip(*on_time_due_by)
            .is_some_and(|(a, due)| a.2 <= due);
        figures.answered_on_time += u64::from(first_on_time);
        if let Some(latest) = given.iter().max_by_key(|a| a.1) {
            let class = match latest.3.0 {
                AnswerClass::A => 0,
                AnswerClass::B => 1,
                AnswerClass::C => 2,
                AnswerClass::D => 3,
            };
            figures.classes[class] += 1;
            if let Some(rating) = &latest.5 {
                figures.rated += 1;
                figures.satisfied += u64::from(rating.0 != Rating::Dissatisfied);
            }
        }
    }
    Ok(figures)
}

/// `suggestionStats`: the year's figures of `organization_id` (the actor's own when absent)
/// and those below it.
pub async fn stats(
    ctx: &Ctx,
    actor: &Actor,
    year: i32,
    organization_id: Option<Uuid>,
) -> Result<SuggestionFigures, AppError> {
    let (_, readable) = actor.reads_year(year, organization_id)?;
    figures_of(ctx, readable.organizations(), year).await
}

/// Suggestions still being handled in `organizations` (neither concluded nor withdrawn), and of
/// those the ones whose answer is overdue on each organisation's `today`.
pub async fn open_and_overdue(
    ctx: &Ctx,
    actor: &Actor,
    organizations: &[Uuid],
    today: impl Fn(Uuid) -> NaiveDate,
) -> Result<(u64, u64), AppError> {
    use suggestion::Column as C;
    let open = actor
        .readable()
        .select::<suggestion::Entity>()
        .filter(belongs_to::<suggestion::Entity>(organizations))
        .filter(
            C::Status.is_in(
                [
                    SuggestionStatus::Registered,
                    SuggestionStatus::Assigned,
                    SuggestionStatus::Answered,
                ]
                .map(Stored),
            ),
        )
        .count(ctx.db.conn())
        .await?;
    // Awaiting an answer with a due day: few rows, judged one by one by their own today.
    let awaiting = actor
        .readable()
        .select::<suggestion::Entity>()
        .filter(belongs_to::<suggestion::Entity>(organizations))
        .filter(C::Status.eq(Stored(SuggestionStatus::Assigned)))
        .all(ctx.db.conn())
        .await?;
    let overdue = awaiting
        .iter()
        .filter(|s| s.due_by.is_some_and(|due| today(s.organization_id) > due))
        .count() as u64;
    Ok((open, overdue))
}
