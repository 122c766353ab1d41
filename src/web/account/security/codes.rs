//! The authenticator-app and recovery-code sections of the security page: enrolling an app with
//! its QR code, removing it, and making a new set of recovery codes. Starting an enrolment,
//! removing the app and making new codes need the password entered within
//! `api_keys.reauth_minutes` (each of those forms asks for it when it is older).
//!
//! Fresh recovery codes are put in the session and taken out again while the same request
//! renders the page, so they are shown once and never written to the session store.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::render;
use crate::clock::{date_time, format_time};
use crate::domain::factor_seal::TotpSecret;
use crate::service::authenticator::{self, Confirmation};
use crate::service::{recovery_codes, second_step};
use crate::web::AppState;
use crate::web::account::page::Banner;
use crate::web::account::reauthentication::{check_again, is_recent};
use crate::web::csrf_form::{CsrfForm, NoFields};
use crate::web::device::DeviceCookie;
use crate::web::error::WebError;
use crate::web::forms::{empty_secret, origin, see_other};
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::signed_in::SignedIn;

/// The ceremony that holds the secret being enrolled (base32) until a code confirms it.
const ENROL: &str = "totp_enrol";
/// The ceremony that carries fresh recovery codes from a form handler to the page it renders.
const FRESH_CODES: &str = "fresh_recovery_codes";
/// The security page.
const PAGE: &str = "/+account/security";
/// The authenticator-app section: refusals of its forms are shown there (`error_for`).
const APP: &str = "authenticator";
/// The recovery-code section, likewise.
const CODES: &str = "recovery-codes";

/// A form that needs the password when it was entered too long ago.
#[derive(Debug, Deserialize)]
pub struct ReauthForm {
    #[serde(default = "empty_secret")]
    password: SecretString,
}

/// The enrolment's confirmation: a current code and the app's name.
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
}

/// Adds the sections' values to the security page.
pub async fn add_to_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    me: &SignedIn,
    ctx: &mut tera::Context,
) -> Result<(), WebError> {
    let person = &me.person.id;
    let app = authenticator::app_of(&state.ctx, person).await?;
    let enrolment = match &app {
        Some(_) => None,
        None => session
            .peek_ceremony::<String>(ENROL)
            .and_then(|s| TotpSecret::from_base32(&s))
            .map(|secret| enrolment_view(state, me, &secret)),
    };
    let app = app.map(|a| {
        serde_json::json!({
            "name": a.name,
            "created": date_time(lang.lang, a.created_at),
            "created_at": format_time(a.created_at),
            "last_used": a.last_used_at.map(|t| date_time(lang.lang, t)),
            "last_used_at": a.last_used_at.map(format_time),
        })
    });
    ctx.insert("authenticator", &app);
    ctx.insert("totp_enrolment", &enrolment);
    ctx.insert(
        "recovery_codes_left",
        &recovery_codes::left(&state.ctx, person).await?,
    );
    ctx.insert(
        "recovery_codes_available",
        &second_step::required(&state.ctx, person).await?,
    );
    ctx.insert(
        "fresh_recovery_codes",
        &session.take_ceremony::<Vec<String>>(FRESH_CODES),
    );
    ctx.insert("codes_reauth_fresh", &is_recent(state, session));
    ctx.insert("codes_reauth_minutes", &state.ctx.api_keys.reauth_minutes);
    Ok(())
}

/// The QR code (an SVG image in a `data:` URL, which the content policy allows for images),
/// the secret as text and the URI, for the enrolment form.
fn enrolment_view(state: &AppState, me: &SignedIn, secret: &TotpSecret) -> serde_json::Value {
    let setup = authenticator::enrolment(&state.ctx, me, secret);
    let qr = qrcode::QrCode::new(setup.uri.as_bytes())
        .map(|code| {
            let svg = code
                .render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .build();
            format!(
                "data:image/svg+xml;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(svg)
            )
        })
        .ok();
    serde_json::json!({
        "qr": qr,
        "secret": setup.grouped_secret,
        "uri": setup.uri,
    })
}

