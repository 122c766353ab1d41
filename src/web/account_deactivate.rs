//! `POST /+account/deactivate`: the person closes their own account, after entering their
//! password. Every session ends; "I have forgotten my password" reopens it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::AppState;
use super::account::account_page;
use super::csrf_form::CsrfForm;
use super::device::DeviceCookie;
use super::error::WebError;
use super::forms::{empty_secret, origin};
use super::lang::RequestLang;
use super::lockout::{reauthentication_refusal, with_lockout_wait};
use super::session::TypedSession;
use super::signed_in::SignedIn;
use crate::domain::StatusChange;
use crate::service::account;
use crate::service::people::change_status;

/// The deactivation form.
#[derive(Debug, Deserialize)]
pub struct DeactivateForm {
    #[serde(default = "empty_secret")]
    password: SecretString,
}

/// `POST /+account/deactivate`
pub async fn deactivate(
    me: SignedIn,
    form: CsrfForm<DeactivateForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    device: DeviceCookie,
) -> Result<HttpResponse, WebError> {
    let l = lang.lang;
    let typed = form.password.expose_secret();
    let outcome =
        account::reauthenticate(&state.ctx, &me, typed, &origin(&req), device.device()).await?;
    if let Some((status, error, wait)) = reauthentication_refusal(lang, &outcome) {
        let page = account_page(&state, lang, &session, &me, status, None, Some(error)).await?;
        return Ok(with_lockout_wait(page, wait));
    }
    let email = me.login_email().ok_or(NoAddress)?;
    change_status(
        &state.ctx,
        email,
        StatusChange::Deactivate,
        &origin(&req),
        l,
    )
    .await?;
    session.sign_out();
    Ok(state.message_page(
        lang,
        StatusCode::OK,
        &l.text("account-deactivated-heading"),
        &l.text("account-deactivated"),
    ))
}

/// A signed-in person without an address (the login form cannot make one).
#[derive(Debug, thiserror::Error)]
#[error("the signed-in person has no email address")]
struct NoAddress;
