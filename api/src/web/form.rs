//! Reading a posted form's fields into what the use cases take, refusing a bad value as the API
//! would (VALIDATION_FAILED naming the field), and the refusal a page shows next to its form.

use chrono::NaiveDate;
use jiandu_domain::{Reason, field};
use poem::http::StatusCode;
use uuid::Uuid;

use super::refusal;
use crate::error::AppError;

/// A page's steps as an enum, each posted to `<record>/<step>`: its name is written once, in the
/// macro call, and used by the handler (parsed from the path), the template (the form's action,
/// through `Display`) and the refusal (the form it stands next to, `as_str`).
macro_rules! page_steps {
    (
        record = $record:literal;
        $(#[$doc:meta])* $vis:vis enum $name:ident { $($variant:ident = $text:literal,)+ }
    ) => {
        $crate::web::form::page_steps! {
            $(#[$doc])* $vis enum $name { $($variant = $text,)+ }
        }

        impl $crate::web::page::PageStep for $name {
            const RECORD: &'static str = $record;
        }
    };
    ($(#[$doc:meta])* $vis:vis enum $name:ident { $($variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis enum $name {
            $($variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The step's name in its address and its form.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::error::AppError;

            /// A step of this page, or NOT_FOUND (an address no form posts to).
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|step| step.as_str() == text)
                    .ok_or_else(|| crate::error::AppError::not_found("step"))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(super) use page_steps;

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
    if value.trim().is_empty() {
        return Err(AppError::required(field, "choose one from the list"));
    }
    value
        .trim()
        .parse()
        .map_err(|_| AppError::not_in_list(field))
}

pub fn optional_id(field: &str, value: &str) -> Result<Option<Uuid>, AppError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        id(field, value).map(Some)
    }
}

pub fn date(field: &str, value: &str) -> Result<NaiveDate, AppError> {
    if value.trim().is_empty() {
        return Err(AppError::required(field, "a date as YYYY-MM-DD"));
    }
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field, Reason::NotADate, "a date as YYYY-MM-DD"))
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
        .map_err(|_| AppError::invalid(field, Reason::NotANumber, "a whole number"))
}

/// A version a form was rendered with: anything else than a number is a stale or forged form.
pub fn version(value: &str) -> Result<i32, AppError> {
    value
        .trim()
        .parse()
        .map_err(|_| AppError::required(field::VERSION, "the form's version is missing"))
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

    page_steps! {
        enum Sample {
            SignOff = "sign-off",
            Return = "return",
        }
    }

    #[test]
    fn a_step_is_read_from_its_address_and_written_back_the_same() {
        for step in Sample::ALL {
            assert_eq!(step.as_str().parse::<Sample>().ok(), Some(*step));
            assert_eq!(step.to_string(), step.as_str());
        }
        assert_eq!(Sample::SignOff.as_str(), "sign-off");
        let unknown = "signoff".parse::<Sample>();
        assert!(matches!(unknown, Err(AppError::NotFound(_))));
    }
}
