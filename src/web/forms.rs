//! Shared pieces of form handling: the strict form extractor, the origin of a request,
//! redirects, and answers that must not be cached.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, ORIGIN};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::de::DeserializeOwned;

use super::AppState;
use super::lang::RequestLang;

use crate::domain::PasswordError;
use crate::domain::form::decode_form;
use crate::domain::request_site::from_another_site;
use crate::service::Origin;

/// A form body read strictly, for the browser forms: instead of actix's `web::Form`, which
/// replaces bytes that are not UTF-8 with U+FFFD, a field that is not UTF-8 gets the
/// localised 400 page and reaches no handler. Another content type gets 415, a body over the
/// limit 413 (`PayloadConfig`). A form carrying a CSRF token (or a consent decision or logout
/// confirmation) that was sent from another site gets a 403 page, valid token or not.
#[derive(Debug)]
pub struct Form<T>(pub T);

impl<T> Form<T> {
    /// The fields.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Form<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let (_, form) = read_form(&req, body.await?)?;
            Ok(form)
        })
    }
}

/// A form's fields, in order.
pub(super) type Fields = Vec<(String, String)>;

/// Reads a form body strictly (see `Form`): its fields in order, and the parsed form.
pub(super) fn read_form<T: DeserializeOwned>(
    req: &HttpRequest,
    body: web::Bytes,
) -> Result<(Fields, Form<T>), actix_web::Error> {
    if !is_form(req) {
        return Err(refusal(req, StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
    let Ok(fields) = decode_form(&body) else {
        return Err(refusal(req, StatusCode::BAD_REQUEST));
    };
    if fields
        .iter()
        .any(|(name, _)| GUARDED.contains(&name.as_str()))
        && sent_from_another_site(req)
    {
        tracing::warn!(path = %req.path(), "a form from another site was refused");
        return Err(cross_site_refusal(req));
    }
    // Known to be UTF-8 now, so this decodes to the same text.
    let form = serde_urlencoded::from_bytes(&body)
        .map(Form)
        .map_err(|_| refusal(req, StatusCode::BAD_REQUEST))?;
    Ok((fields, form))
}

/// Fields that only the site's own forms carry: the CSRF token, the consent decision and the
/// logout confirmation. A form with one of them is refused when it comes from another site; a
/// relying party's authorization request or logout (`POST /authorize`, `POST /logout`), which
/// legitimately comes from another site, carries none of them.
const GUARDED: [&str; 3] = ["csrf_token", "decision", "confirm"];

/// Whether the request was sent from another site than the configured public URL's
/// (`domain::request_site` has the rules).
fn sent_from_another_site(req: &HttpRequest) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let own_origin = req
        .app_data::<web::Data<AppState>>()
        .and_then(|state| url::Url::parse(&state.ctx.public_url).ok())
        .map(|url| url.origin().ascii_serialization())
        .unwrap_or_default();
    // A header that is not text is not an origin this site could have sent.
    let origin = req.headers().get(ORIGIN).map(|v| v.to_str().unwrap_or("?"));
    from_another_site(origin, header("sec-fetch-site"), &own_origin)
}

/// The localised 403 page for a form sent from another site.
fn cross_site_refusal(req: &HttpRequest) -> actix_web::Error {
    let answer = match req.app_data::<web::Data<AppState>>() {
        Some(state) => {
            let lang = RequestLang::of(req);
            state.message_page(
                lang,
                StatusCode::FORBIDDEN,
                &lang.lang.text("error-cross-site"),
                &lang.lang.text("error-cross-site-detail"),
            )
        }
        None => HttpResponse::Forbidden()
            .content_type("text/plain; charset=utf-8")
            .body("Forms from other sites are not accepted."),
    };
    InternalError::from_response("form from another site", answer).into()
}

/// Whether the body is declared form-encoded.
fn is_form(req: &HttpRequest) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| {
            essence
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// The localised page saying the form could not be read.
fn refusal(req: &HttpRequest, status: StatusCode) -> actix_web::Error {
    let answer = match req.app_data::<web::Data<AppState>>() {
        Some(state) => {
            let lang = RequestLang::of(req);
            state.message_page(
                lang,
                status,
                &lang.lang.text("error-bad-request"),
                &lang.lang.text("login-error-bad-request"),
            )
        }
        None => HttpResponse::build(status)
            .content_type("text/plain; charset=utf-8")
            .body("The form could not be read."),
    };
    InternalError::from_response("unreadable form", answer).into()
}

/// What the form says when a new password is refused.
pub fn password_refusal(lang: crate::i18n::Lang, error: &PasswordError) -> String {
    lang.text(match error {
        PasswordError::TooLong => "form-error-password-long",
        PasswordError::Blank => "form-error-password-blank",
        PasswordError::TooCommon => "form-error-password-common",
        PasswordError::TooShort | PasswordError::Parameters(_) | PasswordError::MalformedHash => {
            "form-error-password-short"
        }
    })
}

/// Where a request came from, for the audit trail and throttling: the peer's address, or the
/// client named by `X-Forwarded-For` when the peer is a configured trusted proxy.
pub fn origin(req: &HttpRequest) -> Origin {
    let remote_addr = match req.peer_addr() {
        None => "unknown".to_owned(),
        Some(peer) => {
            let forwarded: Vec<&str> = req
                .headers()
                .get_all("x-forwarded-for")
                .filter_map(|v| v.to_str().ok())
                .collect();
            req.app_data::<web::Data<AppState>>()
                .map_or(peer.ip(), |state| {
                    state.proxies.client_ip(peer.ip(), &forwarded)
                })
                .to_string()
        }
    };
    Origin {
        remote_addr,
        request_path: Some(req.path().to_owned()),
    }
}

/// The value of a secret field the form left out.
pub fn empty_secret() -> secrecy::SecretString {
    secrecy::SecretString::from(String::new())
}

/// 303 See Other to a local path, not cached.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .insert_header((CACHE_CONTROL, "no-store"))
        .finish()
}
