//! The passkeys section of the security page: the person's passkeys (name, added, last used),
//! adding one (`POST …/passkeys/register/begin|finish`, JSON for `static/js/passkey.js`),
//! renaming and removing one (`POST …/passkeys/{id}/rename|remove`, forms). Each change needs
//! the password (or a sign-in) within `api_keys.reauth_minutes`; `…/passkeys/confirm` takes the
//! password again.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::SecretString;
use serde::Deserialize;
use webauthn_rs::prelude::{PasskeyRegistration, RegisterPublicKeyCredential};

use super::render;
use crate::clock::{date_time, format_time};
use crate::domain::passkey::{PasskeyName, PasskeyNameError};
use crate::service::passkeys::{self, PasskeyError};
use crate::web::account::page::Banner;
use crate::web::account::reauthentication::{check_again, is_recent};
use crate::web::csrf_form::CsrfForm;
use crate::web::csrf_json::{CsrfJson, json_answer, json_refusal};
use crate::web::device::DeviceCookie;
use crate::web::error::WebError;
use crate::web::forms::{empty_secret, origin, see_other};
use crate::web::lang::RequestLang;
use crate::web::passkeys::{no_ceremony, refusal};
use crate::web::session::TypedSession;
use crate::web::signed_in::SignedIn;
use crate::web::{AppState, post_only};

/// The session's name for a registration in progress.
const REGISTER: &str = "passkey_register";
/// Where the page shows the section.
const PAGE: &str = "/+account/security";

/// Registers the routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(post_only(
        "/+account/security/passkeys/register/begin",
        register_begin,
    ))
    .service(post_only(
        "/+account/security/passkeys/register/finish",
        register_finish,
    ))
    .service(post_only("/+account/security/passkeys/confirm", confirm))
    .service(post_only(
        "/+account/security/passkeys/{id}/{action}",
        change,
    ));
}

/// Adds the section's values to the security page.
pub async fn add_to_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    me: &SignedIn,
    ctx: &mut tera::Context,
) -> Result<(), WebError> {
    let listed: Vec<serde_json::Value> = passkeys::list(&state.ctx, &me.person.id)
        .await?
        .iter()
        .map(|p| {
            serde_json::json!({
                "id": p.id,
                "name": p.name.as_str(),
                "created": date_time(lang.lang, p.created_at),
                "created_at": format_time(p.created_at),
                "last_used": p.last_used_at.map(|t| date_time(lang.lang, t)),
                "last_used_at": p.last_used_at.map(format_time),
            })
        })
        .collect();
    ctx.insert("passkeys", &listed);
    ctx.insert("passkeys_available", &passkeys::available(&state.ctx));
    ctx.insert("passkeys_fresh", &is_recent(state, session));
    ctx.insert(
        "passkeys_reauth_minutes",
        &state.ctx.api_keys.reauth_minutes,
    );
    Ok(())
}

/// What the page (or the script) says about a refused name.
fn name_refusal(lang: RequestLang, e: PasskeyNameError) -> String {
    lang.lang.text(match e {
        PasskeyNameError::Empty => "passkey-error-name-empty",
        PasskeyNameError::TooLong => "passkey-error-name-long",
        PasskeyNameError::BadCharacter => "passkey-error-name-characters",
    })
}

/// A registration's `begin`: the name the passkey will have, checked before the authenticator
/// is asked.
#[derive(Debug, Deserialize)]
pub struct RegisterBegin {
    #[serde(default)]
    name: String,
}

/// A registration's `finish`: the name and the browser's answer.
#[derive(Debug, Deserialize)]
pub struct RegisterFinish {
    #[serde(default)]
    name: String,
    credential: RegisterPublicKeyCredential,
}

