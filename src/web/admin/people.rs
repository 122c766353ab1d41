//! `/+admin/people/{id}` (status, addresses, teams, sessions, consents, API keys) with its actions: suspend, reactivate, send a reset link, end
//! sessions, revoke a consent or an API key. Each action is the command line's own service
//! function (`service::admin::people`), named by the person's preferred address.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::render::{Section, render};
use super::{AdminForm, AdminUser};
use crate::clock::date_time;
use crate::domain::EmailAddress;
use crate::i18n::Lang;
use crate::service::Context;
use crate::service::admin::Actor;
use crate::service::admin::console_people::{self, ConsolePeopleError};
use crate::service::admin::people::{self, AdminPeopleError};
use crate::service::admin::people_access;
use crate::web::AppState;
use crate::web::csrf_form::NoFields;
use crate::web::error::WebError;
use crate::web::forms::see_other;
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::{post_only, read_only};

/// `?done=…` after an action.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

#[derive(Debug, Serialize)]
struct EmailRow {
    address: String,
    status: &'static str,
}

#[derive(Debug, Serialize)]
struct SessionRow {
    device: String,
    address: String,
    signed_in: String,
}

#[derive(Debug, Serialize)]
struct ConsentRow {
    client_id: String,
    client_name: String,
    scopes: String,
    granted: String,
}

#[derive(Debug, Serialize)]
struct KeyRow {
    id: String,
    description: String,
    prefix: String,
    created: String,
    last_used: Option<String>,
    live: bool,
}

/// What an action on a person is, and the notice shown after it.
enum Action {
    Suspend,
    Reactivate,
    SendReset,
    EndSessions,
    RevokeConsent(String),
    RevokeKey(String),
}

impl Action {
    fn done(&self) -> &'static str {
        match self {
            Self::Suspend => "suspended",
            Self::Reactivate => "reactivated",
            Self::SendReset => "reset",
            Self::EndSessions => "sessions",
            Self::RevokeConsent(_) => "consent",
            Self::RevokeKey(_) => "key",
        }
    }

    /// Runs the shared service function of the action.
    async fn run(
        &self,
        ctx: &Context,
        actor: &Actor,
        email: &EmailAddress,
        lang: Lang,
    ) -> Result<(), AdminPeopleError> {
        match self {
            Self::Suspend => people::suspend(ctx, actor, email, lang).await.map(drop),
            Self::Reactivate => people::reactivate(ctx, actor, email).await.map(drop),
            Self::SendReset => people::send_reset(ctx, actor, email, lang).await.map(drop),
            Self::EndSessions => people_access::end_sessions(ctx, actor, email)
                .await
                .map(drop),
            Self::RevokeConsent(client) => {
                people_access::revoke_consent(ctx, actor, email, client.trim())
                    .await
                    .map(drop)
            }
            Self::RevokeKey(key) => people_access::revoke_api_key(ctx, actor, email, key.trim())
                .await
                .map(drop),
        }
    }
}

fn notice_for(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "suspended" => "admin-done-suspended",
        "sessions" => "admin-done-sessions",
        "reactivated" => "admin-people-done-reactivated",
        "reset" => "admin-people-done-reset",
        "consent" => "admin-people-done-consent",
        "key" => "admin-people-done-key",
        _ => return None,
    })
}

/// `GET /+admin/people/{id}`
pub async fn show(
    _admin: AdminUser,
    id: web::Path<String>,
    done: web::Query<Done>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let notice = notice_for(done.done.as_deref());
    person_page(&state, lang, &session, &id, notice, None).await
}

/// The person's page, with a notice or (answered 400) a refusal.
async fn person_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    id: &str,
    notice: Option<&str>,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let page = match console_people::person_page(&state.ctx, id).await {
        Ok(page) => page,
        Err(ConsolePeopleError::UnknownPerson(_)) => return Err(WebError::NOT_FOUND),
        Err(e) => return Err(e.into()),
    };
    let l = lang.lang;
    let mut ctx = tera::Context::new();
    ctx.insert("id", page.person.id.as_str());
    ctx.insert("name", page.person.display_name.as_str());
    ctx.insert("status", page.person.status.as_str());
    let emails: Vec<EmailRow> = page
        .emails
        .iter()
        .map(|e| EmailRow {
            address: e.address.to_string(),
            status: e.status.as_str(),
        })
        .collect();
    ctx.insert("emails", &emails);
    let teams: Vec<&str> = page.teams.iter().map(|t| t.as_str()).collect();
    ctx.insert("teams", &teams);
    let sessions: Vec<SessionRow> = page
        .sessions
        .iter()
        .map(|s| SessionRow {
            device: s.info.device.clone().unwrap_or_default(),
            address: s.info.address.clone().unwrap_or_default(),
            signed_in: date_time(l, s.signed_in_at),
        })
        .collect();
    ctx.insert("sessions", &sessions);
    let consents: Vec<ConsentRow> = page
        .consents
        .iter()
        .map(|c| ConsentRow {
            client_id: c.client_id.clone(),
            client_name: c.client_name.clone(),
            scopes: c.scopes.join(" "),
            granted: date_time(l, c.granted_at),
        })
        .collect();
    ctx.insert("consents", &consents);
    let keys: Vec<KeyRow> = page
        .api_keys
        .iter()
        .map(|k| KeyRow {
            id: k.id.clone(),
            description: k.description.as_str().to_owned(),
            prefix: k.prefix.clone(),
            created: date_time(l, k.created_at),
            last_used: k.last_used_at.map(|t| date_time(l, t)),
            live: k.is_live(),
        })
        .collect();
    ctx.insert("api_keys", &keys);
    ctx.insert("error", &error);
    let mut res = render(
        state,
        lang,
        session,
        Section::People,
        "admin/person.html",
        ctx,
        notice,
    )?;
    if error.is_some() {
        *res.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(res)
}

