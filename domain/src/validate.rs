//! Input validation. Every value a user types passes through one of these before it is stored.

use crate::field;
use chrono::NaiveDate;

/// Why an input was refused, naming the input field it concerns: the rule as a code with the
/// values it needed (for a client to say in its own words), and a sentence in English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    pub field: String,
    pub reason: Reason,
    pub message: String,
}

impl Invalid {
    /// A refusal by a rule with no code of its own ([`Reason::Other`]).
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Invalid::because(field, Reason::Other, message)
    }

    pub fn because(field: impl Into<String>, reason: Reason, message: impl Into<String>) -> Self {
        Invalid {
            field: field.into(),
            reason,
            message: message.into(),
        }
    }
}

pub use crate::reason::{Param, Reason};

/// Whether XML 1.0, and so a .docx or .xlsx, can carry `c`: not the C0 controls other than tab,
/// line feed and carriage return, nor U+FFFE and U+FFFF (a `char` is never a lone surrogate).
pub fn xml_can_carry(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Items one batch step (签收 or 销号 several at once) takes.
pub const MOST_IN_A_BATCH: usize = 100;

/// Maximum lengths, in characters (not bytes: 风雨桥 is three).
pub mod limits {
    pub const NAME: usize = 100;
    pub const TITLE: usize = 200;
    pub const DESCRIPTION: usize = 5000;
    pub const NOTE: usize = 2000;
    pub const USERNAME: usize = 64;
}

/// Trimmed, non-empty text of at most a given number of characters, free of control characters
/// (line breaks and tabs are allowed in multi-line text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(String);

impl Text {
    pub fn parse(field: &str, raw: &str, max_chars: usize) -> Result<Text, Invalid> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(Invalid::because(
                field,
                Reason::Required,
                "must not be empty",
            ));
        }
        let chars = text.chars().count();
        if chars > max_chars {
            return Err(Invalid::because(
                field,
                Reason::TooLong { max: max_chars },
                format!("must be at most {max_chars} characters, not {chars}"),
            ));
        }
        let multi_line = max_chars > limits::TITLE;
        let refused = |c: char| {
            !xml_can_carry(c) || c.is_control() && !(multi_line && matches!(c, '\n' | '\t' | '\r'))
        };
        if text.chars().any(refused) {
            return Err(Invalid::because(
                field,
                Reason::ControlCharacters,
                "must not contain control characters",
            ));
        }
        Ok(Text(text.to_string()))
    }

    /// Like [`Text::parse`], but absent or blank input means "none".
    pub fn parse_optional(
        field: &str,
        raw: Option<&str>,
        max_chars: usize,
    ) -> Result<Option<Text>, Invalid> {
        match raw {
            Some(raw) if !raw.trim().is_empty() => Text::parse(field, raw, max_chars).map(Some),
            _ => Ok(None),
        }
    }

    /// The reason a step is taken for (a reschedule, a return, a cancellation): required.
    pub fn reason(raw: &str) -> Result<Text, Invalid> {
        Text::parse(field::REASON, raw, limits::NOTE)
    }

    /// A note to a step: blank means none.
    pub fn note(raw: Option<&str>) -> Result<Option<Text>, Invalid> {
        Text::parse_optional(field::NOTE, raw, limits::NOTE)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A progress report: a whole percentage, 0–100.
pub fn progress(field: &str, value: i64) -> Result<u8, Invalid> {
    u8::try_from(value)
        .ok()
        .filter(|p| *p <= 100)
        .ok_or_else(|| {
            let reason = Reason::OutOfRange { min: 0, max: 100 };
            Invalid::because(
                field,
                reason,
                format!("must be between 0 and 100, not {value}"),
            )
        })
}

/// A milestone's weight in its parent's progress.
pub fn weight(field: &str, value: i64) -> Result<u32, Invalid> {
    u32::try_from(value)
        .ok()
        .filter(|w| (1..=1000).contains(w))
        .ok_or_else(|| {
            let reason = Reason::OutOfRange { min: 1, max: 1000 };
            Invalid::because(
                field,
                reason,
                format!("must be between 1 and 1000, not {value}"),
            )
        })
}

/// A deadline may not fall before the start.
pub fn schedule(start: Option<NaiveDate>, deadline: NaiveDate) -> Result<(), Invalid> {
    match start {
        Some(start) if deadline < start => Err(Invalid::because(
            field::DEADLINE,
            Reason::BeforeStart { start },
            format!("{deadline} is before the start date {start}"),
        )),
        _ => Ok(()),
    }
}

/// A project's planned end may not fall before its planned start.
pub fn period(start: Option<NaiveDate>, end: Option<NaiveDate>) -> Result<(), Invalid> {
    match (start, end) {
        (Some(start), Some(end)) if end < start => Err(Invalid::because(
            field::PLANNED_END,
            Reason::BeforeStart { start },
            format!("{end} is before the planned start {start}"),
        )),
        _ => Ok(()),
    }
}

/// How far back a completion reported late may be dated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backdating {
    /// The one who answers for the item: at most this many days before today.
    UpTo(u32),
    /// The presidium, entering what it knows happened earlier.
    Unlimited,
}

