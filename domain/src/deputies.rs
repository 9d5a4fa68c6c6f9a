//! Deputies (docs/deputies.md): the roster the presidium keeps — each deputy's level, term,
//! constituency, group and the villages they link — and the duties they log beside what is
//! already recorded (inspections, suggestions, letters and visits): visiting constituents and
//! training. The checks on what is logged are here, pure.

use crate::status::string_enum;
use crate::validate::{Invalid, Reason};

/// Whose congress a deputy sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeputyLevel {
    /// 镇人大代表
    Township,
    /// 县人大代表 (elected in the township, supervising with it)
    County,
}

string_enum!(DeputyLevel {
    Township = "TOWNSHIP",
    County = "COUNTY",
});

/// A duty a deputy logs that is not recorded elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DutyActivityKind {
    /// 走访选民 / 联系群众
    ConstituentVisit,
    /// 培训学习
    Training,
}

string_enum!(DutyActivityKind {
    ConstituentVisit = "CONSTITUENT_VISIT",
    Training = "TRAINING",
});

/// The most villages one deputy links (分工联系到村).
pub const MAX_VILLAGES: usize = 30;

/// The most people one visit counts.
pub const MAX_PEOPLE: i32 = 10_000;

/// Hours of a duty as minutes: more than none and at most a day; given in hours, kept to the
/// minute.
pub fn minutes_of(field: &str, hours: f64) -> Result<i32, Invalid> {
    if !hours.is_finite() || hours <= 0.0 || hours > 24.0 {
        return Err(Invalid::because(
            field,
            Reason::OutOfRange { min: 0, max: 24 },
            "hours are more than 0 and at most 24",
        ));
    }
    // At most 1 440: the cast keeps every value.
    Ok((hours * 60.0).round().max(1.0) as i32)
}

/// How many people a visit met: at least one, at most [`MAX_PEOPLE`].
pub fn people(field: &str, count: i32) -> Result<i32, Invalid> {
    if (1..=MAX_PEOPLE).contains(&count) {
        Ok(count)
    } else {
        Err(Invalid::because(
            field,
            Reason::OutOfRange {
                min: 1,
                max: i64::from(MAX_PEOPLE),
            },
            format!("a visit meets 1 to {MAX_PEOPLE} people"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_more_than_none_and_at_most_a_day() {
        assert_eq!(minutes_of("hours", 1.5), Ok(90));
        assert_eq!(minutes_of("hours", 24.0), Ok(1440));
        assert_eq!(minutes_of("hours", 0.001), Ok(1), "a moment is a minute");
        for bad in [0.0, -1.0, 24.5, f64::NAN, f64::INFINITY] {
            let refused = minutes_of("hours", bad).unwrap_err();
            assert_eq!(refused.field, "hours");
            assert_eq!(refused.reason, Reason::OutOfRange { min: 0, max: 24 });
        }
    }

    #[test]
    fn a_visit_meets_someone() {
        assert_eq!(people("people", 12), Ok(12));
        assert!(people("people", 0).is_err());
        assert!(people("people", MAX_PEOPLE + 1).is_err());
    }
}
