//! The home page.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::AppState;
use super::lang::RequestLang;
use super::openid::discovery::{announce_op_xrds, op_xrds_response, wants_xrds};

/// `/`: what this site is. It is also the OpenID 2.0 OP identifier: it announces its XRDS, and
/// answers with it when the request's `Accept` prefers it.
pub async fn home(state: web::Data<AppState>, lang: RequestLang, req: HttpRequest) -> HttpResponse {
    if wants_xrds(&req) {
        return announce_op_xrds(op_xrds_response(&state), &state);
    }
    let page = state.page(lang, StatusCode::OK, "home.html", tera::Context::new());
    announce_op_xrds(page, &state)
}
