//! Livelihood projects by the deputies' vote (民生实事项目票决制, docs/congress.md): candidates are
//! proposed (from a deputy's suggestion, the government, constituents or elsewhere), the
//! presidium fixes the list put to the vote (初定候选), and at a quorate congress session each
//! candidate's tally from the paper ballots is entered. It passes with more than half of all
//! deputies voting for it; a passed candidate is numbered by its resolution and becomes a project
//! (origin LIVELIHOOD_VOTE) in the same command; a rejected one stays on record with its tally.

use chrono::Datelike;
use jiandu_domain::congress::{
    CandidateSource, CandidateStatus, MeetingKind, check_tally, resolution_number, vote_passes,
};
use jiandu_domain::notice::short_name;
use jiandu_domain::validate::limits;
use jiandu_domain::{ProjectOrigin, ProjectStatus, Reason, Text, field};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::super::kernel::audit::Action;
use super::super::kernel::command::{Audit, Command};
use super::super::kernel::sequences::Counter;
use super::super::kernel::tables;
use super::super::views::{CandidateView, MeetingView};
use super::super::{Actor, Ctx};
use crate::entity::{
    Stored, livelihood_candidate, meeting, organization, project, resolution_sequence, suggestion,
};
use crate::error::AppError;

/// A candidate as proposed.
pub struct NewCandidate {
    pub year: i32,
    pub title: String,
    pub description: Option<String>,
    pub source: CandidateSource,
    pub suggestion_id: Option<Uuid>,
}

/// The paper ballots' tally for one candidate at one session.
pub struct Tally {
    pub meeting_id: Uuid,
    pub votes_for: i32,
    pub votes_against: i32,
    pub abstentions: i32,
    /// The resolution's number as the session gave it; numbered in the year's sequence when
    /// absent.
    pub resolution_number: Option<String>,
}

/// Proposes a candidate for `year`'s vote; one from a deputy's suggestion names it.
#[tracing::instrument(skip_all, fields(actor = %actor.username))]
pub async fn propose_candidate(
    ctx: &Ctx,
    actor: &Actor,
    new: NewCandidate,
) -> Result<CandidateView, AppError> {
    let organization = actor.organization_id();
    actor
        .access
        .check_manage(organization, "livelihood candidates")?;
    let year = crate::service::import::ledger_year(new.year)?;
    let title = Text::parse(field::TITLE, &new.title, limits::TITLE)?;
    let description = Text::parse_optional(
        field::DESCRIPTION,
        new.description.as_deref(),
        limits::DESCRIPTION,
    )?;
    match (new.source, new.suggestion_id) {
        (CandidateSource::DeputySuggestion, None) => {
            return Err(AppError::required(
                field::SUGGESTION_ID,
                "name the deputy's suggestion it comes from",
            ));
        }
        (source, Some(_)) if source != CandidateSource::DeputySuggestion => {
            return Err(AppError::invalid(
                field::SUGGESTION_ID,
                Reason::Other,
                "only a candidate from a deputy's suggestion names one",
            ));
        }
        _ => {}
    }
    let mut cmd = Command::begin(ctx, actor).await?;
    if let Some(id) = new.suggestion_id {
        cmd.refer::<suggestion::Entity>(organization, id, field::SUGGESTION_ID)
            .await?;
    }
    let now = cmd.now;
    let row = livelihood_candidate::ActiveModel {
        id: Set(jiandu_domain::new_id()),
        organization_id: Set(organization),
        year: Set(year),
        title: Set(title.into_string()),
        description: Set(description.map(Text::into_string)),
        source: Set(Stored(new.source)),
        suggestion_id: Set(new.suggestion_id),
        status: Set(Stored(CandidateStatus::Proposed)),
        meeting_id: Set(None),
        votes_for: Set(None),
        votes_against: Set(None),
        abstentions: Set(None),
        resolution_number: Set(None),
        project_id: Set(None),
        created_by: Set(actor.user_id()),
        created_at: Set(now),
        version: Set(1),
        updated_at: Set(now),
    };
    let row = cmd
        .create::<livelihood_candidate::Entity>(row, Audit::new(Action::CandidatePropose))
        .await?;
    cmd.finish(CandidateView::from(row)).await
}

