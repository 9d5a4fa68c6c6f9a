//! Calendar days in an organisation's time zone.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// The IANA time zone an organisation keeps its calendar in (default `Asia/Shanghai`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone(Tz);

impl Zone {
    pub const DEFAULT: Zone = Zone(chrono_tz::Asia::Shanghai);

    pub fn new(tz: Tz) -> Self {
        Zone(tz)
    }

    pub fn tz(&self) -> Tz {
        self.0
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The calendar date of `instant` in this zone.
    pub fn date_of(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.0).date_naive()
    }

    /// `today` for a request: the `asOf` date when one is given, else the date at `now` here.
    pub fn today(&self, now: DateTime<Utc>, as_of: Option<NaiveDate>) -> NaiveDate {
        as_of.unwrap_or_else(|| self.date_of(now))
    }
}

impl Default for Zone {
    fn default() -> Self {
        Zone::DEFAULT
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone `{0}`; use an IANA name such as Asia/Shanghai")]
pub struct UnknownZone(pub String);

impl FromStr for Zone {
    type Err = UnknownZone;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim()
            .parse::<Tz>()
            .map(Zone)
            .map_err(|_| UnknownZone(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn late_evening_utc_is_already_tomorrow_in_shanghai() {
        let instant = Utc.with_ymd_and_hms(2026, 3, 31, 16, 30, 0).unwrap();
        assert_eq!(
            Zone::DEFAULT.date_of(instant),
            NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()
        );
        let utc: Zone = "UTC".parse().unwrap();
        assert_eq!(
            utc.date_of(instant),
            NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
        );
    }

    #[test]
    fn as_of_overrides_the_clock() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let as_of = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        assert_eq!(Zone::DEFAULT.today(now, Some(as_of)), as_of);
    }

    #[test]
    fn unknown_zone_names_are_refused() {
        assert!("Mars/Olympus".parse::<Zone>().is_err());
        assert_eq!("Asia/Shanghai".parse::<Zone>().unwrap(), Zone::DEFAULT);
    }
}
