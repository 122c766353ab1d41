//! `/+admin/audit`: the audit trail, newest first, filtered by code, person (address), client
//! and dates, paged with newer/older links that keep the filters.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::AdminUser;
use super::render::{Section, render};
use crate::clock::date_time;
use crate::service::admin::console_audit::{self, AuditQuery, AuditQueryError};
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::lang::RequestLang;
use crate::web::read_only;
use crate::web::session::TypedSession;

/// `?code=…&person=…&client=…&since=…&until=…&page=…`
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    #[serde(default)]
    code: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    client: String,
    #[serde(default)]
    since: String,
    #[serde(default)]
    until: String,
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
        code: filter.code.trim().to_owned(),
        person: filter.person.trim().to_owned(),
        client: filter.client.trim().to_owned(),
        since: filter.since.trim().to_owned(),
        until: filter.until.trim().to_owned(),
        page: filter.page.max(0),
    };
    let (rows, more, error) = match console_audit::events(&state.ctx, &query).await {
        Ok((events, more)) => {
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
            (rows, more, None)
        }
        Err(AuditQueryError::Database(e)) => return Err(e.into()),
        Err(e) => {
            let key = match e {
                AuditQueryError::Code(_) => "admin-audit-error-code",
                AuditQueryError::Person(_) => "admin-audit-error-person",
                _ => "admin-audit-error-date",
            };
            (Vec::new(), false, Some(lang.lang.text(key)))
        }
    };
    let mut ctx = tera::Context::new();
    ctx.insert("events", &rows);
    ctx.insert("more", &more);
    ctx.insert("page", &query.page);
    ctx.insert("code", &query.code);
    ctx.insert("person", &query.person);
    ctx.insert("client", &query.client);
    ctx.insert("since", &query.since);
    ctx.insert("until", &query.until);
    ctx.insert("error", &error);
    let filter_query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("code", &query.code)
        .append_pair("person", &query.person)
        .append_pair("client", &query.client)
        .append_pair("since", &query.since)
        .append_pair("until", &query.until)
        .finish();
    ctx.insert("filter_query", &filter_query);
    let mut res = render(
        &state,
        lang,
        &session,
        Section::Audit,
        "admin/audit.html",
        ctx,
        None,
    )?;
    if error.is_some() {
        *res.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(res)
}

/// Registers the console's audit view.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(read_only("/+admin/audit", show));
}
