//! Inspections (视察、检查、评估、执法检查) and the findings they raise: rectification items (整改)
//! that live by the same time rules as milestones.

use crate::field;
use chrono::NaiveDate;

use crate::status::Closure;
use crate::status::string_enum;
use crate::validate::{Invalid, Reason};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InspectionKind {
    /// 视察
    Visit,
    /// 检查
    Check,
    /// 评估
    Evaluation,
    /// 执法检查, usually on a topic such as 森林防火 rather than one project.
    LawEnforcement,
}

string_enum!(InspectionKind {
    Visit = "VISIT",
    Check = "CHECK",
    Evaluation = "EVALUATION",
    LawEnforcement = "LAW_ENFORCEMENT",
});

/// The deputies' overall judgement of what they saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rating {
    /// 满意
    Satisfied,
    /// 基本满意
    BasicallySatisfied,
    /// 不满意
    Dissatisfied,
}

string_enum!(Rating {
    Satisfied = "SATISFIED",
    BasicallySatisfied = "BASICALLY_SATISFIED",
    Dissatisfied = "DISSATISFIED",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FindingStatus {
    Open,
    /// 整改中
    Rectifying,
    /// The responsible leader says it is rectified.
    Resolved,
    /// A deputy or the presidium checked the rectification (成效可检).
    Verified,
}

string_enum!(FindingStatus {
    Open = "OPEN",
    Rectifying = "RECTIFYING",
    Resolved = "RESOLVED",
    Verified = "VERIFIED",
});

/// What a status change of a finding means, and so who may ask for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingStep {
    /// The responsible leader starts rectifying.
    Start,
    /// The responsible leader reports it rectified, with a resolution text.
    Resolve,
    /// A deputy or the presidium accepts the rectification.
    Accept,
    /// A deputy or the presidium sends it back to rectifying, with a note.
    Reject,
}

impl FindingStatus {
    pub const OPEN: [FindingStatus; 2] = [FindingStatus::Open, FindingStatus::Rectifying];
    pub const FINISHED: [FindingStatus; 2] = [FindingStatus::Resolved, FindingStatus::Verified];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// A resolved finding counts as done on the day it was resolved; verification does not move
    /// that day, as a milestone's acceptance does not move its completion.
    pub fn closure(self, resolved_on: Option<NaiveDate>) -> Closure {
        match (self, resolved_on) {
            (FindingStatus::Resolved | FindingStatus::Verified, Some(on)) => Closure::Done(on),
            _ => Closure::Open,
        }
    }

    /// The step that moves a finding from `self` to `next`, or why there is none.
    pub fn step_to(self, next: FindingStatus) -> Result<FindingStep, Invalid> {
        use FindingStatus as S;
        match (self, next) {
            (S::Open, S::Rectifying) => Ok(FindingStep::Start),
            (S::Open | S::Rectifying, S::Resolved) => Ok(FindingStep::Resolve),
            (S::Resolved, S::Verified) => Ok(FindingStep::Accept),
            (S::Resolved, S::Rectifying) => Ok(FindingStep::Reject),
            _ => Err(Invalid::because(
                field::STATUS,
                Reason::WrongState,
                format!("a {self} finding cannot become {next}"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FindingStatus as S;

    #[test]
    fn a_finding_lives_from_open_to_verified() {
        assert_eq!(S::Open.step_to(S::Rectifying).unwrap(), FindingStep::Start);
        assert_eq!(
            S::Rectifying.step_to(S::Resolved).unwrap(),
            FindingStep::Resolve
        );
        assert_eq!(
            S::Resolved.step_to(S::Verified).unwrap(),
            FindingStep::Accept
        );
        assert_eq!(
            S::Resolved.step_to(S::Rectifying).unwrap(),
            FindingStep::Reject
        );
    }

    #[test]
    fn verified_findings_are_final_and_nothing_skips_resolution() {
        for next in S::ALL {
            assert!(S::Verified.step_to(*next).is_err(), "{next}");
        }
        assert!(S::Open.step_to(S::Verified).is_err());
        assert!(S::Rectifying.step_to(S::Verified).is_err());
        assert!(S::Rectifying.step_to(S::Open).is_err());
        assert!(S::Open.step_to(S::Open).is_err());
    }

    #[test]
    fn a_resolved_finding_is_done_on_its_resolution_day() {
        let day = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        assert_eq!(S::Resolved.closure(Some(day)), Closure::Done(day));
        assert_eq!(S::Verified.closure(Some(day)), Closure::Done(day));
        assert_eq!(S::Rectifying.closure(Some(day)), Closure::Open);
    }

    #[test]
    fn kinds_and_ratings_round_trip_through_their_names() {
        for kind in InspectionKind::ALL {
            assert_eq!(kind.as_str().parse::<InspectionKind>().unwrap(), *kind);
        }
        for rating in Rating::ALL {
            assert_eq!(rating.as_str().parse::<Rating>().unwrap(), *rating);
        }
    }
}
