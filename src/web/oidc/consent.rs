//! `POST /authorize` with `decision`: the person's answer on the consent page, bound to the
//! request held for them and taken once.

use actix_web::{HttpRequest, HttpResponse};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::super::AppState;
use super::super::error::WebError;
use super::super::forms::{empty_secret, origin};
use super::super::lang::RequestLang;
use super::super::session::TypedSession;
use super::step::{answer, signed_in};
use crate::service::oidc::consent;

/// The consent page's form (its CSRF token is checked by `CsrfForm`).
#[derive(Debug, Deserialize)]
pub struct ConsentAnswer {
    /// `allow` or `deny`.
    decision: String,
    /// The handle of the request waiting for the answer (`step::CONSENT_REQUEST`): kept
    /// secret like every token.
    #[serde(default = "empty_secret")]
    consent_request: SecretString,
}

/// Allow or Deny: a code or `access_denied` back to the client, for a request still waiting
/// for this person; anything else changes nothing.
pub(super) async fn decide(
    state: &AppState,
    req: &HttpRequest,
    lang: RequestLang,
    session: &TypedSession,
    form: ConsentAnswer,
) -> Result<HttpResponse, WebError> {
    let allow = match form.decision.as_str() {
        "allow" => true,
        "deny" => false,
        _ => return Err(WebError::BAD_REQUEST),
    };
    let person = signed_in(state, session).await?;
    let handle = form.consent_request.expose_secret();
    let step = consent::answer(&state.ctx, handle, person.as_ref(), allow, &origin(req)).await?;
    answer(state, lang, session, step)
}
