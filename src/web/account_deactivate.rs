//! `POST /+account/deactivate`: the person closes their own account, after entering their
//! password. Every session ends; "I have forgotten my password" reopens it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::AppState;
use super::account::account_page;
use super::current_person::current_person;
use super::device::DeviceCookie;
use super::errors::internal_error;
use super::forms::{Form, origin, see_other};
use super::lang::RequestLang;
use super::login::{reauthentication_refusal, with_lockout_wait};
use super::session::TypedSession;
use crate::domain::StatusChange;
use crate::service::account;
use crate::service::people::change_status;

/// The deactivation form.
#[derive(Debug, Deserialize)]
pub struct DeactivateForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
}

/// `POST /+account/deactivate`
pub async fn deactivate(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    device: DeviceCookie,
    form: Form<DeactivateForm>,
) -> HttpResponse {
    let view = match current_person(&state, &session).await {
        Err(e) => return internal_error(&e),
        Ok(None) => return see_other("/+login?next=/%2Baccount"),
        Ok(Some(view)) => view,
    };
    let l = lang.lang;
    let refuse = |status, error: String| {
        account_page(&state, lang, &session, &view, status, None, Some(error))
    };
    if !session.csrf_matches(&form.csrf_token) {
        return refuse(StatusCode::FORBIDDEN, l.text("login-error-csrf")).await;
    }
    let outcome = match account::reauthenticate(
        &state.ctx,
        &view,
        &form.password,
        &origin(&req),
        device.device(),
    )
    .await
    {
        Ok(outcome) => outcome,
        Err(e) => return internal_error(&e),
    };
    if let Some((status, error, wait)) = reauthentication_refusal(lang, &outcome) {
        return with_lockout_wait(refuse(status, error).await, wait);
    }
    let Some(email) = view.login_email() else {
        return internal_error(&NoAddress);
    };
    if let Err(e) = change_status(
        &state.ctx,
        email,
        StatusChange::Deactivate,
        &origin(&req),
        l,
    )
    .await
    {
        return internal_error(&e);
    }
    session.sign_out();
    state.message_page(
        lang,
        StatusCode::OK,
        &l.text("account-deactivated-heading"),
        &l.text("account-deactivated"),
    )
}

/// A signed-in person without an address (the login form cannot make one).
#[derive(Debug, thiserror::Error)]
#[error("the signed-in person has no email address")]
struct NoAddress;
