//! Meetings, livelihood-project candidates, assessments and deliberation opinions, as services
//! hand them out.

use chrono::NaiveDate;
use jiandu_domain::congress::{
    CandidateSource, CandidateStatus, MeetingKind, OpinionStatus, PointJudgement,
};
use jiandu_domain::{Closure, Tracked};
use serde::Serialize;
use uuid::Uuid;

use super::display;
use crate::entity;

/// 会议
#[derive(Debug, Clone, Serialize)]
pub struct MeetingView {
    pub id: Uuid,
    pub organization_id: Uuid,
    #[serde(serialize_with = "display")]
    pub kind: MeetingKind,
    pub title: String,
    pub held_on: NaiveDate,
    pub place: Option<String>,
    pub deputies_total: i32,
    pub deputies_present: i32,
    pub version: i32,
}

impl MeetingView {
    /// Whether enough deputies were present for it to vote (docs/congress.md).
    pub fn quorate(&self) -> bool {
        jiandu_domain::congress::quorate(
            self.kind,
            u32::try_from(self.deputies_total).unwrap_or(0),
            u32::try_from(self.deputies_present).unwrap_or(0),
        )
    }
}

impl From<entity::meeting::Model> for MeetingView {
    fn from(m: entity::meeting::Model) -> Self {
        MeetingView {
            id: m.id,
            organization_id: m.organization_id,
            kind: m.kind.0,
            title: m.title,
            held_on: m.held_on,
            place: m.place,
            deputies_total: m.deputies_total,
            deputies_present: m.deputies_present,
            version: m.version,
        }
    }
}

/// 民生实事候选项目
#[derive(Debug, Clone, Serialize)]
pub struct CandidateView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub year: i32,
    pub title: String,
    pub description: Option<String>,
    #[serde(serialize_with = "display")]
    pub source: CandidateSource,
    pub suggestion_id: Option<Uuid>,
    #[serde(serialize_with = "display")]
    pub status: CandidateStatus,
    pub meeting_id: Option<Uuid>,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    pub abstentions: Option<i32>,
    pub resolution_number: Option<String>,
    pub project_id: Option<Uuid>,
    pub version: i32,
}

impl From<entity::livelihood_candidate::Model> for CandidateView {
    fn from(m: entity::livelihood_candidate::Model) -> Self {
        CandidateView {
            id: m.id,
            organization_id: m.organization_id,
            year: m.year,
            title: m.title,
            description: m.description,
            source: m.source.0,
            suggestion_id: m.suggestion_id,
            status: m.status.0,
            meeting_id: m.meeting_id,
            votes_for: m.votes_for,
            votes_against: m.votes_against,
            abstentions: m.abstentions,
            resolution_number: m.resolution_number,
            project_id: m.project_id,
            version: m.version,
        }
    }
}

/// 满意度测评: a project's assessment at a meeting.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub project_id: Uuid,
    pub meeting_id: Uuid,
    pub satisfied: i32,
    pub basically_satisfied: i32,
    pub dissatisfied: i32,
    pub passed: bool,
    pub rectification_id: Option<Uuid>,
}

impl AssessmentView {
    /// (满意 + 基本满意) ÷ votes cast; 0 when none were cast (an assessment records some).
    pub fn rate(&self) -> f64 {
        let count = |n: i32| u32::try_from(n).unwrap_or(0);
        jiandu_domain::congress::satisfaction_rate(
            count(self.satisfied),
            count(self.basically_satisfied),
            count(self.dissatisfied),
        )
        .unwrap_or(0.0)
    }
}

impl From<entity::assessment::Model> for AssessmentView {
    fn from(m: entity::assessment::Model) -> Self {
        AssessmentView {
            id: m.id,
            organization_id: m.organization_id,
            project_id: m.project_id,
            meeting_id: m.meeting_id,
            satisfied: m.satisfied,
            basically_satisfied: m.basically_satisfied,
            dissatisfied: m.dissatisfied,
            passed: m.passed,
            rectification_id: m.rectification_id,
        }
    }
}

/// 审议意见: an opinion sent to a responsible leader, its points and where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct OpinionView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub meeting_id: Uuid,
    pub title: String,
    pub points: Vec<PointView>,
    pub responsible_leader_id: Uuid,
    pub sent_on: NaiveDate,
    pub reply_deadline: NaiveDate,
    pub due_by: NaiveDate,
    #[serde(serialize_with = "display")]
    pub status: OpinionStatus,
    pub answered_on: Option<NaiveDate>,
    pub judged_on: Option<NaiveDate>,
    pub version: i32,
}

/// One point of an opinion, with the government's feedback and the presidium's judgement.
#[derive(Debug, Clone, Serialize)]
pub struct PointView {
    pub id: Uuid,
    pub text: String,
    pub feedback: Option<String>,
    #[serde(serialize_with = "display_some")]
    pub judgement: Option<PointJudgement>,
}

/// An optional code, as [`display`] writes one, or null.
fn display_some<T: std::fmt::Display, S: serde::Serializer>(
    value: &Option<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serializer.collect_str(value),
        None => serializer.serialize_none(),
    }
}

impl OpinionView {
    /// The reply deadline as every deadline is judged: open until answered, done on the day it
    /// was. No progress is reported on a reply, so it has no pace to fall behind.
    pub fn tracked(&self) -> Tracked {
        Tracked {
            start: None,
            due_by: self.due_by,
            on_time_due_by: self.due_by,
            closure: self.answered_on.map_or(Closure::Open, Closure::Done),
            progress: 0,
        }
    }

    /// How many of its points were judged carried out (落实).
    pub fn implemented(&self) -> usize {
        self.points
            .iter()
            .filter(|p| p.judgement == Some(PointJudgement::Implemented))
            .count()
    }
}

impl From<entity::deliberation_opinion::Model> for OpinionView {
    fn from(m: entity::deliberation_opinion::Model) -> Self {
        OpinionView {
            id: m.id,
            organization_id: m.organization_id,
            meeting_id: m.meeting_id,
            title: m.title,
            points: m
                .points
                .0
                .into_iter()
                .map(|p| PointView {
                    id: p.id,
                    text: p.text,
                    feedback: p.feedback,
                    judgement: p.judgement.map(|j| j.0),
                })
                .collect(),
            responsible_leader_id: m.responsible_leader_id,
            sent_on: m.sent_on,
            reply_deadline: m.reply_deadline,
            due_by: m.due_by,
            status: m.status.0,
            answered_on: m.answered_on,
            judged_on: m.judged_on,
            version: m.version,
        }
    }
}
