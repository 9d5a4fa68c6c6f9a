//! Notices (DESIGN §10): the blue reminder (提醒), the yellow urge (催办), the red supervision
//! order (督办单) and the monthly bulletin (通报); how an order is numbered, and when a reply day
//! may be set.

use chrono::NaiveDate;

use crate::status::string_enum;
use crate::validate::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    Reminder,
    Urge,
    SupervisionOrder,
    Bulletin,
}

string_enum!(NoticeKind {
    Reminder = "REMINDER",
    Urge = "URGE",
    SupervisionOrder = "SUPERVISION_ORDER",
    Bulletin = "BULLETIN",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeLevel {
    Blue,
    Yellow,
    Red,
}

string_enum!(NoticeLevel {
    Blue = "BLUE",
    Yellow = "YELLOW",
    Red = "RED",
});

impl NoticeKind {
    /// The colour a notice of this kind is shown in.
    pub fn level(self) -> NoticeLevel {
        match self {
            NoticeKind::Reminder => NoticeLevel::Blue,
            NoticeKind::Urge => NoticeLevel::Yellow,
            NoticeKind::SupervisionOrder | NoticeKind::Bulletin => NoticeLevel::Red,
        }
    }

    /// 提醒, 催办, 督办单, 通报
    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::Reminder => "提醒",
            NoticeKind::Urge => "催办",
            NoticeKind::SupervisionOrder => "督办单",
            NoticeKind::Bulletin => "通报",
        }
    }
}

/// The short name an organisation's documents are numbered with: its name's first character
/// (思蒙镇人大主席团 → 思), as township offices abbreviate themselves.
pub fn short_name(organization_name: &str) -> String {
    organization_name
        .chars()
        .find(|c| !c.is_whitespace())
        .map(String::from)
        .unwrap_or_default()
}

/// A supervision order's number: `思人督〔2026〕3号`.
pub fn order_number(short_name: &str, year: i32, sequence: i32) -> String {
    format!("{short_name}人督〔{year}〕{sequence}号")
}

/// A supervision order's reply day: not before the day it is issued.
pub fn check_reply_due(today: NaiveDate, reply_due: NaiveDate) -> Result<(), Invalid> {
    if reply_due < today {
        Err(Invalid::new(
            "replyDue",
            format!("must not be before today ({today})"),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_is_numbered_as_an_official_document_is() {
        assert_eq!(short_name("思蒙镇人大主席团"), "思");
        assert_eq!(short_name("  县人大常委会"), "县");
        assert_eq!(order_number("思", 2026, 3), "思人督〔2026〕3号");
    }

    #[test]
    fn each_kind_has_its_colour() {
        assert_eq!(NoticeKind::Reminder.level(), NoticeLevel::Blue);
        assert_eq!(NoticeKind::Urge.level(), NoticeLevel::Yellow);
        assert_eq!(NoticeKind::SupervisionOrder.level(), NoticeLevel::Red);
        assert_eq!("URGE".parse::<NoticeKind>().ok(), Some(NoticeKind::Urge));
        assert!("urge".parse::<NoticeKind>().is_err());
    }

    #[test]
    fn a_reply_day_may_be_today_but_not_before() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert!(check_reply_due(today, today).is_ok());
        assert!(check_reply_due(today, today.pred_opt().unwrap()).is_err());
    }
}
