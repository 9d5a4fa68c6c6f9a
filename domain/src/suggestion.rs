//! Deputies' suggestions (代表建议办理, docs/rules.md §6): registered (登记), assigned (交办) to a lead
//! unit and the leader who answers for it, answered with a class A–D, rated by the lead deputy,
//! redone (重办) after a dissatisfied rating, concluded (办结) — and what each step may follow.
//! Constituents' letters and visits (来信来访) and their states.

use crate::field;
use crate::status::string_enum;
use crate::validate::{Invalid, Reason};

/// Where a suggestion came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SuggestionSource {
    /// 代表大会期间
    CongressSession,
    /// 闭会期间
    Intersession,
    /// 代表联络站
    LiaisonStation,
}

string_enum!(SuggestionSource {
    CongressSession = "CONGRESS_SESSION",
    Intersession = "INTERSESSION",
    LiaisonStation = "LIAISON_STATION",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SuggestionStatus {
    Registered,
    Assigned,
    Answered,
    Concluded,
    Withdrawn,
}

string_enum!(SuggestionStatus {
    Registered = "REGISTERED",
    Assigned = "ASSIGNED",
    Answered = "ANSWERED",
    Concluded = "CONCLUDED",
    Withdrawn = "WITHDRAWN",
});

/// How an answer settles a suggestion: A 已解决或采纳, B 正在解决或列入计划, C 因条件限制暂时难以解决,
/// D 留作参考.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AnswerClass {
    A,
    B,
    C,
    D,
}

string_enum!(AnswerClass {
    A = "A",
    B = "B",
    C = "C",
    D = "D",
});

impl AnswerClass {
    /// 已解决或采纳 …
    pub fn label(self) -> &'static str {
        match self {
            AnswerClass::A => "已解决或采纳",
            AnswerClass::B => "正在解决或列入计划",
            AnswerClass::C => "因条件限制暂时难以解决",
            AnswerClass::D => "留作参考",
        }
    }

    /// A B or C answer may be concluded but stays followed (跟踪) until a later one is A.
    pub fn followed(self) -> bool {
        matches!(self, AnswerClass::B | AnswerClass::C)
    }
}

/// A step taken on a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionStep {
    /// 交办 (again, to change the unit or leader, until it is answered).
    Assign,
    Answer,
    /// The lead deputy's rating of the latest answer; a dissatisfied one opens a redo round.
    Feedback {
        dissatisfied: bool,
    },
    /// 办结: not before an answer, not while the latest rating is dissatisfied (a redo round is
    /// then open, so the suggestion is assigned, not answered).
    Conclude,
    Withdraw,
}

impl SuggestionStatus {
    /// Still being handled: neither concluded nor withdrawn.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            SuggestionStatus::Concluded | SuggestionStatus::Withdrawn
        )
    }

    /// The status after `step`, or why the step cannot follow this status.
    pub fn after(self, step: SuggestionStep) -> Result<SuggestionStatus, Invalid> {
        use SuggestionStatus::*;
        let refused =
            |message: &str| Err(Invalid::because(field::STATUS, Reason::WrongState, message));
        match (self, step) {
            (Registered | Assigned, SuggestionStep::Assign) => Ok(Assigned),
            (_, SuggestionStep::Assign) => {
                refused("only a suggestion not yet answered can be assigned")
            }
            (Assigned, SuggestionStep::Answer) => Ok(Answered),
            (Registered, SuggestionStep::Answer) => {
                refused("assign the suggestion to a unit before answering it")
            }
            (_, SuggestionStep::Answer) => refused("this suggestion is not waiting for an answer"),
            (Answered, SuggestionStep::Feedback { dissatisfied: true }) => Ok(Assigned),
            (
                Answered,
                SuggestionStep::Feedback {
                    dissatisfied: false,
                },
            ) => Ok(Answered),
            (_, SuggestionStep::Feedback { .. }) => {
                refused("the deputy rates an answer once it is given")
            }
            (Answered, SuggestionStep::Conclude) => Ok(Concluded),
            (Registered | Assigned, SuggestionStep::Conclude) => refused(
                "a suggestion is concluded once it has an answer the deputy has not rejected",
            ),
            (_, SuggestionStep::Conclude) => refused("this suggestion is already closed"),
            (Registered | Assigned, SuggestionStep::Withdraw) => Ok(Withdrawn),
            (_, SuggestionStep::Withdraw) => {
                refused("only a suggestion not yet answered can be withdrawn")
            }
        }
    }
}

/// A suggestion's number: 2021-007 (the year, and its place in the organisation's year).
pub fn suggestion_number(year: i32, sequence: i32) -> String {
    format!("{year}-{sequence:03}")
}

