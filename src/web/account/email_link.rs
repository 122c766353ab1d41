//! `/token/{t}/+validateemail`, the page of the link that confirms an address being added: a
//! GET shows what the link would add and a button (so that a mail scanner that fetches the
//! link adds nothing); the POST adds it. Both are for the person who asked for the link,
//! signed in: anyone else is sent to sign in, or told that the link is another account's. An
//! added address can recover the account, so, like a removal, it needs the password entered
//! within `api_keys.reauth_minutes`: the page asks for it when it was longer ago.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::emails::{Note, SECTION};
use super::reauthentication::{check_again, is_recent};
use crate::domain::EmailAddress;
use crate::i18n::Lang;
use crate::service::email_claim::{Claim, claim, peek};
use crate::web::AppState;
use crate::web::csrf_form::CsrfForm;
use crate::web::device::DeviceCookie;
use crate::web::error::WebError;
use crate::web::forms::{empty_secret, origin, see_other};
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::signed_in::SignedIn;

const TEMPLATE: &str = "token/validate_email.html";

/// The confirmation form: the password, when it was entered too long ago.
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default = "empty_secret")]
    password: SecretString,
}

/// The page: the link's address and its button when it can be used (`email`), and what went
/// wrong (`error`).
fn page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    me: &SignedIn,
    status: StatusCode,
    (email, error): (Option<&EmailAddress>, Option<String>),
) -> Result<HttpResponse, WebError> {
    let mut ctx = tera::Context::new();
    ctx.insert("email", &email.map(EmailAddress::as_str));
    ctx.insert("error", &error);
    ctx.insert("csrf_token", &session.csrf_token()?);
    ctx.insert("fresh", &is_recent(state, session));
    ctx.insert("login_email", &me.login_email().map(EmailAddress::as_str));
    Ok(state.page(lang, status, TEMPLATE, ctx))
}

/// What the page says about a link that cannot add its address, and its status.
fn refusal(l: Lang, claim: &Claim) -> (StatusCode, String) {
    let with = |key: &str, email: &EmailAddress| l.text_with(key, &[("email", email.as_str())]);
    match claim {
        Claim::Added(_) | Claim::LinkInvalid => (StatusCode::GONE, l.text("token-invalid")),
        Claim::OtherAccount => (StatusCode::FORBIDDEN, l.text("verify-error-other-account")),
        Claim::TeamAddress(e) => (StatusCode::CONFLICT, with("login-error-team", e)),
        Claim::Taken(e) => (StatusCode::CONFLICT, with("verify-error-taken", e)),
    }
}

/// The address of a link `me` may follow, or the refusal to show.
async fn usable(
    state: &AppState,
    lang: RequestLang,
    me: &SignedIn,
    token: &str,
) -> Result<Result<EmailAddress, (StatusCode, String)>, WebError> {
    Ok(match peek(&state.ctx, token).await? {
        Some((email, requester)) if requester.as_ref() == Some(&me.person.id) => Ok(email),
        Some(_) => Err(refusal(lang.lang, &Claim::OtherAccount)),
        None => Err(refusal(lang.lang, &Claim::LinkInvalid)),
    })
}

/// `GET /token/{t}/+validateemail`
pub async fn show(
    me: SignedIn,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    match usable(&state, lang, &me, &path).await? {
        Ok(email) => page(
            &state,
            lang,
            &session,
            &me,
            StatusCode::OK,
            (Some(&email), None),
        ),
        Err((status, error)) => page(&state, lang, &session, &me, status, (None, Some(error))),
    }
}

/// `POST /token/{t}/+validateemail`: the address becomes the person's, and the profile page
/// says so.
pub async fn confirm(
    me: SignedIn,
    form: CsrfForm<ConfirmForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    device: DeviceCookie,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let l = lang.lang;
    let session = TypedSession::of(&req);
    let email = match usable(&state, lang, &me, &path).await? {
        Ok(email) => email,
        Err((status, error)) => {
            return page(&state, lang, &session, &me, status, (None, Some(error)));
        }
    };
    if !is_recent(&state, &session) {
        let again = (Some(&email), Some(l.text("verify-error-reauth")));
        if form.password.expose_secret().is_empty() {
            return page(&state, lang, &session, &me, StatusCode::FORBIDDEN, again);
        }
        let checked = check_again(&state, &req, lang, &session, &device, &me, &form.password);
        if let Some(refusal) = checked.await? {
            let again = (Some(&email), Some(refusal.message.clone()));
            let shown = page(&state, lang, &session, &me, refusal.status, again)?;
            return Ok(refusal.answer(shown));
        }
    }
    let done = claim(&state.ctx, &me, &path, l, &origin(&req)).await?;
    if let Claim::Added(email) = &done {
        let notice = l.text_with("emails-done-added", &[("email", email.as_str())]);
        Note::done("verify", notice).keep(&session)?;
        return Ok(see_other(SECTION));
    }
    let (status, error) = refusal(l, &done);
    page(&state, lang, &session, &me, status, (None, Some(error)))
}
