//! HTTP, and only HTTP: routes, extractors, rendering and response headers. Handlers are thin:
//! extract, call a service, render or redirect.

pub mod errors;
pub mod headers;
pub mod health;
pub mod pages;
pub mod render;
pub mod static_files;

use actix_web::web;

use crate::service::Context;

/// Shared state every handler can read.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Storage, clock and hashing cost.
    pub ctx: Context,
    /// The configured public URL (never the Host header).
    pub public_url: String,
    /// Compiled templates.
    pub templates: render::Templates,
}

/// Registers every public route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(static_files::serve)
        .service(pages::home);
}
