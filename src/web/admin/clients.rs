//! `/+admin/clients`: the relying parties, each with a form to edit its redirect URIs
//! (`POST /+admin/clients/{id}/redirect-uris`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::render::{Section, render};
use super::{AdminForm, AdminUser};
use crate::service::admin::console_clients::{clients, edit_redirect_uris};
use crate::service::clients::ClientError;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::forms::{origin, see_other};
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::{post_only, read_only};

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    name: String,
    redirect_uris: String,
    confidential: bool,
}

/// `?done=…` after an edit.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// `GET /+admin/clients`
pub async fn show(
    _admin: AdminUser,
    done: web::Query<Done>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let notice = (done.done.as_deref() == Some("uris")).then_some("admin-done-redirect-uris");
    page(&state, lang, &session, notice, None).await
}

async fn page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    notice: Option<&str>,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let rows: Vec<Row> = clients(&state.ctx)
        .await?
        .into_iter()
        .map(|c| Row {
            redirect_uris: c.redirect_uris.join("\n"),
            confidential: c.secret_hash.is_some(),
            id: c.client_id,
            name: c.name,
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("clients", &rows);
    ctx.insert("error", &error);
    let mut res = render(
        state,
        lang,
        session,
        Section::Clients,
        "admin/clients.html",
        ctx,
        notice,
    )?;
    if error.is_some() {
        *res.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(res)
}

/// The redirect-URI form: one URI a line.
#[derive(Debug, Deserialize)]
pub struct UrisForm {
    redirect_uris: String,
}

/// `POST /+admin/clients/{id}/redirect-uris`
pub async fn redirect_uris(
    form: AdminForm<UrisForm>,
    id: web::Path<String>,
    req: HttpRequest,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let actor = &form.admin.actor;
    let text = &form.form.redirect_uris;
    match edit_redirect_uris(&state.ctx, &id, text, actor, &origin(&req)).await {
        Ok(_) => Ok(see_other("/+admin/clients?done=uris")),
        Err(ClientError::Unknown(_)) => Err(WebError::NOT_FOUND),
        Err(e @ (ClientError::NoRedirectUri | ClientError::RedirectUri(_))) => {
            let message = format!("{}: {e}", lang.lang.text("admin-error-redirect-uris"));
            page(&state, lang, &session, None, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Registers the console's client pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(read_only("/+admin/clients", show))
        .service(post_only(
            "/+admin/clients/{id}/redirect-uris",
            redirect_uris,
        ));
}
