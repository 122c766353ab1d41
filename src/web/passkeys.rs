//! The passkey ceremonies of the sign-in pages, as JSON for `static/js/passkey.js`:
//! `POST /+login/passkey/begin|finish` (no password, no address) and
//! `POST /+login/second-step/passkey/begin|finish` (the second step after a password). Each
//! ceremony's state is kept in the session store between its two requests, and used once.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, PasskeyAuthentication, PublicKeyCredential,
};

use super::AppState;
use super::csrf_json::{CsrfJson, json_answer, json_locked, json_refusal};
use super::device::{DeviceCookie, remember_device};
use super::error::WebError;
use super::forms::origin;
use super::lang::RequestLang;
use super::lockout::locked_message;
use super::post_only;
use super::second_step::{complete, open_step};
use super::session::{SignInFrom, TypedSession};
use crate::domain::redirect::local_next;
use crate::service::passkeys::PasskeyError;
use crate::service::passkeys::sign_in::{self, SignInReply, StepReply};

/// The session's name for a sign-in without a password in progress.
const SIGN_IN: &str = "passkey_sign_in";
/// The session's name for a passkey at the second step in progress.
const SECOND_STEP: &str = "passkey_second_step";

/// Registers the routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(post_only("/+login/passkey/begin", sign_in_begin))
        .service(post_only("/+login/passkey/finish", sign_in_finish))
        .service(post_only("/+login/second-step/passkey/begin", step_begin))
        .service(post_only("/+login/second-step/passkey/finish", step_finish));
}

/// A `begin` request: nothing but its CSRF token.
#[derive(Debug, Deserialize)]
pub struct Begin {}

/// A `finish` request: the browser's answer, and (for a sign-in) where to go next.
#[derive(Debug, Deserialize)]
pub struct Finish {
    credential: PublicKeyCredential,
    #[serde(default)]
    next: Option<String>,
}

/// Where the script goes once a ceremony succeeded.
pub fn go_to(next: &str) -> HttpResponse {
    json_answer(&serde_json::json!({ "next": next }))
}

/// The JSON answer to a refused passkey request, or the failure for anything unexpected.
pub fn refusal(lang: RequestLang, error: PasskeyError) -> Result<HttpResponse, WebError> {
    let (status, code, key) = match error {
        PasskeyError::Unavailable => (
            StatusCode::NOT_FOUND,
            "passkeys_unavailable",
            "passkey-error-unavailable",
        ),
        PasskeyError::UnknownPasskey => (
            StatusCode::NOT_FOUND,
            "unknown_passkey",
            "passkey-error-unknown",
        ),
        PasskeyError::AlreadyRegistered => (
            StatusCode::CONFLICT,
            "already_registered",
            "passkey-error-registered",
        ),
        PasskeyError::Ceremony(e) => {
            tracing::info!(error = %e, "a passkey ceremony was refused");
            (StatusCode::BAD_REQUEST, "refused", "passkey-error-refused")
        }
        other => return Err(other.into()),
    };
    Ok(json_refusal(status, code, &lang.lang.text(key)))
}

/// 400: no ceremony of this name was begun in this session (or it was used already).
pub fn no_ceremony(lang: RequestLang) -> HttpResponse {
    let message = lang.lang.text("passkey-error-again");
    json_refusal(StatusCode::BAD_REQUEST, "no_ceremony", &message)
}

/// `POST /+login/passkey/begin`: options for a passkey the browser picks.
pub async fn sign_in_begin(
    _body: CsrfJson<Begin>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    match sign_in::begin(&state.ctx) {
        Ok((options, ceremony)) => {
            session.set_ceremony(SIGN_IN, &ceremony)?;
            Ok(json_answer(&options))
        }
        Err(e) => refusal(lang, e),
    }
}

/// `POST /+login/passkey/finish`: signs in with the passkey the browser answered with.
pub async fn sign_in_finish(
    body: CsrfJson<Finish>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let Some(ceremony) = session.take_ceremony::<DiscoverableAuthentication>(SIGN_IN) else {
        return Ok(no_ceremony(lang));
    };
    let reply = match sign_in::finish(&state.ctx, ceremony, &body.credential, &origin(&req)).await {
        Ok(reply) => reply,
        Err(e) => return refusal(lang, e),
    };
    match reply {
        SignInReply::SignedIn(view, methods) => {
            let person = &view.person.id;
            let now = state.ctx.clock.now();
            session.sign_in_with(person, now, &SignInFrom::of(&req), &methods)?;
            let next = body
                .next
                .as_deref()
                .and_then(local_next)
                .unwrap_or("/+account");
            Ok(remember_device(
                go_to(next),
                &state.cookie_key,
                person,
                state.https(),
            ))
        }
        SignInReply::Refused => {
            let message = lang.lang.text("passkey-error-sign-in");
            Ok(json_refusal(StatusCode::BAD_REQUEST, "refused", &message))
        }
        SignInReply::Locked(wait) => Ok(json_locked(&locked_message(lang, wait), wait)),
    }
}

/// 400: there is no second step waiting in this session.
fn no_step(lang: RequestLang) -> HttpResponse {
    let message = lang.lang.text("passkey-error-no-step");
    json_refusal(StatusCode::BAD_REQUEST, "no_second_step", &message)
}

/// `POST /+login/second-step/passkey/begin`: options naming the passkeys of the person whose
/// password was right.
pub async fn step_begin(
    _body: CsrfJson<Begin>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let Some(pending) = open_step(&state, &session) else {
        return Ok(no_step(lang));
    };
    match sign_in::begin_second_step(&state.ctx, &pending).await {
        Ok((options, ceremony)) => {
            session.set_ceremony(SECOND_STEP, &ceremony)?;
            Ok(json_answer(&options))
        }
        Err(e) => refusal(lang, e),
    }
}

/// `POST /+login/second-step/passkey/finish`: completes the second step with a passkey.
pub async fn step_finish(
    body: CsrfJson<Finish>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    device: DeviceCookie,
) -> Result<HttpResponse, WebError> {
    let Some(pending) = open_step(&state, &session) else {
        return Ok(no_step(lang));
    };
    let Some(ceremony) = session.take_ceremony::<PasskeyAuthentication>(SECOND_STEP) else {
        return Ok(no_ceremony(lang));
    };
    let ctx = &state.ctx;
    let from = origin(&req);
    let answer = &body.credential;
    let reply =
        sign_in::finish_second_step(ctx, &pending, &ceremony, answer, device.device(), &from).await;
    match reply {
        Ok(StepReply::Proved(methods)) => {
            let next = complete(&state, &req, &session, &pending, &methods)?;
            Ok(go_to(&next))
        }
        Ok(StepReply::Refused) => {
            let message = lang.lang.text("passkey-error-sign-in");
            Ok(json_refusal(StatusCode::BAD_REQUEST, "refused", &message))
        }
        Ok(StepReply::Locked(wait)) => Ok(json_locked(&locked_message(lang, wait), wait)),
        Err(e) => refusal(lang, e),
    }
}
