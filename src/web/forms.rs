//! Shared pieces of form handling: the origin of a request, redirects, and answers that must
//! not be cached.

use actix_web::http::header::{CACHE_CONTROL, LOCATION};
use actix_web::{HttpRequest, HttpResponse};

use crate::service::Origin;

/// Where a request came from, for the audit trail and throttling: the peer's address (proxy
/// headers are not trusted).
pub fn origin(req: &HttpRequest) -> Origin {
    Origin {
        remote_addr: req
            .peer_addr()
            .map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string()),
        request_path: Some(req.path().to_owned()),
    }
}

/// 303 See Other to a local path, not cached.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .insert_header((CACHE_CONTROL, "no-store"))
        .finish()
}
