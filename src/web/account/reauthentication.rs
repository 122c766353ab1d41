//! The password entered again before a sensitive change (API keys, auth delegation,
//! deactivation): whether this session entered it recently enough, and checking it under the
//! lockout, after which the session counts as recent for `api_keys.reauth_minutes`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use secrecy::{ExposeSecret, SecretString};

use crate::service::account::{AccountView, reauthenticate};
use crate::web::AppState;
use crate::web::device::DeviceCookie;
use crate::web::error::WebError;
use crate::web::forms::origin;
use crate::web::lang::RequestLang;
use crate::web::lockout::{reauthentication_refusal, with_lockout_wait};
use crate::web::session::TypedSession;

/// Why the password entered again was refused: the page's status and message, and the
/// lockout's wait.
#[derive(Debug)]
pub struct Refusal {
    /// The status of the page that says so.
    pub status: StatusCode,
    /// What the page says.
    pub message: String,
    wait: Option<i64>,
}

impl Refusal {
    /// The page that shows the refusal, with `Retry-After` when it was a lockout.
    pub fn answer(&self, page: HttpResponse) -> HttpResponse {
        with_lockout_wait(page, self.wait)
    }
}

/// Whether this session entered the password recently enough for a sensitive change.
pub fn is_recent(state: &AppState, session: &TypedSession) -> bool {
    session.authenticated_within(state.ctx.clock.now(), state.ctx.api_keys.reauth_minutes)
}

/// Checks the password `me` entered again (counted like a login attempt); when it is right,
/// the session remembers that it was entered now. `Some` is the refusal to show.
pub async fn check_again(
    state: &AppState,
    req: &HttpRequest,
    lang: RequestLang,
    session: &TypedSession,
    device: &DeviceCookie,
    me: &AccountView,
    typed: &SecretString,
) -> Result<Option<Refusal>, WebError> {
    let outcome = reauthenticate(
        &state.ctx,
        me,
        typed.expose_secret(),
        &origin(req),
        device.device(),
    )
    .await?;
    if let Some((status, message, wait)) = reauthentication_refusal(lang, &outcome) {
        return Ok(Some(Refusal {
            status,
            message,
            wait,
        }));
    }
    session.confirm_authentication(state.ctx.clock.now())?;
    Ok(None)
}
