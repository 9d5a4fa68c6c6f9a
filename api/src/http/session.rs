//! The workbench's session: the same sessions as the API's bearer tokens, carried in a cookie
//! (HttpOnly, SameSite=Lax, Secure when the page was asked for over https), and a CSRF token on
//! every form. The token of a signed-in page is derived from the session token (so it needs no
//! storage and dies with the session); the sign-in form, before there is a session, carries a
//! random token that must match a cookie set with it (double submit).

use poem::http::{HeaderMap, HeaderValue, header};
use poem::{Request, Response};
use sha2::{Digest, Sha256};

/// The session cookie: the session token itself.
pub const SESSION_COOKIE: &str = "jiandu_session";
/// The sign-in form's CSRF cookie.
pub const LOGIN_CSRF_COOKIE: &str = "jiandu_login_csrf";

/// The session token a request's workbench cookie carries, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, SESSION_COOKIE)
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
        .filter(|value| !value.is_empty())
}

/// The CSRF token of the forms of the session behind `session_token`.
pub fn csrf_token(session_token: &str) -> String {
    let digest = Sha256::digest(format!("jiandu-csrf\n{session_token}").as_bytes());
    hex::encode(&digest[..16])
}

/// Whether two tokens are equal, compared in time independent of where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Whether the page was asked for over https: the connection's scheme, or what the trusted
/// reverse proxy in front says it was.
pub fn over_https(request: &Request, trusted_proxies: usize) -> bool {
    let forwarded = trusted_proxies > 0
        && request
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
    forwarded || request.uri().scheme_str() == Some("https")
}

/// A `Set-Cookie` value for `name`: HttpOnly, SameSite=Lax, for the whole site, Secure over
/// https; `max_age` seconds (0 removes it), or for the browser's session when `None`.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(seconds) = max_age {
        cookie.push_str(&format!("; Max-Age={seconds}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    cookie
}

/// `response` with `cookie` added to it.
pub fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; jiandu_session=tok; b=2"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("tok"));
        assert_eq!(cookie(&headers, "c"), None);
    }

    #[test]
    fn csrf_tokens_differ_by_session_and_compare_exactly() {
        let (a, b) = (csrf_token("one"), csrf_token("two"));
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(same_token(&a, &csrf_token("one")));
        assert!(!same_token(&a, &b));
        assert!(!same_token(&a, &a[..31]));
    }

    #[test]
    fn cookies_are_http_only_and_lax_and_secure_over_https() {
        let plain = set_cookie(SESSION_COOKIE, "t", None, false);
        assert_eq!(plain, "jiandu_session=t; Path=/; HttpOnly; SameSite=Lax");
        assert!(set_cookie(SESSION_COOKIE, "t", Some(0), true).ends_with("Max-Age=0; Secure"));
    }
}
