//! `GET/POST /userinfo`: the claims a bearer access token's scopes allow (OIDC Core §5.3),
//! refused as RFC 6750 §3.1 says.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::SecretString;

use super::super::AppState;
use super::super::authorization::authorization;
use super::super::error::{OAuthError, WebError};
use super::oauth::no_store;
use crate::service::oidc::userinfo::{UserInfoError, userinfo as claims};

/// A bearer-token refusal, with its `WWW-Authenticate` challenge.
fn bearer_refusal(status: StatusCode, code: &'static str, description: Option<String>) -> WebError {
    let mut refusal = OAuthError::new(status, code, description);
    refusal.challenge = Some(format!("Bearer error=\"{code}\""));
    WebError::OAuth(refusal)
}

/// The answer to a refused or failed UserInfo request.
fn refusal(e: UserInfoError) -> WebError {
    match e {
        UserInfoError::InvalidToken => {
            bearer_refusal(StatusCode::UNAUTHORIZED, "invalid_token", None)
        }
        UserInfoError::InsufficientScope => {
            bearer_refusal(StatusCode::FORBIDDEN, "insufficient_scope", None)
        }
        UserInfoError::Database(e) => e.into(),
    }
}

/// `GET/POST /userinfo`
pub async fn userinfo(
    app: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    // RFC 6750 §3.1: a malformed request is 400 invalid_request; a missing token 401.
    let header = authorization(&req).map_err(|e| {
        bearer_refusal(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            Some(e.to_string()),
        )
    })?;
    let token = header
        .as_ref()
        .and_then(|h| h.credentials_for("Bearer"))
        .filter(|t| !t.is_empty())
        .map(|t| SecretString::from(t.to_owned()))
        .ok_or_else(|| bearer_refusal(StatusCode::UNAUTHORIZED, "invalid_request", None))?;
    let claims = claims(&app.ctx, &token).await.map_err(refusal)?;
    Ok(no_store().json(claims))
}
