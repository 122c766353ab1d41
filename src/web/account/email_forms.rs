//! The forms of the profile page's email-address section: add (`POST /+account/emails`),
//! prefer (`POST /+account/emails/prefer`) and remove (`POST /+account/emails/remove`) an
//! address. A success goes back to the section, a refusal shows the profile page with the
//! message next to its form (both through the section's `Note`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::emails::{Note, SECTION};
use super::page::{Banner, render};
use super::reauthentication::{check_again, is_recent};
use crate::domain::EmailAddress;
use crate::i18n::Lang;
use crate::service::account::AccountView;
use crate::service::emails::{self, Addition, Preference, Removal};
use crate::web::AppState;
use crate::web::csrf_form::CsrfForm;
use crate::web::device::DeviceCookie;
use crate::web::error::WebError;
use crate::web::forms::{empty_secret, origin, see_other};
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::signed_in::SignedIn;

/// The add and prefer forms.
#[derive(Debug, Deserialize)]
pub struct AddressForm {
    #[serde(default)]
    email: String,
}

/// The remove form: the password is asked for when it was entered too long ago.
#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    email: String,
    #[serde(default = "empty_secret")]
    password: SecretString,
}

/// The profile page with `note` next to its form, with `status`.
async fn refuse(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    me: &AccountView,
    status: StatusCode,
    note: Note,
) -> Result<HttpResponse, WebError> {
    note.keep(session)?;
    let mut page = render(state, lang, session, me, Banner::notice(None)).await?;
    *page.status_mut() = status;
    Ok(page)
}

/// Back to the section, which shows `note`.
fn done(session: &TypedSession, note: &Note) -> Result<HttpResponse, WebError> {
    note.keep(session)?;
    Ok(see_other(SECTION))
}

fn with_email(l: Lang, key: &str, email: &EmailAddress) -> String {
    l.text_with(key, &[("email", email.as_str())])
}

/// `POST /+account/emails`: emails a link that adds the address once followed.
pub async fn add(
    me: SignedIn,
    form: CsrfForm<AddressForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let l = lang.lang;
    let refused = |status, error: String| {
        let note = Note::refused("add", error).with_typed(&form.email);
        refuse(&state, lang, &session, &me, status, note)
    };
    let Ok(email) = EmailAddress::parse(&form.email) else {
        return refused(StatusCode::BAD_REQUEST, l.text("emails-error-invalid")).await;
    };
    let (status, key, email) = match emails::add(&state.ctx, &me, &email, l, &origin(&req)).await? {
        Addition::LinkSent(e) => {
            let note = Note::done("add", with_email(l, "emails-done-sent", &e));
            return done(&session, &note);
        }
        Addition::AlreadyYours(e) => (StatusCode::CONFLICT, "emails-error-own", e),
        Addition::TeamAddress(e) => (StatusCode::BAD_REQUEST, "login-error-team", e),
        Addition::Taken(e) => (StatusCode::CONFLICT, "emails-error-taken", e),
    };
    refused(status, with_email(l, key, &email)).await
}

/// `POST /+account/emails/prefer`
pub async fn prefer(
    me: SignedIn,
    form: CsrfForm<AddressForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let l = lang.lang;
    let Ok(email) = EmailAddress::parse(&form.email) else {
        let note = Note::refused("prefer", l.text("emails-error-invalid"));
        return refuse(&state, lang, &session, &me, StatusCode::BAD_REQUEST, note).await;
    };
    let (status, key, email) = match emails::prefer(&state.ctx, &me, &email, &origin(&req)).await? {
        Preference::Preferred(e) => {
            let note = Note::done("prefer", with_email(l, "emails-done-preferred", &e));
            return done(&session, &note);
        }
        Preference::NotYours(e) => (StatusCode::NOT_FOUND, "emails-error-not-yours", e),
        Preference::Unconfirmed(e) => (StatusCode::CONFLICT, "emails-error-unconfirmed", e),
    };
    let note = Note::refused("prefer", with_email(l, key, &email));
    refuse(&state, lang, &session, &me, status, note).await
}

/// `POST /+account/emails/remove`: only within `api_keys.reauth_minutes` of entering the
/// password, which the form asks for again when it was longer ago.
pub async fn remove(
    me: SignedIn,
    form: CsrfForm<RemoveForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    device: DeviceCookie,
) -> Result<HttpResponse, WebError> {
    let l = lang.lang;
    let refused = |status, error: String| {
        refuse(
            &state,
            lang,
            &session,
            &me,
            status,
            Note::refused("remove", error),
        )
    };
    let Ok(email) = EmailAddress::parse(&form.email) else {
        return refused(StatusCode::BAD_REQUEST, l.text("emails-error-invalid")).await;
    };
    if !is_recent(&state, &session) {
        if form.password.expose_secret().is_empty() {
            return refused(StatusCode::FORBIDDEN, l.text("emails-error-reauth")).await;
        }
        let again = check_again(&state, &req, lang, &session, &device, &me, &form.password);
        if let Some(refusal) = again.await? {
            let page = refused(refusal.status, refusal.message.clone()).await?;
            return Ok(refusal.answer(page));
        }
    }
    let (status, key, email) =
        match emails::remove(&state.ctx, &me, &email, l, &origin(&req)).await? {
            Removal::Removed(e) => {
                let note = Note::done("remove", with_email(l, "emails-done-removed", &e));
                return done(&session, &note);
            }
            Removal::NotYours(e) => (StatusCode::NOT_FOUND, "emails-error-not-yours", e),
            Removal::LastConfirmed(e) => (StatusCode::CONFLICT, "emails-error-last", e),
        };
    refused(status, with_email(l, key, &email)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_removal_never_prints_its_password() {
        let form: RemoveForm =
            serde_urlencoded::from_str("email=a%40b.org&password=secret-1").expect("a form");
        assert!(!format!("{form:?}").contains("secret-1"));
    }
}
