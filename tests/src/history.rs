//! Reading a record's history over the API, as the tests check it.

use serde_json::{Value, json};

use crate::TestApp;

impl TestApp {
    /// The history of record `id` as `token` reads it, oldest first: each event's action, its
    /// actor's username, and the record before and after.
    pub async fn history(&self, token: &str, id: &Value) -> Vec<Value> {
        let data = self
            .ok(
                token,
                "query($id:ID!){ history(entityId:$id){ nodes{ action actor{ username } before after } } }",
                json!({ "id": id }),
            )
            .await;
        data["history"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The actions in record `id`'s history, oldest first.
    pub async fn actions(&self, token: &str, id: &Value) -> Vec<String> {
        let events = self.history(token, id).await;
        events
            .iter()
            .map(|e| e["action"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// The first event of `action` in record `id`'s history.
    pub async fn event(&self, token: &str, id: &Value, action: &str) -> Value {
        let events = self.history(token, id).await;
        events
            .iter()
            .find(|e| e["action"] == action)
            .cloned()
            .unwrap_or_else(|| panic!("no {action} in {events:#?}"))
    }
}
