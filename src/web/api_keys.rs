//! The API keys tab, `/+account/api-keys`: list, create (the key shown once), revoke, restore.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::AppState;
use super::current_person::current_person;
use super::errors::internal_error;
use super::forms::{origin, see_other};
use super::lang::RequestLang;
use super::session::TypedSession;
use crate::clock::format_time;
use crate::domain::api_key::{DescriptionError, KeyDescription};
use crate::service::account::AccountView;
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
    ctx.insert("keys", &keys);
    ctx.insert("new_key", &extra.new_key);
    ctx.insert("error", &extra.error);
    ctx.insert("description", &extra.description);
    state.page(lang, status, "account/api_keys.html", ctx)
}

/// `GET /+account/api-keys`
pub async fn show(
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> HttpResponse {
    match current_person(&state, &session).await {
        Err(e) => internal_error(&e),
        Ok(None) => see_other(SIGN_IN_FIRST),
        Ok(Some(owner)) => {
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

/// `POST /+account/api-keys`: makes a key and shows it, once.
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    form: web::Form<CreateForm>,
) -> HttpResponse {
    let owner = match current_person(&state, &session).await {
        Err(e) => return internal_error(&e),
        Ok(None) => return see_other(SIGN_IN_FIRST),
        Ok(Some(owner)) => owner,
    };
    let refuse = |status, error: String| {
        let extra = Extra {
            error: Some(error),
            description: form.description.clone(),
            ..Extra::default()
        };
        tab_page(&state, lang, &session, &owner, status, extra)
    };
    if !session.csrf_matches(&form.csrf_token) {
        return refuse(StatusCode::FORBIDDEN, lang.lang.text("login-error-csrf")).await;
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
    form: web::Form<ChangeForm>,
) -> HttpResponse {
    let (id, action) = path.into_inner();
    let revoke = match action.as_str() {
        "revoke" => true,
        "restore" => false,
        _ => return super::errors::not_found(state, req).await,
    };
    let owner = match current_person(&state, &session).await {
        Err(e) => return internal_error(&e),
        Ok(None) => return see_other(SIGN_IN_FIRST),
        Ok(Some(owner)) => owner,
    };
    if !session.csrf_matches(&form.csrf_token) {
        let extra = Extra {
            error: Some(lang.lang.text("login-error-csrf")),
            ..Extra::default()
        };
        return tab_page(&state, lang, &session, &owner, StatusCode::FORBIDDEN, extra).await;
    }
    match api_keys::set_revoked(&state.ctx, &owner, &id, revoke, &origin(&req)).await {
        Ok(()) => see_other(TAB),
        Err(ApiKeyError::UnknownKey) => {
            let extra = Extra {
                error: Some(lang.lang.text("api-keys-error-unknown")),
                ..Extra::default()
            };
            tab_page(&state, lang, &session, &owner, StatusCode::NOT_FOUND, extra).await
        }
        Err(e) => internal_error(&e),
    }
}
