//! `GET/POST /auth.cgi`: Bugzilla-style auth delegation. The GET shows a confirmation page to
//! the signed-in person; the POST gives the app its key and sends the browser back to it.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, LOCATION};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::AppState;
use super::api_keys::recently_authenticated;
use super::device::DeviceCookie;
use super::errors::internal_error;
use super::forms::{Form, origin, see_other};
use super::headers::with_form_target;
use super::lang::{RequestLang, SWITCH_BASE, switch_base};
use super::lockout::{reauthentication_refusal, with_lockout_wait};
use super::session::TypedSession;
use super::signed_in::current_person;
use crate::domain::callback::CallbackError;
use crate::service::account::{self, AccountView};
use crate::service::delegation::delivery::DeliveryError;
use crate::service::delegation::{self, Confirmation, DelegationError};

/// The confirmation form.
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    callback: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    confirm_token: String,
    #[serde(default)]
    csrf_token: String,
    /// Asked for when the password was last entered more than `api_keys.reauth_minutes` ago.
    #[serde(default)]
    password: String,
}

fn disabled(state: &AppState, lang: RequestLang) -> HttpResponse {
    let l = lang.lang;
    state.message_page(
        lang,
        StatusCode::FORBIDDEN,
        &l.text("delegation-disabled-heading"),
        &l.text("delegation-disabled"),
    )
}

/// Back to `GET /auth.cgi` with the same request once signed in.
fn sign_in_first(callback: &str, description: &str) -> HttpResponse {
    let back = format!(
        "/auth.cgi?{}",
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("callback", callback)
            .append_pair("description", description)
            .finish()
    );
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("next", &back)
        .finish();
    see_other(&format!("/+login?{query}"))
}

/// The page for a refused or failed delegation, with its status.
fn refusal(state: &AppState, lang: RequestLang, error: &DelegationError) -> HttpResponse {
    let l = lang.lang;
    let (status, heading, message) = match error {
        DelegationError::Callback(e) => {
            let key = match e {
                CallbackError::Missing => "delegation-error-callback-missing",
                CallbackError::Scheme => "delegation-error-callback-scheme",
                CallbackError::ControlCharacters => "delegation-error-callback-control",
                CallbackError::InternalAddress => "delegation-error-callback-internal",
                CallbackError::Unresolvable => "delegation-error-callback-unresolvable",
                CallbackError::NotAbsolute
                | CallbackError::Credentials
                | CallbackError::Fragment => "delegation-error-callback-url",
            };
            (StatusCode::BAD_REQUEST, "delegation-refused-heading", key)
        }
        DelegationError::Description(_) => (
            StatusCode::BAD_REQUEST,
            "delegation-refused-heading",
            "delegation-error-description",
        ),
        DelegationError::InvalidConfirmation => (
            StatusCode::FORBIDDEN,
            "delegation-refused-heading",
            "delegation-error-confirmation",
        ),
        DelegationError::Delivery(e) => {
            let key = match e {
                DeliveryError::Address(CallbackError::Unresolvable) => {
                    "delegation-error-callback-unresolvable"
                }
                DeliveryError::Address(_) => "delegation-error-callback-internal",
                DeliveryError::Unreachable => "delegation-failed-unreachable",
                DeliveryError::Timeout => "delegation-failed-timeout",
                DeliveryError::Redirect(_) => "delegation-failed-redirect",
                DeliveryError::Status(_) => "delegation-failed-status",
                DeliveryError::TooLarge | DeliveryError::BadAnswer => "delegation-failed-answer",
            };
            (StatusCode::BAD_GATEWAY, "delegation-failed-heading", key)
        }
        other => return internal_error(other),
    };
    state.message_page(lang, status, &l.text(heading), &l.text(message))
}

