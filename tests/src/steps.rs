//! Supervision steps the tests take over and over, through the API.

use serde_json::{Value, json};

use crate::TestApp;

impl TestApp {
    /// `token` reports milestone `id`, at `version`, done today; returns the milestone after:
    /// `{id version status completedAt completedOn deadlineState}`.
    pub async fn complete(&self, token: &str, id: &Value, version: &Value) -> Value {
        self.ok(
            token,
            "mutation($id:ID!,$v:Int!){ completeMilestone(id:$id,expectedVersion:$v){ id version status completedAt completedOn deadlineState } }",
            json!({ "id": id, "v": version }),
        )
        .await["completeMilestone"]
            .clone()
    }
}
