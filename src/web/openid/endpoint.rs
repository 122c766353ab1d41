//! `GET` and `POST /+openid`, the OpenID 2.0 provider endpoint: reads the `openid.*` fields
//! strictly (query or form body, each key once) and dispatches on `openid.mode`. Direct modes
//! answer Key-Value text; errors are 400 Key-Value answers (§5.1.2.2). No CSRF token: it is a
//! protocol endpoint, like `/token`.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::domain::form::decode_form;
use crate::domain::openid::kv::{NS, encode};
use crate::service::openid::associate::{associate, field};
use crate::service::openid::check_authentication::check_authentication;
use crate::service::openid::error::OpenIdError;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::lang::RequestLang;
use crate::web::openid::checkid::answer as answer_checkid;
use crate::web::session::TypedSession;

/// The largest request (query or body) read, in bytes.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024;

/// Registers `/+openid`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/+openid")
            .app_data(web::PayloadConfig::new(MAX_REQUEST_BYTES))
            .route(web::get().to(get))
            .route(web::post().to(post))
            .default_service(web::to(|| async {
                crate::web::errors::method_not_allowed("GET, POST")
            })),
    );
}

async fn get(
    req: HttpRequest,
    app: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let query = req.query_string();
    if query.len() > MAX_REQUEST_BYTES {
        return Ok(malformed("request too large"));
    }
    dispatch(&req, &app, query.as_bytes(), lang, &session).await
}

async fn post(
    req: HttpRequest,
    body: web::Bytes,
    app: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !is_form {
        return Ok(malformed(
            "the body must be application/x-www-form-urlencoded",
        ));
    }
    dispatch(&req, &app, &body, lang, &session).await
}

/// The `openid.*` pairs of a request: UTF-8, each key at most once.
fn openid_pairs(raw: &[u8]) -> Result<Vec<(String, String)>, &'static str> {
    let pairs: Vec<(String, String)> = decode_form(raw)
        .map_err(|_| "a field is not UTF-8")?
        .into_iter()
        .filter(|(k, _)| k.starts_with("openid."))
        .collect();
    for (i, (key, _)) in pairs.iter().enumerate() {
        if pairs[..i].iter().any(|(k, _)| k == key) {
            return Err("a field is repeated");
        }
    }
    Ok(pairs)
}

/// Whether the request came over https: a TLS listener, or a trusted proxy saying so.
fn over_https(req: &HttpRequest, app: &AppState) -> bool {
    if req.app_config().secure() {
        return true;
    }
    let proto: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-proto")
        .filter_map(|v| v.to_str().ok())
        .collect();
    req.peer_addr()
        .is_some_and(|peer| app.proxies.forwarded_https(peer.ip(), &proto))
}

async fn dispatch(
    req: &HttpRequest,
    app: &AppState,
    raw: &[u8],
    lang: RequestLang,
    session: &TypedSession,
) -> Result<HttpResponse, WebError> {
    let pairs = match openid_pairs(raw) {
        Ok(pairs) => pairs,
        Err(why) => return Ok(malformed(why)),
    };
    if field(&pairs, "ns") != Some(NS) {
        return Ok(malformed("not an OpenID 2.0 request"));
    }
    let answer = match field(&pairs, "mode") {
        Some("associate") => associate(&app.ctx, &pairs, over_https(req, app)).await,
        Some("check_authentication") => check_authentication(&app.ctx, &pairs).await,
        // The browser's modes: pages and redirects, not Key-Value answers.
        Some("checkid_setup" | "checkid_immediate") => {
            return answer_checkid(app, req, lang, session, &pairs).await;
        }
        Some(_) => return Ok(malformed("unknown openid.mode")),
        None => return Ok(malformed("missing openid.mode")),
    };
    Ok(match answer {
        Ok(fields) => kv_response(actix_web::http::StatusCode::OK, &fields),
        Err(error) => error_response(&error),
    })
}

fn malformed(why: &'static str) -> HttpResponse {
    error_response(&OpenIdError::Malformed(why))
}

fn error_response(error: &OpenIdError) -> HttpResponse {
    match error.direct_answer() {
        Some(fields) => kv_response(actix_web::http::StatusCode::BAD_REQUEST, &fields),
        None => {
            tracing::error!(error = %error, "OpenID request failed");
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("Internal error")
        }
    }
}

fn kv_response(status: actix_web::http::StatusCode, fields: &[(String, String)]) -> HttpResponse {
    match encode(fields) {
        Ok(body) => HttpResponse::build(status)
            .insert_header(("Cache-Control", "no-store"))
            .content_type("text/plain; charset=utf-8")
            .body(body),
        Err(_) => HttpResponse::BadRequest()
            .content_type("text/plain; charset=utf-8")
            .body(format!("ns:{NS}\nerror:unanswerable request\n")),
    }
}