/// Runs an action on the person `id`: back to their page with a notice, or the page with the
/// refusal (400, nothing changed); an unknown person is 404.
async fn act(
    admin: &AdminUser,
    id: &str,
    action: Action,
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
) -> Result<HttpResponse, WebError> {
    let email = match console_people::address_of(&state.ctx, id).await {
        Ok(email) => email,
        Err(ConsolePeopleError::UnknownPerson(_) | ConsolePeopleError::NoAddress(_)) => {
            return Err(WebError::NOT_FOUND);
        }
        Err(e) => return Err(e.into()),
    };
    match action
        .run(&state.ctx, &admin.actor, &email, lang.lang)
        .await
    {
        Ok(()) => Ok(see_other(&format!(
            "/+admin/people/{id}?done={}",
            action.done()
        ))),
        Err(e) if e.is_refusal() => {
            let message = refusal(lang.lang, &action, &e);
            person_page(state, lang, session, id, None, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// What the page says of a refusal, in the page's language.
fn refusal(lang: Lang, action: &Action, e: &AdminPeopleError) -> String {
    let key = match (e, action) {
        (AdminPeopleError::Status { .. }, Action::Suspend) => "admin-people-refused-suspend",
        (AdminPeopleError::Status { .. }, Action::Reactivate) => "admin-people-refused-reactivate",
        (AdminPeopleError::Status { .. }, Action::SendReset) => "admin-people-refused-reset",
        (AdminPeopleError::NoConsent { .. }, _) => "admin-people-refused-consent",
        (AdminPeopleError::UnknownKey { .. }, _) => "admin-people-refused-unknown-key",
        (AdminPeopleError::KeyRevoked(_), _) => "admin-people-refused-key-revoked",
        _ => return format!("{}: {e}", lang.text("admin-people-refused")),
    };
    let (email, status, item) = match e {
        AdminPeopleError::Status { email, status, .. } => (email.as_str(), status.as_str(), ""),
        AdminPeopleError::NoConsent { email, client } => (email.as_str(), "", client.as_str()),
        AdminPeopleError::UnknownKey { email, key } => (email.as_str(), "", key.as_str()),
        AdminPeopleError::KeyRevoked(key) => ("", "", key.as_str()),
        _ => ("", "", ""),
    };
    let args = [("email", email), ("status", status), ("item", item)];
    lang.text_with(key, &args)
}

/// `POST /+admin/people/{id}/suspend`
pub async fn suspend(
    form: AdminForm<NoFields>,
    id: web::Path<String>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    act(&form.admin, &id, Action::Suspend, &state, lang, &session).await
}

/// `POST /+admin/people/{id}/reactivate`
pub async fn reactivate(
    form: AdminForm<NoFields>,
    id: web::Path<String>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    act(&form.admin, &id, Action::Reactivate, &state, lang, &session).await
}

/// `POST /+admin/people/{id}/send-reset`
pub async fn send_reset(
    form: AdminForm<NoFields>,
    id: web::Path<String>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    act(&form.admin, &id, Action::SendReset, &state, lang, &session).await
}

/// `POST /+admin/people/{id}/end-sessions`
pub async fn end_sessions(
    form: AdminForm<NoFields>,
    id: web::Path<String>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    act(
        &form.admin,
        &id,
        Action::EndSessions,
        &state,
        lang,
        &session,
    )
    .await
}

/// The consent to revoke.
#[derive(Debug, Deserialize)]
pub struct ConsentForm {
    client_id: String,
}

/// `POST /+admin/people/{id}/consents/revoke`
pub async fn revoke_consent(
    form: AdminForm<ConsentForm>,
    id: web::Path<String>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let action = Action::RevokeConsent(form.form.client_id);
    act(&form.admin, &id, action, &state, lang, &session).await
}

/// The API key to revoke.
#[derive(Debug, Deserialize)]
pub struct KeyForm {
    key_id: String,
}

/// `POST /+admin/people/{id}/api-keys/revoke`
pub async fn revoke_key(
    form: AdminForm<KeyForm>,
    id: web::Path<String>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let action = Action::RevokeKey(form.form.key_id);
    act(&form.admin, &id, action, &state, lang, &session).await
}

/// Registers the console's people pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(read_only("/+admin/people/{id}", show))
        .service(post_only("/+admin/people/{id}/suspend", suspend))
        .service(post_only("/+admin/people/{id}/reactivate", reactivate))
        .service(post_only("/+admin/people/{id}/send-reset", send_reset))
        .service(post_only("/+admin/people/{id}/end-sessions", end_sessions))
        .service(post_only(
            "/+admin/people/{id}/consents/revoke",
            revoke_consent,
        ))
        .service(post_only("/+admin/people/{id}/api-keys/revoke", revoke_key));
}
