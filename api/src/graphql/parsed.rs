//! Parsed documents kept by their text, with their shapes and the requests each has passed the
//! schema's full validation with. Clients send the same few queries over and over: parsing is a
//! good part of what a small query costs, and the engine's full validation (two dozen rules
//! walked over the document) another, although its verdict depends on nothing but the document,
//! the operation chosen and the variables' values (docs/performance.md, "Validated once").

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use async_graphql::parser::parse_query;
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Value, Variables};

use super::shape::{Shape, measure_document};

/// A document as parsed, with its shape.
pub struct Parsed {
    pub shape: Shape,
    pub document: ExecutableDocument,
    /// The (operation, variables) the document has passed full validation with, newest last.
    passed: Mutex<Vec<Passed>>,
}

/// One request a document passed full validation with.
type Passed = (Option<String>, Variables);

impl Parsed {
    /// The requests remembered per document; past this the oldest is forgotten.
    const PASSED: usize = 16;
    /// Variables weighing more than this (see `weight`) are not remembered.
    const MOST_WEIGHT: usize = 1024;

    fn new(document: ExecutableDocument) -> Parsed {
        Parsed {
            shape: measure_document(&document),
            document,
            passed: Mutex::default(),
        }
    }

    fn passed_list(&self) -> MutexGuard<'_, Vec<Passed>> {
        self.passed.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether this document, run as `operation` with exactly these variables, has passed the
    /// schema's full validation before: it would pass again, so the engine may skip it.
    pub fn has_passed(&self, operation: Option<&str>, variables: &Variables) -> bool {
        self.passed_list()
            .iter()
            .any(|(name, values)| name.as_deref() == operation && values == variables)
    }

    /// Remembers that the document passed full validation run as `operation` with `variables`.
    /// Heavy variables are not remembered: a request carrying them validates every time.
    pub fn passed(&self, operation: Option<String>, variables: Variables) {
        if weight(&variables) > Self::MOST_WEIGHT {
            return;
        }
        let mut passed = self.passed_list();
        if passed
            .iter()
            .any(|(name, values)| *name == operation && *values == variables)
        {
            return;
        }
        if passed.len() >= Self::PASSED {
            passed.remove(0);
        }
        passed.push((operation, variables));
    }
}

/// Roughly the bytes `variables` holds: each value counts 16, and a string or name its length.
fn weight(variables: &Variables) -> usize {
    fn value(v: &Value) -> usize {
        16 + match v {
            Value::String(text) => text.len(),
            Value::Enum(name) => name.len(),
            Value::Binary(bytes) => bytes.len(),
            Value::List(items) => items.iter().map(value).sum(),
            Value::Object(fields) => fields.iter().map(|(k, v)| k.len() + value(v)).sum(),
            Value::Null | Value::Number(_) | Value::Boolean(_) => 0,
        }
    }
    variables
        .iter()
        .map(|(name, v)| name.len() + value(v))
        .sum()
}

/// Parsed documents by their text.
#[derive(Default)]
pub struct Documents {
    parsed: Mutex<HashMap<String, Arc<Parsed>>>,
}

impl Documents {
    /// Distinct documents kept; past this the cache starts over.
    const CAPACITY: usize = 512;
    /// Longer documents are parsed every time rather than kept.
    const MAX_KEPT_BYTES: usize = 8 * 1024;

    /// The document `query` and its shape, or `None` when it does not parse.
    pub fn parse(&self, query: &str) -> Option<Arc<Parsed>> {
        let lock = || self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = lock().get(query) {
            return Some(found.clone());
        }
        let parsed = Arc::new(Parsed::new(parse_query(query).ok()?));
        if query.len() <= Self::MAX_KEPT_BYTES {
            let mut kept = lock();
            if kept.len() >= Self::CAPACITY {
                kept.clear();
            }
            kept.insert(query.to_string(), parsed.clone());
        }
        Some(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variables(json: serde_json::Value) -> Variables {
        Variables::from_json(json)
    }

    #[test]
    fn a_document_has_passed_only_with_the_operation_and_variables_it_passed_with() {
        let documents = Documents::default();
        let query = "query P($id: ID!) { project(id: $id) { title } } query Q { __typename }";
        let parsed = documents.parse(query).unwrap();
        let first = variables(serde_json::json!({"id": "a"}));
        assert!(!parsed.has_passed(Some("P"), &first));
        parsed.passed(Some("P".into()), first.clone());
        // The same text finds the same document, and what it passed with.
        let again = documents.parse(query).unwrap();
        assert!(again.has_passed(Some("P"), &first));
        assert!(!again.has_passed(Some("Q"), &first));
        assert!(!again.has_passed(None, &first));
        assert!(!again.has_passed(Some("P"), &variables(serde_json::json!({"id": "b"}))));
        assert!(!again.has_passed(Some("P"), &variables(serde_json::json!({"id": 1}))));
        assert!(!again.has_passed(Some("P"), &Variables::default()));
    }

    #[test]
    fn the_oldest_pass_is_forgotten_and_heavy_variables_are_not_kept() {
        let parsed = Documents::default().parse("{ __typename }").unwrap();
        let numbered = |i: usize| variables(serde_json::json!({ "n": i }));
        for i in 0..=Parsed::PASSED {
            parsed.passed(None, numbered(i));
        }
        assert!(!parsed.has_passed(None, &numbered(0)));
        assert!(parsed.has_passed(None, &numbered(1)));
        assert!(parsed.has_passed(None, &numbered(Parsed::PASSED)));
        assert_eq!(parsed.passed_list().len(), Parsed::PASSED);

        let heavy = variables(serde_json::json!({ "text": "字".repeat(400) }));
        parsed.passed(None, heavy.clone());
        assert!(!parsed.has_passed(None, &heavy));
        let light = variables(serde_json::json!({ "text": "字".repeat(300) }));
        parsed.passed(None, light.clone());
        assert!(parsed.has_passed(None, &light));
    }
}
