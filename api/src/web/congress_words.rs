//! The congress's cycle in the workbench's words: where a candidate came from, how far it got,
//! how a project was voted in and how its assessments came out, where an opinion stands and how
//! each of its points was judged.

use jiandu_domain::congress::{CandidateSource, CandidateStatus, PointJudgement};
use uuid::Uuid;

use crate::error::AppError;
use crate::service::congress;
use crate::service::views::{AssessmentView, MeetingView};
use crate::service::{Actor, Ctx};

pub fn source_word(source: CandidateSource) -> &'static str {
    match source {
        CandidateSource::DeputySuggestion => "代表建议",
        CandidateSource::Government => "政府提出",
        CandidateSource::Constituents => "群众征集",
        CandidateSource::Other => "其他",
    }
}

pub fn status_word(status: CandidateStatus) -> &'static str {
    match status {
        CandidateStatus::Proposed => "征集",
        CandidateStatus::Shortlisted => "初定候选",
        CandidateStatus::Passed => "票决通过",
        CandidateStatus::Rejected => "未通过",
    }
}

/// The judgements in the order the presidium's form offers them.
pub const JUDGEMENTS: [PointJudgement; 3] = [
    PointJudgement::Implemented,
    PointJudgement::Partly,
    PointJudgement::NotImplemented,
];

/// How a project was voted in and assessed; only a livelihood project has either (and the page
/// spends no statement on them otherwise).
pub async fn told(
    ctx: &Ctx,
    actor: &Actor,
    project: &crate::service::views::ProjectView,
) -> Result<(Option<(i32, String)>, Vec<String>), AppError> {
    if project.origin != jiandu_domain::ProjectOrigin::LivelihoodVote {
        return Ok((None, Vec::new()));
    }
    Ok((
        voted(ctx, actor, project.id).await?,
        assessed(ctx, actor, project.id).await?,
    ))
}

/// A project's assessments in words, oldest first.
pub async fn assessed(ctx: &Ctx, actor: &Actor, id: Uuid) -> Result<Vec<String>, AppError> {
    let found = congress::assessments_of_projects(ctx, actor, &[id]).await?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = found.iter().map(|a| a.meeting_id).collect();
    let meetings = congress::meetings_by_ids(ctx, actor, &ids).await?;
    Ok(found
        .iter()
        .map(|a| assessment_words(a, &meetings))
        .collect())
}

/// How the deputies voted project `id` in, if they did: 思人决〔2026〕1号，赞成33票，反对1票，弃权1票.
pub async fn voted(ctx: &Ctx, actor: &Actor, id: Uuid) -> Result<Option<(i32, String)>, AppError> {
    let found = congress::candidates_of_projects(ctx, actor, &[id]).await?;
    Ok(found.into_iter().next().map(|c| {
        let number = c.resolution_number.unwrap_or_default();
        let said = match (c.votes_for, c.votes_against, c.abstentions) {
            (Some(f), Some(a), Some(s)) => format!("{number}，赞成{f}票，反对{a}票，弃权{s}票"),
            _ => number,
        };
        (c.year, said)
    }))
}

/// An assessment in words: 测评（主席团会议，2026-12-20）：满意20、基本满意4、不满意6，满意率80.0%，通过.
pub fn assessment_words(a: &AssessmentView, meetings: &[MeetingView]) -> String {
    let at = meetings
        .iter()
        .find(|m| m.id == a.meeting_id)
        .map(|m| format!("（{}，{}）", m.title, m.held_on))
        .unwrap_or_default();
    let verdict = match (a.passed, a.rectification_id) {
        (true, _) => "通过",
        (false, Some(_)) => "未通过，已开测评整改",
        (false, None) => "未通过",
    };
    format!(
        "测评{at}：满意{}、基本满意{}、不满意{}，满意率{:.1}%，{verdict}",
        a.satisfied,
        a.basically_satisfied,
        a.dissatisfied,
        a.rate() * 100.0
    )
}
