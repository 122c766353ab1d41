//! `CsrfJson<T>`: a JSON request of the site's own scripts, accepted only when it carries this
//! session's CSRF token, in the `X-CSRF-Token` header or a `csrf_token` field; and the JSON
//! shape of their refusals, `{"error": code, "message": text}`.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::de::DeserializeOwned;

use super::lang::RequestLang;
use super::session::TypedSession;

/// The header that carries the token.
pub const HEADER: &str = "x-csrf-token";
/// The field that may carry it instead.
const FIELD: &str = "csrf_token";

/// A JSON body whose CSRF token matched the session's (compared in constant time).
#[derive(Debug)]
pub struct CsrfJson<T>(pub T);

impl<T> CsrfJson<T> {
    /// The body.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for CsrfJson<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfJson<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let lang = RequestLang::of(&req);
            let refuse = |status, code, key: &str| {
                let answer = json_refusal(status, code, &lang.lang.text(key));
                actix_web::Error::from(InternalError::from_response(code, answer))
            };
            if !is_json(&req) {
                let status = StatusCode::UNSUPPORTED_MEDIA_TYPE;
                return Err(refuse(status, "not_json", "passkey-error-request"));
            }
            let body = body.await?;
            let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&body) else {
                return Err(refuse(
                    StatusCode::BAD_REQUEST,
                    "bad_json",
                    "passkey-error-request",
                ));
            };
            let field = value
                .as_object_mut()
                .and_then(|fields| fields.remove(FIELD))
                .and_then(|v| v.as_str().map(str::to_owned));
            let header = req
                .headers()
                .get(HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let presented = header.or(field).unwrap_or_default();
            if !TypedSession::of(&req).csrf_matches(&presented) {
                return Err(refuse(StatusCode::FORBIDDEN, "csrf", "login-error-csrf"));
            }
            serde_json::from_value(value)
                .map(Self)
                .map_err(|_| refuse(StatusCode::BAD_REQUEST, "bad_json", "passkey-error-request"))
        })
    }
}

/// Whether the body is declared JSON.
fn is_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// A refusal: `{"error": code, "message": message}` with its status, never cached.
pub fn json_refusal(status: StatusCode, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({"error": code, "message": message}))
}

/// A lockout: 429 with `Retry-After`.
pub fn json_locked(message: &str, wait: i64) -> HttpResponse {
    let mut answer = json_refusal(StatusCode::TOO_MANY_REQUESTS, "locked", message);
    if let Ok(value) = wait.to_string().parse() {
        answer.headers_mut().insert(RETRY_AFTER, value);
    }
    answer
}

/// An answer for the script: a JSON value, never cached.
pub fn json_answer(value: &impl serde::Serialize) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(value)
}
