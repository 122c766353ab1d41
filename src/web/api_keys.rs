//! The API keys tab, `/+account/api-keys`: list, create (the key shown once), revoke, restore,
//! each change only within `api_keys.reauth_minutes` of entering the password.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::AppState;
use super::device::DeviceCookie;
use super::errors::internal_error;
use super::forms::{Form, origin, see_other};
use super::lang::RequestLang;
use super::lockout::{reauthentication_refusal, with_lockout_wait};
use super::session::TypedSession;
use super::signed_in::current_person;
use crate::clock::format_time;
use crate::domain::api_key::{DescriptionError, KeyDescription};
use crate::service::account::{self, AccountView};
use crate::service::api_keys::{self, ApiKeyError, Notify};

const TAB: &str = "/+account/api-keys";
const SIGN_IN_FIRST: &str = "/+login?next=/%2Baccount/api-keys";

/// The create form.
#[derive(Debug, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    description: String,
    #[serde(default)]
    csrf_token: String,
}

/// The password confirmation form.
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
}

/// The revoke and restore forms.
#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    csrf_token: String,
}

/// What the page shows besides the list.
#[derive(Debug, Default)]
struct Extra {
    new_key: Option<String>,
    error: Option<String>,
    description: String,
}

async fn tab_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    owner: &AccountView,
    status: StatusCode,
    extra: Extra,
) -> HttpResponse {
    let csrf = match session.csrf_token() {
        Ok(t) => t,
        Err(e) => return internal_error(&e),
    };
    let keys = match api_keys::list(&state.ctx, owner).await {
        Ok(keys) => keys,
        Err(e) => return internal_error(&e),
    };
    let keys: Vec<serde_json::Value> = keys
        .iter()
        .map(|k| {
            serde_json::json!({
                "id": k.id,
                "description": k.description.as_str(),
                "prefix": k.prefix,
                "delegated": k.app_id.is_some(),
                "created": format_time(k.created_at),
                "last_used": k.last_used_at.map(format_time),
                "last_used_from": k.last_used_from,
                "revoked": k.revoked_at.map(format_time),
            })
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &csrf);
    ctx.insert("fresh", &recently_authenticated(state, session));
    ctx.insert("reauth_minutes", &state.ctx.api_keys.reauth_minutes);
    ctx.insert("keys", &keys);
    ctx.insert("new_key", &extra.new_key);
    ctx.insert("error", &extra.error);
    ctx.insert("description", &extra.description);
    state.page(lang, status, "account/api_keys.html", ctx)
}

/// Whether the password was entered recently enough to change keys.
pub(super) fn recently_authenticated(state: &AppState, session: &TypedSession) -> bool {
    session.authenticated_within(state.ctx.clock.now(), state.ctx.api_keys.reauth_minutes)
}

/// `GET /+account/api-keys`
pub async fn show(
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> HttpResponse {
    match owner_of(&state, &session).await {
        Ok(owner) => {
            tab_page(
                &state,
                lang,
                &session,
                &owner,
                StatusCode::OK,
                Extra::default(),
            )
            .await
        }
        Err(answer) => answer,
    }
}

fn description_error(lang: RequestLang, e: &DescriptionError) -> String {
    let key = match e {
        DescriptionError::Empty | DescriptionError::TooShort => "api-keys-error-empty",
        DescriptionError::TooLong => "api-keys-error-long",
        DescriptionError::BadCharacter => "api-keys-error-characters",
    };
    lang.lang.text(key)
}

/// The signed-in owner of the tab, or the answer to give instead.
async fn owner_of(
    state: &web::Data<AppState>,
    session: &TypedSession,
) -> Result<AccountView, HttpResponse> {
    match current_person(state, session).await {
        Err(e) => Err(internal_error(&e)),
        Ok(None) => Err(see_other(SIGN_IN_FIRST)),
        Ok(Some(owner)) => Ok(owner),
    }
}

/// Why a change on the tab is refused before it is looked at: a forged form, or (when
/// `needs_recent_password`) a password entered too long ago.
fn refusal(
    state: &AppState,
    session: &TypedSession,
    lang: RequestLang,
    csrf_token: &str,
    needs_recent_password: bool,
) -> Option<String> {
    if !session.csrf_matches(csrf_token) {
        return Some(lang.lang.text("login-error-csrf"));
    }
    if needs_recent_password && !recently_authenticated(state, session) {
        return Some(lang.lang.text("api-keys-error-reauth"));
    }
    None
}

/// The tab again, with an error.
async fn refused(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    owner: &AccountView,
    status: StatusCode,
    error: String,
) -> HttpResponse {
    let extra = Extra {
        error: Some(error),
        ..Extra::default()
    };
    tab_page(state, lang, session, owner, status, extra).await
}

/// `POST /+account/api-keys`: makes a key and shows it, once.
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    form: Form<CreateForm>,
) -> HttpResponse {
    let owner = match owner_of(&state, &session).await {
        Ok(owner) => owner,
        Err(answer) => return answer,
    };
    let refuse = |status, error: String| {
        let extra = Extra {
            error: Some(error),
            description: form.description.clone(),
            ..Extra::default()
        };
        tab_page(&state, lang, &session, &owner, status, extra)
    };
    if let Some(error) = refusal(&state, &session, lang, &form.csrf_token, true) {
        return refuse(StatusCode::FORBIDDEN, error).await;
    }
    let description = match KeyDescription::parse(&form.description) {
        Ok(d) => d,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, description_error(lang, &e)).await,
    };
    match api_keys::create(
        &state.ctx,
        &owner,
        description,
        None,
        lang.lang,
        Notify::Now,
        &origin(&req),
    )
    .await
    {
        Ok(made) => {
            let extra = Extra {
                new_key: Some(made.secret.expose().to_owned()),
                ..Extra::default()
            };
            tab_page(&state, lang, &session, &owner, StatusCode::OK, extra).await
        }
        Err(e) => internal_error(&e),
    }
}

