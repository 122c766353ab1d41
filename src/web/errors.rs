//! Answers for requests that match nothing or use a method their path does not serve, and
//! the short answer to a failure.

use actix_web::http::StatusCode;
use actix_web::http::header::ALLOW;
use actix_web::{HttpResponse, web};

use super::AppState;
use super::lang::RequestLang;

/// 405 with the methods the resource does serve.
pub fn method_not_allowed(allow: &'static str) -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header((ALLOW, allow))
        .content_type("text/plain; charset=utf-8")
        .body("Method not allowed")
}

/// The default service: TRACE, TRACK and CONNECT get 405 anywhere (known paths answer 405
/// for methods they do not serve themselves); anything else unmatched gets the 404 page.
/// The page is shown to every client, browser or not: an unknown address is a page's answer.
pub async fn not_found(state: web::Data<AppState>, req: actix_web::HttpRequest) -> HttpResponse {
    if matches!(req.method().as_str(), "TRACE" | "TRACK" | "CONNECT") {
        return method_not_allowed("GET, HEAD, POST");
    }
    let lang = RequestLang::of(&req);
    state.message_page(
        lang,
        StatusCode::NOT_FOUND,
        &lang.lang.text("error-not-found"),
        &lang.lang.text("error-not-found-detail"),
    )
}

/// The short answer to a failure: nothing of its cause. Browsers get the error page instead
/// (`error_pages`).
pub fn internal_error_response() -> HttpResponse {
    HttpResponse::InternalServerError()
        .insert_header(("Cache-Control", "no-store"))
        .content_type("text/plain; charset=utf-8")
        .body("Internal error. The problem has been logged.")
}
