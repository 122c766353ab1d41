//! `/+admin/audit`: the audit trail, newest first, filtered by code, person or client, paged.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::AdminUser;
use super::render::{Section, render};
use crate::clock::date_time;
use crate::service::admin::console_audit::{self, AuditQuery};
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::lang::RequestLang;
use crate::web::read_only;
use crate::web::session::TypedSession;

/// `?code=…&person=…&client=…&page=…`
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    #[serde(default)]
    code: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    client: String,
    #[serde(default)]
    page: i64,
}

#[derive(Debug, Serialize)]
struct Row {
    at: String,
    code: String,
    person: String,
    from: String,
    detail: String,
}

/// `GET /+admin/audit`
pub async fn show(
    _admin: AdminUser,
    filter: web::Query<Filter>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let filter = filter.into_inner();
    let query = AuditQuery {
        code: filter.code.clone(),
        person: filter.person.clone(),
        client: filter.client.clone(),
        page: filter.page.max(0),
    };
    let (events, more) = console_audit::events(&state.ctx, &query).await?;
    let rows: Vec<Row> = events
        .into_iter()
        .map(|e| Row {
            at: date_time(lang.lang, e.occurred_at),
            code: e.code,
            person: e
                .person_id
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default(),
            from: e.remote_addr.unwrap_or_default(),
            detail: e.detail,
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("events", &rows);
    ctx.insert("more", &more);
    ctx.insert("page", &query.page);
    ctx.insert("code", filter.code.trim());
    ctx.insert("person", filter.person.trim());
    ctx.insert("client", filter.client.trim());
    let filter_query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("code", filter.code.trim())
        .append_pair("person", filter.person.trim())
        .append_pair("client", filter.client.trim())
        .finish();
    ctx.insert("filter_query", &filter_query);
    render(
        &state,
        lang,
        &session,
        Section::Audit,
        "admin/audit.html",
        ctx,
        None,
    )
}

/// Registers the console's audit view.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(read_only("/+admin/audit", show));
}
