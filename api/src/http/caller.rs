//! Who is calling: the one place a request's credentials become a [`Caller`], by the policy of
//! the route ([`Credentials`]), and the one place a signed-in caller's request is counted
//! against their request rate.
//!
//! Every route that serves a signed-in user takes the rate here: GraphQL, the pages, downloads
//! (evidence files, documents, ledgers). Routes that do not: the sign-in form and `/login`
//! (nobody is signed in yet; failed attempts have their own limits, `accounts::LoginLimiter`),
//! the calendar feed (its secret address is the credential, with no session behind it), the
//! probes and the stylesheet (they read nothing of anyone's), and the WebSocket upgrade (it
//! signs in later, with `connection_init`, and each `subscribe` on it is counted instead).

use std::sync::Arc;

use poem::http::{HeaderMap, header};
use poem::{FromRequest, Request, RequestBody};

use super::AppState;
use super::session;
use crate::error::AppError;
use crate::service::Actor;
use crate::service::accounts::{self, CHANGE_PASSWORD_FIRST, Caller};

/// Which credentials a route takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credentials {
    /// `Authorization: Bearer <token>` only: `POST /graphql`, which a page of another site could
    /// otherwise call with a clerk's cookie.
    Bearer,
    /// The workbench's session cookie only: the pages, whose forms carry a CSRF token.
    Cookie,
    /// Either: downloads, GETs that change nothing, linked from pages and fetched by scripts.
    BearerOrCookie,
}

impl Credentials {
    /// The token a request carries in the credentials this policy takes.
    pub fn token(self, headers: &HeaderMap) -> Option<String> {
        let bearer = || {
            headers
                .get(header::AUTHORIZATION)
                .and_then(|value| value.to_str().ok())
                .and_then(bearer_token)
        };
        let cookie = || session::session_token(headers);
        match self {
            Credentials::Bearer => bearer(),
            Credentials::Cookie => cookie(),
            Credentials::BearerOrCookie => bearer().or_else(cookie),
        }
    }
}

/// The token of an `Authorization` value (`Bearer <token>`, the scheme in any case).
pub fn bearer_token(value: &str) -> Option<String> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_string())
}

/// Who holds `token` (none: anonymous). An error only when the database cannot say.
pub async fn identify(state: &AppState, token: Option<String>) -> Result<Caller, AppError> {
    let Some(token) = token else {
        return Ok(Caller::Anonymous);
    };
    match accounts::authenticate(&state.ctx, &token).await {
        Ok(signed) => Ok(Caller::Signed {
            actor: Arc::new(signed.actor),
            token,
            must_change_password: signed.must_change_password,
        }),
        Err(AppError::Unauthenticated(why)) => Ok(Caller::Rejected(why)),
        Err(error) => Err(AppError::Unavailable(
            anyhow::Error::from(error).context("authenticating a request"),
        )),
    }
}

/// The caller of a request, by the route's `credentials`; a signed-in caller's request is
/// counted against their rate (RATE_LIMITED beyond it).
pub async fn caller(
    state: &AppState,
    headers: &HeaderMap,
    credentials: Credentials,
) -> Result<Caller, AppError> {
    let caller = identify(state, credentials.token(headers)).await?;
    if let Caller::Signed { actor, .. } = &caller {
        state
            .rate
            .take(actor.user_id())
            .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
    }
    Ok(caller)
}

/// The signed-in user of a download (bearer token or the session cookie): anyone else is
/// refused with the error a client can act on.
pub struct Downloader(pub Arc<Actor>);

impl<'a> FromRequest<'a> for Downloader {
    async fn from_request(request: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        let state = request
            .data::<AppState>()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("no application state")))?;
        match caller(state, request.headers(), Credentials::BearerOrCookie).await? {
            Caller::Signed {
                must_change_password: true,
                ..
            } => Err(AppError::Forbidden(CHANGE_PASSWORD_FIRST.into()).into()),
            Caller::Signed { actor, .. } => Ok(Downloader(actor)),
            Caller::Anonymous => Err(AppError::Unauthenticated(
                "sign in first: send Authorization: Bearer <token> from login".into(),
            )
            .into()),
            Caller::Rejected(why) => Err(AppError::Unauthenticated(why).into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use poem::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(name.clone(), HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn each_policy_takes_only_its_own_credentials() {
        let both = headers(&[
            (header::AUTHORIZATION, "Bearer from-header"),
            (header::COOKIE, "jiandu_session=from-cookie"),
        ]);
        let cookie = headers(&[(header::COOKIE, "jiandu_session=from-cookie")]);
        assert_eq!(
            Credentials::Bearer.token(&both).as_deref(),
            Some("from-header")
        );
        assert_eq!(Credentials::Bearer.token(&cookie), None);
        assert_eq!(
            Credentials::Cookie.token(&both).as_deref(),
            Some("from-cookie")
        );
        assert_eq!(
            Credentials::BearerOrCookie.token(&both).as_deref(),
            Some("from-header")
        );
        assert_eq!(
            Credentials::BearerOrCookie.token(&cookie).as_deref(),
            Some("from-cookie")
        );
    }

    #[test]
    fn a_bearer_value_is_read_in_any_case_and_nothing_else_is() {
        assert_eq!(bearer_token("bearer  abc ").as_deref(), Some("abc"));
        assert_eq!(bearer_token("BEARER abc").as_deref(), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token("abc"), None);
    }
}
