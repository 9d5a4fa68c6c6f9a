//! Files sent as GraphQL multipart requests: an attachment, a ledger to import.

use serde_json::{Value, json};

use crate::TestApp;

impl TestApp {
    /// Sends `attachFile` as a GraphQL multipart request; returns the HTTP status and the body.
    pub async fn upload(
        &self,
        token: &str,
        entity_id: &str,
        file_name: &str,
        bytes: Vec<u8>,
        caption: Option<&str>,
    ) -> (u16, Value) {
        let operations = json!({
            "query": "mutation($e:ID!,$f:Upload!,$c:String){ attachFile(entityId:$e,file:$f,caption:$c){ id fileName contentType size sha256 url caption takenAt latitude longitude uploadedBy{ username } } }",
            "variables": { "e": entity_id, "f": null, "c": caption },
        });
        let file = reqwest::multipart::Part::bytes(bytes)
            .file_name(file_name.to_string())
            .mime_str("application/octet-stream")
            .unwrap();
        let response = self.multipart(token, operations, file).await;
        let status = response.status().as_u16();
        (status, response.json().await.expect("the answer is JSON"))
    }

    /// Sends `importLedger` with `bytes` as the file (GraphQL multipart); returns the whole answer.
    pub async fn import_ledger(&self, token: &str, bytes: Vec<u8>, dry_run: bool) -> Value {
        self.import_ledger_of(token, bytes, dry_run, None).await
    }

    /// [`TestApp::import_ledger`] of a ledger whose dates without a year are in `year`.
    pub async fn import_ledger_of(
        &self,
        token: &str,
        bytes: Vec<u8>,
        dry_run: bool,
        year: Option<i32>,
    ) -> Value {
        let operations = json!({
            "query": "mutation($f:Upload!,$d:Boolean,$y:Int){ importLedger(file:$f,dryRun:$d,year:$y){ dryRun historicalItems projectsCreated milestonesCreated peopleCreated unitsCreated inspectionsCreated findingsCreated suggestionsCreated rows{ sheet row outcome message } } }",
            "variables": { "f": null, "d": dry_run, "y": year },
        });
        let file = reqwest::multipart::Part::bytes(bytes)
            .file_name("督办台账.xlsx")
            .mime_str("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .unwrap();
        let response = self.multipart(token, operations, file).await;
        response.json().await.expect("the answer is JSON")
    }

    /// Posts `operations` as a GraphQL multipart request whose one file, `$f`, is `file`.
    pub async fn multipart(
        &self,
        token: &str,
        operations: Value,
        file: reqwest::multipart::Part,
    ) -> reqwest::Response {
        let form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", json!({ "0": ["variables.f"] }).to_string())
            .part("0", file);
        self.client
            .post(format!("{}/graphql", self.base))
            .bearer_auth(token)
            .header("graphql-preflight", "1")
            .multipart(form)
            .send()
            .await
            .expect("the server answers")
    }
}