/// The page with a refusal.
async fn refused(
    state: &AppState,
    (lang, section): (RequestLang, &'static str),
    session: &TypedSession,
    me: &SignedIn,
    status: StatusCode,
    key: &str,
) -> Result<HttpResponse, WebError> {
    let banner = Banner::form_error(section, status, lang.lang.text(key));
    render(state, lang, session, me, banner).await
}

/// `None` when the session entered the password recently or `typed` is the password now;
/// otherwise the page that says why not.
async fn unless_reauthenticated(
    state: &AppState,
    req: &HttpRequest,
    (lang, section): (RequestLang, &'static str),
    session: &TypedSession,
    device: &DeviceCookie,
    me: &SignedIn,
    typed: &SecretString,
) -> Result<Option<HttpResponse>, WebError> {
    if is_recent(state, session) {
        return Ok(None);
    }
    if typed.expose_secret().is_empty() {
        let page = refused(
            state,
            (lang, section),
            session,
            me,
            StatusCode::FORBIDDEN,
            "codes-error-reauth",
        )
        .await?;
        return Ok(Some(page));
    }
    match check_again(state, req, lang, session, device, me, typed).await? {
        None => Ok(None),
        Some(refusal) => {
            let banner = Banner::form_error(section, refusal.status, refusal.message.clone());
            let page = render(state, lang, session, me, banner).await?;
            Ok(Some(refusal.answer(page)))
        }
    }
}

/// `POST /+account/security/authenticator/begin`: a new secret to enrol, kept in the session;
/// the page then shows its QR code.
pub async fn begin(
    me: SignedIn,
    form: CsrfForm<ReauthForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    device: DeviceCookie,
) -> Result<HttpResponse, WebError> {
    if let Some(page) = unless_reauthenticated(
        &state,
        &req,
        (lang, APP),
        &session,
        &device,
        &me,
        &form.password,
    )
    .await?
    {
        return Ok(page);
    }
    if authenticator::app_of(&state.ctx, &me.person.id)
        .await?
        .is_none()
    {
        let secret = authenticator::begin()?;
        session.set_ceremony(ENROL, &secret.base32())?;
    }
    Ok(see_other(PAGE))
}

/// `POST /+account/security/authenticator`: a current code confirms the enrolment. With the
/// first second factor the page shows the new recovery codes, once.
pub async fn confirm(
    me: SignedIn,
    form: CsrfForm<ConfirmForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let Some(secret) = session
        .peek_ceremony::<String>(ENROL)
        .and_then(|s| TotpSecret::from_base32(&s))
    else {
        let status = StatusCode::BAD_REQUEST;
        return refused(
            &state,
            (lang, APP),
            &session,
            &me,
            status,
            "codes-error-no-enrolment",
        )
        .await;
    };
    let outcome = authenticator::confirm(
        &state.ctx,
        &me,
        &secret,
        &form.code,
        &form.name,
        lang.lang,
        &origin(&req),
    )
    .await?;
    let (status, key) = match outcome {
        Confirmation::Enrolled { recovery_codes } => {
            session.take_ceremony::<String>(ENROL);
            if let Some(codes) = recovery_codes {
                session.set_ceremony(FRESH_CODES, &codes)?;
            }
            let notice = lang.lang.text("security-done-authenticator-added");
            return render(&state, lang, &session, &me, Banner::notice(Some(notice))).await;
        }
        Confirmation::WrongCode => (StatusCode::BAD_REQUEST, "codes-error-code"),
        Confirmation::BadName => (StatusCode::BAD_REQUEST, "codes-error-name"),
        Confirmation::AlreadyEnrolled => {
            session.take_ceremony::<String>(ENROL);
            (StatusCode::CONFLICT, "codes-error-already-enrolled")
        }
    };
    refused(&state, (lang, APP), &session, &me, status, key).await
}

/// `POST /+account/security/authenticator/cancel`: forgets the enrolment in progress.
pub async fn cancel(
    _me: SignedIn,
    _form: CsrfForm<NoFields>,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    session.take_ceremony::<String>(ENROL);
    Ok(see_other(PAGE))
}

/// `POST /+account/security/authenticator/remove`
pub async fn remove(
    me: SignedIn,
    form: CsrfForm<ReauthForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    device: DeviceCookie,
) -> Result<HttpResponse, WebError> {
    if let Some(page) = unless_reauthenticated(
        &state,
        &req,
        (lang, APP),
        &session,
        &device,
        &me,
        &form.password,
    )
    .await?
    {
        return Ok(page);
    }
    if authenticator::remove(&state.ctx, &me, lang.lang, &origin(&req)).await? {
        Ok(see_other("/+account/security?done=authenticator-removed"))
    } else {
        let status = StatusCode::NOT_FOUND;
        refused(
            &state,
            (lang, APP),
            &session,
            &me,
            status,
            "codes-error-no-app",
        )
        .await
    }
}

/// `POST /+account/security/recovery-codes`: a new set replaces the old one and is shown once.
pub async fn renew(
    me: SignedIn,
    form: CsrfForm<ReauthForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    device: DeviceCookie,
) -> Result<HttpResponse, WebError> {
    if let Some(page) = unless_reauthenticated(
        &state,
        &req,
        (lang, CODES),
        &session,
        &device,
        &me,
        &form.password,
    )
    .await?
    {
        return Ok(page);
    }
    match recovery_codes::renew(&state.ctx, &me, lang.lang, &origin(&req)).await? {
        Some(codes) => {
            session.set_ceremony(FRESH_CODES, &codes)?;
            let notice = lang.lang.text("security-done-recovery-codes");
            render(&state, lang, &session, &me, Banner::notice(Some(notice))).await
        }
        None => {
            let status = StatusCode::CONFLICT;
            refused(
                &state,
                (lang, CODES),
                &session,
                &me,
                status,
                "codes-error-no-factor",
            )
            .await
        }
    }
}
