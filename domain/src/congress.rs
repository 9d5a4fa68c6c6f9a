//! The congress's own cycle (docs/congress.md): meetings and their quorum, livelihood projects
//! chosen by the deputies' vote (民生实事项目票决制) and judged by their satisfaction assessment
//! (满意度测评), and the deliberation opinions (审议意见) sent to the government. The counting rules
//! are here, pure: the server checks every tally against them.

use crate::status::string_enum;
use crate::validate::{Invalid, Reason};

/// What kind of meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeetingKind {
    /// 人民代表大会会议: the deputies in session, where votes are taken.
    CongressSession,
    /// 主席团会议
    PresidiumMeeting,
    /// 听取政府工作汇报 / 专项工作报告
    ReportHearing,
}

string_enum!(MeetingKind {
    CongressSession = "CONGRESS_SESSION",
    PresidiumMeeting = "PRESIDIUM_MEETING",
    ReportHearing = "REPORT_HEARING",
});

/// Where a livelihood candidate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CandidateSource {
    DeputySuggestion,
    Government,
    Constituents,
    Other,
}

string_enum!(CandidateSource {
    DeputySuggestion = "DEPUTY_SUGGESTION",
    Government = "GOVERNMENT",
    Constituents = "CONSTITUENTS",
    Other = "OTHER",
});

/// A candidate's way from proposal to the vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CandidateStatus {
    Proposed,
    /// 初定候选: on the list put to the vote.
    Shortlisted,
    Passed,
    Rejected,
}

string_enum!(CandidateStatus {
    Proposed = "PROPOSED",
    Shortlisted = "SHORTLISTED",
    Passed = "PASSED",
    Rejected = "REJECTED",
});

/// Where a deliberation opinion (审议意见) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpinionStatus {
    /// 交办: sent to the government, its written reply awaited.
    Sent,
    /// 反馈: answered point by point.
    Answered,
    /// Each point judged by the presidium.
    Judged,
}

string_enum!(OpinionStatus {
    Sent = "SENT",
    Answered = "ANSWERED",
    Judged = "JUDGED",
});

/// The presidium's judgement of how one point of an opinion was carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PointJudgement {
    /// 落实
    Implemented,
    /// 部分落实
    Partly,
    /// 未落实
    NotImplemented,
}

string_enum!(PointJudgement {
    Implemented = "IMPLEMENTED",
    Partly = "PARTLY",
    NotImplemented = "NOT_IMPLEMENTED",
});

/// The most points one opinion carries.
pub const MAX_POINTS: usize = 30;

/// Whether a meeting is quorate: a congress session needs more than half of all deputies
/// present; the other meetings take no votes and are always held.
pub fn quorate(kind: MeetingKind, deputies_total: u32, present: u32) -> bool {
    match kind {
        MeetingKind::CongressSession => u64::from(present) * 2 > u64::from(deputies_total),
        MeetingKind::PresidiumMeeting | MeetingKind::ReportHearing => true,
    }
}

/// Whether a vote passes: more than half of **all** deputies voted for it (以全体代表的过半数通过),
/// however many were present.
pub fn vote_passes(votes_for: u32, deputies_total: u32) -> bool {
    u64::from(votes_for) * 2 > u64::from(deputies_total)
}

/// A tally from paper ballots: each count at least 0, and together no more than those present
/// (the rest did not vote). `field` names the count refused.
pub fn check_tally(counts: &[(&str, i32)], present: u32) -> Result<Vec<u32>, Invalid> {
    let mut checked = Vec::with_capacity(counts.len());
    for (field, count) in counts {
        let count = u32::try_from(*count).map_err(|_| {
            let range = Reason::OutOfRange {
                min: 0,
                max: i64::from(present),
            };
            Invalid::because(*field, range, "a count is 0 or more")
        })?;
        checked.push(count);
    }
    let sum: u64 = checked.iter().map(|n| u64::from(*n)).sum();
    if sum > u64::from(present) {
        let field = counts.first().map_or("", |(f, _)| f);
        return Err(Invalid::because(
            field,
            Reason::OverPresent { present },
            format!("the tally counts {sum} ballots, more than the {present} deputies present"),
        ));
    }
    Ok(checked)
}

/// A satisfaction assessment's rate: (满意 + 基本满意) ÷ votes cast; `None` when none were cast.
pub fn satisfaction_rate(satisfied: u32, basically: u32, dissatisfied: u32) -> Option<f64> {
    let cast = u64::from(satisfied) + u64::from(basically) + u64::from(dissatisfied);
    (cast > 0).then(|| (u64::from(satisfied) + u64::from(basically)) as f64 / cast as f64)
}

/// A resolution's number: `思人决〔2026〕1号`.
pub fn resolution_number(short_name: &str, year: i32, sequence: i32) -> String {
    format!("{short_name}人决〔{year}〕{sequence}号")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vote_passes_with_more_than_half_of_all_deputies_not_of_those_present() {
        // 40 deputies: 20 is exactly half and fails; 21 passes, whoever was present.
        assert!(!vote_passes(20, 40));
        assert!(vote_passes(21, 40));
        // 41 deputies: half is 20.5, so 21 passes and 20 does not.
        assert!(!vote_passes(20, 41));
        assert!(vote_passes(21, 41));
    }

    #[test]
    fn a_congress_session_needs_more_than_half_of_all_deputies_present() {
        assert!(!quorate(MeetingKind::CongressSession, 40, 20));
        assert!(quorate(MeetingKind::CongressSession, 40, 21));
        assert!(quorate(MeetingKind::ReportHearing, 40, 3));
        assert!(quorate(MeetingKind::PresidiumMeeting, 40, 0));
    }

    #[test]
    fn a_tally_counts_no_more_ballots_than_deputies_present() {
        assert_eq!(
            check_tally(
                &[("votesFor", 30), ("votesAgainst", 3), ("abstentions", 2)],
                35
            )
            .unwrap(),
            vec![30, 3, 2]
        );
        let over = check_tally(&[("votesFor", 30), ("votesAgainst", 6)], 35).unwrap_err();
        assert_eq!(over.field, "votesFor");
        assert_eq!(over.reason, Reason::OverPresent { present: 35 });
        let negative = check_tally(&[("votesFor", 30), ("votesAgainst", -1)], 35).unwrap_err();
        assert_eq!(negative.field, "votesAgainst");
    }

    #[test]
    fn the_satisfaction_rate_is_of_votes_cast() {
        assert_eq!(satisfaction_rate(20, 4, 6), Some(0.8));
        assert_eq!(satisfaction_rate(0, 0, 0), None);
        assert_eq!(satisfaction_rate(3, 3, 4), Some(0.6));
    }

    #[test]
    fn a_resolution_is_numbered_as_offices_number_it() {
        assert_eq!(resolution_number("思", 2026, 1), "思人决〔2026〕1号");
    }
}
