//! Reading a posted form's fields into what the use cases take, refusing a bad value as the API
//! would (VALIDATION_FAILED naming the field), and the refusal a page shows next to its form.

use chrono::NaiveDate;
use poem::http::StatusCode;
use uuid::Uuid;

use super::refusal;
use crate::error::AppError;

/// Why the form named `form` was not accepted, in Chinese, with the status of the answer.
pub struct Refusal {
    pub form: &'static str,
    pub message: String,
    pub status: StatusCode,
}

impl Refusal {
    pub fn new(form: &'static str, error: &AppError) -> Refusal {
        let status = match error {
            AppError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            other => other.http_status(),
        };
        Refusal {
            form,
            message: refusal::in_chinese(error),
            status,
        }
    }

    /// Whether this refusal belongs next to the form named `form`.
    pub fn is_for(&self, form: &str) -> bool {
        self.form == form
    }
}

/// The status of a page shown again with `refusal`, or 200 without one.
pub fn status_of(refusal: Option<&Refusal>) -> StatusCode {
    refusal.map_or(StatusCode::OK, |r| r.status)
}

/// The message of a refusal of the form on the row `id` of a list, if it is that row's.
pub fn refused_on<'a>(refusal: &'a Option<(Uuid, Refusal)>, id: &Uuid) -> Option<&'a str> {
    refusal
        .as_ref()
        .filter(|(on, _)| on == id)
        .map(|(_, r)| r.message.as_str())
}

pub fn id(field: &str, value: &str) -> Result<Uuid, AppError> {
    value
        .trim()
        .parse()
        .map_err(|_| AppError::validation(field, "choose one from the list"))
}

pub fn optional_id(field: &str, value: &str) -> Result<Option<Uuid>, AppError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        id(field, value).map(Some)
    }
}

pub fn date(field: &str, value: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::validation(field, "a date as YYYY-MM-DD"))
}

pub fn optional_date(field: &str, value: &str) -> Result<Option<NaiveDate>, AppError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        date(field, value).map(Some)
    }
}

pub fn number(field: &str, value: &str) -> Result<i64, AppError> {
    value
        .trim()
        .parse()
        .map_err(|_| AppError::validation(field, "a whole number"))
}

/// A version a form was rendered with: anything else than a number is a stale or forged form.
pub fn version(value: &str) -> Result<i32, AppError> {
    value
        .trim()
        .parse()
        .map_err(|_| AppError::validation("version", "the form's version is missing"))
}

/// A text field left empty is no value.
pub fn optional_text(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_fields_are_absent_and_bad_ones_name_their_field() {
        assert_eq!(optional_id("parentId", " ").ok(), Some(None));
        assert_eq!(optional_date("startDate", "").ok(), Some(None));
        assert_eq!(optional_text("  "), None);
        let AppError::Validation { field, .. } = date("deadline", "2021-13-01").unwrap_err() else {
            panic!("a validation error")
        };
        assert_eq!(field, "deadline");
        assert_eq!(
            date("deadline", "2021-04-30").ok(),
            NaiveDate::from_ymd_opt(2021, 4, 30)
        );
        assert!(number("progress", "5O").is_err());
    }
}
