//! HTTP, and only HTTP: routes, extractors, rendering and response headers. Handlers are thin:
//! extract, call a service, render or redirect.

pub mod access_log;
pub mod account;
pub mod admin;
pub mod api_auth;
pub mod authorization;
pub mod csrf_form;
pub mod csrf_json;
pub mod delegation;
pub mod device;
pub mod email_links;
pub mod enrolment;
pub mod error;
pub mod error_pages;
pub mod errors;
pub mod forms;
pub mod handshake;
pub mod headers;
pub mod health;
pub mod hooks;
pub mod lang;
pub mod lockout;
pub mod login;
pub mod me;
pub mod metrics;
pub mod middleware;
pub mod oidc;
pub mod openid;
pub mod pages;
pub mod passkeys;
pub mod rest;
pub mod second_step;
pub mod second_step_codes;
pub mod session;
pub mod session_store;
pub mod signed_in;
pub mod static_files;
pub mod xmlrpc;

use actix_web::dev::HttpServiceFactory;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, Handler, HttpResponse, Responder, guard, web};

use crate::service::Context;

/// Shared state every handler can read.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Storage, clock, templates and settings of the use cases.
    pub ctx: Context,
    /// The discovery document, built once (it depends only on the configured URL).
    pub discovery: String,
    /// The JWKS document, rebuilt at most once a second (and after a rotation here).
    pub jwks: std::sync::Arc<oidc::discovery::JwksCache>,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub proxies: crate::domain::proxy::TrustedProxies,
    /// What the public listener has answered, for `/metrics`.
    pub metrics: std::sync::Arc<crate::metrics::Metrics>,
    /// The key that encrypts session cookies and signs device cookies.
    pub cookie_key: device::CookieKey,
}

impl AppState {
    /// Renders a template as an HTML page in the request's language, with the given status, and
    /// for a signed-in person their name for the header (`me::add_to_page`); a rendering
    /// failure becomes a plain 500 (and is logged).
    pub fn page(
        &self,
        lang: lang::RequestLang,
        status: StatusCode,
        name: &str,
        mut context: tera::Context,
    ) -> HttpResponse {
        context.insert("lang", lang.lang.tag());
        me::add_to_page(&mut context);
        match self.ctx.templates.render(name, &context) {
            Ok(body) => {
                let mut res = HttpResponse::build(status);
                lang.remember(&mut res);
                // Pages carry CSRF tokens and personal data: never cached.
                res.insert_header(("Cache-Control", "no-store"))
                    .content_type("text/html; charset=utf-8")
                    .body(body)
            }
            Err(e) => {
                tracing::error!(error = %e, "rendering failed");
                HttpResponse::InternalServerError()
                    .content_type("text/plain; charset=utf-8")
                    .body("Internal error")
            }
        }
    }
}

impl AppState {
    /// Whether the site is served over https (cookies are then `Secure`).
    pub fn https(&self) -> bool {
        self.ctx.public_url.starts_with("https://")
    }

    /// A page with a heading and one message (`error.html`): refusals, 404, "signed out". An
    /// error status's page quotes the request id.
    pub fn message_page(
        &self,
        lang: lang::RequestLang,
        status: StatusCode,
        heading: &str,
        message: &str,
    ) -> HttpResponse {
        let reference = error_pages::reference_for(status);
        self.error_page(lang, status, heading, message, &reference)
    }

    /// The error page with a reference to quote (the request id), when there is one.
    pub fn error_page(
        &self,
        lang: lang::RequestLang,
        status: StatusCode,
        heading: &str,
        message: &str,
        reference: &str,
    ) -> HttpResponse {
        let mut ctx = tera::Context::new();
        ctx.insert("heading", heading);
        ctx.insert("message", message);
        ctx.insert("request_id", reference);
        self.page(lang, status, "error.html", ctx)
    }
}

