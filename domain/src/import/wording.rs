//! The words offices write in a ledger where a date or a state would go (docs/import.md): 2021年8月
//! 底前, 8月31日, 年底前, 三季度, 长期坚持; 已完工待验收, 正在推进, 完成投资的60%. Each reading is
//! said back in the preview, so the presidium sees what a phrase became before anything is written.

use chrono::NaiveDate;

use super::columns::parse_date_text;
use crate::status::MilestoneStatus;

/// A deadline as an office wrote it, read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficeDate {
    pub day: NaiveDate,
    /// 长期 / 持续推进 / 常态化: an ongoing task, given the year's last day.
    pub long_term: bool,
    /// The text was words, not a date: the preview says how it was read.
    pub worded: bool,
}

/// Words for an ongoing task with no end date.
const ONGOING: &[&str] = &[
    "长期",
    "长期坚持",
    "长期推进",
    "持续推进",
    "持续",
    "常态化",
    "常态化推进",
    "持续开展",
];

/// What is written after a date and means nothing more: 8月31日前, 年底之前, 6月底前完成.
const AFTER_A_DATE: &[&str] = &["以前", "之前", "前完成", "完成", "前", "止"];

/// A deadline written as a date or in an office's words; `year` is the ledger's (from its title,
/// or chosen at import) for words that name none. `None` when the text is neither.
pub fn office_date(text: &str, year: Option<i32>) -> Option<OfficeDate> {
    let text: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => {
                char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
            }
            '．' => '.',
            other => other,
        })
        .collect();
    if let Some(day) = parse_date_text(&text) {
        return Some(OfficeDate {
            day,
            long_term: false,
            worded: false,
        });
    }
    let worded = |day: NaiveDate| OfficeDate {
        day,
        long_term: false,
        worded: true,
    };
    let mut plain = text.as_str();
    for ending in AFTER_A_DATE {
        if let Some(rest) = plain.strip_suffix(ending) {
            plain = rest;
            break;
        }
    }
    // A year written first (2021年…) wins over the ledger's.
    let (year, rest) = match plain.split_once('年') {
        Some((y, rest)) if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => {
            (y.parse::<i32>().ok(), rest)
        }
        _ => (year, plain),
    };
    if ONGOING.contains(&rest) || ONGOING.contains(&plain) {
        let day = NaiveDate::from_ymd_opt(year?, 12, 31)?;
        return Some(OfficeDate {
            day,
            long_term: true,
            worded: true,
        });
    }
    let year = year?;
    let last_of = |month: u32| last_day(year, month);
    let day = match rest {
        "" | "底" | "年底" | "年内" | "年末" | "全年" | "内" | "末" => last_of(12),
        "上半年" => last_of(6),
        "下半年" => last_of(12),
        _ => match quarter(rest) {
            Some(q) => last_of(q * 3),
            None => month_and_day(rest, year)?,
        },
    }?;
    Some(worded(day))
}

/// 一季度, 第二季度, 3季度, Q4 → the quarter's number.
fn quarter(text: &str) -> Option<u32> {
    let text = text.strip_prefix('第').unwrap_or(text);
    let number = text
        .strip_suffix("季度")
        .or_else(|| text.strip_prefix('Q'))?;
    match number {
        "一" | "1" => Some(1),
        "二" | "2" => Some(2),
        "三" | "3" => Some(3),
        "四" | "4" => Some(4),
        _ => None,
    }
}

/// 8月31日, 8月31, 8.31, 8/31, 8月底, 8月 (the month's end) in `year`.
fn month_and_day(text: &str, year: i32) -> Option<Option<NaiveDate>> {
    let text = text.strip_suffix('日').unwrap_or(text);
    let (month, day) = match text.split_once(['月', '.', '/', '-']) {
        Some((month, day)) => (month, day),
        None => return None,
    };
    let number = |part: &str| {
        (!part.is_empty() && part.len() <= 2 && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let month = number(month)?;
    match day {
        "" | "底" | "末" | "份" | "中下旬" | "下旬" => Some(last_day(year, month)),
        "上旬" => Some(NaiveDate::from_ymd_opt(year, month, 10)),
        "中旬" => Some(NaiveDate::from_ymd_opt(year, month, 20)),
        day => Some(NaiveDate::from_ymd_opt(year, month, number(day)?)),
    }
}

/// The last day of `month` in `year`.
fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = match month {
        12 => NaiveDate::from_ymd_opt(year + 1, 1, 1)?,
        1..=11 => NaiveDate::from_ymd_opt(year, month + 1, 1)?,
        _ => return None,
    };
    first_of_next.pred_opt()
}

/// The ledger's year from its title row (思蒙镇2021年重点工作督办台账 → 2021): the first four
/// digits followed by 年.
pub fn year_in_title(title: &str) -> Option<i32> {
    let chars: Vec<char> = title.chars().collect();
    chars.windows(5).find_map(|w| {
        (w[..4].iter().all(char::is_ascii_digit) && w[4] == '年')
            .then(|| w[..4].iter().collect::<String>().parse::<i32>().ok())
            .flatten()
            .filter(|y| (2000..=2100).contains(y))
    })
}

/// What an office's 进展情况 says of the item's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Said {
    pub status: MilestoneStatus,
    pub progress: Option<u8>,
}

