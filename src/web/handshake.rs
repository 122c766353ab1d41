//! `/token/{token}/+bugtracker-handshake`: an external bug tracker proves it holds a token; and
//! `/token/{token}`, the page that says what a token is for.

use actix_web::http::StatusCode;
use actix_web::http::header::{ALLOW, CACHE_CONTROL};
use actix_web::{HttpResponse, HttpResponseBuilder, web};

use super::AppState;
use super::error::WebError;
use super::lang::RequestLang;
use crate::service::handshake::{TokenState, consume, describe};

fn text(mut res: HttpResponseBuilder, body: &'static str) -> HttpResponse {
    res.content_type("text/plain; charset=utf-8")
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(body)
}

/// `POST`: 200 once per token, 410 for anything else.
pub async fn post(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    Ok(if consume(&state.ctx, &path).await? {
        text(HttpResponse::Ok(), "Handshake token validated.")
    } else {
        text(
            HttpResponse::Gone(),
            "Token has already been used or is invalid.",
        )
    })
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

/// `GET /token/{token}`: what a token is for, and whether it still works (never consumed). An
/// unknown token gets the 404 page, whoever asks: this address is a page.
pub async fn info(
    state: web::Data<AppState>,
    lang: RequestLang,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let l = lang.lang;
    let Some(token) = describe(&state.ctx, &path).await? else {
        return Ok(state.message_page(
            lang,
            StatusCode::NOT_FOUND,
            &l.text("token-unknown-title"),
            &l.text("token-unknown"),
        ));
    };
    let token_state = match token.state {
        TokenState::Used => l.text("token-state-used"),
        TokenState::Expired => l.text("token-state-expired"),
        TokenState::Valid => l.text("token-state-valid"),
    };
    let mut ctx = tera::Context::new();
    ctx.insert(
        "purpose",
        &l.text(&format!("token-purpose-{}", token.kind.as_str())),
    );
    ctx.insert("token_state", &token_state);
    Ok(state.page(lang, StatusCode::OK, "token/info.html", ctx))
}
