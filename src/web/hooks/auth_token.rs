//! `AuthToken`: the extractor that guards every web hook. It reads the body (form or JSON),
//! takes the `token` field (or the `X-Webhook-Token` header) out of it and lets the handler run
//! only when the token is the site's.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::StatusCode;
use actix_web::http::header::RETRY_AFTER;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use secrecy::SecretString;
use serde_json::json;

use super::answer;
use super::fields::{FieldError, HookFields};
use crate::service::hooks::{HookAuthError, authenticate};
use crate::web::AppState;
use crate::web::error::cause_chain;
use crate::web::forms::origin;

/// The header a script may send the token in instead of the body.
pub const TOKEN_HEADER: &str = "x-webhook-token";

/// Proof that the call carried the site's web-hook token, and the body's other fields.
#[derive(Debug)]
pub struct AuthToken {
    /// The body's fields, without the token.
    pub fields: HookFields,
}

/// Why a hook call was refused before its handler ran.
#[derive(Debug, thiserror::Error)]
pub enum HookRejection {
    /// The body could not be read as fields.
    #[error(transparent)]
    Body(#[from] FieldError),
    /// The body is larger than a hook takes.
    #[error("the body is too large")]
    TooLarge,
    /// The body could not be read.
    #[error("the body could not be read")]
    Unreadable(#[source] actix_web::Error),
    /// The token check failed.
    #[error(transparent)]
    Auth(#[from] HookAuthError),
    /// The application state is missing (a wiring mistake).
    #[error("the application state is not configured")]
    NoState,
}

impl ResponseError for HookRejection {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Body(FieldError::UnsupportedType) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Body(_) | Self::Unreadable(_) | Self::Auth(HookAuthError::Missing) => {
                StatusCode::BAD_REQUEST
            }
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Auth(HookAuthError::Mismatch) => StatusCode::FORBIDDEN,
            Self::Auth(HookAuthError::Throttled { .. }) => StatusCode::TOO_MANY_REQUESTS,
            Self::Auth(HookAuthError::Database(_)) | Self::NoState => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let body = match self {
            // The one answer to every wrong token, whatever was sent.
            Self::Auth(HookAuthError::Mismatch) => {
                json!({"error": "authentication_token_mismatch"})
            }
            Self::Auth(HookAuthError::Missing) => json!({
                "error": "missing_token",
                "message": "send the web-hook token in the `token` field or the X-Webhook-Token header",
            }),
            Self::Auth(HookAuthError::Throttled { .. }) => json!({
                "error": "too_many_attempts",
                "message": "too many refused calls from this address; try again later",
            }),
            Self::Auth(HookAuthError::Database(e)) => {
                tracing::error!(error = %cause_chain(e), "web-hook authentication failed");
                json!({"error": "server_error"})
            }
            Self::NoState => {
                tracing::error!("web hooks are mounted without the application state");
                json!({"error": "server_error"})
            }
            Self::Body(_) | Self::TooLarge | Self::Unreadable(_) => {
                json!({"error": "invalid_request", "message": cause_chain(self)})
            }
        };
        let mut res = answer(status, &body);
        if let Self::Auth(HookAuthError::Throttled { retry_after }) = self
            && let Ok(value) = retry_after.to_string().try_into()
        {
            res.headers_mut().insert(RETRY_AFTER, value);
        }
        res
    }
}

impl FromRequest for AuthToken {
    type Error = HookRejection;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or(HookRejection::NoState)?;
            let body = body.await.map_err(|e| match e.as_error::<PayloadError>() {
                Some(PayloadError::Overflow) => HookRejection::TooLarge,
                _ => HookRejection::Unreadable(e),
            })?;
            let mut fields = HookFields::parse(&req, &body)?;
            let from_body = fields.take("token");
            let from_header = req
                .headers()
                .get(TOKEN_HEADER)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            let presented: Vec<SecretString> = [from_body, from_header]
                .into_iter()
                .flatten()
                .map(SecretString::from)
                .collect();
            let hook = req.path().rsplit('/').next().unwrap_or_default();
            authenticate(&state.ctx, &presented, hook, &origin(&req)).await?;
            Ok(Self { fields })
        })
    }
}
