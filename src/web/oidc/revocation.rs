//! `POST /revoke` (RFC 7009) and `POST /introspect` (RFC 7662): a client asks about, or gives
//! up, a token it holds.

use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::SecretString;

use super::super::AppState;
use super::super::error::{OAuthError, WebError};
use super::super::forms::origin;
use super::oauth::{no_store, read_client_request};
use crate::service::oidc::client_auth::ClientAuth;
use crate::service::oidc::revocation;

/// The client's credentials and the `token` it names.
fn read_token_request(
    req: &HttpRequest,
    body: &[u8],
) -> Result<(ClientAuth, Option<SecretString>), OAuthError> {
    let (fields, auth) = read_client_request(req, body)?;
    Ok((auth, fields.secret("token")))
}

/// `POST /revoke`: 200 whatever the token was.
pub async fn revoke(
    app: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (auth, token) = read_token_request(&req, &body)?;
    revocation::revoke(&app.ctx, &auth, token.as_ref(), &origin(&req))
        .await
        .map_err(OAuthError::from)?;
    Ok(no_store().finish())
}

/// `POST /introspect`
pub async fn introspect(
    app: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (auth, token) = read_token_request(&req, &body)?;
    let answer = revocation::introspect(&app.ctx, &auth, token.as_ref(), &origin(&req))
        .await
        .map_err(OAuthError::from)?;
    Ok(no_store().json(answer))
}
