//! `/+admin`: the console's first page, the people search (by name or address, paged).

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::AdminUser;
use super::render::{Section, render};
use crate::service::admin::console_people;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::lang::RequestLang;
use crate::web::read_only;
use crate::web::session::TypedSession;

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

/// Registers the people search.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(read_only("/+admin", search));
}