/// A JSON refusal that comes before any ceremony: the password is too old, or the name bad.
struct Early(StatusCode, &'static str, String);

impl Early {
    fn answer(self) -> HttpResponse {
        json_refusal(self.0, self.1, &self.2)
    }
}

/// Checks what a registration needs before any ceremony.
fn refuse_early(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    name: &str,
) -> Result<PasskeyName, Early> {
    if !is_recent(state, session) {
        let message = lang.lang.text("passkey-error-reauth");
        return Err(Early(StatusCode::FORBIDDEN, "reauthenticate", message));
    }
    PasskeyName::parse(name)
        .map_err(|e| Early(StatusCode::BAD_REQUEST, "bad_name", name_refusal(lang, e)))
}

/// `POST /+account/security/passkeys/register/begin`: options for `navigator.credentials.create()`.
pub async fn register_begin(
    me: SignedIn,
    body: CsrfJson<RegisterBegin>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    if let Err(early) = refuse_early(&state, lang, &session, &body.name) {
        return Ok(early.answer());
    }
    match passkeys::begin_registration(&state.ctx, &me).await {
        Ok((options, ceremony)) => {
            session.set_ceremony(REGISTER, &ceremony)?;
            Ok(json_answer(&options))
        }
        Err(e) => refusal(lang, e),
    }
}

/// `POST /+account/security/passkeys/register/finish`: stores the new passkey.
pub async fn register_finish(
    me: SignedIn,
    body: CsrfJson<RegisterFinish>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let Some(ceremony) = session.take_ceremony::<PasskeyRegistration>(REGISTER) else {
        return Ok(no_ceremony(lang));
    };
    let name = match refuse_early(&state, lang, &session, &body.name) {
        Ok(name) => name,
        Err(early) => return Ok(early.answer()),
    };
    let ctx = &state.ctx;
    let answer = &body.credential;
    let from = origin(&req);
    match passkeys::finish_registration(ctx, &me, &name, &ceremony, answer, lang.lang, &from).await
    {
        Ok(codes) => Ok(added(&format!("{PAGE}?done=passkey-added"), codes)),
        Err(e) => refusal(lang, e),
    }
}

/// The rename and remove forms: the new name for a rename.
#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    name: String,
}

/// `POST /+account/security/passkeys/{id}/rename` and `…/{id}/remove`.
pub async fn change(
    me: SignedIn,
    form: CsrfForm<ChangeForm>,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let (id, action) = path.into_inner();
    if !matches!(action.as_str(), "rename" | "remove") {
        return Err(WebError::NOT_FOUND);
    }
    let refuse = async |status, key: String| {
        render(
            &state,
            lang,
            &session,
            &me,
            Banner::form_error("passkeys", status, key),
        )
        .await
    };
    if !is_recent(&state, &session) {
        return refuse(
            StatusCode::FORBIDDEN,
            lang.lang.text("passkey-error-reauth"),
        )
        .await;
    }
    let done = if action == "rename" {
        let name = match PasskeyName::parse(&form.name) {
            Ok(name) => name,
            Err(e) => return refuse(StatusCode::BAD_REQUEST, name_refusal(lang, e)).await,
        };
        passkeys::rename(&state.ctx, &me, &id, &name)
            .await
            .map(|()| "renamed")
    } else {
        let ctx = &state.ctx;
        passkeys::remove(ctx, &me, &id, lang.lang, &origin(&req))
            .await
            .map(|()| "removed")
    };
    match done {
        Ok(done) => Ok(see_other(&format!("{PAGE}?done=passkey-{done}"))),
        Err(PasskeyError::UnknownPasskey) => {
            refuse(
                StatusCode::NOT_FOUND,
                lang.lang.text("passkey-error-unknown"),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The password confirmation form.
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default = "empty_secret")]
    password: SecretString,
}

/// `POST /+account/security/passkeys/confirm`: the password entered again, for the next
/// `api_keys.reauth_minutes` of changes.
pub async fn confirm(
    me: SignedIn,
    form: CsrfForm<ConfirmForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    device: DeviceCookie,
) -> Result<HttpResponse, WebError> {
    match check_again(&state, &req, lang, &session, &device, &me, &form.password).await? {
        None => Ok(see_other(&format!("{PAGE}#passkeys-heading"))),
        Some(refusal) => {
            let banner = Banner::form_error("passkeys", refusal.status, refusal.message.clone());
            let page = render(&state, lang, &session, &me, banner).await?;
            Ok(refusal.answer(page))
        }
    }
}

/// The answer to an added passkey: where to go, and the recovery codes that came with a first
/// factor, which the page shows once before the person goes on (they are in no session).
fn added(next: &str, recovery_codes: Option<Vec<String>>) -> HttpResponse {
    json_answer(&serde_json::json!({ "next": next, "recovery_codes": recovery_codes }))
}
