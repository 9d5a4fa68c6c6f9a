//! The congress's year in figures (docs/congress.md), for the annual report: meetings held in the
//! year, the year's vote, assessments at the year's meetings and the points of opinions sent in
//! the year. A township holds a handful of each a year, so the rows are read and counted here.

use chrono::NaiveDate;
use jiandu_domain::congress::{CandidateStatus, MeetingKind};
use jiandu_domain::report::CongressFigures;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::super::Ctx;
use super::super::kernel::tenant::belongs_to;
use super::super::views::OpinionView;
use crate::entity::{Stored, assessment, deliberation_opinion, livelihood_candidate, meeting};
use crate::error::AppError;

/// The figures of `organizations` for the year from `first` to `last`.
pub async fn figures_of(
    ctx: &Ctx,
    organizations: &[Uuid],
    year: i32,
    (first, last): (NaiveDate, NaiveDate),
) -> Result<CongressFigures, AppError> {
    let db = ctx.db.conn();
    let meetings: Vec<(Uuid, Stored<MeetingKind>)> = meeting::Entity::find()
        .select_only()
        .columns([meeting::Column::Id, meeting::Column::Kind])
        .filter(belongs_to::<meeting::Entity>(organizations))
        .filter(meeting::Column::HeldOn.between(first, last))
        .into_tuple()
        .all(db)
        .await?;
    let voted = livelihood_candidate::Entity::find()
        .filter(belongs_to::<livelihood_candidate::Entity>(organizations))
        .filter(livelihood_candidate::Column::Year.eq(year))
        .filter(livelihood_candidate::Column::Status.is_in([
            Stored(CandidateStatus::Passed),
            Stored(CandidateStatus::Rejected),
        ]))
        .order_by_asc(livelihood_candidate::Column::UpdatedAt)
        .order_by_asc(livelihood_candidate::Column::Id)
        .all(db)
        .await?;
    let assessments = assessment::Entity::find()
        .filter(belongs_to::<assessment::Entity>(organizations))
        .filter(assessment::Column::MeetingId.is_in(meetings.iter().map(|(id, _)| *id)))
        .all(db)
        .await?;
    let opinions: Vec<OpinionView> = deliberation_opinion::Entity::find()
        .filter(belongs_to::<deliberation_opinion::Entity>(organizations))
        .filter(deliberation_opinion::Column::SentOn.between(first, last))
        .all(db)
        .await?
        .into_iter()
        .map(OpinionView::from)
        .collect();
    let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    let votes = |n: i32| u64::try_from(n).unwrap_or(0);
    let passed: Vec<String> = voted
        .iter()
        .filter(|c| c.status.0 == CandidateStatus::Passed)
        .map(|c| c.title.clone())
        .collect();
    Ok(CongressFigures {
        meetings_held: count(meetings.len()),
        reports_heard: count(
            meetings
                .iter()
                .filter(|(_, kind)| kind.0 == MeetingKind::ReportHearing)
                .count(),
        ),
        voted: count(voted.len()),
        passed: count(passed.len()),
        passed_titles: passed,
        assessments: count(assessments.len()),
        favourable: assessments
            .iter()
            .map(|a| votes(a.satisfied) + votes(a.basically_satisfied))
            .sum(),
        cast: assessments
            .iter()
            .map(|a| votes(a.satisfied) + votes(a.basically_satisfied) + votes(a.dissatisfied))
            .sum(),
        opinion_points: count(opinions.iter().map(|o| o.points.len()).sum()),
        opinion_points_implemented: count(opinions.iter().map(OpinionView::implemented).sum()),
    })
}
