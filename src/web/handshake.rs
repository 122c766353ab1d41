//! `/token/{token}/+bugtracker-handshake`: an external bug tracker proves it holds a token.

use actix_web::http::header::ALLOW;
use actix_web::{HttpResponse, web};

use super::AppState;
use super::errors::internal_error;
use crate::service::handshake::consume;

fn text(mut res: actix_web::HttpResponseBuilder, body: &'static str) -> HttpResponse {
    res.content_type("text/plain; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

/// `POST`: 200 once per token, 410 for anything else.
pub async fn post(state: web::Data<AppState>, path: web::Path<String>) -> HttpResponse {
    match consume(&state.ctx, &path).await {
        Ok(true) => text(HttpResponse::Ok(), "Handshake token validated."),
        Ok(false) => text(
            HttpResponse::Gone(),
            "Token has already been used or is invalid.",
        ),
        Err(e) => internal_error(&e),
    }
}

/// Any other method: 405, and the token is left alone.
pub async fn other_method() -> HttpResponse {
    let mut res = HttpResponse::MethodNotAllowed();
    res.insert_header((ALLOW, "POST"));
    text(
        res,
        "Only POST requests are accepted for bugtracker handshakes.",
    )
}

/// `GET /token/{token}`: what a token is for, and whether it still works (never consumed).
pub async fn info(
    state: web::Data<AppState>,
    lang: super::lang::RequestLang,
    path: web::Path<String>,
) -> HttpResponse {
    let hash = crate::domain::PlainToken::from_presented(&path).hash();
    let info = match crate::db::login_tokens::token_info(state.ctx.db.pool(), &hash).await {
        Ok(Some(info)) => info,
        Ok(None) => return super::errors::not_found_response(),
        Err(e) => return internal_error(&e),
    };
    let l = lang.lang;
    let token_state = if info.consumed_at.is_some() {
        l.text("token-state-used")
    } else if info.expires_at <= state.ctx.clock.now() {
        l.text("token-state-expired")
    } else {
        l.text("token-state-valid")
    };
    let mut ctx = tera::Context::new();
    ctx.insert(
        "purpose",
        &l.text(&format!("token-purpose-{}", info.kind.as_str())),
    );
    ctx.insert("token_state", &token_state);
    state.page(
        lang,
        actix_web::http::StatusCode::OK,
        "token/info.html",
        ctx,
    )
}
