//! HTTP, and only HTTP: routes, extractors, rendering and response headers. Handlers are thin:
//! extract, call a service, render or redirect.

pub mod errors;
pub mod headers;
pub mod health;
pub mod lang;
pub mod pages;
pub mod static_files;

use actix_web::dev::HttpServiceFactory;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, Handler, HttpResponse, Responder, guard, web};

use crate::service::Context;

/// Shared state every handler can read.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Storage, clock and hashing cost.
    pub ctx: Context,
    /// The configured public URL (never the Host header).
    pub public_url: String,
    /// Compiled templates.
    pub templates: crate::templates::Templates,
}

impl AppState {
    /// Renders a template as an HTML page in the request's language, with the given status; a
    /// rendering failure becomes a plain 500 (and is logged).
    pub fn page(
        &self,
        lang: lang::RequestLang,
        status: StatusCode,
        name: &str,
        mut context: tera::Context,
    ) -> HttpResponse {
        context.insert("lang", lang.lang.tag());
        match self.templates.render(name, &context) {
            Ok(body) => {
                let mut res = HttpResponse::build(status);
                lang.remember(&mut res);
                res.content_type("text/html; charset=utf-8").body(body)
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

/// Registers every public route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(read_only("/healthz", health::healthz))
        .service(read_only("/readyz", health::readyz))
        .service(read_only("/static/{path:.*}", static_files::serve))
        .service(read_only("/", pages::home));
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
