//! The one error type services return. Each variant means something to a client and knows its
//! `extensions.code` and HTTP status; a GraphQL answer carries it through `graphql::error`, any
//! other response is built from it by `http::error_response`.

use jiandu_domain::validate::Param;
use jiandu_domain::{Denied, Invalid, Reason};
use poem::http::StatusCode;
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
    Validation {
        field: String,
        /// The rule, for a client to say in its own words (`extensions.reason`, `params`).
        reason: Reason,
        message: String,
    },
    /// A request the server cannot read (not JSON, a batch, a broken multipart body).
    #[error("{0}")]
    BadRequest(String),
    /// A body of a type the endpoint does not take.
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    Conflict(String),
    /// A retry key sent again with another request: CONFLICT, but nothing to reload and retry.
    #[error("{0}")]
    KeyReused(String),
    #[error("too many attempts; try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// A request whose shape or size is beyond the limits, refused before it runs.
    #[error("{0}")]
    TooComplex(String),
    /// A body (or, with `field`, a file in it) larger than allowed, refused while it streams in.
    #[error("{message}")]
    TooLarge {
        field: Option<String>,
        message: String,
        /// The limit it broke.
        max_bytes: usize,
    },
    /// A request body that did not arrive within the time allowed (a client sending it a byte
    /// at a time).
    #[error("the request body took too long to arrive")]
    SlowBody,
    /// A request stopped at the time limit.
    #[error("the request took too long and was stopped")]
    TimedOut,
    /// The database cannot answer now (every connection busy, a restart, a lost connection):
    /// UNAVAILABLE, 503 with `Retry-After`, worth retrying soon. The cause is logged, never sent.
    #[error("the server is busy or cannot reach its database; try again in a moment")]
    Unavailable(#[source] anyhow::Error),
    /// Anything the client cannot fix. The cause is logged, never sent.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    /// A refusal by a rule with no code of its own (`reason` INVALID).
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::invalid(field, Reason::Other, message)
    }

    pub fn invalid(field: impl Into<String>, reason: Reason, message: impl Into<String>) -> Self {
        AppError::Validation {
            field: field.into(),
            reason,
            message: message.into(),
        }
    }

    /// The error of an input nested under `parent`: a refused field named from the outer input
    /// (`suggestion.title`); any other error as it is.
    pub fn within(self, parent: &str) -> Self {
        match self {
            AppError::Validation {
                field,
                reason,
                message,
            } => AppError::Validation {
                field: format!("{parent}.{field}"),
                reason,
                message,
            },
            other => other,
        }
    }

    /// A choice that is not one of those offered.
    pub fn not_in_list(field: impl Into<String>) -> Self {
        AppError::invalid(field, Reason::NotInList, "choose one from the list")
    }

    /// Something that must be given and was not.
    pub fn required(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::invalid(field, Reason::Required, message)
    }

    /// The same refusal, naming the record it is about: a batch step says which item failed.
    pub fn about(self, what: &str) -> Self {
        match self {
            AppError::Forbidden(m) => AppError::Forbidden(format!("{what}: {m}")),
            AppError::NotFound(m) => AppError::NotFound(format!("{what}: {m}")),
            AppError::Conflict(m) => AppError::Conflict(format!("{what}: {m}")),
            AppError::Validation {
                field,
                reason,
                message,
            } => AppError::Validation {
                field,
                reason,
                message: format!("{what}: {message}"),
            },
            other => other,
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

    /// `extensions.code`, the same in a GraphQL answer and in any other response.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated(_) => "UNAUTHENTICATED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::NotFound(_) => "NOT_FOUND",
            AppError::Validation { .. }
            | AppError::BadRequest(_)
            | AppError::UnsupportedMediaType(_)
            | AppError::TooLarge { field: Some(_), .. } => "VALIDATION_FAILED",
            AppError::Conflict(_) | AppError::KeyReused(_) => "CONFLICT",
            AppError::RateLimited { .. } => "RATE_LIMITED",
            AppError::TooComplex(_)
            | AppError::TooLarge { field: None, .. }
            | AppError::SlowBody
            | AppError::TimedOut => "QUERY_TOO_COMPLEX",
            AppError::Unavailable(_) => "UNAVAILABLE",
            AppError::Internal(_) => "INTERNAL",
        }
    }

    /// The HTTP status of a response that is this error alone (downloads, refusals before a
    /// query runs); a GraphQL answer carrying it in `errors` is still 200.
    pub fn http_status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Validation { .. } | AppError::BadRequest(_) | AppError::TooComplex(_) => {
                StatusCode::BAD_REQUEST
            }
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::KeyReused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::SlowBody => StatusCode::REQUEST_TIMEOUT,
            AppError::TimedOut | AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The argument or header at fault, for `extensions.field`.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Validation { field, .. } => Some(field),
            AppError::TooLarge { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// Why a VALIDATION_FAILED was refused: the rule's code, and the values it needed as a JSON
    /// object (a date as `YYYY-MM-DD`), for `extensions.reason` and `extensions.params`.
    pub fn reason(&self) -> Option<(&'static str, serde_json::Value)> {
        let (code, params) = match self {
            AppError::Validation { reason, .. } => (reason.code(), reason.params()),
            AppError::TooLarge {
                field: Some(_),
                max_bytes,
                ..
            } => {
                let max = i64::try_from(*max_bytes).unwrap_or(i64::MAX);
                ("TOO_LARGE", vec![("maxBytes", Param::Number(max))])
            }
            AppError::BadRequest(_) => ("UNREADABLE", Vec::new()),
            AppError::UnsupportedMediaType(_) => ("UNSUPPORTED_MEDIA_TYPE", Vec::new()),
            _ => return None,
        };
        let params = params
            .into_iter()
            .map(|(name, param)| {
                let value = match param {
                    Param::Number(n) => serde_json::Value::from(n),
                    Param::Date(date) => serde_json::Value::from(date.to_string()),
                };
                (name.to_string(), value)
            })
            .collect();
        Some((code, serde_json::Value::Object(params)))
    }

    /// Seconds a client should wait before trying again, for `Retry-After`.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            AppError::Unavailable(_) => Some(1),
            _ => None,
        }
    }

    /// The message a client sees: the error's own, except that an internal error's cause is
    /// logged here and never sent.
    pub fn client_message(&self) -> String {
        match self {
            AppError::Unavailable(cause) => {
                tracing::warn!(error = ?cause, "unavailable");
                self.to_string()
            }
            AppError::Internal(cause) => {
                tracing::error!(error = ?cause, "internal error");
                "internal error".to_string()
            }
            other => other.to_string(),
        }
    }
}

impl From<DbErr> for AppError {
    fn from(error: DbErr) -> Self {
        match error {
            // Every connection busy for the whole acquire timeout: the server is overloaded or
            // its database away, and a retry a moment later may well succeed.
            DbErr::ConnectionAcquire(_) => AppError::Unavailable(error.into()),
            error => AppError::Internal(error.into()),
        }
    }
}

impl From<Invalid> for AppError {
    fn from(invalid: Invalid) -> Self {
        AppError::Validation {
            field: invalid.field,
            reason: invalid.reason,
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
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => AppError::invalid(
                field,
                Reason::UnknownRecord,
                "refers to a record that does not exist",
            ),
            _ => AppError::from(error),
        })
    }
}
