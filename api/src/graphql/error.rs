//! The one place where service errors become GraphQL errors with `extensions.code`, and the last
//! line of defence: any error that still lacks a code when the response leaves is classified, and
//! anything unexpected is reported as INTERNAL without its text.

use std::sync::Arc;

use async_graphql::{ErrorExtensions, Response, ServerError};

use crate::error::AppError;

impl ErrorExtensions for AppError {
    fn extend(&self) -> async_graphql::Error {
        let (code, message) = match self {
            AppError::Unauthenticated(_) => ("UNAUTHENTICATED", self.to_string()),
            AppError::Forbidden(_) => ("FORBIDDEN", self.to_string()),
            AppError::NotFound(_) => ("NOT_FOUND", self.to_string()),
            AppError::Validation { .. } => ("VALIDATION_FAILED", self.to_string()),
            AppError::Conflict(_) => ("CONFLICT", self.to_string()),
            AppError::RateLimited { .. } => ("RATE_LIMITED", self.to_string()),
            AppError::Internal(cause) => {
                tracing::error!(error = ?cause, "internal error");
                ("INTERNAL", "internal error".to_string())
            }
        };
        async_graphql::Error::new(message).extend_with(|_, e| {
            e.set("code", code);
            match self {
                AppError::Validation { field, .. } => e.set("field", field.as_str()),
                AppError::RateLimited { retry_after_secs } => {
                    e.set("retryAfter", *retry_after_secs)
                }
                _ => {}
            }
        })
    }
}

/// `result.gql()?` in resolvers: a service error with its code.
pub trait GqlResult<T> {
    fn gql(self) -> async_graphql::Result<T>;
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

/// Gives every error without a code one: the engine's own parse, validation and argument errors
/// are the client's to fix; anything else is a bug, logged and reported as INTERNAL.
fn classify(error: &mut ServerError) {
    if code_of(error).is_some() {
        return;
    }
    let message = error.message.as_str();
    let code = if message.contains("too complex")
        || message.contains("nested too deep")
        || message.contains("Too many")
        || message.contains("too large")
        || message.contains("cannot be greater than")
    {
        "QUERY_TOO_COMPLEX"
    } else if error.path.is_empty()
        || message.starts_with("Failed to parse")
        || message.starts_with("Invalid value for argument")
        || message.starts_with("Internal error: Failed to parse")
    {
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

/// Gives every error of `response` a code (see `classify`). Done on the finished response
/// rather than in a schema extension: any extension puts every field of every answer on the
/// engine's slower, hooked path.
pub fn give_codes(response: &mut Response) {
    response.errors.iter_mut().for_each(classify);
}
