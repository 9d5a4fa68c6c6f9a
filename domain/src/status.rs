//! Statuses and what may follow what.

use crate::field;
use chrono::NaiveDate;

use crate::validate::{Invalid, Reason};

macro_rules! string_enum {
    ($name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name stored in the database and shown in the API.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::validate::Invalid;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::validate::Invalid::because(
                        stringify!($name),
                        $crate::validate::Reason::NotInList,
                        format!("`{other}` is not a known {}", stringify!($name)),
                    )),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MilestoneStatus {
    NotStarted,
    InProgress,
    /// 已报办结: reported done by the one responsible.
    Done,
    /// 已核验: checked by a deputy.
    Verified,
    /// 已销号: signed off by the presidium.
    Closed,
    Cancelled,
}

string_enum!(MilestoneStatus {
    NotStarted = "NOT_STARTED",
    InProgress = "IN_PROGRESS",
    Done = "DONE",
    Verified = "VERIFIED",
    Closed = "CLOSED",
    Cancelled = "CANCELLED",
});

/// Whether an item is still open, and if not, how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closure {
    Open,
    /// Done (or verified) on this date in the organisation's zone.
    Done(NaiveDate),
    Cancelled,
}

impl Closure {
    pub fn is_open(self) -> bool {
        matches!(self, Closure::Open)
    }
}

/// Something a user asks of a milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MilestoneAction {
    Edit,
    Reschedule,
    ReportProgress,
    Complete,
    Accept,
    Reject,
    /// 销号, by the presidium.
    SignOff,
    /// 退回重办: a reported completion sent back, by the presidium or a deputy.
    Return,
    Cancel,
}

impl MilestoneStatus {
    pub const OPEN: [MilestoneStatus; 2] =
        [MilestoneStatus::NotStarted, MilestoneStatus::InProgress];
    /// Reported done, whether or not checked and signed off since.
    pub const FINISHED: [MilestoneStatus; 3] = [
        MilestoneStatus::Done,
        MilestoneStatus::Verified,
        MilestoneStatus::Closed,
    ];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    pub fn closure(self, completed_on: Option<NaiveDate>) -> Closure {
        match (self, completed_on) {
            (MilestoneStatus::Cancelled, _) => Closure::Cancelled,
            (
                MilestoneStatus::Done | MilestoneStatus::Verified | MilestoneStatus::Closed,
                Some(on),
            ) => Closure::Done(on),
            _ => Closure::Open,
        }
    }