/// `GET /auth.cgi?callback=URL&description=TEXT`
pub async fn start(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> HttpResponse {
    if !state.ctx.delegation.enabled {
        return disabled(&state, lang);
    }
    let mut callback = String::new();
    let mut description = String::new();
    for (name, value) in url::form_urlencoded::parse(req.query_string().as_bytes()) {
        match name.as_ref() {
            "callback" if callback.is_empty() => callback = value.into_owned(),
            "description" if description.is_empty() => description = value.into_owned(),
            _ => {}
        }
    }
    let owner = match current_person(&state, &session).await {
        Err(e) => return internal_error(&e),
        Ok(None) => return sign_in_first(&callback, &description),
        Ok(Some(owner)) => owner,
    };
    confirmation_page(
        &state,
        lang,
        &session,
        &owner,
        (&callback, &description),
        StatusCode::OK,
        None,
    )
    .await
}

/// The confirmation page for a request, with a fresh single-use token; it asks for the password
/// too when it was last entered too long ago.
async fn confirmation_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    owner: &AccountView,
    (callback, description): (&str, &str),
    status: StatusCode,
    error: Option<String>,
) -> HttpResponse {
    let checked = match delegation::check(&state.ctx, callback, description).await {
        Ok(checked) => checked,
        Err(e) => return refusal(state, lang, &e),
    };
    let token = match delegation::prepare(&state.ctx, owner, &checked).await {
        Ok(token) => token,
        Err(e) => return internal_error(&e),
    };
    let csrf = match session.csrf_token() {
        Ok(t) => t,
        Err(e) => return internal_error(&e),
    };
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &csrf);
    ctx.insert("confirm_token", token.expose());
    ctx.insert("callback", checked.callback.url().as_str());
    ctx.insert("callback_base", &checked.callback.base());
    ctx.insert("host", &checked.callback.host());
    ctx.insert("description", checked.description.as_str());
    ctx.insert("person_name", owner.person.display_name.as_str());
    ctx.insert("needs_password", &!recently_authenticated(state, session));
    ctx.insert("error", &error);
    ctx.insert(
        SWITCH_BASE,
        &switch_base(
            "/auth.cgi",
            [("callback", callback), ("description", description)],
        ),
    );
    let page = state.page(lang, status, "delegation/confirm.html", ctx);
    // Giving access ends at the checked callback.
    with_form_target(page, Some(checked.callback.url().as_str()))
}

/// `POST /auth.cgi`: the person confirmed.
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    device: DeviceCookie,
    form: Form<ConfirmForm>,
) -> HttpResponse {
    if !state.ctx.delegation.enabled {
        return disabled(&state, lang);
    }
    let owner = match current_person(&state, &session).await {
        Err(e) => return internal_error(&e),
        Ok(None) => return sign_in_first(&form.callback, &form.description),
        Ok(Some(owner)) => owner,
    };
    if !session.csrf_matches(&form.csrf_token) {
        let l = lang.lang;
        return state.message_page(
            lang,
            StatusCode::FORBIDDEN,
            &l.text("delegation-refused-heading"),
            &l.text("login-error-csrf"),
        );
    }
    if !recently_authenticated(&state, &session) {
        let request = (form.callback.as_str(), form.description.as_str());
        let outcome = match account::reauthenticate(
            &state.ctx,
            &owner,
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
            let page =
                confirmation_page(&state, lang, &session, &owner, request, status, Some(error))
                    .await;
            return with_lockout_wait(page, wait);
        }
        if let Err(e) = session.confirm_authentication(state.ctx.clock.now()) {
            return internal_error(&e);
        }
    }
    let confirmation = Confirmation {
        token: &form.confirm_token,
        callback: &form.callback,
        description: &form.description,
    };
    match delegation::confirm(&state.ctx, &owner, confirmation, lang.lang, &origin(&req)).await {
        Ok(location) => HttpResponse::SeeOther()
            .insert_header((LOCATION, location))
            .insert_header((CACHE_CONTROL, "no-store"))
            .finish(),
        Err(e) => refusal(&state, lang, &e),
    }
}
