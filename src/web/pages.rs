//! The home page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::AppState;

/// `/`: what this site is.
pub async fn home(state: web::Data<AppState>) -> HttpResponse {
    let mut ctx = tera::Context::new();
    ctx.insert("site_name", "Latchkey");
    ctx.insert(
        "tagline",
        "Sign in once, and every site that trusts Latchkey knows you.",
    );
    state.templates.page(StatusCode::OK, "home.html", &ctx)
}
