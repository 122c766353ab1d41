//! Security headers on every response, and the request id echoed back.

use actix_web::HttpResponse;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::DefaultHeaders;

/// Headers every response carries.
const ALWAYS: [(&str, &str); 5] = [
    (
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
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
