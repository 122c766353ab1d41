//! `/+admin/clients`: the relying parties; adding one (`/new`, its secret shown once), editing
//! one (`/{id}`, every setting of `client update`; `/{id}/redirect-uris` for the list's quick
//! redirect-URI form), rotating its secret (shown once) and removing it (after a confirmation
//! page), all through `service::admin::clients`, as the command line.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::render::{Section, render};
use super::{AdminForm, AdminUser};
use crate::service::admin::clients::{self as admin_clients, ClientView};
use crate::service::admin::console_clients::{ClientForm, clients, edit_redirect_uris};
use crate::service::clients::ClientError;
use crate::web::AppState;
use crate::web::csrf_form::NoFields;
use crate::web::error::WebError;
use crate::web::forms::see_other;
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::{form, post_only, read_only};

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    name: String,
    redirect_uris: String,
    confidential: bool,
    trusted: bool,
    alg: String,
}

/// `?done=…` after a change.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

fn notice_of(done: &Done) -> Option<&'static str> {
    match done.done.as_deref()? {
        "uris" => Some("admin-done-redirect-uris"),
        "saved" => Some("admin-client-done-saved"),
        "removed" => Some("admin-client-done-removed"),
        _ => None,
    }
}

/// The page for a refused form: its message (a locale key, and for URIs the URI at fault).
fn form_error(lang: RequestLang, e: &ClientError) -> Option<String> {
    let key = match e {
        ClientError::Name => "admin-client-error-name",
        ClientError::NoRedirectUri => "admin-client-error-no-redirect-uri",
        ClientError::RedirectUri(_) => "admin-error-redirect-uris",
        ClientError::UnknownScope(_) => "admin-client-error-scope",
        ClientError::NoOpenidScope => "admin-client-error-openid",
        ClientError::UnknownAlg(_) => "admin-client-error-alg",
        ClientError::PublicIntrospection => "admin-client-error-public-introspection",
        _ => return None,
    };
    let text = lang.lang.text(key);
    Some(match e {
        ClientError::RedirectUri(_) | ClientError::UnknownScope(_) => format!("{text}: {e}"),
        _ => text,
    })
}

/// `GET /+admin/clients`
pub async fn show(
    _admin: AdminUser,
    done: web::Query<Done>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    list_page(&state, lang, &session, notice_of(&done), None).await
}

async fn list_page(
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
            trusted: c.trusted,
            alg: c.id_token_alg.to_string(),
            id: c.client_id,
            name: c.name,
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("clients", &rows);
    let status = error.as_ref().map(|_| StatusCode::BAD_REQUEST);
    ctx.insert("error", &error);
    page(
        state,
        lang,
        session,
        "admin/clients.html",
        ctx,
        notice,
        status,
    )
}

/// Renders a clients page, with `status` instead of 200 when given.
fn page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    template: &str,
    ctx: tera::Context,
    notice: Option<&str>,
    status: Option<StatusCode>,
) -> Result<HttpResponse, WebError> {
    let mut res = render(
        state,
        lang,
        session,
        Section::Clients,
        template,
        ctx,
        notice,
    )?;
    if let Some(status) = status {
        *res.status_mut() = status;
    }
    Ok(res)
}

/// The redirect-URI form of the list: one URI a line.
#[derive(Debug, Deserialize)]
pub struct UrisForm {
    redirect_uris: String,
}

/// `POST /+admin/clients/{id}/redirect-uris`
pub async fn redirect_uris(
    form: AdminForm<UrisForm>,
    id: web::Path<String>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let actor = &form.admin.actor;
    match edit_redirect_uris(&state.ctx, &id, &form.form.redirect_uris, actor).await {
        Ok(_) => Ok(see_other("/+admin/clients?done=uris")),
        Err(ClientError::Unknown(_)) => Err(WebError::NOT_FOUND),
        Err(e) => match form_error(lang, &e) {
            Some(message) => list_page(&state, lang, &session, None, Some(message)).await,
            None => Err(e.into()),
        },
    }
}

/// The add page, or the edit page of `client`, showing `form` (and `error`, with 400).
fn form_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    client: Option<&ClientView>,
    form: &ClientForm,
    error: Option<String>,
    notice: Option<&str>,
) -> Result<HttpResponse, WebError> {
    let mut ctx = tera::Context::new();
    ctx.insert("form", form);
    ctx.insert("client", &client);
    ctx.insert("algs", &["RS256", "EdDSA"]);
    let status = error.as_ref().map(|_| StatusCode::BAD_REQUEST);
    ctx.insert("error", &error);
    let template = match client {
        Some(_) => "admin/client_edit.html",
        None => "admin/client_new.html",
    };
    page(state, lang, session, template, ctx, notice, status)
}

/// `GET /+admin/clients/new`
pub async fn new_form(
    _admin: AdminUser,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let form = ClientForm {
        alg: "RS256".to_owned(),
        ..ClientForm::default()
    };
    form_page(&state, lang, &session, None, &form, None, None)
}