fn wrong_state(status: CandidateStatus, step: &str) -> AppError {
    AppError::invalid(
        field::STATUS,
        Reason::WrongState,
        format!("a {status} candidate cannot be {step}"),
    )
}

/// Puts a proposed candidate on the list for the vote (初定候选).
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn shortlist_candidate(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
) -> Result<CandidateView, AppError> {
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load_managed::<livelihood_candidate::Entity>(id, Some(expected_version), "candidates")
        .await?;
    let status = current.row.status.0;
    if status != CandidateStatus::Proposed {
        return Err(wrong_state(status, "shortlisted"));
    }
    let mut next = current.edit();
    next.status = Set(Stored(CandidateStatus::Shortlisted));
    cmd.finish_update(&current, next, Audit::new(Action::CandidateShortlist))
        .await
}

/// Enters a shortlisted candidate's tally at a quorate congress session of its organisation:
/// passed (numbered, and made a project) or rejected.
#[tracing::instrument(skip_all, fields(actor = %actor.username, %id))]
pub async fn record_vote(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    tally: Tally,
) -> Result<CandidateView, AppError> {
    let given = Text::parse_optional(
        field::RESOLUTION_NUMBER,
        tally.resolution_number.as_deref(),
        limits::NAME,
    )?;
    let mut cmd = Command::begin(ctx, actor).await?;
    let current = cmd
        .load_managed::<livelihood_candidate::Entity>(id, Some(expected_version), "votes")
        .await?;
    let status = current.row.status.0;
    if status != CandidateStatus::Shortlisted {
        return Err(wrong_state(status, "voted on (shortlist it first)"));
    }
    let organization = current.row.organization_id;
    let session = MeetingView::from(
        cmd.refer::<meeting::Entity>(organization, tally.meeting_id, field::MEETING_ID)
            .await?,
    );
    if session.kind != MeetingKind::CongressSession {
        return Err(AppError::invalid(
            field::MEETING_ID,
            Reason::WrongState,
            "votes are taken at a congress session",
        ));
    }
    if !session.quorate() {
        return Err(AppError::invalid(
            field::MEETING_ID,
            Reason::WrongState,
            format!(
                "the session is not quorate: {} of {} deputies present, more than half are needed",
                session.deputies_present, session.deputies_total
            ),
        ));
    }
    let present = u32::try_from(session.deputies_present).unwrap_or(0);
    let counts = check_tally(
        &[
            (field::VOTES_FOR, tally.votes_for),
            (field::VOTES_AGAINST, tally.votes_against),
            (field::ABSTENTIONS, tally.abstentions),
        ],
        present,
    )?;
    let passed = vote_passes(
        counts[0],
        u32::try_from(session.deputies_total).unwrap_or(u32::MAX),
    );
    let now = cmd.now;
    let mut next = current.edit();
    next.meeting_id = Set(Some(session.id));
    next.votes_for = Set(Some(tally.votes_for));
    next.votes_against = Set(Some(tally.votes_against));
    next.abstentions = Set(Some(tally.abstentions));
    if passed {
        let number = resolution(&cmd, organization, session.held_on.year(), given).await?;
        let made = project::ActiveModel {
            id: Set(jiandu_domain::new_id()),
            organization_id: Set(organization),
            title: Set(current.row.title.clone()),
            description: Set(current.row.description.clone()),
            origin: Set(Stored(ProjectOrigin::LivelihoodVote)),
            location: Set(None),
            construction: Set(false),
            status: Set(Stored(ProjectStatus::Planned)),
            lead_leader_id: Set(None),
            planned_start: Set(None),
            planned_end: Set(None),
            completed_on: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        };
        let made = cmd
            .create::<project::Entity>(made, Audit::new(Action::ProjectCreate))
            .await?;
        next.status = Set(Stored(CandidateStatus::Passed));
        next.resolution_number = Set(Some(number));
        next.project_id = Set(Some(made.id));
    } else {
        next.status = Set(Stored(CandidateStatus::Rejected));
    }
    let audit = Audit::new(Action::CandidateVote)
        .with("passed", passed)
        .with("deputiesTotal", session.deputies_total);
    cmd.finish_update(&current, next, audit).await
}