/// The state a 进展情况 text states, if it states one: finished (已完成, 已完工, 已办结, 已落实 and
/// 已完工待验收 — reported done, to be signed off), under way (正在推进, 推进中), or a share done
/// (完成60%, 完成投资的60%). Words that say none (a plain account of the work) leave it unread.
pub fn state_in_words(text: &str) -> Option<Said> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(progress) = percent_done(&text) {
        let status = if progress >= 100 {
            MilestoneStatus::Done
        } else {
            MilestoneStatus::InProgress
        };
        return Some(Said {
            status,
            progress: Some(progress),
        });
    }
    let done = [
        "已完成",
        "已完工",
        "已办结",
        "已落实",
        "已竣工",
        "已建成",
        "完工待验收",
        "待验收",
    ];
    let going = [
        "正在推进",
        "推进中",
        "正在实施",
        "进行中",
        "在建",
        "正在建设",
        "施工中",
    ];
    let not_yet = ["未完成", "未完工", "未落实", "尚未"];
    if not_yet.iter().any(|w| text.contains(w)) {
        return going.iter().any(|w| text.contains(w)).then_some(Said {
            status: MilestoneStatus::InProgress,
            progress: None,
        });
    }
    if done.iter().any(|w| text.contains(w)) {
        return Some(Said {
            status: MilestoneStatus::Done,
            progress: Some(100),
        });
    }
    going.iter().any(|w| text.contains(w)).then_some(Said {
        status: MilestoneStatus::InProgress,
        progress: None,
    })
}

/// 完成60%, 完成投资的60%, 已完成总工程量的45％, 进度80% → the share, 0 to 100.
fn percent_done(text: &str) -> Option<u8> {
    let text = text.replace('％', "%");
    let at = text.find('%')?;
    let before = &text[..at];
    let digits: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let said = before[..before.len() - digits.len()].to_string();
    if !(said.contains("完成") || said.contains("进度")) {
        return None;
    }
    let share = digits.parse::<f64>().ok()?;
    (0.0..=100.0).contains(&share).then(|| share.round() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn office_wordings_are_read_as_the_periods_last_day() {
        let cases = [
            ("2021年8月底前", None, day(2021, 8, 31), false),
            ("2021年8月31日", None, day(2021, 8, 31), false),
            ("8月31日", Some(2021), day(2021, 8, 31), false),
            ("8月31日前", Some(2021), day(2021, 8, 31), false),
            ("11月30日", Some(2021), day(2021, 11, 30), false),
            ("8.31", Some(2021), day(2021, 8, 31), false),
            ("２月底", Some(2024), day(2024, 2, 29), false),
            ("年底前", Some(2021), day(2021, 12, 31), false),
            ("年内", Some(2021), day(2021, 12, 31), false),
            ("2022年底前", Some(2021), day(2022, 12, 31), false),
            ("一季度", Some(2021), day(2021, 3, 31), false),
            ("第三季度", Some(2021), day(2021, 9, 30), false),
            ("上半年", Some(2021), day(2021, 6, 30), false),
            ("下半年", Some(2021), day(2021, 12, 31), false),
            ("6月中旬", Some(2021), day(2021, 6, 20), false),
            ("长期坚持", Some(2021), day(2021, 12, 31), true),
            ("持续推进", Some(2021), day(2021, 12, 31), true),
            ("常态化", Some(2021), day(2021, 12, 31), true),
        ];
        for (text, year, expected, long_term) in cases {
            let read = office_date(text, year).unwrap_or_else(|| panic!("{text} read"));
            assert_eq!(read.day, expected, "{text}");
            assert_eq!(read.long_term, long_term, "{text}");
        }
        assert!(!office_date("2021-08-31", None).unwrap().worded);
        assert!(office_date("8月底前", Some(2021)).unwrap().worded);
    }

    #[test]
    fn words_without_a_year_or_a_date_are_not_read() {
        for text in ["8月31日", "年底前", "长期"] {
            assert_eq!(office_date(text, None), None, "{text} needs a year");
        }
        for text in ["尽快", "13月", "2月30日", "五季度", "待定"] {
            assert_eq!(office_date(text, Some(2021)), None, "{text}");
        }
    }

    #[test]
    fn the_year_comes_from_the_sheets_title() {
        assert_eq!(year_in_title("思蒙镇2021年重点工作督办台账"), Some(2021));
        assert_eq!(year_in_title("重点工作督办台账"), None);
        assert_eq!(year_in_title("第12345年"), None);
    }

    #[test]
    fn progress_words_say_the_state() {
        let said = |text| state_in_words(text).map(|s| (s.status, s.progress));
        assert_eq!(
            said("已完工待验收"),
            Some((MilestoneStatus::Done, Some(100)))
        );
        assert_eq!(
            said("主体已完工，已办结"),
            Some((MilestoneStatus::Done, Some(100)))
        );
        assert_eq!(said("正在推进"), Some((MilestoneStatus::InProgress, None)));
        assert_eq!(
            said("完成投资的60%"),
            Some((MilestoneStatus::InProgress, Some(60)))
        );
        assert_eq!(
            said("已完成总工程量的45％"),
            Some((MilestoneStatus::InProgress, Some(45)))
        );
        assert_eq!(
            said("尚未完成，正在推进"),
            Some((MilestoneStatus::InProgress, None))
        );
        assert_eq!(said("资金未落实"), None);
        assert_eq!(said("已召开协调会"), None);
        assert_eq!(said("增长15%"), None);
    }
}
