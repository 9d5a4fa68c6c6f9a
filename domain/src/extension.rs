//! Extension requests (延期申请): the one responsible asks for a later deadline while the item is
//! open and before it is due; the presidium approves (possibly another day) or refuses. After the
//! deadline has passed it is no longer theirs to ask: the presidium decides.

use crate::field;
use chrono::NaiveDate;

use crate::status::string_enum;
use crate::validate::{Invalid, Reason};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExtensionStatus {
    Pending,
    Approved,
    Refused,
    Withdrawn,
}

string_enum!(ExtensionStatus {
    Pending = "PENDING",
    Approved = "APPROVED",
    Refused = "REFUSED",
    Withdrawn = "WITHDRAWN",
});

impl ExtensionStatus {
    /// 待审批, 已批准, 未批准, 已撤回
    pub fn label(self) -> &'static str {
        match self {
            ExtensionStatus::Pending => "待审批",
            ExtensionStatus::Approved => "已批准",
            ExtensionStatus::Refused => "未批准",
            ExtensionStatus::Withdrawn => "已撤回",
        }
    }
}

/// Whether an extension to `proposed` may be asked for an item due by `due_by`, on `today`.
pub fn check_request(
    open: bool,
    due_by: NaiveDate,
    today: NaiveDate,
    proposed: NaiveDate,
) -> Result<(), Invalid> {
    if !open {
        return Err(Invalid::because(
            field::ENTITY_ID,
            Reason::WrongState,
            "the item is no longer open; there is no deadline to extend",
        ));
    }
    if today > due_by {
        return Err(Invalid::because(
            field::ENTITY_ID,
            Reason::DeadlinePassed { due_by },
            format!(
                "the deadline ({due_by}) has passed; an extension is asked for before it, \
                 and now the presidium decides"
            ),
        ));
    }
    if proposed <= due_by {
        return Err(Invalid::because(
            field::PROPOSED_DEADLINE,
            Reason::NotLater { date: due_by },
            format!("must be later than the day the item is now due by ({due_by})"),
        ));
    }
    Ok(())
}

/// A request may be withdrawn or decided only while it waits.
pub fn check_pending(status: ExtensionStatus) -> Result<(), Invalid> {
    match status {
        ExtensionStatus::Pending => Ok(()),
        other => Err(Invalid::because(
            field::ID,
            Reason::WrongState,
            format!("the request is {} already", other.label()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_extension_is_asked_for_while_open_and_before_the_deadline() {
        let due = d("2026-12-10");
        assert!(check_request(true, due, d("2026-12-01"), d("2026-12-20")).is_ok());
        // On the deadline day itself it is still in time.
        assert!(check_request(true, due, due, d("2026-12-20")).is_ok());
        let late = check_request(true, due, d("2026-12-11"), d("2026-12-20")).unwrap_err();
        assert!(
            late.message.contains("presidium decides"),
            "{}",
            late.message
        );
        let closed = check_request(false, due, d("2026-12-01"), d("2026-12-20")).unwrap_err();
        assert_eq!(closed.field, "entityId");
        for not_later in [due, d("2026-12-09")] {
            let error = check_request(true, due, d("2026-12-01"), not_later).unwrap_err();
            assert_eq!(error.field, "proposedDeadline");
        }
    }

    #[test]
    fn only_a_waiting_request_is_withdrawn_or_decided() {
        assert!(check_pending(ExtensionStatus::Pending).is_ok());
        for status in [
            ExtensionStatus::Approved,
            ExtensionStatus::Refused,
            ExtensionStatus::Withdrawn,
        ] {
            assert!(check_pending(status).is_err());
        }
        for status in ExtensionStatus::ALL {
            assert_eq!(status.as_str().parse::<ExtensionStatus>(), Ok(*status));
        }
    }
}
