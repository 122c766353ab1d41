//! The API keys page, `/+account/api-keys`: list, create (the key shown once), revoke, restore,
//! each change only within `api_keys.reauth_minutes` of entering the password.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::SecretString;
use serde::Deserialize;

use super::page::{Banner, Section, render_section};
use super::reauthentication::{check_again, is_recent};
use crate::clock::{date_time, format_time};
use crate::domain::api_key::{DescriptionError, KeyDescription};
use crate::service::account::AccountView;
use crate::service::api_keys::{self, ApiKeyError, Notify};
use crate::web::AppState;
use crate::web::csrf_form::CsrfForm;
use crate::web::device::DeviceCookie;
use crate::web::error::WebError;
use crate::web::forms::{empty_secret, origin, see_other};
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::signed_in::SignedIn;

const TAB: &str = "/+account/api-keys";

/// The create form.
#[derive(Debug, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    description: String,
}

/// The password confirmation form.
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default = "empty_secret")]
    password: SecretString,
}

/// The revoke and restore forms: nothing but their CSRF token.
#[derive(Debug, Deserialize)]
pub struct ChangeForm {}

/// What the page shows besides the list.
#[derive(Debug, Default)]
struct Extra {
    new_key: Option<String>,
    error: Option<String>,
    description: String,
}

impl Extra {
    fn error(error: String) -> Self {
        Self {
            error: Some(error),
            ..Self::default()
        }
    }
}

/// The page of `owner`, with what `extra` adds.
async fn tab_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    owner: &AccountView,
    status: StatusCode,
    extra: Extra,
) -> Result<HttpResponse, WebError> {
    let l = lang.lang;
    let keys: Vec<serde_json::Value> = api_keys::list(&state.ctx, owner)
        .await?
        .iter()
        .map(|k| {
            serde_json::json!({
                "id": k.id,
                "description": k.description.as_str(),
                "prefix": k.prefix,
                "delegated": k.app_id.is_some(),
                "created": date_time(l, k.created_at),
                "created_at": format_time(k.created_at),
                "last_used": k.last_used_at.map(|t| date_time(l, t)),
                "last_used_at": k.last_used_at.map(format_time),
                "last_used_from": k.last_used_from,
                "revoked": k.revoked_at.map(|t| date_time(l, t)),
            })
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &session.csrf_token()?);
    ctx.insert("username", &owner.login_email().map(|e| e.as_str()));
    ctx.insert("fresh", &is_recent(state, session));
    ctx.insert("reauth_minutes", &state.ctx.api_keys.reauth_minutes);
    ctx.insert("keys", &keys);
    ctx.insert("new_key", &extra.new_key);
    ctx.insert("description", &extra.description);
    // The page's two forms show their refusals in their own cards.
    let banner = match extra.error {
        Some(error) => Banner::form_error("api-keys", status, error),
        None => Banner::notice(None),
    };
    let template = "account/api_keys.html";
    Ok(render_section(
        state,
        lang,
        Section::ApiKeys,
        template,
        ctx,
        banner,
    ))
}

/// The page again with "enter your password again first" when it was entered too long ago.
async fn unless_recent(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    owner: &AccountView,
    description: &str,
) -> Result<Option<HttpResponse>, WebError> {
    if is_recent(state, session) {
        return Ok(None);
    }
    let extra = Extra {
        description: description.to_owned(),
        ..Extra::error(lang.lang.text("api-keys-error-reauth"))
    };
    let page = tab_page(state, lang, session, owner, StatusCode::FORBIDDEN, extra).await?;
    Ok(Some(page))
}

/// `GET /+account/api-keys`
pub async fn show(
    me: SignedIn,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    tab_page(
        &state,
        lang,
        &session,
        &me,
        StatusCode::OK,
        Extra::default(),
    )
    .await
}

fn description_error(lang: RequestLang, e: &DescriptionError) -> String {
    let key = match e {
        DescriptionError::Empty | DescriptionError::TooShort => "api-keys-error-empty",
        DescriptionError::TooLong => "api-keys-error-long",
        DescriptionError::BadCharacter => "api-keys-error-characters",
    };
    lang.lang.text(key)
}

/// `POST /+account/api-keys`: makes a key and shows it, once.
pub async fn create(
    me: SignedIn,
    form: CsrfForm<CreateForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    if let Some(page) = unless_recent(&state, lang, &session, &me, &form.description).await? {
        return Ok(page);
    }
    let description = match KeyDescription::parse(&form.description) {
        Ok(d) => d,
        Err(e) => {
            let extra = Extra {
                description: form.description.clone(),
                ..Extra::error(description_error(lang, &e))
            };
            return tab_page(&state, lang, &session, &me, StatusCode::BAD_REQUEST, extra).await;
        }
    };
    let made = api_keys::create(
        &state.ctx,
        &me,
        description,
        None,
        lang.lang,
        Notify::Now,
        &origin(&req),
    )
    .await?;
    let extra = Extra {
        new_key: Some(made.secret.expose().to_owned()),
        ..Extra::default()
    };
    tab_page(&state, lang, &session, &me, StatusCode::OK, extra).await
}

/// `POST /+account/api-keys/{id}/revoke` and `…/{id}/restore`.
pub async fn change(
    me: SignedIn,
    _form: CsrfForm<ChangeForm>,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let (id, action) = path.into_inner();
    let revoke = match action.as_str() {
        "revoke" => true,
        "restore" => false,
        _ => return Err(WebError::NOT_FOUND),
    };
    if let Some(page) = unless_recent(&state, lang, &session, &me, "").await? {
        return Ok(page);
    }
    match api_keys::set_revoked(&state.ctx, &me, &id, revoke, &origin(&req)).await {
        Ok(()) => Ok(see_other(TAB)),
        Err(ApiKeyError::UnknownKey) => {
            let extra = Extra::error(lang.lang.text("api-keys-error-unknown"));
            tab_page(&state, lang, &session, &me, StatusCode::NOT_FOUND, extra).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /+account/api-keys/confirm`: the password entered again, for the next
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
        None => Ok(see_other(TAB)),
        Some(refusal) => {
            let extra = Extra::error(refusal.message.clone());
            let page = tab_page(&state, lang, &session, &me, refusal.status, extra).await?;
            Ok(refusal.answer(page))
        }
    }
}
