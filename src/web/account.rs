//! `/+account` (the signed-in person's page), `POST /+account/password`, `POST /+logout`. The
//! page's sessions section is in `account_sessions`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::AppState;
use super::current_person::current_person;
use super::device::DeviceCookie;
use super::errors::internal_error;
use super::forms::{Form, origin, password_refusal, see_other};
use super::lang::RequestLang;
use super::login::{locked_message, with_retry_after};
use super::session::{SignInFrom, TypedSession};
use crate::domain::{EmailStatus, Password};
use crate::service::account::{AccountView, NewPassword, PasswordChange, change_password};

/// `?changed=1` after a password change.
#[derive(Debug, Deserialize)]
pub struct AccountQuery {
    changed: Option<String>,
}

/// The password-change form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
    /// `yes` when the person ticked "Also revoke my API keys".
    #[serde(default)]
    revoke_api_keys: String,
    #[serde(default)]
    csrf_token: String,
}

/// The logout form: a CSRF token, and where to sign in again ("Not you?").
#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf_token: String,
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
) -> HttpResponse {
    let csrf = match session.csrf_token() {
        Ok(t) => t,
        Err(e) => return internal_error(&e),
    };
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
    let apps = match crate::db::consents::list_consents(state.ctx.db.pool(), &view.person.id).await
    {
        Ok(list) => list,
        Err(e) => return internal_error(&e),
    };
    let apps: Vec<serde_json::Value> = apps
        .iter()
        .map(|a| {
            let shared: Vec<String> = a.scopes.iter().map(|s| l.text(&format!("consent-scope-{s}"))).collect();
            serde_json::json!({"client_id": a.client_id, "name": a.client_name, "shared": shared.join(", ")})
        })
        .collect();
    let sessions = match super::account_sessions::listed(state, session, &view.person.id).await {
        Ok(list) => list,
        Err(answer) => return answer,
    };
    let mut ctx = tera::Context::new();
    ctx.insert("sessions", &sessions);
    ctx.insert("apps", &apps);
    ctx.insert("csrf_token", &csrf);
    ctx.insert("display_name", view.person.display_name.as_str());
    ctx.insert("emails", &emails);
    ctx.insert("notice", &notice);
    ctx.insert("error", &error);
    state.page(lang, status, "account/index.html", ctx)
}

/// `GET /+account`
pub async fn show(
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
    query: web::Query<AccountQuery>,
) -> HttpResponse {
    match current_person(&state, &session).await {
        Err(e) => internal_error(&e),
        Ok(None) => see_other("/+login?next=/%2Baccount"),
        Ok(Some(view)) => {
            let notice = query
                .changed
                .as_ref()
                .map(|_| lang.lang.text("account-password-changed"));
            account_page(&state, lang, &session, &view, StatusCode::OK, notice, None).await
        }
    }
}

/// `POST /+account/password`
pub async fn change(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    device: DeviceCookie,
    form: Form<PasswordForm>,
) -> HttpResponse {
    let view = match current_person(&state, &session).await {
        Err(e) => return internal_error(&e),
        Ok(None) => return see_other("/+login?next=/%2Baccount"),
        Ok(Some(view)) => view,
    };
    let l = lang.lang;
    let refuse = |status, error: String| {
        account_page(&state, lang, &session, &view, status, None, Some(error))
    };
    if !session.csrf_matches(&form.csrf_token) {
        return refuse(StatusCode::FORBIDDEN, l.text("login-error-csrf")).await;
    }
    if form.password != form.password_again {
        return refuse(
            StatusCode::BAD_REQUEST,
            l.text("form-error-password-mismatch"),
        )
        .await;
    }
    let new = match Password::parse(&form.password) {
        Ok(p) => p,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, password_refusal(l, &e)).await,
    };
    let change = NewPassword {
        current: &form.current_password,
        new,
        revoke_api_keys: form.revoke_api_keys == "yes",
        lang: l,
    };
    match change_password(&state.ctx, &view, change, &origin(&req), device.device()).await {
        Err(e) => internal_error(&e),
        Ok(PasswordChange::WrongCurrentPassword) => {
            refuse(
                StatusCode::BAD_REQUEST,
                l.text("account-error-current-password"),
            )
            .await
        }
        Ok(PasswordChange::LockedOut(wait)) => {
            let page = refuse(StatusCode::TOO_MANY_REQUESTS, locked_message(lang, wait)).await;
            with_retry_after(page, wait)
        }
        Ok(PasswordChange::Changed) => {
            // Every session ended in the database; this one continues under a new id.
            match session.sign_in(
                &view.person.id,
                state.ctx.clock.now(),
                &SignInFrom::of(&req),
            ) {
                Ok(()) => see_other("/+account?changed=1"),
                Err(e) => internal_error(&e),
            }
        }
    }
}

/// `POST /+logout`
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    form: Form<LogoutForm>,
) -> HttpResponse {
    if !session.csrf_matches(&form.csrf_token) {
        return state.message_page(
            lang,
            StatusCode::FORBIDDEN,
            &lang.lang.text("account-logout"),
            &lang.lang.text("login-error-csrf"),
        );
    }
    if let Some(person) = session.person_id()
        && let Err(answer) = super::account_sessions::audit_ended(&state, &req, &person, "").await
    {
        return answer;
    }
    session.sign_out();
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
    }
}

/// The form that withdraws consent from an application.
#[derive(Debug, Deserialize)]
pub struct RevokeAppForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    client_id: String,
}

/// `POST /+account/apps/revoke`
pub async fn revoke_app(
    state: web::Data<AppState>,
    session: TypedSession,
    form: Form<RevokeAppForm>,
) -> HttpResponse {
    let view = match current_person(&state, &session).await {
        Err(e) => return internal_error(&e),
        Ok(None) => return see_other("/+login?next=/%2Baccount"),
        Ok(Some(view)) => view,
    };
    if !session.csrf_matches(&form.csrf_token) {
        return see_other("/+account");
    }
    match crate::service::account::revoke_app(&state.ctx, &view.person.id, &form.client_id).await {
        Ok(_) => see_other("/+account"),
        Err(e) => internal_error(&e),
    }
}
