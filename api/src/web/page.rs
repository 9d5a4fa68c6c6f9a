//! What every page shares: who is signed in (from the session cookie), the CSRF check of a
//! posted form, the headers of an HTML answer, redirects and the error page.

use std::sync::Arc;

use askama::Template;
use poem::http::{HeaderValue, StatusCode, header};
use poem::{Request, Response};

use super::refusal;
use super::session::{self, SESSION_COOKIE};
use crate::error::AppError;
use crate::http::AppState;
use crate::service::{Actor, accounts};

/// What the header of a signed-in page shows, and the token its forms carry.
pub struct Me {
    pub name: String,
    pub role: &'static str,
    pub csrf: String,
    /// The menu offers creating projects (presidium) and logging inspections (and deputies).
    pub manages: bool,
    pub inspects: bool,
}

/// A signed-in person asking for a page.
pub struct Signed {
    pub actor: Arc<Actor>,
    pub token: String,
    pub me: Me,
    /// The account may only choose a new password until it does.
    pub must_change_password: bool,
}

pub fn role_name(role: jiandu_domain::Role) -> &'static str {
    use jiandu_domain::Role;
    match role {
        Role::Presidium => "主席团",
        Role::Deputy => "人大代表",
        Role::Leader => "责任领导",
        Role::Viewer => "只读",
    }
}

/// Pages and assets never go to another site, are never framed, and load only this server's
/// styles and scripts; signed-in pages are kept by no cache.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; \
     script-src 'self'; connect-src 'self'; img-src 'self' data: blob:; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'";

/// `body` as an HTML page with `status`.
pub fn html_with(status: StatusCode, body: String) -> Response {
    let mut response = Response::builder()
        .status(status)
        .content_type("text/html; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .body(body);
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// A rendered template, or the error page when it cannot be rendered.
pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(body) => html_with(status, body),
        Err(error) => {
            let error = AppError::internal(error);
            error_page(None, &error)
        }
    }
}

pub fn ok(template: &impl Template) -> Response {
    render(StatusCode::OK, template)
}

/// After a form: go to `to` (303, so a reload does not post again).
pub fn redirect(to: &str) -> Response {
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, to)
        .header(header::CACHE_CONTROL, "no-store")
        .finish()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    message: String,
}

/// The page that says why a request was refused, with the error's status.
pub fn error_page(me: Option<&Me>, error: &AppError) -> Response {
    let page = ErrorPage {
        me,
        nav: "",
        message: refusal::in_chinese(error),
    };
    match page.render() {
        Ok(body) => html_with(error.http_status(), body),
        Err(_) => html_with(error.http_status(), page.message),
    }
}

/// The person behind the session cookie, or the answer that sends them to sign in (or to choose
/// a new password first, unless `password_page`). Counted against their request rate like an API
/// call.
pub async fn signed_in(
    request: &Request,
    state: &AppState,
    password_page: bool,
) -> Result<Signed, Response> {
    let Some(token) = session::cookie(request.headers(), SESSION_COOKIE) else {
        return Err(redirect("/login"));
    };
    let signed = match accounts::authenticate(&state.ctx, &token).await {
        Ok(signed) => signed,
        Err(AppError::Unauthenticated(_)) => return Err(redirect("/login")),
        Err(error) => return Err(error_page(None, &error)),
    };
    if signed.must_change_password && !password_page {
        return Err(redirect("/password"));
    }
    let actor = Arc::new(signed.actor);
    if let Err(retry_after_secs) = state.rate.take(actor.access.user_id) {
        return Err(error_page(
            None,
            &AppError::RateLimited { retry_after_secs },
        ));
    }
    let name = match actor.access.person_id {
        Some(person) => crate::service::organizations::people_by_ids(&state.ctx, &actor, &[person])
            .await
            .ok()
            .and_then(|people| people.into_iter().next())
            .map_or_else(|| actor.username.clone(), |p| p.name),
        None => actor.username.clone(),
    };
    let role = actor.access.role;
    let me = Me {
        name,
        role: role_name(role),
        csrf: session::csrf_token(&token),
        manages: role == jiandu_domain::Role::Presidium,
        inspects: matches!(
            role,
            jiandu_domain::Role::Presidium | jiandu_domain::Role::Deputy
        ),
    };
    Ok(Signed {
        actor,
        token,
        me,
        must_change_password: signed.must_change_password,
    })
}

/// Longest form body a page posts (photos come as multipart, within the upload limit).
const MOST_FORM_BYTES: usize = 64 * 1024;

/// A posted form's fields, read up to a small limit: a body beyond it is refused before it is
/// all read.
pub async fn posted<T: serde::de::DeserializeOwned>(body: poem::Body) -> Result<T, Response> {
    parse(&read_form(body).await?)
}

async fn read_form(body: poem::Body) -> Result<bytes::Bytes, Response> {
    match body.into_bytes_limit(MOST_FORM_BYTES).await {
        Ok(bytes) => Ok(bytes),
        Err(poem::error::ReadBodyError::PayloadTooLarge) => Err(error_page(
            None,
            &AppError::TooLarge {
                field: None,
                message: format!("a form is at most {MOST_FORM_BYTES} bytes"),
            },
        )),
        Err(error) => Err(error_page(None, &AppError::BadRequest(error.to_string()))),
    }
}

fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, Response> {
    serde_urlencoded::from_bytes(bytes).map_err(|error| {
        let error = AppError::BadRequest(format!("the form cannot be read: {error}"));
        error_page(None, &error)
    })
}

/// The CSRF token a posted form carries.
#[derive(serde::Deserialize)]
struct Csrf {
    #[serde(default)]
    csrf: String,
}

/// A form posted by a signed-in person with this session's CSRF token, read into `T`; or the
/// answer that refuses it (too large, unreadable, not signed in, a token not this session's).
pub async fn signed_form<T: serde::de::DeserializeOwned>(
    request: &Request,
    state: &AppState,
    body: poem::Body,
) -> Result<(Signed, T), Response> {
    let bytes = read_form(body).await?;
    let form: T = parse(&bytes)?;
    let Csrf { csrf } = parse(&bytes)?;
    let signed = signed_in(request, state, false).await?;
    signed.check_csrf(&csrf)?;
    Ok((signed, form))
}

/// As [`signed_form`], with the values of the field `list` the form repeats (a group of
/// checkboxes), in the order sent; `T` skips that field.
pub async fn signed_form_with_list<T: serde::de::DeserializeOwned>(
    request: &Request,
    state: &AppState,
    body: poem::Body,
    list: &str,
) -> Result<(Signed, T, Vec<String>), Response> {
    let bytes = read_form(body).await?;
    let form: T = parse(&bytes)?;
    let Csrf { csrf } = parse(&bytes)?;
    let signed = signed_in(request, state, false).await?;
    signed.check_csrf(&csrf)?;
    let values = url::form_urlencoded::parse(&bytes)
        .filter(|(name, _)| name == list)
        .map(|(_, value)| value.into_owned())
        .collect();
    Ok((signed, form, values))
}

impl Signed {
    /// Refuses a posted form whose CSRF token is not this session's.
    pub fn check_csrf(&self, sent: &str) -> Result<(), Response> {
        if session::same_token(sent, &self.me.csrf) {
            Ok(())
        } else {
            Err(error_page(
                Some(&self.me),
                &AppError::Forbidden("the form's CSRF token is not this session's".into()),
            ))
        }
    }
}
