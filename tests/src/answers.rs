//! Reading the API's answers: the deadline states it knows, and the texts of a list.

use serde_json::Value;

/// Every `DeadlineState` the API answers with.
pub const DEADLINE_STATES: [&str; 6] = [
    "UPCOMING",
    "DUE_SOON",
    "OVERDUE",
    "DONE_ON_TIME",
    "DONE_LATE",
    "CANCELLED",
];

/// The text at `field` of each element of the array `list` (`nodes`, `edges`, …), in order.
pub fn texts<'a>(list: &'a Value, field: &str) -> Vec<&'a str> {
    let items = list
        .as_array()
        .unwrap_or_else(|| panic!("expected a list: {list:#}"));
    items
        .iter()
        .map(|item| {
            item[field]
                .as_str()
                .unwrap_or_else(|| panic!("expected {field} in {item:#}"))
        })
        .collect()
}
