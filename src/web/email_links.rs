//! The pages emailed links open: `/token/{t}/+newaccount` and `/token/{t}/+resetpassword`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::AppState;
use super::device::remember_device;
use super::errors::internal_error;
use super::forms::{Form, origin, password_refusal, see_other};
use super::headers::with_sign_in_request_target;
use super::lang::RequestLang;
use super::session::{SignInFrom, TypedSession};
use crate::domain::redirect::local_next;
use crate::domain::{DisplayName, Password, TokenKind};
use crate::i18n::Lang;
use crate::service::email_links::{Completion, complete_recovery, complete_registration, peek};

/// The fields of both forms (the reset form has no name).
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
    #[serde(default)]
    csrf_token: String,
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
) -> HttpResponse {
    let csrf = match session.csrf_token() {
        Ok(t) => t,
        Err(e) => return internal_error(&e),
    };
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &csrf);
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
) -> HttpResponse {
    match peek(&state.ctx, token, kind).await {
        Err(e) => internal_error(&e),
        Ok(None) => invalid_page(&state, lang, None),
        Ok(Some(email)) => form_page(&state, lang, &session, kind, email.as_str(), "", None).await,
    }
}

/// `GET /token/{t}/+newaccount`
pub async fn show_new_account(
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
    path: web::Path<String>,
) -> HttpResponse {
    show(state, lang, session, &path, TokenKind::NewAccount).await
}

/// `GET /token/{t}/+resetpassword`
pub async fn show_reset_password(
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
    path: web::Path<String>,
) -> HttpResponse {
    show(state, lang, session, &path, TokenKind::PasswordRecovery).await
}

/// Checks the two password fields; the message key of what is wrong.
fn new_password(lang: Lang, form: &TokenForm) -> Result<Password, String> {
    if form.password != form.password_again {
        return Err(lang.text("form-error-password-mismatch"));
    }
    Password::parse(&form.password).map_err(|e| password_refusal(lang, &e))
}

async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    token: &str,
    kind: TokenKind,
    form: TokenForm,
) -> HttpResponse {
    let email = match peek(&state.ctx, token, kind).await {
        Err(e) => return internal_error(&e),
        Ok(None) => return invalid_page(&state, lang, None),
        Ok(Some(email)) => email,
    };
    let refuse = async |error: String| {
        form_page(
            &state,
            lang,
            &session,
            kind,
            email.as_str(),
            &form.display_name,
            Some(error),
        )
        .await
    };
    if !session.csrf_matches(&form.csrf_token) {
        let mut res = refuse(lang.lang.text("login-error-csrf")).await;
        *res.status_mut() = StatusCode::FORBIDDEN;
        return res;
    }
    let password = match new_password(lang.lang, &form) {
        Ok(p) => p,
        Err(error) => return refuse(error).await,
    };
    let origin = origin(&req);
    let done = if kind == TokenKind::NewAccount {
        let Ok(name) = DisplayName::parse(&form.display_name) else {
            return refuse(lang.lang.text("form-error-name")).await;
        };
        complete_registration(&state.ctx, token, name, password, &origin).await
    } else {
        complete_recovery(&state.ctx, token, password, &origin, lang.lang).await
    };
    let l = lang.lang;
    match done {
        Err(e) => internal_error(&e),
        Ok(Completion::SignedIn(person)) => {
            match session.sign_in(&person.id, state.ctx.clock.now(), &SignInFrom::of(&req)) {
                Ok(()) => {
                    let next = session.take_pending_next();
                    let res =
                        see_other(next.as_deref().and_then(local_next).unwrap_or("/+account"));
                    remember_device(res, &state.cookie_key, &person.id, state.https())
                }
                Err(e) => internal_error(&e),
            }
        }
        Ok(Completion::LinkInvalid) => invalid_page(&state, lang, None),
        Ok(Completion::AlreadyRegistered(email)) => invalid_page(
            &state,
            lang,
            Some(l.text_with(
                "login-error-already-registered",
                &[("email", email.as_str())],
            )),
        ),
        Ok(Completion::TeamAddress(email)) => invalid_page(
            &state,
            lang,
            Some(l.text_with("login-error-team", &[("email", email.as_str())])),
        ),
        Ok(Completion::Suspended) => {
            invalid_page(&state, lang, Some(l.text("login-error-suspended")))
        }
    }
}

/// `POST /token/{t}/+newaccount`
pub async fn submit_new_account(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    path: web::Path<String>,
    form: Form<TokenForm>,
) -> HttpResponse {
    submit(
        state,
        req,
        lang,
        session,
        &path,
        TokenKind::NewAccount,
        form.into_inner(),
    )
    .await
}

/// `POST /token/{t}/+resetpassword`
pub async fn submit_reset_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    path: web::Path<String>,
    form: Form<TokenForm>,
) -> HttpResponse {
    submit(
        state,
        req,
        lang,
        session,
        &path,
        TokenKind::PasswordRecovery,
        form.into_inner(),
    )
    .await
}
