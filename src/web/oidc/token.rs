//! `POST /token` and `GET/POST /userinfo`.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, PRAGMA, RETRY_AFTER, WWW_AUTHENTICATE};
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use serde_json::json;

use super::super::AppState;
use super::super::authorization::authorization;
use super::super::forms::origin;
use crate::db::grants::{GrantKind, find_live_grant};
use crate::db::people::find_person_by_id;
use crate::domain::form::decode_form;
use crate::domain::{PersonStatus, PlainToken};
use crate::service::oidc::claims::{LatchkeyUserInfoClaims, claims_for};
use crate::service::oidc::revocation;
use crate::service::oidc::token::{ClientAuth, TokenError, TokenRequest, exchange};

fn no_store(mut res: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
    res.insert_header((CACHE_CONTROL, "no-store"))
        .insert_header((PRAGMA, "no-cache"));
    res
}

fn token_error(e: &TokenError) -> HttpResponse {
    if let TokenError::Server(detail) = e {
        tracing::error!(error = %detail, "token endpoint failed");
    }
    let mut res = match e {
        TokenError::InvalidClient { .. } => HttpResponse::Unauthorized(),
        // 429, not 401: the credentials were not checked, and a 401 would tell a client whose
        // secret is right (locked by someone else's guesses) that it is wrong.
        TokenError::Throttled { .. } => HttpResponse::TooManyRequests(),
        TokenError::Server(_) => HttpResponse::InternalServerError(),
        _ => HttpResponse::BadRequest(),
    };
    match e {
        TokenError::InvalidClient { basic: true } => {
            res.insert_header((WWW_AUTHENTICATE, "Basic realm=\"latchkey\""));
        }
        TokenError::Throttled { retry_after } => {
            res.insert_header((RETRY_AFTER, retry_after.to_string()));
        }
        _ => {}
    }
    no_store(res).json(json!({"error": e.code(), "error_description": e.description()}))
}

/// Reads `Authorization: Basic` client credentials (RFC 6749 §2.3.1: form-encoded parts).
fn basic_credentials(req: &HttpRequest) -> Result<Option<(String, String)>, TokenError> {
    let header = authorization(req).map_err(|e| TokenError::InvalidRequest(e.to_string()))?;
    let Some(header) = header else {
        return Ok(None);
    };
    let bad = || TokenError::InvalidClient { basic: true };
    let encoded = header.credentials_for("Basic").ok_or_else(bad)?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|_| bad())?;
    let decoded = String::from_utf8(decoded).map_err(|_| bad())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(bad)?;
    let unescape = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Ok(Some((unescape(id), unescape(secret))))
}

/// Parses a form body, refusing duplicated parameters (RFC 6749 §3.2).
fn form_fields(req: &HttpRequest, body: &[u8]) -> Result<Vec<(String, String)>, TokenError> {
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(TokenError::InvalidRequest(
            "the body must be application/x-www-form-urlencoded".to_owned(),
        ));
    }
    let fields = decode_form(body).map_err(|e| TokenError::InvalidRequest(e.to_string()))?;
    for (i, (name, _)) in fields.iter().enumerate() {
        if fields[..i].iter().any(|(n, _)| n == name) {
            return Err(TokenError::InvalidRequest(format!(
                "{name} is given more than once"
            )));
        }
    }
    if !req.query_string().is_empty() {
        return Err(TokenError::InvalidRequest(
            "parameters belong in the body, not the URL".to_owned(),
        ));
    }
    Ok(fields)
}

fn field(fields: &[(String, String)], name: &str) -> Option<String> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// The client's credentials: HTTP Basic or form fields, never both.
fn client_auth(req: &HttpRequest, fields: &[(String, String)]) -> Result<ClientAuth, TokenError> {
    match basic_credentials(req)? {
        Some(_) if field(fields, "client_secret").is_some() => Err(TokenError::InvalidRequest(
            "use one client authentication method".to_owned(),
        )),
        Some((client_id, secret)) => Ok(ClientAuth {
            client_id,
            secret: Some(secret),
            basic: true,
        }),
        None => match field(fields, "client_id") {
            Some(client_id) => Ok(ClientAuth {
                client_id,
                secret: field(fields, "client_secret"),
                basic: false,
            }),
            None => Err(TokenError::InvalidClient { basic: false }),
        },
    }
}

