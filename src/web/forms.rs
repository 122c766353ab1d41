//! Shared pieces of form handling: the origin of a request, redirects, and answers that must
//! not be cached.

use actix_web::http::header::{CACHE_CONTROL, LOCATION};
use actix_web::{HttpRequest, HttpResponse, web};

use super::AppState;

use crate::service::Origin;

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

/// 303 See Other to a local path, not cached.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .insert_header((CACHE_CONTROL, "no-store"))
        .finish()
}
