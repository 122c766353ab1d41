//! The pages emailed links open: `/token/{t}/+newaccount` and `/token/{t}/+resetpassword`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::AppState;
use super::csrf_form::CsrfForm;
use super::device::remember_device;
use super::error::WebError;
use super::forms::{empty_secret, origin, password_refusal, see_other};
use super::headers::with_sign_in_request_target;
use super::lang::RequestLang;
use super::session::{SignInFrom, TypedSession};
use crate::domain::redirect::local_next;
use crate::domain::second_factor::AuthMethods;
use crate::domain::{DisplayName, Password, TokenKind};
use crate::i18n::Lang;
use crate::service::email_links::{Completion, complete_recovery, complete_registration, peek};
use crate::service::second_step::{self, PendingSignIn, Purpose};

/// The fields of both forms (the reset form has no name; the CSRF token is checked by
/// `CsrfForm`).
#[derive(Debug, Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    display_name: String,
    #[serde(default = "empty_secret")]
    password: SecretString,
    #[serde(default = "empty_secret")]
    password_again: SecretString,
}

fn template(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::NewAccount => "token/new_account.html",
        _ => "token/reset_password.html",
    }
}

/// The "used or expired" page, optionally with a specific message.
fn invalid_page(state: &AppState, lang: RequestLang, error: Option<String>) -> HttpResponse {
    let mut ctx = tera::Context::new();
    ctx.insert("error", &error);
    state.page(lang, StatusCode::GONE, "token/invalid.html", ctx)
}

/// The form an emailed link opens. When a relying party's sign-in request waits in this browser,
/// the form may end at its verified redirect URI.
async fn form_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    kind: TokenKind,
    email: &str,
    display_name: &str,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &session.csrf_token()?);
    ctx.insert("email", email);
    ctx.insert("display_name", display_name);
    ctx.insert("error", &error);
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = state.page(lang, status, template(kind), ctx);
    with_sign_in_request_target(&state.ctx, page, session.pending_next().as_deref()).await
}

async fn show(
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
    token: &str,
    kind: TokenKind,
) -> Result<HttpResponse, WebError> {
    match peek(&state.ctx, token, kind).await? {
        None => Ok(invalid_page(&state, lang, None)),
        Some(email) => form_page(&state, lang, &session, kind, email.as_str(), "", None).await,
    }
}

/// `GET /token/{t}/+newaccount`
pub async fn show_new_account(
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    show(state, lang, session, &path, TokenKind::NewAccount).await
}

/// `GET /token/{t}/+resetpassword`
pub async fn show_reset_password(
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    show(state, lang, session, &path, TokenKind::PasswordRecovery).await
}

/// Checks the two password fields; the message of what is wrong.
fn new_password(lang: Lang, form: &LinkForm) -> Result<Password, String> {
    let password = form.password.expose_secret();
    if password != form.password_again.expose_secret() {
        return Err(lang.text("form-error-password-mismatch"));
    }
    Password::parse(password).map_err(|e| password_refusal(lang, &e))
}

/// What the "used or expired" page says when a completion is refused.
fn refusal(lang: Lang, done: &Completion) -> Option<String> {
    match done {
        Completion::SignedIn(_) | Completion::LinkInvalid => None,
        Completion::AlreadyRegistered(email) => Some(lang.text_with(
            "login-error-already-registered",
            &[("email", email.as_str())],
        )),
        Completion::TeamAddress(email) => {
            Some(lang.text_with("login-error-team", &[("email", email.as_str())]))
        }
        Completion::Suspended => Some(lang.text("login-error-suspended")),
    }
}

async fn submit(
    form: LinkForm,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    token: &str,
    kind: TokenKind,
) -> Result<HttpResponse, WebError> {
    let Some(email) = peek(&state.ctx, token, kind).await? else {
        return Ok(invalid_page(&state, lang, None));
    };
    let l = lang.lang;
    let refuse = async |error: String| {
        let (email, name) = (email.as_str(), form.display_name.as_str());
        form_page(&state, lang, &session, kind, email, name, Some(error)).await
    };
    let password = match new_password(l, &form) {
        Ok(p) => p,
        Err(error) => return refuse(error).await,
    };
    let origin = origin(&req);
    let done = if kind == TokenKind::NewAccount {
        let Ok(name) = DisplayName::parse(&form.display_name) else {
            return refuse(l.text("form-error-name")).await;
        };
        complete_registration(&state.ctx, token, name, password, &origin).await?
    } else {
        complete_recovery(&state.ctx, token, password, &origin, l).await?
    };
    let Completion::SignedIn(person) = done else {
        return Ok(invalid_page(&state, lang, refusal(l, &done)));
    };
    let next = session.take_pending_next();
    let next = next.as_deref().and_then(local_next);
    let res = if second_step::required(&state.ctx, &person.id).await? {
        // An emailed link alone never takes over an account with a second factor: the new
        // password is set, and signing in still needs the factor (or a recovery code).
        let pending = PendingSignIn::new(
            &person.id,
            &email,
            &AuthMethods::password(),
            state.ctx.clock.now(),
            next,
            Purpose::SignIn,
        );
        session.begin_second_step(&pending)?;
        see_other("/+login/second-step")
    } else {
        session.sign_in(&person.id, state.ctx.clock.now(), &SignInFrom::of(&req))?;
        see_other(next.unwrap_or("/+account"))
    };
    Ok(remember_device(
        res,
        &state.cookie_key,
        &person.id,
        state.https(),
    ))
}

/// `POST /token/{t}/+newaccount`
pub async fn submit_new_account(
    form: CsrfForm<LinkForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let kind = TokenKind::NewAccount;
    submit(form.into_inner(), state, req, lang, session, &path, kind).await
}

/// `POST /token/{t}/+resetpassword`
pub async fn submit_reset_password(
    form: CsrfForm<LinkForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let kind = TokenKind::PasswordRecovery;
    submit(form.into_inner(), state, req, lang, session, &path, kind).await
}
