//! Which screen of the notices a page shows (all or only those not yet signed for, after which
//! notice), carried by its links and posted back by its forms.

use serde::Deserialize;

/// Which screen of the notices a person is on: only those not yet signed for or all, and after
/// which notice (the cursor of the screen before). Forms on the page post it back, so that a
/// step taken on the second screen returns to it.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Shown {
    waiting: String,
    pub(super) after: String,
}

impl Shown {
    pub(super) fn waiting(&self) -> bool {
        !self.waiting.is_empty()
    }

    /// The query string of this screen (empty for the first of all notices), `shown` after `?`.
    pub fn query(&self) -> String {
        self.query_after(&self.after)
    }

    pub(super) fn query_after(&self, after: &str) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if self.waiting() {
            query.append_pair("waiting", "1");
        }
        if !after.is_empty() {
            query.append_pair("after", after);
        }
        query.finish()
    }

    /// `/notices`, on this screen, with `extra` (already encoded) added to its query.
    pub fn link(&self, extra: &str) -> String {
        let query = [self.query(), extra.to_string()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("&");
        if query.is_empty() {
            "/notices".to_string()
        } else {
            format!("/notices?{query}")
        }
    }
}