/// A completion dated `completed_on`, reported `today`: never ahead of time, never before the
/// item started, and back-dated no further than `backdating` allows. `Ok(true)` when it is
/// back-dated (补报), which history and the ledger say.
pub fn completion(
    completed_on: NaiveDate,
    today: NaiveDate,
    start: Option<NaiveDate>,
    backdating: Backdating,
) -> Result<bool, Invalid> {
    let invalid =
        |reason, message: String| Err(Invalid::because(field::COMPLETED_ON, reason, message));
    if completed_on > today {
        return invalid(
            Reason::InFuture { today },
            format!("{completed_on} is in the future (today is {today})"),
        );
    }
    if let Some(start) = start.filter(|start| completed_on < *start) {
        return invalid(
            Reason::BeforeStart { start },
            format!("{completed_on} is before the item started ({start})"),
        );
    }
    if let Backdating::UpTo(days) = backdating {
        let earliest = today - chrono::Duration::days(i64::from(days));
        if completed_on < earliest {
            return invalid(
                Reason::BackdateLimit { days },
                format!(
                    "a completion reported late may be dated at most {days} days back \
                     ({earliest}); an earlier date is for the presidium to enter"
                ),
            );
        }
    }
    Ok(completed_on < today)
}

/// Dates outside this range are almost certainly typing mistakes.
pub fn plausible_date(field: &str, date: NaiveDate) -> Result<NaiveDate, Invalid> {
    let earliest = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
    let latest = NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(NaiveDate::MAX);
    if (earliest..=latest).contains(&date) {
        Ok(date)
    } else {
        Err(Invalid::because(
            field,
            Reason::Implausible,
            format!("{date} is outside 2000–2100"),
        ))
    }
}

/// A day a person says something happened: plausible, and not after `today`.
pub fn past_day(field: &str, day: NaiveDate, today: NaiveDate) -> Result<NaiveDate, Invalid> {
    let day = plausible_date(field, day)?;
    if day > today {
        return Err(Invalid::because(
            field,
            Reason::InFuture { today },
            format!("must not be after today ({today})"),
        ));
    }
    Ok(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_counted_in_characters() {
        let title = Text::parse(field::TITLE, "  健身步道风雨桥  ", 7).unwrap();
        assert_eq!(title.as_str(), "健身步道风雨桥");
        assert!(Text::parse(field::TITLE, "健身步道风雨桥", 6).is_err());
        let err = Text::parse(field::TITLE, " \t ", 10).unwrap_err();
        assert_eq!(err.field, "title");
    }

    #[test]
    fn control_characters_are_refused_but_descriptions_may_have_lines() {
        assert!(Text::parse(field::TITLE, "a\u{0}b", limits::TITLE).is_err());
        assert!(Text::parse(field::TITLE, "a\nb", limits::TITLE).is_err());
        assert!(Text::parse(field::DESCRIPTION, "第一行\n第二行", limits::DESCRIPTION).is_ok());
        assert!(Text::parse(field::DESCRIPTION, "a\u{7}b", limits::DESCRIPTION).is_err());
    }

    #[test]
    fn blank_optional_text_means_none() {
        assert_eq!(
            Text::parse_optional(field::NOTE, Some("  "), 10).unwrap(),
            None
        );
        assert_eq!(Text::parse_optional(field::NOTE, None, 10).unwrap(), None);
    }

    #[test]
    fn progress_is_a_percentage() {
        assert_eq!(progress("progress", 100).unwrap(), 100);
        assert!(progress("progress", 120).is_err());
        assert!(progress("progress", -1).is_err());
    }

    #[test]
    fn dates_are_checked_against_each_other_and_today() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(schedule(Some(d("2026-05-01")), d("2026-04-30")).is_err());
        assert!(schedule(Some(d("2026-05-01")), d("2026-05-01")).is_ok());
        let today = d("2026-05-01");
        let leader = Backdating::UpTo(7);
        assert!(completion(d("2026-05-02"), today, None, Backdating::Unlimited).is_err());
        assert_eq!(completion(today, today, None, leader), Ok(false));
        assert_eq!(completion(d("2026-04-24"), today, None, leader), Ok(true));
        let too_far = completion(d("2026-04-23"), today, None, leader).unwrap_err();
        assert_eq!(too_far.field, "completedOn");
        assert!(too_far.message.contains("7 days"), "{}", too_far.message);
        assert_eq!(
            completion(d("2000-01-01"), today, None, Backdating::Unlimited),
            Ok(true)
        );
        // Never before the item started, whoever enters it.
        let start = Some(d("2026-04-28"));
        assert!(completion(d("2026-04-27"), today, start, Backdating::Unlimited).is_err());
        assert_eq!(completion(d("2026-04-28"), today, start, leader), Ok(true));
        assert!(completion(today, today, None, Backdating::UpTo(0)).is_ok());
        assert!(completion(d("2026-04-30"), today, None, Backdating::UpTo(0)).is_err());
        assert!(plausible_date(field::DEADLINE, d("1999-12-31")).is_err());
        assert!(period(Some(d("2026-05-01")), Some(d("2026-04-01"))).is_err());
    }
}
