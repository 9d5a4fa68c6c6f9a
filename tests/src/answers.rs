//! Reading the API's answers: the deadline states it knows, the texts of a list, and the JSON a
//! hand-made request is answered with.

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

/// The id of the session marked `current` in a `{ sessions { id current } }` answer.
pub fn current_session(answer: &Value) -> Value {
    let sessions = answer["sessions"]
        .as_array()
        .unwrap_or_else(|| panic!("expected sessions: {answer:#}"));
    let current = sessions.iter().find(|s| s["current"] == true);
    current.expect("one session is current")["id"].clone()
}

/// The JSON the server answers `request` with, for a request [`crate::TestApp::gql`] does not
/// make (another server, cookies, raw bodies).
pub async fn answer_of(request: reqwest::RequestBuilder) -> Value {
    let response = request.send().await.expect("the server answers");
    response.json().await.expect("the answer is JSON")
}
