//! China's working-day calendar (docs/rules.md §4): weekends and public holidays are rest days, except
//! the weekend days the State Council's yearly notice makes working days (调休上班). The
//! arrangements are data, not code: [`parse`] reads them from the shipped file or an operator's,
//! and a year with no data counts Monday–Friday as working days.

use crate::field;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::validate::Invalid;

/// Whether people work on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayKind {
    /// A working day, including a weekend day made one (调休上班).
    Workday,
    /// A weekend day or a public holiday.
    RestDay,
}

impl DayKind {
    /// The weekday rule, for a day no arrangement mentions.
    pub fn by_weekday(date: NaiveDate) -> DayKind {
        match date.weekday() {
            Weekday::Sat | Weekday::Sun => DayKind::RestDay,
            _ => DayKind::Workday,
        }
    }
}

/// A day an arrangement names: a holiday or a make-up working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrangedDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// 国庆节, 春节调休…
    pub name: Option<String>,
}

/// The calendar: the arranged days, and the weekday rule for the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    arranged: BTreeMap<NaiveDate, (DayKind, Option<Arc<str>>)>,
    years: BTreeSet<i32>,
}

/// Long enough for any run of rest days (the longest is a holiday week joined to a weekend), so
/// that a search for a working day always ends even on a calendar an operator got wrong.
const LONGEST_SEARCH: i64 = 366;

impl WorkCalendar {
    pub fn new(days: impl IntoIterator<Item = ArrangedDay>) -> Self {
        let mut calendar = WorkCalendar::default();
        for day in days {
            calendar.years.insert(day.date.year());
            calendar
                .arranged
                .insert(day.date, (day.kind, day.name.map(Arc::from)));
        }
        calendar
    }

    /// Whether some arrangement for `year` is known (else its days follow the weekday rule).
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// The years an arrangement is known for.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    pub fn kind(&self, date: NaiveDate) -> DayKind {
        self.arranged
            .get(&date)
            .map_or_else(|| DayKind::by_weekday(date), |(kind, _)| *kind)
    }

    pub fn is_workday(&self, date: NaiveDate) -> bool {
        self.kind(date) == DayKind::Workday
    }

    /// The holiday's or make-up day's name, if the day is arranged.
    pub fn name(&self, date: NaiveDate) -> Option<&str> {
        self.arranged
            .get(&date)
            .and_then(|(_, name)| name.as_deref())
    }

    /// The first working day on or after `date`.
    pub fn roll(&self, date: NaiveDate) -> NaiveDate {
        (0..LONGEST_SEARCH)
            .map(|n| date + Duration::days(n))
            .find(|&day| self.is_workday(day))
            .unwrap_or(date)
    }

    /// The `n`-th working day after `date` (`n` = 0: `date` itself).
    pub fn nth_workday_after(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        for _ in 0..n {
            day = self.roll(day + Duration::days(1));
        }
        day
    }

    /// How many working days fall after `from`, up to and including `to` (0 when `to` is not
    /// after `from`).
    pub fn workdays_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut count = 0;
        let mut day = from + Duration::days(1);
        while day <= to {
            if self.is_workday(day) {
                count += 1;
            }
            day += Duration::days(1);
        }
        count
    }

    /// The last day `due_by` may be and still have at most `n` working days left after `today`:
    /// an open item due by then is DUE_SOON (the day before the `n + 1`-th working day after).
    pub fn due_soon_until(&self, today: NaiveDate, n: u32) -> NaiveDate {
        self.nth_workday_after(today, n + 1) - Duration::days(1)
    }

    /// The days from `from` to `to`, each with its kind and name.
    pub fn days(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = (NaiveDate, DayKind, Option<&str>)> + '_ {
        from.iter_days()
            .take_while(move |day| *day <= to)
            .map(|day| (day, self.kind(day), self.name(day)))
    }
}

/// Reads an arrangement file: one day or range of days per line, `rest` or `work`, then the name;
/// `#` starts a comment (the file cites each year's notice in one).
///
/// ```text
/// # 2025 国务院办公厅关于2025年部分节假日安排的通知（2024年11月12日）
/// 2025-01-26              work 春节调休
/// 2025-01-28..2025-02-04  rest 春节
/// ```
pub fn parse(text: &str) -> Result<Vec<ArrangedDay>, Invalid> {
    let mut days = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let bad = |what: String| Invalid::new(field::FILE, format!("line {}: {what}", index + 1));
        let mut fields = line.split_whitespace();
        let span = fields.next().unwrap_or_default();
        let kind = match fields.next() {
            Some("rest") => DayKind::RestDay,
            Some("work") => DayKind::Workday,
            Some(other) => return Err(bad(format!("`{other}` is neither `rest` nor `work`"))),
            None => return Err(bad("says `rest` or `work` after the date".into())),
        };
        let name: Vec<&str> = fields.collect();
        let name = (!name.is_empty()).then(|| name.join(" "));
        let date = |text: &str| {
            text.parse::<NaiveDate>()
                .map_err(|_| bad(format!("`{text}` is not a date (YYYY-MM-DD)")))
        };
        let (first, last) = match span.split_once("..") {
            Some((first, last)) => (date(first)?, date(last)?),
            None => (date(span)?, date(span)?),
        };
        if last < first || (last - first).num_days() > 31 {
            return Err(bad(format!("`{span}` is not a range of at most a month")));
        }
        for day in first.iter_days().take_while(|day| *day <= last) {
            days.push(ArrangedDay {
                date: day,
                kind,
                name: name.clone(),
            });
        }
    }
    Ok(days)
}

