//! Signing in and out, and choosing a new password: the API's own use cases, with the same
//! limits on failed attempts (the limiter is the server's, shared with `login`).

use askama::Template;
use poem::web::Data;
use poem::{Request, Response, handler};
use serde::Deserialize;

use super::page::{self, Form, Me, OrPage, Page, Session};
use super::refusal;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::client;
use crate::http::session::{self, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::service::accounts;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    csrf: String,
    username: String,
    refusal: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    csrf: String,
    username: String,
    password: String,
}

/// The sign-in form with a fresh CSRF token, set in a cookie beside it (double submit).
fn login_page(
    request: &Request,
    state: &AppState,
    username: String,
    refusal: Option<String>,
) -> Response {
    let csrf = accounts::new_token();
    let page = LoginPage {
        me: None,
        nav: "",
        csrf: csrf.clone(),
        username,
        refusal,
    };
    let status = if page.refusal.is_some() {
        poem::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        poem::http::StatusCode::OK
    };
    let secure = session::over_https(request, state.limits.trusted_proxies);
    session::with_cookie(
        page::render(status, &page),
        &session::set_cookie(LOGIN_CSRF_COOKIE, &csrf, None, secure),
    )
}

#[handler]
pub async fn login_form(
    signed: Option<Session>,
    request: &Request,
    Data(state): Data<&AppState>,
) -> Page {
    if signed.is_some() {
        return Ok(page::redirect("/"));
    }
    Ok(login_page(request, state, String::new(), None))
}

#[handler]
pub async fn submit(
    Form(form): Form<LoginForm>,
    request: &Request,
    Data(state): Data<&AppState>,
) -> Page {
    let expected = session::cookie(request.headers(), LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !session::same_token(&form.csrf, &expected) {
        let refusal = "登录页面已过期，请重新输入用户名和密码。".to_string();
        return Ok(login_page(request, state, form.username, Some(refusal)));
    }
    let client = client::address(
        request.headers(),
        request.remote_addr(),
        state.limits.trusted_proxies,
    );
    let ctx = &state.ctx;
    Ok(
        match accounts::login(ctx, &ctx.logins, &form.username, &form.password, client).await {
            Ok(signed) => {
                let secure = session::over_https(request, state.limits.trusted_proxies);
                let lifetime = (signed.expires_at - ctx.now()).num_seconds().max(0);
                let to = if signed.user.must_change_password {
                    "/password"
                } else {
                    "/"
                };
                let response = session::with_cookie(
                    page::redirect(to),
                    &session::set_cookie(SESSION_COOKIE, &signed.token, Some(lifetime), secure),
                );
                session::with_cookie(
                    response,
                    &session::set_cookie(LOGIN_CSRF_COOKIE, "", Some(0), secure),
                )
            }
            Err(error) => {
                let refusal = match &error {
                    AppError::Unauthenticated(_) => {
                        "用户名或密码不正确，或账号已停用。".to_string()
                    }
                    other => refusal::in_chinese(other),
                };
                login_page(request, state, form.username, Some(refusal))
            }
        },
    )
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Ends the session and forgets the cookie.
#[handler]
pub async fn sign_out(
    Form(form): Form<CsrfForm>,
    Session(signed): Session,
    request: &Request,
    Data(state): Data<&AppState>,
) -> Page {
    signed.check_csrf(&form.csrf)?;
    accounts::logout(&state.ctx, &signed.token)
        .await
        .or_page(&signed.me)?;
    let secure = session::over_https(request, state.limits.trusted_proxies);
    Ok(session::with_cookie(
        page::redirect("/login"),
        &session::set_cookie(SESSION_COOKIE, "", Some(0), secure),
    ))
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage<'a> {
    me: Option<&'a Me>,
    nav: &'a str,
    must_change: bool,
    refusal: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    csrf: String,
    current: String,
    new: String,
    repeat: String,
}

#[handler]
pub async fn password_form(Session(signed): Session) -> Page {
    Ok(page::ok(&PasswordPage {
        me: Some(&signed.me),
        nav: "password",
        must_change: signed.must_change_password,
        refusal: None,
    }))
}

#[handler]
pub async fn change_password(
    Form(form): Form<PasswordForm>,
    Session(signed): Session,
    request: &Request,
    Data(state): Data<&AppState>,
) -> Page {
    signed.check_csrf(&form.csrf)?;
    let refused = |refusal: String| {
        page::render(
            poem::http::StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordPage {
                me: Some(&signed.me),
                nav: "password",
                must_change: signed.must_change_password,
                refusal: Some(refusal),
            },
        )
    };
    if form.new != form.repeat {
        return Ok(refused("两次输入的新密码不一致。".into()));
    }
    let client = client::address(
        request.headers(),
        request.remote_addr(),
        state.limits.trusted_proxies,
    );
    let ctx = &state.ctx;
    Ok(
        match accounts::change_password(
            ctx,
            &ctx.logins,
            &signed.actor,
            &signed.token,
            client,
            &form.current,
            &form.new,
        )
        .await
        {
            Ok(_) => page::redirect("/?notice=password"),
            Err(error) => refused(refusal::in_chinese(&error)),
        },
    )
}
