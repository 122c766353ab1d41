//! `POST /+account/deactivate`: the person closes their own account, after entering their
//! password. Every session ends; "I have forgotten my password" reopens it. Refusals are shown
//! in the deactivation card of the security page.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::SecretString;
use serde::Deserialize;

use super::page::Banner;
use super::reauthentication::check_again;
use super::security::render;
use crate::domain::StatusChange;
use crate::service::people::change_status;
use crate::web::AppState;
use crate::web::csrf_form::CsrfForm;
use crate::web::device::DeviceCookie;
use crate::web::error::WebError;
use crate::web::forms::{empty_secret, origin};
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::signed_in::SignedIn;

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
    let refusal = check_again(&state, &req, lang, &session, &device, &me, &form.password).await?;
    if let Some(refusal) = refusal {
        let message = refusal.message.clone();
        let banner = Banner::form_error("deactivate", refusal.status, message);
        let page = render(&state, lang, &session, &me, banner).await?;
        return Ok(refusal.answer(page));
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
