//! `/+admin` (people search, paged) and `/+admin/people/{id}` (status, addresses, teams,
//! sessions) with its actions: suspend, end sessions.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::render::{Section, render};
use super::{AdminForm, AdminUser};
use crate::clock::date_time;
use crate::service::admin::console_people::{self, ConsolePeopleError};
use crate::web::AppState;
use crate::web::csrf_form::NoFields;
use crate::web::error::WebError;
use crate::web::forms::{origin, see_other};
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::{post_only, read_only};

/// `?q=…&page=…`
#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: i64,
}

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    name: String,
    email: String,
    status: String,
}

/// `GET /+admin`: the people search.
pub async fn search(
    _admin: AdminUser,
    query: web::Query<SearchQuery>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let mut ctx = tera::Context::new();
    let page = query.page.max(0);
    if !query.q.trim().is_empty() {
        let (found, more) = console_people::search(&state.ctx, &query.q, page).await?;
        let rows: Vec<Row> = found
            .into_iter()
            .map(|f| Row {
                id: f.person.id.as_str().to_owned(),
                name: f.person.display_name.as_str().to_owned(),
                email: f.email.unwrap_or_default(),
                status: f.person.status.to_string(),
            })
            .collect();
        ctx.insert("results", &rows);
        ctx.insert("more", &more);
    }
    ctx.insert("q", query.q.trim());
    let q_query: String = url::form_urlencoded::byte_serialize(query.q.trim().as_bytes()).collect();
    ctx.insert("q_query", &q_query);
    ctx.insert("page", &page);
    render(
        &state,
        lang,
        &session,
        Section::People,
        "admin/people.html",
        ctx,
        None,
    )
}

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

/// `GET /+admin/people/{id}`
pub async fn show(
    _admin: AdminUser,
    id: web::Path<String>,
    done: web::Query<Done>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let page = match console_people::person_page(&state.ctx, &id).await {
        Ok(page) => page,
        Err(ConsolePeopleError::UnknownPerson(_)) => return Err(WebError::NOT_FOUND),
        Err(e) => return Err(e.into()),
    };
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
            signed_in: date_time(lang.lang, s.signed_in_at),
        })
        .collect();
    ctx.insert("sessions", &sessions);
    let notice = match done.done.as_deref() {
        Some("suspended") => Some("admin-done-suspended"),
        Some("sessions") => Some("admin-done-sessions"),
        _ => None,
    };
    render(
        &state,
        lang,
        &session,
        Section::People,
        "admin/person.html",
        ctx,
        notice,
    )
}

/// `POST /+admin/people/{id}/suspend`
pub async fn suspend(
    form: AdminForm<NoFields>,
    id: web::Path<String>,
    req: HttpRequest,
    state: web::Data<AppState>,
    lang: RequestLang,
) -> Result<HttpResponse, WebError> {
    let actor = &form.admin.actor;
    match console_people::suspend(&state.ctx, &id, actor, &origin(&req), lang.lang).await {
        Ok(_) => Ok(see_other(&format!("/+admin/people/{id}?done=suspended"))),
        Err(ConsolePeopleError::UnknownPerson(_)) => Err(WebError::NOT_FOUND),
        Err(e) => Err(e.into()),
    }
}

/// `POST /+admin/people/{id}/end-sessions`
pub async fn end_sessions(
    form: AdminForm<NoFields>,
    id: web::Path<String>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let actor = &form.admin.actor;
    match console_people::end_sessions(&state.ctx, &id, actor, &origin(&req)).await {
        Ok(_) => Ok(see_other(&format!("/+admin/people/{id}?done=sessions"))),
        Err(ConsolePeopleError::UnknownPerson(_)) => Err(WebError::NOT_FOUND),
        Err(e) => Err(e.into()),
    }
}

/// Registers the console's people pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(read_only("/+admin", search))
        .service(read_only("/+admin/people/{id}", show))
        .service(post_only("/+admin/people/{id}/suspend", suspend))
        .service(post_only("/+admin/people/{id}/end-sessions", end_sessions));
}
