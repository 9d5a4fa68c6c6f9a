//! What every page shares: who is signed in (the `Signed` extractor, from the session cookie
//! through `http::caller`), posted forms with their CSRF check (`Posted`), the `Page` a handler
//! answers, the headers of an HTML answer, redirects and the error page.

use std::sync::Arc;

use askama::Template;
use poem::http::{HeaderValue, StatusCode, header};
use poem::{FromRequest, Request, RequestBody, Response};
use uuid::Uuid;

use super::menu::Entry;
pub use super::posted::{PageStep, Posted, PostedStep};
use super::refusal;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::caller::{self, Credentials};
use crate::http::session;
use crate::service::Actor;
use crate::service::accounts::Caller;

/// What the header of a signed-in page shows, and the token its forms carry.
pub struct Me {
    /// The person's name, or an office account's.
    pub name: String,
    /// As the header says it: with their title (周敏（人大主席）), or the account's role.
    pub called: String,
    pub csrf: String,
    /// The presidium, who may manage (the menu, the pages' forms).
    pub manages: bool,
    /// The four entries the role uses most, always in sight (one row on a phone); the rest of
    /// what it may open, behind 更多.
    pub menu: Vec<&'static Entry>,
    pub more: Vec<&'static Entry>,
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

/// What a page handler answers: the page, or the page sent instead, so that `?` works.
pub type Page = Result<Response, Refused>;

/// A page sent instead of the one asked for: the way to the sign-in page, a refusal, the error
/// page. Built once per request and sent at once, so its size does not matter.
pub struct Refused(Box<Response>);

impl From<Response> for Refused {
    fn from(response: Response) -> Self {
        Refused(Box::new(response))
    }
}

impl From<Refused> for poem::Error {
    fn from(refused: Refused) -> Self {
        poem::Error::from_response(*refused.0)
    }
}

/// A use case's error as the error page of a signed-in person.
pub trait OrPage<T> {
    fn or_page(self, me: &Me) -> Result<T, Refused>;
}

impl<T> OrPage<T> for Result<T, AppError> {
    fn or_page(self, me: &Me) -> Result<T, Refused> {
        self.map_err(|error| Refused::from(error_page(Some(me), &error)))
    }
}

/// The error page with no one's header: before anyone is known.
fn refused(error: AppError) -> Refused {
    Refused::from(error_page(None, &error))
}

/// The application's state, which the router hands every request.
pub fn state(request: &Request) -> Result<&AppState, Refused> {
    request
        .data::<AppState>()
        .ok_or_else(|| refused(AppError::internal(anyhow::anyhow!("no application state"))))
}

/// The person behind the session cookie (`http::caller`, cookie only), or the answer that sends
/// them to sign in (or to choose a new password first, unless `password_page`). Their request
/// is counted against their rate there.
pub(super) async fn signed_in(request: &Request, password_page: bool) -> Result<Signed, Refused> {
    let state = state(request)?;
    let caller = caller::caller(state, request.headers(), Credentials::Cookie)
        .await
        .map_err(refused)?;
    let (actor, token, must_change_password) = match caller {
        Caller::Signed {
            actor,
            token,
            must_change_password,
        } => (actor, token, must_change_password),
        Caller::Anonymous | Caller::Rejected(_) => return Err(Refused::from(redirect("/login"))),
    };
    if must_change_password && !password_page {
        return Err(Refused::from(redirect("/password")));
    }
    let role = actor.access.role;
    // The person, with their title (周敏（人大主席）), read with the session; an account of
    // nobody by its name and role.
    let (name, called) = match &actor.holder {
        Some(p) => {
            let title = p.title.as_deref().unwrap_or(role_name(role));
            (p.name.clone(), format!("{}（{title}）", p.name))
        }
        None => (
            actor.username.clone(),
            format!("{}（{}）", actor.username, role_name(role)),
        ),
    };
    let (menu, more) = super::menu::menu_of(role);
    let me = Me {
        name,
        called,
        menu,
        more,
        csrf: session::csrf_token(&token),
        manages: role == jiandu_domain::Role::Presidium,
    };
    Ok(Signed {
        actor,
        token,
        me,
        must_change_password,
    })
}

/// A page's signed-in person: the handler takes it as an argument and is not called for anyone
/// else (they are sent to sign in, or to choose a new password first).
impl<'a> FromRequest<'a> for Signed {
    async fn from_request(request: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        Ok(signed_in(request, false).await?)
    }
}

/// A signed-in person even while their account must choose a new password first: for the
/// password page and signing out, the only pages such an account may use.
pub struct Session(pub Signed);

impl<'a> FromRequest<'a> for Session {
    async fn from_request(request: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        Ok(Session(signed_in(request, true).await?))
    }
}

/// Longest form body a page posts (photos come as multipart, within the upload limit).
const MOST_FORM_BYTES: usize = 64 * 1024;

pub(super) async fn read_form(body: &mut RequestBody) -> Result<bytes::Bytes, Refused> {
    let body = body
        .take()
        .map_err(|error| refused(AppError::BadRequest(error.to_string())))?;
    match body.into_bytes_limit(MOST_FORM_BYTES).await {
        Ok(bytes) => Ok(bytes),
        Err(poem::error::ReadBodyError::PayloadTooLarge) => Err(refused(AppError::TooLarge {
            field: None,
            message: format!("a form is at most {MOST_FORM_BYTES} bytes"),
            max_bytes: MOST_FORM_BYTES,
        })),
        Err(poem::error::ReadBodyError::Io(error))
            if error.kind() == std::io::ErrorKind::TimedOut =>
        {
            Err(refused(AppError::SlowBody))
        }
        Err(error) => Err(refused(AppError::BadRequest(error.to_string()))),
    }
}

pub(super) fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, Refused> {
    serde_urlencoded::from_bytes(bytes).map_err(|error| {
        refused(AppError::BadRequest(format!(
            "the form cannot be read: {error}"
        )))
    })
}

/// A posted form's fields, read up to a small limit (a body beyond it is refused before it is
/// all read), whoever posts it: the sign-in form, and forms whose handler checks the CSRF token
/// itself.
pub struct Form<T>(pub T);

impl<'a, T: serde::de::DeserializeOwned> FromRequest<'a> for Form<T> {
    async fn from_request(_request: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        Ok(Form(parse(&read_form(body).await?)?))
    }
}

impl Signed {
    /// Refuses a posted form whose CSRF token is not this session's.
    pub fn check_csrf(&self, sent: &str) -> Result<(), Refused> {
        if session::same_token(sent, &self.me.csrf) {
            Ok(())
        } else {
            Err(Refused::from(error_page(
                Some(&self.me),
                &AppError::Forbidden("the form's CSRF token is not this session's".into()),
            )))
        }
    }

    /// The signed-in person as a form's ticked people (none for an account no person holds):
    /// the one logging a visit or a letter usually took part in it.
    pub fn own_person(&self) -> Vec<String> {
        self.actor
            .access
            .person_id
            .iter()
            .map(Uuid::to_string)
            .collect()
    }

    /// `error` as this person's error page.
    pub fn refuse(&self, error: &AppError) -> Refused {
        Refused::from(error_page(Some(&self.me), error))
    }

    /// The record an address names (`/…/{id}`); one that cannot name any is NOT_FOUND as `what`,
    /// as a missing one is.
    pub fn record(&self, id: &str, what: &str) -> Result<Uuid, Refused> {
        id.parse()
            .map_err(|_| self.refuse(&AppError::not_found(what)))
    }

    /// The record and the step a step's address names (`/…/{id}/{step}`); either unknown is
    /// NOT_FOUND as `what`.
    pub fn step_on<S: std::str::FromStr>(
        &self,
        id: &str,
        step: &str,
        what: &str,
    ) -> Result<(Uuid, S), Refused> {
        match (id.parse(), step.parse()) {
            (Ok(id), Ok(step)) => Ok((id, step)),
            _ => Err(self.refuse(&AppError::not_found(what))),
        }
    }
}
