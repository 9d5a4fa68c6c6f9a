//! Why an input was refused, as a code with the values the rule needed: what a client says in
//! its own words (the workbench, in Chinese).

use chrono::NaiveDate;

/// The rule an input broke, as a client is told it (`extensions.reason` and `extensions.params`
/// in the API), so the workbench can say it in Chinese with the field's label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Nothing was given where something must be.
    Required,
    /// Longer than allowed, in characters.
    TooLong { max: usize },
    /// Control characters in text.
    ControlCharacters,
    /// A number outside its range.
    OutOfRange { min: i64, max: i64 },
    /// A date before the start it may not precede.
    BeforeStart { start: NaiveDate },
    /// A date before the first day it may be (today, the day something was received).
    TooEarly { date: NaiveDate },
    /// A start after the deadline it leads to.
    AfterDeadline { deadline: NaiveDate },
    /// A date that must be later than `date` (a new deadline than the current one).
    NotLater { date: NaiveDate },
    /// A day that has not come yet.
    InFuture { today: NaiveDate },
    /// A completion dated further back than the one who answers may report it.
    BackdateLimit { days: u32 },
    /// The deadline has passed: what had to be asked for before it cannot be now.
    DeadlinePassed { due_by: NaiveDate },
    /// A date outside the years anyone plans in (a typing mistake).
    Implausible,
    /// Not one of the values offered (a list's choice).
    NotInList,
    /// Not a date (YYYY-MM-DD).
    NotADate,
    /// Not a whole number.
    NotANumber,
    /// Names a record that does not exist (or not in this organisation).
    UnknownRecord,
    /// A file of a kind not taken (only photos, PDF and Office documents without macros).
    FileKind,
    /// Progress reported lower than the `was` last reported, without saying why.
    ProgressDropped { was: u8 },
    /// More chosen than allowed.
    TooMany { max: usize },
    /// Sub-items still open, which must be finished or cancelled first.
    OpenChildren { count: usize },
    /// An item with sub-items, whose progress is theirs.
    HasChildren,
    /// Items nest no deeper than this.
    TooDeep { max: usize },
    /// The same as it is now: nothing would change.
    Unchanged,
    /// The record's state does not allow this step now.
    WrongState,
    /// Shorter or longer than allowed, in characters (a password, a key).
    Length { min: usize, max: usize },
    /// The current password given to change it is not the current one.
    WrongPassword,
    /// Characters a name may not hold (a username: letters, digits, `_`, `.`, `-`).
    Characters,
    /// Not a web address (`http://` or `https://` and a host).
    NotAnAddress,
    /// An address notices may not be sent to (inside the server's own network, unless allowed).
    HostNotAllowed,
    /// Not a signing secret in the form the receiver's standard gives it.
    NotASecret,
    /// Given where this kind of thing takes none (a key on a query, a secret for a robot).
    NotForThisKind,
    /// A step on one's own account that another must take (disabling it).
    OwnAccount,
    /// A list position this list did not hand out.
    NotACursor,
    /// A ledger with `count` cells that cannot be imported; nothing was written.
    BadCells { count: usize },
    /// A file that cannot be read as a ledger (not a workbook, too large when unpacked…).
    NotALedger,
    /// Ballots counted together beyond the deputies present (a tally, an assessment).
    OverPresent { present: u32 },
    /// Any other rule; the message says which.
    Other,
}

/// A value a reason names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    Number(i64),
    Date(NaiveDate),
}

