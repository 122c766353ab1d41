//! The home page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::AppState;
use super::lang::RequestLang;

/// `/`: what this site is.
pub async fn home(state: web::Data<AppState>, lang: RequestLang) -> HttpResponse {
    state.page(lang, StatusCode::OK, "home.html", tera::Context::new())
}
