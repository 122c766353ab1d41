//! `GET/POST /+login`: the one form that logs in, creates accounts and recovers passwords.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::SecretString;
use serde::Deserialize;

use super::AppState;
use super::csrf_form::CsrfForm;
use super::device::{DeviceCookie, remember_device};
use super::error::WebError;
use super::forms::{empty_secret, origin, see_other};
use super::headers::with_form_target;
use super::lang::{RequestLang, SWITCH_BASE, switch_base};
use super::lockout::{locked_message, with_retry_after};
use super::session::{SignInFrom, TypedSession};
use crate::domain::EmailAddress;
use crate::domain::login_form::{LoginAction, LoginOutcome};
use crate::domain::redirect::local_next;
use crate::domain::second_factor::AuthMethods;
use crate::service::login::{LoginReply, LoginSubmission, submit};
use crate::service::second_step::{PendingSignIn, Purpose};
use crate::service::sign_in_target;

/// `GET /+login` query.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    email: Option<String>,
    next: Option<String>,
}

/// `POST /+login` body (its CSRF token is checked by `CsrfForm`).
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default = "empty_secret")]
    password: SecretString,
    #[serde(default)]
    action: String,
    next: Option<String>,
}

/// Renders the form with an optional message. During an application's sign-in request the page
/// names the application and its host, the form may end at its verified redirect URI, and the
/// language switch keeps the request.
async fn form_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    status: StatusCode,
    email: &str,
    next: Option<&str>,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let next = next.and_then(local_next);
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &session.csrf_token()?);
    ctx.insert("email", email);
    ctx.insert("next", &next);
    ctx.insert("error", &error);
    ctx.insert("passkeys", &crate::service::passkeys::available(&state.ctx));
    ctx.insert(SWITCH_BASE, &login_switch_base(next));
    let target = sign_in_target::of(&state.ctx, next).await?;
    if let Some(app) = &target.application {
        ctx.insert("app_name", &app.name);
        ctx.insert("app_host", &app.host);
    }
    let page = state.page(lang, status, "login/form.html", ctx);
    Ok(with_form_target(page, target.destination.as_deref()))
}

/// The login form's address with its `next`, for the language switch.
fn login_switch_base(next: Option<&str>) -> String {
    switch_base("/+login", next.map(|n| ("next", n)))
}

/// The message for a refused submission, in the request's language.
fn message(lang: RequestLang, outcome: LoginOutcome, email: &str) -> String {
    let l = lang.lang;
    match outcome {
        LoginOutcome::InvalidEmail => l.text("login-error-invalid-email"),
        LoginOutcome::IncorrectPassword => l.text("login-error-incorrect-password"),
        LoginOutcome::TeamAddress => l.text_with("login-error-team", &[("email", email)]),
        LoginOutcome::Suspended => l.text("login-error-suspended"),
        LoginOutcome::Deactivated => l.text("login-error-deactivated"),
        LoginOutcome::AlreadyRegistered => {
            l.text_with("login-error-already-registered", &[("email", email)])
        }
        LoginOutcome::AccountNotFound => l.text("login-error-not-found"),
        // Not messages: handled before this is called.
        LoginOutcome::SignIn
        | LoginOutcome::SendNewAccountLink
        | LoginOutcome::SendRecoveryLink
        | LoginOutcome::NotifyAlreadyRegistered
        | LoginOutcome::NotifyNoAccount => String::new(),
    }
}

/// `GET /+login`
pub async fn show(
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, WebError> {
    let email = query.email.as_deref().unwrap_or("");
    let next = query.next.as_deref();
    form_page(&state, lang, &session, StatusCode::OK, email, next, None).await
}

/// `POST /+login`
pub async fn submit_form(
    form: CsrfForm<LoginForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    device: DeviceCookie,
) -> Result<HttpResponse, WebError> {
    let form = form.into_inner();
    let next = form.next.as_deref();
    let page = async |status, email: &str, error: String| {
        form_page(&state, lang, &session, status, email, next, Some(error)).await
    };
    let Some(action) = LoginAction::parse(&form.action) else {
        let error = lang.lang.text("login-error-bad-request");
        return page(StatusCode::BAD_REQUEST, &form.email, error).await;
    };
    let email = EmailAddress::parse(&form.email).ok();
    let origin = origin(&req);
    let reply = submit(
        &state.ctx,
        LoginSubmission {
            action,
            email: email.as_ref(),
            password: &form.password,
            lang: lang.lang,
            origin: &origin,
            device: device.device(),
        },
    )
    .await?;
    let shown = email
        .as_ref()
        .map_or(form.email.trim(), EmailAddress::as_str);
    match reply {
        LoginReply::Refused(outcome) => {
            page(StatusCode::OK, shown, message(lang, outcome, shown)).await
        }
        LoginReply::Locked(wait) => {
            let error = locked_message(lang, wait);
            let page = page(StatusCode::TOO_MANY_REQUESTS, shown, error).await?;
            Ok(with_retry_after(page, wait))
        }
        LoginReply::SignedIn(person) => {
            session.sign_in(&person.id, state.ctx.clock.now(), &SignInFrom::of(&req))?;
            let res = see_other(next.and_then(local_next).unwrap_or("/+account"));
            Ok(remember_device(
                res,
                &state.cookie_key,
                &person.id,
                state.https(),
            ))
        }
        LoginReply::SecondStep(person, email) => {
            let now = state.ctx.clock.now();
            let pending = PendingSignIn::new(
                &person.id,
                &email,
                &AuthMethods::password(),
                now,
                next.and_then(local_next),
                Purpose::SignIn,
            );
            session.begin_second_step(&pending)?;
            let res = see_other("/+login/second-step");
            Ok(remember_device(
                res,
                &state.cookie_key,
                &person.id,
                state.https(),
            ))
        }
        LoginReply::CheckInbox => {
            // A relying party is waiting: come back to it once the emailed link is followed.
            // Without one, an earlier request this browser abandoned is forgotten.
            match next.and_then(local_next) {
                Some(next) => session.set_pending_next(next)?,
                None => {
                    session.take_pending_next();
                }
            }
            let mut ctx = tera::Context::new();
            ctx.insert("email", shown);
            ctx.insert(SWITCH_BASE, &login_switch_base(next.and_then(local_next)));
            Ok(state.page(lang, StatusCode::OK, "login/check_inbox.html", ctx))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_form_never_prints_its_password() {
        let form: LoginForm = serde_urlencoded::from_str(
            "email=ada%40example.org&password=hunter2-secret&action=login",
        )
        .expect("a login form");
        let printed = format!("{form:?}");
        assert!(!printed.contains("hunter2-secret"), "{printed}");
        assert!(printed.contains("ada@example.org"), "{printed}");
    }
}