/// How a constituent reached the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactKind {
    /// 来访
    Visit,
    /// 来信
    Letter,
    /// 来电
    Phone,
    /// 网上留言
    Online,
}

string_enum!(ContactKind {
    Visit = "VISIT",
    Letter = "LETTER",
    Phone = "PHONE",
    Online = "ONLINE",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactStatus {
    Open,
    /// 转办 to a unit with a reply date.
    Transferred,
    Replied,
    Closed,
}

string_enum!(ContactStatus {
    Open = "OPEN",
    Transferred = "TRANSFERRED",
    Replied = "REPLIED",
    Closed = "CLOSED",
});

/// A step taken on a letter or visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactStep {
    /// 转办 to a unit with a reply date (again, to another unit, until it is replied to).
    Transfer,
    Reply,
    Close,
}

impl ContactStatus {
    /// The status after `step`, or why the step cannot follow this status.
    pub fn after(self, step: ContactStep) -> Result<ContactStatus, Invalid> {
        use ContactStatus::*;
        match (self, step) {
            (Open | Transferred, ContactStep::Transfer) => Ok(Transferred),
            (Open | Transferred, ContactStep::Reply) => Ok(Replied),
            (Open | Transferred | Replied, ContactStep::Close) => Ok(Closed),
            (Replied, _) => Err(Invalid::because(
                field::STATUS,
                Reason::WrongState,
                "it has been replied to; close it",
            )),
            (Closed, _) => Err(Invalid::because(
                field::STATUS,
                Reason::WrongState,
                "it is closed",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SuggestionStatus::*;
    use super::SuggestionStep::*;
    use super::*;

    #[test]
    fn a_suggestion_goes_from_registration_to_conclusion_with_a_redo_round() {
        let assigned = Registered.after(Assign).unwrap();
        assert_eq!(assigned, Assigned);
        assert_eq!(assigned.after(Assign).unwrap(), Assigned, "assigned again");
        let answered = assigned.after(Answer).unwrap();
        assert_eq!(answered, Answered);
        let redo = answered.after(Feedback { dissatisfied: true }).unwrap();
        assert_eq!(redo, Assigned, "a dissatisfied rating opens a redo round");
        assert!(
            redo.after(Conclude).is_err(),
            "not while it is being redone"
        );
        let answered = redo.after(Answer).unwrap();
        let rated = answered
            .after(Feedback {
                dissatisfied: false,
            })
            .unwrap();
        assert_eq!(rated.after(Conclude).unwrap(), Concluded);
    }

    #[test]
    fn steps_out_of_order_are_refused_with_the_status_named() {
        for (status, step) in [
            (Registered, Answer),
            (Registered, Conclude),
            (
                Registered,
                Feedback {
                    dissatisfied: false,
                },
            ),
            (Answered, Assign),
            (Answered, Withdraw),
            (Concluded, Answer),
            (Concluded, Conclude),
            (Withdrawn, Assign),
            (Withdrawn, Feedback { dissatisfied: true }),
        ] {
            let refused = status.after(step).unwrap_err();
            assert_eq!(refused.field, "status", "{status:?} then {step:?}");
        }
        assert_eq!(Assigned.after(Withdraw).unwrap(), Withdrawn);
        assert!(!Withdrawn.is_open() && !Concluded.is_open() && Answered.is_open());
    }

    #[test]
    fn a_letter_is_transferred_replied_and_closed() {
        use ContactStatus::*;
        let transferred = Open.after(ContactStep::Transfer).unwrap();
        assert_eq!(
            transferred.after(ContactStep::Transfer).unwrap(),
            Transferred
        );
        let replied = transferred.after(ContactStep::Reply).unwrap();
        assert_eq!(replied, Replied);
        assert!(replied.after(ContactStep::Transfer).is_err());
        assert!(replied.after(ContactStep::Reply).is_err());
        assert_eq!(replied.after(ContactStep::Close).unwrap(), Closed);
        assert_eq!(
            Open.after(ContactStep::Close).unwrap(),
            Closed,
            "a visit needing nothing"
        );
        assert!(Closed.after(ContactStep::Close).is_err());
    }

    #[test]
    fn suggestions_are_numbered_by_year_and_place() {
        assert_eq!(suggestion_number(2021, 7), "2021-007");
        assert_eq!(suggestion_number(2026, 1234), "2026-1234");
    }

    #[test]
    fn b_and_c_answers_stay_followed() {
        assert!(AnswerClass::B.followed() && AnswerClass::C.followed());
        assert!(!AnswerClass::A.followed() && !AnswerClass::D.followed());
        assert_eq!(AnswerClass::C.label(), "因条件限制暂时难以解决");
    }
}