impl Reason {
    /// The code a client matches.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Required => "REQUIRED",
            Reason::TooLong { .. } => "TOO_LONG",
            Reason::ControlCharacters => "CONTROL_CHARACTERS",
            Reason::OutOfRange { .. } => "OUT_OF_RANGE",
            Reason::OverPresent { .. } => "OVER_PRESENT",
            Reason::BeforeStart { .. } => "BEFORE_START",
            Reason::TooEarly { .. } => "TOO_EARLY",
            Reason::AfterDeadline { .. } => "AFTER_DEADLINE",
            Reason::NotLater { .. } => "NOT_LATER",
            Reason::InFuture { .. } => "IN_FUTURE",
            Reason::BackdateLimit { .. } => "BACKDATE_LIMIT",
            Reason::DeadlinePassed { .. } => "DEADLINE_PASSED",
            Reason::Implausible => "IMPLAUSIBLE_DATE",
            Reason::NotInList => "NOT_IN_LIST",
            Reason::NotADate => "NOT_A_DATE",
            Reason::NotANumber => "NOT_A_NUMBER",
            Reason::UnknownRecord => "UNKNOWN_RECORD",
            Reason::FileKind => "UNSUPPORTED_FILE",
            Reason::ProgressDropped { .. } => "PROGRESS_DROPPED",
            Reason::TooMany { .. } => "TOO_MANY",
            Reason::OpenChildren { .. } => "OPEN_CHILDREN",
            Reason::HasChildren => "HAS_CHILDREN",
            Reason::TooDeep { .. } => "TOO_DEEP",
            Reason::Unchanged => "UNCHANGED",
            Reason::WrongState => "WRONG_STATE",
            Reason::Length { .. } => "LENGTH",
            Reason::WrongPassword => "WRONG_PASSWORD",
            Reason::Characters => "CHARACTERS",
            Reason::NotAnAddress => "NOT_AN_ADDRESS",
            Reason::HostNotAllowed => "HOST_NOT_ALLOWED",
            Reason::NotASecret => "NOT_A_SECRET",
            Reason::NotForThisKind => "NOT_FOR_THIS_KIND",
            Reason::OwnAccount => "OWN_ACCOUNT",
            Reason::NotACursor => "NOT_A_CURSOR",
            Reason::BadCells { .. } => "BAD_CELLS",
            Reason::NotALedger => "NOT_A_LEDGER",
            Reason::Other => "INVALID",
        }
    }

    /// The values the rule needed, by name.
    pub fn params(self) -> Vec<(&'static str, Param)> {
        let number = |n: usize| Param::Number(i64::try_from(n).unwrap_or(i64::MAX));
        match self {
            Reason::TooLong { max } | Reason::TooMany { max } | Reason::TooDeep { max } => {
                vec![("max", number(max))]
            }
            Reason::OutOfRange { min, max } => {
                vec![("min", Param::Number(min)), ("max", Param::Number(max))]
            }
            Reason::BeforeStart { start } => vec![("start", Param::Date(start))],
            Reason::AfterDeadline { deadline } => vec![("deadline", Param::Date(deadline))],
            Reason::NotLater { date } | Reason::TooEarly { date } => {
                vec![("date", Param::Date(date))]
            }
            Reason::InFuture { today } => vec![("today", Param::Date(today))],
            Reason::BackdateLimit { days } => vec![("days", Param::Number(i64::from(days)))],
            Reason::OverPresent { present } => {
                vec![("present", Param::Number(i64::from(present)))]
            }
            Reason::DeadlinePassed { due_by } => vec![("dueBy", Param::Date(due_by))],
            Reason::OpenChildren { count } | Reason::BadCells { count } => {
                vec![("count", number(count))]
            }
            Reason::Length { min, max } => vec![("min", number(min)), ("max", number(max))],
            Reason::ProgressDropped { was } => vec![("was", Param::Number(i64::from(was)))],
            Reason::Required
            | Reason::ControlCharacters
            | Reason::Implausible
            | Reason::NotInList
            | Reason::NotADate
            | Reason::NotANumber
            | Reason::UnknownRecord
            | Reason::FileKind
            | Reason::HasChildren
            | Reason::Unchanged
            | Reason::WrongState
            | Reason::WrongPassword
            | Reason::Characters
            | Reason::NotAnAddress
            | Reason::HostNotAllowed
            | Reason::NotASecret
            | Reason::NotForThisKind
            | Reason::OwnAccount
            | Reason::NotACursor
            | Reason::NotALedger
            | Reason::Other => Vec::new(),
        }
    }

    /// One of each reason, with sample values: what a client must have words for (the
    /// workbench's sentences match on every variant, so a reason without one does not compile;
    /// this list lets a test read each).
    pub fn every() -> Vec<Reason> {
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap_or_default();
        vec![
            Reason::Required,
            Reason::TooLong { max: 200 },
            Reason::ControlCharacters,
            Reason::OutOfRange { min: 0, max: 100 },
            Reason::BeforeStart { start: day },
            Reason::TooEarly { date: day },
            Reason::AfterDeadline { deadline: day },
            Reason::NotLater { date: day },
            Reason::InFuture { today: day },
            Reason::BackdateLimit { days: 7 },
            Reason::DeadlinePassed { due_by: day },
            Reason::Implausible,
            Reason::NotInList,
            Reason::NotADate,
            Reason::NotANumber,
            Reason::UnknownRecord,
            Reason::FileKind,
            Reason::ProgressDropped { was: 60 },
            Reason::TooMany { max: 50 },
            Reason::OpenChildren { count: 2 },
            Reason::HasChildren,
            Reason::TooDeep { max: 4 },
            Reason::Unchanged,
            Reason::WrongState,
            Reason::Length { min: 12, max: 128 },
            Reason::WrongPassword,
            Reason::Characters,
            Reason::NotAnAddress,
            Reason::HostNotAllowed,
            Reason::NotASecret,
            Reason::NotForThisKind,
            Reason::OwnAccount,
            Reason::NotACursor,
            Reason::BadCells { count: 3 },
            Reason::NotALedger,
            Reason::OverPresent { present: 41 },
            Reason::Other,
        ]
    }
}
