//! Yadis/XRDS discovery (OpenID 2.0 §7.3): `/+xrds` for the OP identifier (also announced by
//! the home page, and answered there when `Accept` prefers it), and each claimed identifier's
//! page `/+id/{opaque}` with its `/+id/{opaque}/+xrds`. The pages say nothing about the person.

use actix_web::http::StatusCode;
use actix_web::http::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, HeaderName, HeaderValue, VARY};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::domain::openid::xrds::{
    XRDS_MEDIA_TYPE, claimed_identifier_document, op_identifier_document, prefers_xrds,
};
use crate::service::openid::identity::{identity_url, person_of};
use crate::web::error::WebError;
use crate::web::lang::RequestLang;
use crate::web::{AppState, read_only};

/// The header that points a Yadis client at the XRDS (Yadis 1.0 §6.2.5).
const XRDS_LOCATION: HeaderName = HeaderName::from_static("x-xrds-location");

/// Registers the discovery routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(read_only("/+xrds", op_xrds))
        .service(read_only("/+id/{opaque}", identity_page))
        .service(read_only("/+id/{opaque}/+xrds", identity_xrds));
}

/// The OP endpoint's URL.
pub fn endpoint_url(public_url: &str) -> String {
    format!("{public_url}/+openid")
}

/// Whether the request's `Accept` prefers the XRDS to the page.
pub fn wants_xrds(req: &HttpRequest) -> bool {
    prefers_xrds(req.headers().get(ACCEPT).and_then(|v| v.to_str().ok()))
}

/// The OP identifier's XRDS, as `/+xrds` and a negotiating home page answer it.
pub fn op_xrds_response(state: &AppState) -> HttpResponse {
    let body = op_identifier_document(&endpoint_url(&state.ctx.public_url));
    xrds_response(body)
}

/// The home page (or any page of the OP identifier) with its `X-XRDS-Location` and the `Vary`
/// that tells caches the answer depends on `Accept`.
pub fn announce_op_xrds(res: HttpResponse, state: &AppState) -> HttpResponse {
    announce(res, &format!("{}/+xrds", state.ctx.public_url))
}

/// `GET /+xrds`
async fn op_xrds(state: web::Data<AppState>) -> HttpResponse {
    op_xrds_response(&state)
}

/// `GET /+id/{opaque}`: the identifier's page with its `<link>` elements, or its XRDS when
/// `Accept` prefers that; 404 unless it names an active individual.
async fn identity_page(
    state: web::Data<AppState>,
    lang: RequestLang,
    opaque: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let local_id = known_identity(&state, &opaque).await?;
    let endpoint = endpoint_url(&state.ctx.public_url);
    if wants_xrds(&req) {
        let res = xrds_response(claimed_identifier_document(&endpoint, &local_id));
        return Ok(vary_on_accept(res));
    }
    let mut ctx = tera::Context::new();
    ctx.insert("provider", &endpoint);
    ctx.insert("local_id", &local_id);
    let page = state.page(lang, StatusCode::OK, "openid/identity.html", ctx);
    Ok(announce(page, &format!("{local_id}/+xrds")))
}

/// `GET /+id/{opaque}/+xrds`
async fn identity_xrds(
    state: web::Data<AppState>,
    opaque: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let local_id = known_identity(&state, &opaque).await?;
    let endpoint = endpoint_url(&state.ctx.public_url);
    Ok(xrds_response(claimed_identifier_document(
        &endpoint, &local_id,
    )))
}

/// The identifier URL of an opaque part naming an active individual; 404 otherwise.
async fn known_identity(state: &AppState, opaque: &str) -> Result<String, WebError> {
    match person_of(&state.ctx, opaque).await? {
        Some(_) => Ok(identity_url(&state.ctx.public_url, opaque)),
        None => Err(WebError::NOT_FOUND),
    }
}

fn xrds_response(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, XRDS_MEDIA_TYPE))
        // An identifier stops resolving the moment its account closes: never cached.
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(body)
}

fn announce(res: HttpResponse, xrds_url: &str) -> HttpResponse {
    let mut res = vary_on_accept(res);
    if let Ok(value) = HeaderValue::from_str(xrds_url) {
        res.headers_mut().insert(XRDS_LOCATION, value);
    }
    res
}

fn vary_on_accept(mut res: HttpResponse) -> HttpResponse {
    res.headers_mut()
        .append(VARY, HeaderValue::from_static("Accept"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_is_below_the_public_url() {
        assert_eq!(
            endpoint_url("https://id.example"),
            "https://id.example/+openid"
        );
    }
}
