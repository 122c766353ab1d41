//! Web hooks for operators' scripts: `POST /hooks/*`, form or JSON in, JSON out, each guarded
//! by the site's shared token (`AuthToken`).

pub mod auth_token;
pub mod fields;
pub mod handlers;

use actix_web::http::StatusCode;
use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpResponse, web};
use serde_json::json;

use self::fields::FieldError;
use super::error::cause_chain;
use super::post_only;

/// The largest body a hook reads.
pub const MAX_HOOK_BODY: usize = 16 * 1024;

/// Registers the hooks under `/hooks`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/hooks")
            .app_data(web::PayloadConfig::new(MAX_HOOK_BODY))
            .service(post_only("/placeholder", handlers::placeholder))
            .service(post_only("/team-address", handlers::team_address))
            .service(post_only("/bugtracker-token", handlers::bugtracker_token)),
    );
}

/// A JSON answer that is never cached.
pub fn answer(status: StatusCode, body: &serde_json::Value) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(body)
}

/// 400 naming what is wrong with the input, and why.
pub fn invalid(e: &FieldError) -> HttpResponse {
    answer(
        StatusCode::BAD_REQUEST,
        &json!({"error": "invalid_request", "message": cause_chain(e)}),
    )
}