/// `POST /+account/api-keys/{id}/revoke` and `…/{id}/restore`.
pub async fn change(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    path: web::Path<(String, String)>,
    form: Form<ChangeForm>,
) -> HttpResponse {
    let (id, action) = path.into_inner();
    let revoke = match action.as_str() {
        "revoke" => true,
        "restore" => false,
        _ => return super::errors::not_found(state, req).await,
    };
    let owner = match owner_of(&state, &session).await {
        Ok(owner) => owner,
        Err(answer) => return answer,
    };
    if let Some(error) = refusal(&state, &session, lang, &form.csrf_token, true) {
        return refused(&state, lang, &session, &owner, StatusCode::FORBIDDEN, error).await;
    }
    match api_keys::set_revoked(&state.ctx, &owner, &id, revoke, &origin(&req)).await {
        Ok(()) => see_other(TAB),
        Err(ApiKeyError::UnknownKey) => {
            let error = lang.lang.text("api-keys-error-unknown");
            refused(&state, lang, &session, &owner, StatusCode::NOT_FOUND, error).await
        }
        Err(e) => internal_error(&e),
    }
}

/// `POST /+account/api-keys/confirm`: the password entered again, for the next
/// `api_keys.reauth_minutes` of changes.
pub async fn confirm(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    device: DeviceCookie,
    form: Form<ConfirmForm>,
) -> HttpResponse {
    let owner = match owner_of(&state, &session).await {
        Ok(owner) => owner,
        Err(answer) => return answer,
    };
    if let Some(error) = refusal(&state, &session, lang, &form.csrf_token, false) {
        return refused(&state, lang, &session, &owner, StatusCode::FORBIDDEN, error).await;
    }
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
    match reauthentication_refusal(lang, &outcome) {
        None => match session.confirm_authentication(state.ctx.clock.now()) {
            Ok(()) => see_other(TAB),
            Err(e) => internal_error(&e),
        },
        Some((status, error, wait)) => {
            let page = refused(&state, lang, &session, &owner, status, error).await;
            with_lockout_wait(page, wait)
        }
    }
}