/// The page that shows a new secret, this once.
fn secret_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    client_id: &str,
    secret: Option<&str>,
    notice: &str,
) -> Result<HttpResponse, WebError> {
    let mut ctx = tera::Context::new();
    ctx.insert("client_id", client_id);
    ctx.insert("secret", &secret);
    let template = "admin/client_secret.html";
    page(state, lang, session, template, ctx, Some(notice), None)
}

/// `POST /+admin/clients/new`: registers the client and shows its secret, once.
pub async fn add(
    form: AdminForm<ClientForm>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let added = match form.form.new_client() {
        Ok(spec) => admin_clients::add(&state.ctx, spec, &form.admin.actor).await,
        Err(e) => Err(e),
    };
    match added {
        Ok((client, secret)) => {
            let secret = secret.as_ref().map(|s| s.expose());
            let notice = "admin-client-done-added";
            secret_page(&state, lang, &session, &client.client_id, secret, notice)
        }
        Err(e) => match form_error(lang, &e) {
            Some(message) => form_page(
                &state,
                lang,
                &session,
                None,
                &form.form,
                Some(message),
                None,
            ),
            None => Err(e.into()),
        },
    }
}

async fn client_or_404(state: &AppState, id: &str) -> Result<ClientView, WebError> {
    match admin_clients::show(&state.ctx, id).await {
        Ok(client) => Ok(client),
        Err(ClientError::Unknown(_)) => Err(WebError::NOT_FOUND),
        Err(e) => Err(e.into()),
    }
}

/// `GET /+admin/clients/{id}`: the edit page.
pub async fn edit_form(
    _admin: AdminUser,
    id: web::Path<String>,
    done: web::Query<Done>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let client = client_or_404(&state, &id).await?;
    let form = ClientForm::of(&client);
    form_page(
        &state,
        lang,
        &session,
        Some(&client),
        &form,
        None,
        notice_of(&done),
    )
}

/// `POST /+admin/clients/{id}`: saves every setting of the edit page.
pub async fn edit(
    form: AdminForm<ClientForm>,
    id: web::Path<String>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let client = client_or_404(&state, &id).await?;
    let updated = match form.form.change() {
        Ok(change) => admin_clients::update(&state.ctx, &id, change, &form.admin.actor).await,
        Err(e) => Err(e),
    };
    match updated {
        Ok(_) => Ok(see_other(&format!("/+admin/clients/{id}?done=saved"))),
        Err(ClientError::Unknown(_)) => Err(WebError::NOT_FOUND),
        Err(e) => match form_error(lang, &e) {
            Some(message) => {
                let (client, form) = (Some(&client), &form.form);
                form_page(&state, lang, &session, client, form, Some(message), None)
            }
            None => Err(e.into()),
        },
    }
}

/// `POST /+admin/clients/{id}/rotate-secret`: shows the new secret, once.
pub async fn rotate_secret(
    form: AdminForm<NoFields>,
    id: web::Path<String>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    match admin_clients::rotate_secret(&state.ctx, &id, &form.admin.actor).await {
        Ok(secret) => {
            let notice = "admin-client-done-rotated";
            secret_page(&state, lang, &session, &id, Some(secret.expose()), notice)
        }
        Err(ClientError::Unknown(_)) => Err(WebError::NOT_FOUND),
        Err(ClientError::Public(_)) => {
            let client = client_or_404(&state, &id).await?;
            let message = lang.lang.text("admin-client-error-public");
            let form = ClientForm::of(&client);
            form_page(
                &state,
                lang,
                &session,
                Some(&client),
                &form,
                Some(message),
                None,
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /+admin/clients/{id}/remove`: asks to confirm.
pub async fn remove_form(
    _admin: AdminUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let client = client_or_404(&state, &id).await?;
    let mut ctx = tera::Context::new();
    ctx.insert("client", &client);
    page(
        &state,
        lang,
        &session,
        "admin/client_remove.html",
        ctx,
        None,
        None,
    )
}

/// `POST /+admin/clients/{id}/remove`: removes the client and its consents.
pub async fn remove(
    form: AdminForm<NoFields>,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    match admin_clients::remove(&state.ctx, &id, &form.admin.actor).await {
        Ok(()) => Ok(see_other("/+admin/clients?done=removed")),
        Err(ClientError::Unknown(_)) => Err(WebError::NOT_FOUND),
        Err(e) => Err(e.into()),
    }
}

/// Registers the console's client pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(read_only("/+admin/clients", show))
        .service(form("/+admin/clients/new", new_form, add))
        .service(post_only(
            "/+admin/clients/{id}/redirect-uris",
            redirect_uris,
        ))
        .service(post_only(
            "/+admin/clients/{id}/rotate-secret",
            rotate_secret,
        ))
        .service(form("/+admin/clients/{id}/remove", remove_form, remove))
        .service(form("/+admin/clients/{id}", edit_form, edit));
}
