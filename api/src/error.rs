//! The one error type services return. Each variant means something to a client; the GraphQL
//! layer maps them to `extensions.code` in exactly one place (`graphql::error`).

use jiandu_domain::{Denied, Invalid};
use sea_orm::{DbErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error("too many attempts; try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// Anything the client cannot fix. The cause is logged, never sent.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        AppError::NotFound(format!("{what} not found"))
    }

    pub fn stale(what: &str) -> Self {
        AppError::Conflict(format!(
            "{what} was changed by someone else; reload it and try again"
        ))
    }

    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(error.into())
    }
}

impl From<DbErr> for AppError {
    fn from(error: DbErr) -> Self {
        AppError::Internal(error.into())
    }
}

impl From<Invalid> for AppError {
    fn from(invalid: Invalid) -> Self {
        AppError::Validation {
            field: invalid.field,
            message: invalid.message,
        }
    }
}

impl From<Denied> for AppError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::NotFound => AppError::not_found("record"),
            Denied::Forbidden(why) => AppError::Forbidden(why),
        }
    }
}

/// Turns constraint violations into errors a client can act on, in one place rather than by
/// matching driver text wherever a write happens.
pub trait OnConstraint<T> {
    /// A unique-key violation becomes CONFLICT with `message`; a foreign-key violation becomes
    /// VALIDATION_FAILED on `field`.
    fn on_constraint(self, message: &str, field: &str) -> Result<T, AppError>;
}

impl<T> OnConstraint<T> for Result<T, DbErr> {
    fn on_constraint(self, message: &str, field: &str) -> Result<T, AppError> {
        self.map_err(|error| match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict(message.to_string()),
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                AppError::validation(field, "refers to a record that does not exist")
            }
            _ => AppError::from(error),
        })
    }
}
