//! The one place where service errors become GraphQL errors with `extensions.code`, and the last
//! line of defence: any error that still lacks a code when the response leaves is classified, and
//! anything unexpected is reported as INTERNAL without its text.

use std::sync::Arc;

use async_graphql::{ErrorExtensions, Response, ServerError};

use crate::error::AppError;

impl ErrorExtensions for AppError {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.client_message()).extend_with(|_, e| {
            e.set("code", self.code());
            if let Some(field) = self.field() {
                e.set("field", field);
            }
            if let Some((reason, params)) = self.reason() {
                e.set("reason", reason);
                e.set(
                    "params",
                    async_graphql::Value::from_json(params).unwrap_or_default(),
                );
            }
            if let Some(seconds) = self.retry_after_secs() {
                e.set("retryAfter", seconds);
            }
        })
    }
}

/// `result.gql()?` in resolvers: a service error with its code; `result.answer()`, the service's
/// answer as the GraphQL object that shows it.
pub trait GqlResult<T>: Sized {
    fn gql(self) -> async_graphql::Result<T>;

    fn answer<U: From<T>>(self) -> async_graphql::Result<U> {
        self.gql().map(U::from)
    }
}

impl<T> GqlResult<T> for Result<T, AppError> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| e.extend())
    }
}

impl<T> GqlResult<T> for Result<T, Arc<AppError>> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| e.extend())
    }
}

fn code_of(error: &ServerError) -> Option<String> {
    let extensions = error.extensions.as_ref()?;
    match extensions.get("code")? {
        async_graphql::Value::String(code) => Some(code.clone()),
        async_graphql::Value::Enum(code) => Some(code.to_string()),
        _ => None,
    }
}

/// How the engine words its limit errors (depth, complexity, recursion, directives). It gives them no type to match, so the words are pinned by
/// `every_engine_limit_is_query_too_complex` below: an upgrade that rewords one fails that test
/// instead of turning the limit into INTERNAL.
const ENGINE_LIMITS: [&str; 3] = [
    // "Query is too complex."
    "too complex",
    // "Query is nested too deep."
    "nested too deep",
    // "The recursion depth of the query cannot be greater than …", and the same of directives.
    "cannot be greater than",
];

/// How the engine words an argument a field could not read, when validation let it through: a
/// value of a scalar its own rules refuse, a variable of another kind than an input object's,
/// a variable the request did not give. Pinned by `tests/api/wrong_variables.rs`.
const ARGUMENT_ERRORS: [&str; 5] = [
    "Failed to parse",
    "Invalid value for argument",
    "Internal error: Failed to parse",
    "Expected input type",
    "Variable ",
];

/// Gives every error without a code one: the engine's own parse, validation and argument errors
/// are the client's to fix; anything else is a bug, logged and reported as INTERNAL.
fn classify(error: &mut ServerError) {
    if code_of(error).is_some() {
        return;
    }
    let message = error.message.as_str();
    let code = if ENGINE_LIMITS.iter().any(|words| message.contains(words)) {
        "QUERY_TOO_COMPLEX"
    } else if error.path.is_empty() || ARGUMENT_ERRORS.iter().any(|s| message.starts_with(s)) {
        "VALIDATION_FAILED"
    } else {
        tracing::error!(error = %message, path = ?error.path, "uncoded error");
        error.message = "internal error".to_string();
        "INTERNAL"
    };
    let mut extensions = error.extensions.take().unwrap_or_default();
    extensions.set("code", code);
    error.extensions = Some(extensions);
}

/// Whether an error of `response` is UNAVAILABLE: the whole answer is then a retryable 503.
pub fn unavailable(response: &Response) -> bool {
    response
        .errors
        .iter()
        .any(|e| code_of(e).as_deref() == Some("UNAVAILABLE"))
}

/// Gives every error of `response` a code (see `classify`). Done on the finished response
/// rather than in a schema extension: any extension puts every field of every answer on the
/// engine's slower, hooked path.
pub fn give_codes(response: &mut Response) {
    response.errors.iter_mut().for_each(classify);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each limit the server sets, exceeded against the real schema: the engine's error is
    /// recognised as QUERY_TOO_COMPLEX.
    #[tokio::test]
    async fn every_engine_limit_is_query_too_complex() {
        use crate::graphql::schema_builder;
        // Each with only its own limit, so that no other limit answers first.
        let cases = [
            (
                "depth",
                schema_builder().limit_depth(3).finish(),
                "{ projects { nodes { milestones { nodes { id } } } } }",
            ),
            (
                "complexity",
                schema_builder().limit_complexity(50).finish(),
                "{ projects(first: 100) { nodes { id } } }",
            ),
            (
                "recursion",
                schema_builder().limit_recursive_depth(4).finish(),
                "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
            ),
            (
                "directives",
                schema_builder().limit_directives(2).finish(),
                "{ __typename @include(if: true) @include(if: true) @include(if: true) }",
            ),
        ];
        for (limit, schema, query) in cases {
            let mut response = schema.execute(query).await;
            assert!(!response.errors.is_empty(), "{limit}: no error");
            give_codes(&mut response);
            for error in &response.errors {
                assert_eq!(
                    code_of(error).as_deref(),
                    Some("QUERY_TOO_COMPLEX"),
                    "{limit}: {}",
                    error.message
                );
            }
        }
    }
}
