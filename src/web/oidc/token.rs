//! `POST /token`: a code, a refresh token or a client's own credentials exchanged for tokens.

use actix_web::{HttpRequest, HttpResponse, web};

use super::super::AppState;
use super::super::error::{OAuthError, WebError};
use super::super::forms::origin;
use super::oauth::{no_store, read_client_request};
use crate::domain::token_request::TokenRequest;
use crate::service::oidc::token::exchange;

/// `POST /token`
pub async fn token(
    app: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (fields, auth) = read_client_request(&req, &body)?;
    let request = TokenRequest {
        grant_type: fields.text("grant_type"),
        code: fields.secret("code"),
        redirect_uri: fields.text("redirect_uri"),
        code_verifier: fields.secret("code_verifier"),
        refresh_token: fields.secret("refresh_token"),
        scope: fields.text("scope"),
    };
    let tokens = exchange(&app.ctx, &auth, &request, &origin(&req))
        .await
        .map_err(OAuthError::from)?;
    Ok(no_store().json(tokens))
}