/// The form fields and client credentials of a client-authenticated request.
fn read_request(
    req: &HttpRequest,
    body: &[u8],
) -> Result<(Vec<(String, String)>, ClientAuth), TokenError> {
    let fields = form_fields(req, body)?;
    let auth = client_auth(req, &fields)?;
    Ok((fields, auth))
}

/// `POST /revoke` (RFC 7009): 200 whatever the token was.
pub async fn revoke(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let (fields, auth) = match read_request(&req, &body) {
        Ok(r) => r,
        Err(e) => return token_error(&e),
    };
    match revocation::revoke(
        &state.ctx,
        &auth,
        field(&fields, "token").as_deref(),
        &origin(&req),
    )
    .await
    {
        Ok(()) => no_store(HttpResponse::Ok()).finish(),
        Err(e) => token_error(&e),
    }
}

/// `POST /introspect` (RFC 7662)
pub async fn introspect(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let (fields, auth) = match read_request(&req, &body) {
        Ok(r) => r,
        Err(e) => return token_error(&e),
    };
    match revocation::introspect(
        &state.ctx,
        &auth,
        field(&fields, "token").as_deref(),
        &origin(&req),
    )
    .await
    {
        Ok(answer) => no_store(HttpResponse::Ok()).json(answer),
        Err(e) => token_error(&e),
    }
}

/// `POST /token`
pub async fn token(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let (fields, auth) = match read_request(&req, &body) {
        Ok(r) => r,
        Err(e) => return token_error(&e),
    };
    let field = |name: &str| field(&fields, name);
    let request = TokenRequest {
        grant_type: field("grant_type"),
        code: field("code"),
        redirect_uri: field("redirect_uri"),
        code_verifier: field("code_verifier"),
        refresh_token: field("refresh_token"),
        scope: field("scope"),
    };
    match exchange(&state.ctx, &auth, &request, &origin(&req)).await {
        Ok(response) => no_store(HttpResponse::Ok()).json(response),
        Err(e) => token_error(&e),
    }
}

fn bearer_error(error: &str) -> HttpResponse {
    no_store(HttpResponse::Unauthorized())
        .insert_header((WWW_AUTHENTICATE, format!("Bearer error=\"{error}\"")))
        .json(json!({"error": error}))
}

/// `GET/POST /userinfo`: the claims the access token's scopes allow.
pub async fn userinfo(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let header = match authorization(&req) {
        Ok(header) => header,
        // RFC 6750 §3.1: a malformed request is 400 invalid_request.
        Err(e) => {
            return no_store(HttpResponse::BadRequest())
                .insert_header((WWW_AUTHENTICATE, "Bearer error=\"invalid_request\""))
                .json(json!({"error": "invalid_request", "error_description": e.to_string()}));
        }
    };
    let token = header
        .as_ref()
        .and_then(|h| h.credentials_for("Bearer"))
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return bearer_error("invalid_request");
    };
    let ctx = &state.ctx;
    let hash = PlainToken::from_presented(token).hash();
    let grant =
        match find_live_grant(ctx.db.pool(), &hash, GrantKind::Access, ctx.clock.now()).await {
            Ok(Some(g)) => g,
            Ok(None) => return bearer_error("invalid_token"),
            Err(e) => return super::super::errors::internal_error(&e),
        };
    let Some(person_id) = grant.person else {
        return bearer_error("invalid_token");
    };
    let person = match find_person_by_id(ctx.db.pool(), &person_id).await {
        Ok(Some(p)) if p.status == PersonStatus::Active => p,
        Ok(_) => return bearer_error("invalid_token"),
        Err(e) => return super::super::errors::internal_error(&e),
    };
    let scopes: Vec<&str> = grant.scopes.split_whitespace().collect();
    if !scopes.contains(&"openid") {
        return no_store(HttpResponse::Forbidden())
            .insert_header((WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\""))
            .json(json!({"error": "insufficient_scope"}));
    }
    match claims_for(ctx, &person, &scopes).await {
        Ok((standard, groups)) => {
            no_store(HttpResponse::Ok()).json(LatchkeyUserInfoClaims::new(standard, groups))
        }
        Err(e) => super::super::errors::internal_error(&e),
    }
}
