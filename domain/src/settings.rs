//! An organisation's settings: what each rule reads instead of a number fixed for the whole
//! installation. A new organisation takes the defaults; its presidium changes them within the
//! ranges here.

use std::ops::RangeInclusive;

use crate::validate::Invalid;

/// 组织设置
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// How many days back the one who answers for an item may date its completion when they
    /// report it late (补报); the presidium may go further.
    pub backdate_days: u32,
}

impl Settings {
    pub const BACKDATE_DAYS: RangeInclusive<u32> = 0..=90;
}

impl Default for Settings {
    fn default() -> Self {
        Settings { backdate_days: 7 }
    }
}

/// A setting's new value, refused (with the field named) outside its range.
pub fn in_range(field: &str, value: i64, range: RangeInclusive<u32>) -> Result<u32, Invalid> {
    u32::try_from(value)
        .ok()
        .filter(|v| range.contains(v))
        .ok_or_else(|| {
            Invalid::new(
                field,
                format!(
                    "must be from {} to {} (was {value})",
                    range.start(),
                    range.end()
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setting_outside_its_range_is_refused_with_its_field() {
        assert_eq!(in_range("backdateDays", 7, Settings::BACKDATE_DAYS), Ok(7));
        assert_eq!(in_range("backdateDays", 0, Settings::BACKDATE_DAYS), Ok(0));
        for bad in [-1, 91, i64::MAX] {
            let error = in_range("backdateDays", bad, Settings::BACKDATE_DAYS).unwrap_err();
            assert_eq!(error.field, "backdateDays");
        }
    }
}