/// The State Council's arrangements from 2020 to the latest published year, as shipped.
pub const SHIPPED: &str = include_str!("../data/work-calendar.txt");

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn shipped() -> WorkCalendar {
        WorkCalendar::new(parse(SHIPPED).unwrap())
    }

    #[test]
    fn the_shipped_file_covers_every_year_from_2020() {
        let calendar = shipped();
        for year in 2020..=2026 {
            assert!(calendar.covers(year), "{year}");
        }
        assert!(!calendar.covers(2019));
    }

    #[test]
    fn national_day_2024_with_its_make_up_days() {
        let calendar = shipped();
        // Sunday 09-29 and Saturday 10-12 were working days; 10-01…10-07 rest.
        assert!(calendar.is_workday(d("2024-09-29")));
        assert_eq!(calendar.name(d("2024-09-29")), Some("国庆节调休"));
        for day in 1..=7 {
            assert!(!calendar.is_workday(d(&format!("2024-10-0{day}"))));
        }
        assert!(calendar.is_workday(d("2024-10-12")));
        assert_eq!(calendar.roll(d("2024-10-01")), d("2024-10-08"));
        assert_eq!(calendar.roll(d("2024-10-08")), d("2024-10-08"));
        // From Sunday 09-29: 09-30, 10-08, 10-09 are the next three working days.
        assert_eq!(
            calendar.nth_workday_after(d("2024-09-29"), 3),
            d("2024-10-09")
        );
        assert_eq!(calendar.due_soon_until(d("2024-09-29"), 3), d("2024-10-09"));
        assert_eq!(
            calendar.workdays_between(d("2024-09-27"), d("2024-10-12")),
            7
        );
    }

    #[test]
    fn spring_festival_2025() {
        let calendar = shipped();
        assert!(calendar.is_workday(d("2025-01-26")));
        assert!(!calendar.is_workday(d("2025-01-28")));
        assert!(!calendar.is_workday(d("2025-02-04")));
        assert!(calendar.is_workday(d("2025-02-08")));
        assert_eq!(calendar.roll(d("2025-01-29")), d("2025-02-05"));
        assert_eq!(calendar.name(d("2025-01-31")), Some("春节"));
    }

    #[test]
    fn a_year_without_data_counts_monday_to_friday() {
        let calendar = shipped();
        assert!(!calendar.covers(2031));
        assert!(calendar.is_workday(d("2031-10-01"))); // a Wednesday
        assert_eq!(calendar.roll(d("2031-10-04")), d("2031-10-06"));
    }

    #[test]
    fn a_bad_line_is_refused_with_its_number() {
        for (text, says) in [
            ("2025-01-01 rest 元旦\n2025-13-01 rest x", "line 2"),
            ("2025-01-01 holiday", "neither"),
            ("2025-01-01", "after the date"),
            ("2025-02-04..2025-01-28 rest 春节", "range"),
        ] {
            let error = parse(text).unwrap_err();
            assert!(error.message.contains(says), "{text}: {}", error.message);
        }
        let days = parse("# comment\n\n2025-01-28..2025-01-30 rest 春节 # inline\n").unwrap();
        assert_eq!(days.len(), 3);
        assert_eq!(days[2].name.as_deref(), Some("春节"));
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (0i64..4_000).prop_map(|n| d("2019-06-01") + Duration::days(n))
    }

    proptest! {
        #[test]
        fn working_days_between_never_counts_a_rest_day(from in date(), span in 0i64..120) {
            let calendar = shipped();
            let to = from + Duration::days(span);
            let counted = calendar.workdays_between(from, to);
            let workdays = calendar.days(from + Duration::days(1), to).filter(|(_, kind, _)| *kind == DayKind::Workday).count();
            prop_assert_eq!(counted as usize, workdays);
        }

        #[test]
        fn rolling_lands_on_a_working_day_and_is_idempotent(day in date()) {
            let calendar = shipped();
            let rolled = calendar.roll(day);
            prop_assert!(rolled >= day);
            prop_assert!(calendar.is_workday(rolled));
            prop_assert_eq!(calendar.roll(rolled), rolled);
            // Nothing between the day and where it rolled to is a working day.
            prop_assert_eq!(calendar.workdays_between(day, rolled - Duration::days(1)), 0);
        }

        #[test]
        fn due_soon_until_leaves_exactly_n_working_days(today in date(), n in 0u32..10) {
            let calendar = shipped();
            let until = calendar.due_soon_until(today, n);
            prop_assert!(calendar.workdays_between(today, until) <= n);
            prop_assert!(calendar.workdays_between(today, until + Duration::days(1)) > n);
        }
    }
}
