//! Forms posted by a signed-in person: read, their CSRF token checked and their text fields
//! checked for what documents cannot carry, before the handler runs.

use poem::web::Path;
use poem::{FromRequest, Request, RequestBody};
use uuid::Uuid;

use super::page::{Signed, parse, read_form, signed_in};
use crate::graphql::carried;

/// The CSRF token a posted form carries.
#[derive(serde::Deserialize)]
struct Csrf {
    #[serde(default)]
    csrf: String,
}

/// A form posted by a signed-in person with this session's CSRF token, read into `T`; anything
/// else is refused before the handler runs (too large, unreadable, not signed in, a token not
/// this session's).
pub struct Posted<T> {
    pub signed: Signed,
    pub form: T,
    bytes: bytes::Bytes,
}

impl<T> Posted<T> {
    /// The values of the field `name` the form repeats (a group of checkboxes), in the order
    /// sent; `T` skips that field.
    pub fn list(&self, name: &str) -> Vec<String> {
        repeated(&self.bytes, name)
    }
}

fn repeated(form: &[u8], name: &str) -> Vec<String> {
    url::form_urlencoded::parse(form)
        .filter(|(field, _)| field == name)
        .map(|(_, value)| value.into_owned())
        .collect()
}

impl<'a, T: serde::de::DeserializeOwned + Send> FromRequest<'a> for Posted<T> {
    async fn from_request(request: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        let bytes = read_form(body).await?;
        let form: T = parse(&bytes)?;
        let Csrf { csrf } = parse(&bytes)?;
        let signed = signed_in(request, false).await?;
        signed.check_csrf(&csrf)?;
        let fields: Vec<_> = url::form_urlencoded::parse(&bytes).collect();
        carried::check_fields(fields.iter().map(|(name, value)| (&**name, &**value)))
            .map_err(|error| signed.refuse(&error))?;
        Ok(Posted {
            signed,
            form,
            bytes,
        })
    }
}

/// The steps of a page's record (`page_steps!` with `record = …`): `RECORD` names the record in
/// a NOT_FOUND.
pub trait PageStep: std::str::FromStr + Copy + Send {
    const RECORD: &'static str;
}

/// A step posted to `/…/{id}/{step}`: [`Posted`], and the record and the step the address names
/// (either unknown is NOT_FOUND as [`PageStep::RECORD`]).
pub struct PostedStep<S, F> {
    pub signed: Signed,
    pub id: Uuid,
    pub step: S,
    pub form: F,
    bytes: bytes::Bytes,
}

impl<S, F> PostedStep<S, F> {
    /// The values of the repeated field `name` (see [`Posted::list`]).
    pub fn list(&self, name: &str) -> Vec<String> {
        repeated(&self.bytes, name)
    }
}

impl<'a, S: PageStep, F: serde::de::DeserializeOwned + Send> FromRequest<'a> for PostedStep<S, F> {
    async fn from_request(request: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        let Posted {
            signed,
            form,
            bytes,
        } = Posted::<F>::from_request(request, body).await?;
        let Path((id, step)) = Path::<(String, String)>::from_request(request, body).await?;
        let (id, step) = signed.step_on::<S>(&id, &step, S::RECORD)?;
        Ok(PostedStep {
            signed,
            id,
            step,
            form,
            bytes,
        })
    }
}