/// Registers every public route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(read_only("/healthz", health::healthz))
        .service(read_only("/readyz", health::readyz))
        .service(read_only("/static/{path:.*}", static_files::serve))
        .service(read_only("/", pages::home))
        .service(read_only(
            "/.well-known/openid-configuration",
            oidc::discovery::openid_configuration,
        ))
        .service(read_only(
            "/.well-known/oauth-authorization-server",
            oidc::discovery::openid_configuration,
        ))
        .service(read_only("/jwks.json", oidc::discovery::jwks))
        .service(form(
            "/authorize",
            oidc::authorize::start,
            oidc::authorize::submit,
        ))
        .service(post_only("/token", oidc::token::token))
        .service(post_only("/revoke", oidc::revocation::revoke))
        .service(form("/logout", oidc::logout::start, oidc::logout::submit))
        .service(post_only("/introspect", oidc::revocation::introspect))
        .service(form(
            "/userinfo",
            oidc::userinfo::userinfo,
            oidc::userinfo::userinfo,
        ))
        .service(form("/+login", login::show, login::submit_form))
        .service(form(
            "/+login/second-step",
            second_step::show,
            second_step_codes::submit,
        ))
        .service(post_only("/+login/second-step/cancel", second_step::cancel))
        .configure(passkeys::routes)
        .service(form(
            "/token/{token}/+newaccount",
            email_links::show_new_account,
            email_links::submit_new_account,
        ))
        .service(form(
            "/token/{token}/+resetpassword",
            email_links::show_reset_password,
            email_links::submit_reset_password,
        ))
        .service(form(
            "/token/{token}/+validateemail",
            account::email_link::show,
            account::email_link::confirm,
        ))
        .service(
            web::resource("/token/{token}/+bugtracker-handshake")
                .route(web::post().to(handshake::post))
                .default_service(web::to(handshake::other_method)),
        )
        .service(read_only("/token/{token}", handshake::info))
        .configure(account::routes)
        .configure(admin::routes)
        .service(read_only("/rest/whoami", rest::whoami))
        .service(form("/auth.cgi", delegation::start, delegation::submit))
        .configure(hooks::routes)
        .configure(openid::discovery::routes)
        .configure(openid::endpoint::routes)
        .configure(openid::checkid::routes);
}

/// A resource with a page (GET, HEAD) and a form handler (POST); anything else gets 405.
pub fn form<G, GA, P, PA>(
    path: &str,
    get: G,
    post: P,
) -> impl HttpServiceFactory + use<G, GA, P, PA>
where
    G: Handler<GA>,
    GA: FromRequest + 'static,
    G::Output: Responder + 'static,
    P: Handler<PA>,
    PA: FromRequest + 'static,
    P::Output: Responder + 'static,
{
    web::resource(path)
        .route(
            web::route()
                .guard(guard::Any(guard::Get()).or(guard::Head()))
                .to(get),
        )
        .route(web::post().to(post))
        .default_service(web::to(|| async {
            errors::method_not_allowed("GET, HEAD, POST")
        }))
}

/// A resource that only accepts POST.
pub fn post_only<P, PA>(path: &str, post: P) -> impl HttpServiceFactory + use<P, PA>
where
    P: Handler<PA>,
    PA: FromRequest + 'static,
    P::Output: Responder + 'static,
{
    web::resource(path)
        .route(web::post().to(post))
        .default_service(web::to(|| async { errors::method_not_allowed("POST") }))
}

/// A resource answering GET and HEAD; any other method gets 405 with `Allow: GET, HEAD`.
pub fn read_only<F, Args>(path: &str, handler: F) -> impl HttpServiceFactory + use<F, Args>
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    web::resource(path)
        .route(
            web::route()
                .guard(guard::Any(guard::Get()).or(guard::Head()))
                .to(handler),
        )
        .default_service(web::to(|| async {
            errors::method_not_allowed("GET, HEAD")
        }))
}