/// The passed candidate's resolution number: as the session gave it (refused if the
/// organisation already has it; one in its own form moves the year's numbering past it), or the
/// next of `year`: 思人决〔2026〕N号.
async fn resolution(
    cmd: &Command<'_>,
    organization: Uuid,
    year: i32,
    given: Option<Text>,
) -> Result<String, AppError> {
    let name = organization::Entity::find_by_id(organization)
        .one(cmd.db())
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let short = short_name(&name);
    let mut counter = Counter::<resolution_sequence::Entity>::lock(cmd, organization, year).await?;
    let number = match given {
        Some(given) => {
            let given = given.into_string();
            let taken = livelihood_candidate::Entity::find()
                .filter(livelihood_candidate::Column::OrganizationId.eq(organization))
                .filter(livelihood_candidate::Column::ResolutionNumber.eq(given.as_str()))
                .one(cmd.db())
                .await?;
            if taken.is_some() {
                return Err(AppError::invalid(
                    field::RESOLUTION_NUMBER,
                    Reason::Other,
                    format!("{given} is already another resolution's number"),
                ));
            }
            let prefix = format!("{short}人决〔{year}〕");
            if let Some(n) = given
                .strip_prefix(prefix.as_str())
                .and_then(|rest| rest.strip_suffix('号'))
                .and_then(|n| n.parse::<i32>().ok())
            {
                counter.taken_up_to(n);
            }
            given
        }
        None => resolution_number(&short, year, counter.take()),
    };
    counter.save(cmd).await?;
    Ok(number)
}

/// The candidates of `year` the actor may read, each organisation's in the order proposed.
pub async fn candidates_of_year(
    ctx: &Ctx,
    actor: &Actor,
    year: i32,
) -> Result<Vec<CandidateView>, AppError> {
    use livelihood_candidate::Column as C;
    tables::all(
        actor
            .readable()
            .select::<livelihood_candidate::Entity>()
            .filter(C::Year.eq(year))
            .order_by_asc(C::OrganizationId)
            .order_by_asc(C::CreatedAt)
            .order_by_asc(C::Id),
        ctx.db.conn(),
    )
    .await
}

pub async fn candidates_by_ids(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<CandidateView>, AppError> {
    tables::by_ids::<livelihood_candidate::Entity>(actor, ids, ctx.db.conn()).await
}

/// The candidates voted on at the meetings `ids`.
pub async fn candidates_of_meetings(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<CandidateView>, AppError> {
    use livelihood_candidate::Column as C;
    tables::all(
        actor
            .readable()
            .select::<livelihood_candidate::Entity>()
            .filter(C::MeetingId.is_in(ids.iter().copied()))
            .order_by_asc(C::CreatedAt)
            .order_by_asc(C::Id),
        ctx.db.conn(),
    )
    .await
}

/// The candidates the projects `ids` were made from.
pub async fn candidates_of_projects(
    ctx: &Ctx,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<CandidateView>, AppError> {
    use livelihood_candidate::Column as C;
    tables::all(
        actor
            .readable()
            .select::<livelihood_candidate::Entity>()
            .filter(C::ProjectId.is_in(ids.iter().copied())),
        ctx.db.conn(),
    )
    .await
}
