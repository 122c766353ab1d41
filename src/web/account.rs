//! `/+account` (the signed-in person's page), `POST /+account/password`, `POST /+logout`. The
//! page's sessions section is in `account_sessions`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::AppState;
use super::csrf_form::CsrfForm;
use super::device::DeviceCookie;
use super::error::WebError;
use super::forms::{empty_secret, origin, password_refusal, see_other};
use super::lang::RequestLang;
use super::lockout::{locked_message, with_retry_after};
use super::session::{SignInFrom, TypedSession};
use super::signed_in::SignedIn;
use crate::domain::{EmailStatus, Password};
use crate::service::account::{AccountView, NewPassword, PasswordChange, change_password};

/// `?changed=1` after a password change.
#[derive(Debug, Deserialize)]
pub struct AccountQuery {
    changed: Option<String>,
}

/// The password-change form (its CSRF token is checked by `CsrfForm`).
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default = "empty_secret")]
    current_password: SecretString,
    #[serde(default = "empty_secret")]
    password: SecretString,
    #[serde(default = "empty_secret")]
    password_again: SecretString,
    /// `yes` when the person ticked "Also revoke my API keys".
    #[serde(default)]
    revoke_api_keys: String,
}

/// The logout form: where to sign in again ("Not you?").
#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    next: Option<String>,
}

pub(super) async fn account_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    view: &AccountView,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let csrf = session.csrf_token()?;
    let l = lang.lang;
    let emails: Vec<serde_json::Value> = view
        .emails
        .iter()
        .map(|e| {
            let status = match e.status {
                EmailStatus::Preferred => l.text("account-email-preferred"),
                EmailStatus::Validated => l.text("account-email-validated"),
                EmailStatus::New => l.text("account-email-new"),
            };
            serde_json::json!({"address": e.address.as_str(), "status": status})
        })
        .collect();
    let apps = crate::service::account::applications(&state.ctx, &view.person.id).await?;
    let apps: Vec<serde_json::Value> = apps
        .iter()
        .map(|a| {
            let shared: Vec<String> = a.scopes.iter().map(|s| l.text(&format!("consent-scope-{s}"))).collect();
            serde_json::json!({"client_id": a.client_id, "name": a.client_name, "shared": shared.join(", ")})
        })
        .collect();
    let sessions = super::account_sessions::listed(state, session, &view.person.id).await?;
    let mut ctx = tera::Context::new();
    ctx.insert("sessions", &sessions);
    ctx.insert("apps", &apps);
    ctx.insert("csrf_token", &csrf);
    ctx.insert("display_name", view.person.display_name.as_str());
    ctx.insert("emails", &emails);
    ctx.insert("notice", &notice);
    ctx.insert("error", &error);
    Ok(state.page(lang, status, "account/index.html", ctx))
}

/// `GET /+account`
pub async fn show(
    me: SignedIn,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
    query: web::Query<AccountQuery>,
) -> Result<HttpResponse, WebError> {
    let notice = query
        .changed
        .as_ref()
        .map(|_| lang.lang.text("account-password-changed"));
    account_page(&state, lang, &session, &me, StatusCode::OK, notice, None).await
}

/// `POST /+account/password`: change the password; this session continues under a new id.
pub async fn change(
    me: SignedIn,
    form: CsrfForm<PasswordForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    device: DeviceCookie,
) -> Result<HttpResponse, WebError> {
    let l = lang.lang;
    let refuse = |status, error: String| {
        account_page(&state, lang, &session, &me, status, None, Some(error))
    };
    if form.password.expose_secret() != form.password_again.expose_secret() {
        return refuse(
            StatusCode::BAD_REQUEST,
            l.text("form-error-password-mismatch"),
        )
        .await;
    }
    let new = match Password::parse(form.password.expose_secret()) {
        Ok(p) => p,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, password_refusal(l, &e)).await,
    };
    let change = NewPassword {
        current: form.current_password.expose_secret(),
        new,
        revoke_api_keys: form.revoke_api_keys == "yes",
        lang: l,
    };
    match change_password(&state.ctx, &me, change, &origin(&req), device.device()).await? {
        PasswordChange::WrongCurrentPassword => {
            refuse(
                StatusCode::BAD_REQUEST,
                l.text("account-error-current-password"),
            )
            .await
        }
        PasswordChange::LockedOut(wait) => {
            let page = refuse(StatusCode::TOO_MANY_REQUESTS, locked_message(lang, wait)).await?;
            Ok(with_retry_after(page, wait))
        }
        PasswordChange::Changed => {
            // Every session ended in the database; this one continues under a new id.
            session.sign_in(&me.person.id, state.ctx.clock.now(), &SignInFrom::of(&req))?;
            Ok(see_other("/+account?changed=1"))
        }
    }
}

/// `POST /+logout`: ends this session, then the login form ("Not you?" keeps its `next`).
pub async fn logout(
    form: CsrfForm<LogoutForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    if let Some(person) = session.person_id() {
        super::account_sessions::audit_ended(&state, &req, &person, "").await?;
    }
    session.sign_out();
    Ok(
        match form
            .next
            .as_deref()
            .and_then(crate::domain::redirect::local_next)
        {
            Some(next) => {
                let query: String = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("next", next)
                    .finish();
                see_other(&format!("/+login?{query}"))
            }
            None => see_other("/+login"),
        },
    )
}

/// The form that withdraws consent from an application.
#[derive(Debug, Deserialize)]
pub struct RevokeAppForm {
    #[serde(default)]
    client_id: String,
}

/// `POST /+account/apps/revoke`
pub async fn revoke_app(
    me: SignedIn,
    form: CsrfForm<RevokeAppForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    crate::service::account::revoke_app(&state.ctx, &me.person.id, &form.client_id).await?;
    Ok(see_other("/+account"))
}
