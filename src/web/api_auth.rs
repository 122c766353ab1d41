//! `ApiKeyAuth`: the extractor of API routes. It takes a key from `X-API-Key`,
//! `Authorization: Bearer` or `X-BUGZILLA-API-KEY` (and from the `Bugzilla_api_key` / `api_key`
//! query parameters only where the operator allows it). Browser pages never use it.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{RETRY_AFTER, WWW_AUTHENTICATE};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use serde_json::json;

use super::AppState;
use super::authorization::{AuthorizationError, authorization};
use super::error::cause_chain;
use super::forms::origin;
use super::hooks::answer;
use crate::domain::api_key::ApiKey;
use crate::service::account::AccountView;
use crate::service::api_keys::{KeyAuthError, authenticate};

const HEADERS: [&str; 2] = ["x-api-key", "x-bugzilla-api-key"];
const QUERY_PARAMETERS: [&str; 2] = ["Bugzilla_api_key", "api_key"];

/// The key a request was authenticated with, and its owner.
#[derive(Debug)]
pub struct ApiKeyAuth {
    /// The key.
    pub key: ApiKey,
    /// Its active owner.
    pub owner: AccountView,
}

/// Why an API request was refused.
#[derive(Debug, thiserror::Error)]
pub enum ApiAuthError {
    /// No key anywhere.
    #[error("send an API key in the X-API-Key header")]
    Missing,
    /// Several different keys.
    #[error("more than one API key was sent")]
    Ambiguous,
    /// The `Authorization` header comes more than once.
    #[error(transparent)]
    Authorization(#[from] AuthorizationError),
    /// A key in the URL, where the operator does not allow it.
    #[error("API keys are not accepted in the URL on this server: send the X-API-Key header")]
    InUrl,
    /// The key check failed.
    #[error(transparent)]
    Key(#[from] KeyAuthError),
    /// The application state is missing (a wiring mistake).
    #[error("the application state is not configured")]
    NoState,
}

impl ResponseError for ApiAuthError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Missing | Self::Key(KeyAuthError::Invalid) => StatusCode::UNAUTHORIZED,
            Self::Ambiguous | Self::Authorization(_) | Self::InUrl => StatusCode::BAD_REQUEST,
            Self::Key(KeyAuthError::Throttled { .. }) => StatusCode::TOO_MANY_REQUESTS,
            Self::Key(KeyAuthError::Database(_)) | Self::NoState => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    fn error_response(&self) -> HttpResponse {
        let code = match self {
            Self::Missing => "missing_api_key",
            Self::Ambiguous | Self::Authorization(_) => "ambiguous_api_key",
            Self::InUrl => "api_key_in_url_not_allowed",
            Self::Key(KeyAuthError::Invalid) => "invalid_api_key",
            Self::Key(KeyAuthError::Throttled { .. }) => "too_many_attempts",
            Self::Key(KeyAuthError::Database(e)) => {
                tracing::error!(error = %cause_chain(e), "API-key authentication failed");
                "server_error"
            }
            Self::NoState => "server_error",
        };
        let message = match self {
            Self::Key(KeyAuthError::Database(_)) | Self::NoState => String::new(),
            other => other.to_string(),
        };
        let mut res = answer(
            self.status_code(),
            &json!({"error": code, "message": message}),
        );
        if self.status_code() == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                WWW_AUTHENTICATE,
                actix_web::http::header::HeaderValue::from_static("Bearer realm=\"latchkey\""),
            );
        }
        if let Self::Key(KeyAuthError::Throttled { retry_after }) = self
            && let Ok(value) = retry_after.to_string().try_into()
        {
            res.headers_mut().insert(RETRY_AFTER, value);
        }
        res
    }
}

/// Every key the request carries, and whether one came in the URL.
fn presented_keys(req: &HttpRequest) -> Result<(Vec<String>, bool), AuthorizationError> {
    let mut keys = Vec::new();
    for name in HEADERS {
        for value in req.headers().get_all(name) {
            keys.push(String::from_utf8_lossy(value.as_bytes()).trim().to_owned());
        }
    }
    if let Some(token) = authorization(req)?
        .as_ref()
        .and_then(|h| h.credentials_for("Bearer"))
    {
        keys.push(token.to_owned());
    }
    let mut in_url = false;
    for (name, value) in url::form_urlencoded::parse(req.query_string().as_bytes()) {
        if QUERY_PARAMETERS.contains(&name.as_ref()) {
            in_url = true;
            keys.push(value.trim().to_owned());
        }
    }
    keys.retain(|k| !k.is_empty());
    keys.sort();
    keys.dedup();
    Ok((keys, in_url))
}

impl FromRequest for ApiKeyAuth {
    type Error = ApiAuthError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or(ApiAuthError::NoState)?;
            let (keys, in_url) = presented_keys(&req)?;
            if in_url && !state.ctx.api_keys.allow_query_parameter {
                return Err(ApiAuthError::InUrl);
            }
            let key = match keys.as_slice() {
                [] => return Err(ApiAuthError::Missing),
                [one] => one,
                _ => return Err(ApiAuthError::Ambiguous),
            };
            let (key, owner) = authenticate(&state.ctx, key, &origin(&req)).await?;
            Ok(Self { key, owner })
        })
    }
}
