//! Characters no document can carry, refused where a request comes in:
//! every string of a GraphQL request (the query and each variable) and every field of a
//! workbench form, whichever use case it reaches, is VALIDATION_FAILED with the field named.
//! Documents leave such characters out besides (`service::formats::printable`), for records
//! written before this rule.

use async_graphql::{Request, Value};
use jiandu_domain::validate::{Reason, xml_can_carry};

use crate::error::AppError;

const MESSAGE: &str = "must not contain control characters, U+FFFE, U+FFFF or unpaired surrogates \
                       (tab and line breaks are fine)";

/// The refusal for `field`.
pub fn refused(field: &str) -> AppError {
    AppError::invalid(field, Reason::ControlCharacters, MESSAGE)
}

/// Refuses a request holding a character a document cannot carry in the query or a variable,
/// naming the field that holds it. (Strings written in the query are checked with its shape:
/// `graphql::shape`.)
pub fn check_request(request: &Request) -> Result<(), AppError> {
    if !request.query.chars().all(xml_can_carry) {
        return Err(refused("query"));
    }
    match request
        .variables
        .iter()
        .find_map(|(name, value)| uncarried(name, value))
    {
        Some(field) => Err(refused(field)),
        None => Ok(()),
    }
}

/// Refuses form fields (name, value) when one holds a character a document cannot carry, naming it.
pub fn check_fields<'a>(
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), AppError> {
    match fields
        .into_iter()
        .find(|(_, value)| !value.chars().all(xml_can_carry))
    {
        Some((name, _)) => Err(refused(name)),
        None => Ok(()),
    }
}

/// The innermost field of `value` (itself named `name`) holding a string with a character a
/// document cannot carry.
pub fn uncarried<'a>(name: &'a str, value: &'a Value) -> Option<&'a str> {
    match value {
        Value::String(text) if !text.chars().all(xml_can_carry) => Some(name),
        Value::List(items) => items.iter().find_map(|item| uncarried(name, item)),
        Value::Object(fields) => fields.iter().find_map(|(field, value)| {
            if field.chars().all(xml_can_carry) {
                uncarried(field, value)
            } else {
                Some(name)
            }
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nested_variable_is_named_and_line_breaks_pass() {
        let carried = Request::new("mutation($input: X!){ x(input: $input) }").variables(
            async_graphql::Variables::from_json(serde_json::json!({
                "input": { "title": "风雨桥\n\t廊桥", "tags": ["a"] }
            })),
        );
        assert!(check_request(&carried).is_ok());
        for bad in ["\u{0}", "\u{1}", "\u{FFFE}", "\u{FFFF}", "\u{1F}"] {
            let request = Request::new("mutation($input: X!){ x(input: $input) }").variables(
                async_graphql::Variables::from_json(serde_json::json!({
                    "input": { "title": "ok", "tags": [format!("a{bad}")] }
                })),
            );
            let error = check_request(&request).unwrap_err();
            assert!(
                matches!(&error, AppError::Validation { field, .. } if field == "tags"),
                "{bad:?}: {error:?}"
            );
        }
        let raw = Request::new("mutation { x(title: \"a\u{FFFF}\") }");
        assert!(check_request(&raw).is_err());
    }
}