    /// The status after `action`, or why the action is not possible now.
    pub fn after(self, action: MilestoneAction) -> Result<MilestoneStatus, Invalid> {
        use MilestoneAction as A;
        use MilestoneStatus as S;
        let next = match (self, action) {
            (S::NotStarted | S::InProgress | S::Done, A::Edit) => Some(self),
            (S::NotStarted | S::InProgress, A::Reschedule) => Some(self),
            (S::NotStarted | S::InProgress, A::ReportProgress) => Some(S::InProgress),
            (S::NotStarted | S::InProgress, A::Complete) => Some(S::Done),
            (S::Done, A::Accept) => Some(S::Verified),
            (S::Done, A::Reject) => Some(S::InProgress),
            (S::Done | S::Verified, A::SignOff) => Some(S::Closed),
            (S::Done | S::Verified, A::Return) => Some(S::InProgress),
            (S::NotStarted | S::InProgress, A::Cancel) => Some(S::Cancelled),
            _ => None,
        };
        next.ok_or_else(|| {
            let what = match action {
                A::Edit => "edited",
                A::Reschedule => "rescheduled",
                A::ReportProgress => "given a progress report",
                A::Complete => "completed",
                A::Accept | A::Reject => "verified (only a DONE one can be)",
                A::SignOff => "signed off (only a DONE or VERIFIED one can be)",
                A::Return => "returned (only a DONE or VERIFIED one can be)",
                A::Cancel => "cancelled",
            };
            Invalid::because(
                field::STATUS,
                Reason::WrongState,
                format!("a {self} milestone cannot be {what}"),
            )
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProjectStatus {
    Planned,
    InProgress,
    Completed,
    Suspended,
    Cancelled,
}

string_enum!(ProjectStatus {
    Planned = "PLANNED",
    InProgress = "IN_PROGRESS",
    Completed = "COMPLETED",
    Suspended = "SUSPENDED",
    Cancelled = "CANCELLED",
});

impl ProjectStatus {
    pub const CLOSED: [ProjectStatus; 2] = [ProjectStatus::Completed, ProjectStatus::Cancelled];

    pub fn is_closed(self) -> bool {
        Self::CLOSED.contains(&self)
    }

    /// Whether a project may move from `self` to `next`. Completed and cancelled projects are
    /// final: reopening one is a new project, so the record of the old one stays as it was.
    pub fn check_transition(self, next: ProjectStatus) -> Result<(), Invalid> {
        use ProjectStatus as S;
        let allowed = self == next
            || matches!(
                (self, next),
                (S::Planned, S::InProgress | S::Suspended | S::Cancelled)
                    | (S::InProgress, S::Suspended | S::Completed | S::Cancelled)
                    | (S::Suspended, S::InProgress | S::Cancelled)
            );
        if allowed {
            Ok(())
        } else {
            Err(Invalid::because(
                field::STATUS,
                Reason::WrongState,
                format!("a {self} project cannot become {next}"),
            ))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProjectOrigin {
    /// 民生实事项目票决制
    LivelihoodVote,
    /// 政府工作报告目标任务
    WorkReport,
    /// 代表建议
    DeputySuggestion,
    Other,
}

string_enum!(ProjectOrigin {
    LivelihoodVote = "LIVELIHOOD_VOTE",
    WorkReport = "WORK_REPORT",
    DeputySuggestion = "DEPUTY_SUGGESTION",
    Other = "OTHER",
});

#[cfg(test)]
mod tests {
    use super::*;
    use MilestoneAction as A;
    use MilestoneStatus as S;

    #[test]
    fn only_a_reported_completion_is_signed_off_or_returned() {
        for reported in [S::Done, S::Verified] {
            assert_eq!(reported.after(A::SignOff).unwrap(), S::Closed);
            assert_eq!(reported.after(A::Return).unwrap(), S::InProgress);
        }
        for other in [S::NotStarted, S::InProgress, S::Closed, S::Cancelled] {
            assert!(other.after(A::SignOff).is_err(), "{other}");
            assert!(other.after(A::Return).is_err(), "{other}");
        }
        // Signed off is final: nothing else happens to it.
        for action in [
            A::Edit,
            A::Reschedule,
            A::ReportProgress,
            A::Complete,
            A::Accept,
            A::Cancel,
        ] {
            assert!(S::Closed.after(action).is_err());
        }
        let on = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        assert_eq!(S::Closed.closure(Some(on)), Closure::Done(on));
    }

    #[test]
    fn a_milestone_lives_from_not_started_to_verified() {
        let s = S::NotStarted.after(A::ReportProgress).unwrap();
        assert_eq!(s, S::InProgress);
        let s = s.after(A::Complete).unwrap();
        assert_eq!(s, S::Done);
        assert_eq!(s.after(A::Reject).unwrap(), S::InProgress);
        assert_eq!(s.after(A::Accept).unwrap(), S::Verified);
    }

    #[test]
    fn closed_milestones_refuse_further_work() {
        for action in [A::Reschedule, A::ReportProgress, A::Complete, A::Cancel] {
            assert!(S::Verified.after(action).is_err(), "{action:?}");
            assert!(S::Cancelled.after(action).is_err(), "{action:?}");
            assert!(S::Done.after(action).is_err(), "{action:?}");
        }
        assert!(S::InProgress.after(A::Accept).is_err());
    }

    #[test]
    fn statuses_round_trip_through_their_names() {
        for s in S::ALL {
            assert_eq!(s.as_str().parse::<S>().unwrap(), *s);
        }
        assert!("done".parse::<S>().is_err());
    }

    #[test]
    fn finished_projects_stay_finished() {
        assert!(
            ProjectStatus::Planned
                .check_transition(ProjectStatus::InProgress)
                .is_ok()
        );
        assert!(
            ProjectStatus::InProgress
                .check_transition(ProjectStatus::Completed)
                .is_ok()
        );
        assert!(
            ProjectStatus::Completed
                .check_transition(ProjectStatus::InProgress)
                .is_err()
        );
        assert!(
            ProjectStatus::Cancelled
                .check_transition(ProjectStatus::Planned)
                .is_err()
        );
        assert!(
            ProjectStatus::Planned
                .check_transition(ProjectStatus::Completed)
                .is_err()
        );
    }
}
