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

/// A deputy's year in figures (履职档案): what they did that counts, from the records kept and the
/// duties they logged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DutyYear {
    /// Inspections they took part in.
    pub inspections: u64,
    /// Suggestions they led or co-signed (withdrawn ones left out).
    pub suggestions: u64,
    /// Letters and visits they received.
    pub contacts_received: u64,
    pub constituent_visits: u64,
    pub trainings: u64,
    pub training_minutes: u64,
    /// Meetings they were named present at.
    pub meetings_attended: u64,
}

impl DutyYear {
    /// Every counted activity: inspections, suggestions, letters and visits, visits to
    /// constituents, trainings and meetings attended.
    pub fn total(&self) -> u64 {
        self.inspections
            + self.suggestions
            + self.contacts_received
            + self.constituent_visits
            + self.trainings
            + self.meetings_attended
    }

    /// Hours of training, to the tenth.
    pub fn training_hours(&self) -> f64 {
        (self.training_minutes as f64 / 6.0).round() / 10.0
    }

    /// The year in one sentence, as a deputy's record says it.
    pub fn sentence(&self) -> String {
        if self.total() == 0 {
            return "本年度尚无履职记录。".into();
        }
        // What was not done is not said.
        let parts: Vec<String> = [
            (
                self.inspections,
                format!("参加视察检查{}次", self.inspections),
            ),
            (
                self.suggestions,
                format!("领衔和联名提出建议{}件", self.suggestions),
            ),
            (
                self.contacts_received,
                format!("接待群众来信来访{}件", self.contacts_received),
            ),
            (
                self.constituent_visits,
                format!("走访选民{}次", self.constituent_visits),
            ),
            (
                self.trainings,
                format!(
                    "参加培训学习{}次（{}小时）",
                    self.trainings,
                    self.training_hours()
                ),
            ),
            (
                self.meetings_attended,
                format!("出席会议{}次", self.meetings_attended),
            ),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(_, words)| words)
        .collect();
        format!("{}，合计{}项。", parts.join("，"), self.total())
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
    fn a_year_counts_every_activity_once() {
        let year = DutyYear {
            inspections: 4,
            suggestions: 2,
            contacts_received: 3,
            constituent_visits: 6,
            trainings: 2,
            training_minutes: 330,
            meetings_attended: 1,
        };
        assert_eq!(year.total(), 18);
        assert_eq!(year.training_hours(), 5.5);
        assert_eq!(DutyYear::default().total(), 0);
        assert_eq!(
            year.sentence(),
            "参加视察检查4次，领衔和联名提出建议2件，接待群众来信来访3件，走访选民6次，参加培训学习2次（5.5小时），出席会议1次，合计18项。"
        );
        assert_eq!(DutyYear::default().sentence(), "本年度尚无履职记录。");
        let visits_only = DutyYear {
            constituent_visits: 2,
            ..DutyYear::default()
        };
        assert_eq!(visits_only.sentence(), "走访选民2次，合计2项。");
    }

    #[test]
    fn a_visit_meets_someone() {
        assert_eq!(people("people", 12), Ok(12));
        assert!(people("people", 0).is_err());
        assert!(people("people", MAX_PEOPLE + 1).is_err());
    }
}
