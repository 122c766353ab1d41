//! Security headers on every response, and the one page-specific relaxation: a form that ends
//! at a verified target on another site.

use actix_web::HttpResponse;
use actix_web::http::header::{CONTENT_SECURITY_POLICY, HeaderName, HeaderValue};
use actix_web::middleware::DefaultHeaders;

use super::error::WebError;
use crate::domain::content_policy::{self, FormTarget};

/// Headers every response carries.
const ALWAYS: [(&str, &str); 5] = [
    ("Content-Security-Policy", content_policy::SAME_SITE_FORMS),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
];

/// Added only when the public URL is https.
const HSTS: (&str, &str) = (
    "Strict-Transport-Security",
    "max-age=31536000; includeSubDomains",
);

fn for_scheme(https: bool) -> impl Iterator<Item = (&'static str, &'static str)> {
    ALWAYS.into_iter().chain(https.then_some(HSTS))
}

/// The middleware that adds the headers to every response a handler or middleware gives.
pub fn security_headers(https: bool) -> DefaultHeaders {
    for_scheme(https).fold(DefaultHeaders::new(), DefaultHeaders::add)
}

/// Adds the headers to an answer made outside the middleware (a failure turned into a page).
pub fn add_security_headers(res: &mut HttpResponse, https: bool) {
    for (name, value) in for_scheme(https) {
        if let Ok(name) = HeaderName::from_bytes(name.as_bytes()) {
            res.headers_mut()
                .insert(name, HeaderValue::from_static(value));
        }
    }
}

/// Lets this page's forms end at `target` (a verified redirect URI, post-logout URI or
/// delegation callback): its origin joins `form-action`. The middleware leaves a policy that a
/// handler set alone; without a target the page keeps the site-only policy.
pub fn with_form_target(mut res: HttpResponse, target: Option<&str>) -> HttpResponse {
    let Some(target) = target.and_then(FormTarget::of) else {
        return res;
    };
    if let Ok(value) = HeaderValue::from_str(&content_policy::policy(&target)) {
        res.headers_mut().insert(CONTENT_SECURITY_POLICY, value);
    }
    res
}

/// Lets the page's forms end where the sign-in request behind a local `next` target would send
/// the browser (its verified redirect URI); otherwise the page keeps the site-only policy.
pub async fn with_sign_in_request_target(
    ctx: &crate::service::Context,
    page: HttpResponse,
    next: Option<&str>,
) -> Result<HttpResponse, WebError> {
    let Some(next) = next.and_then(crate::domain::redirect::local_next) else {
        return Ok(page);
    };
    let destination = match crate::service::oidc::authorize::final_destination(ctx, next).await? {
        Some(destination) => Some(destination),
        None => crate::service::openid::assertion::destination_of(ctx, next),
    };
    Ok(with_form_target(page, destination.as_deref()))
}
