//! What the client-authenticated OAuth endpoints (`/token`, `/revoke`, `/introspect`) share:
//! reading the form body and the client's credentials, the RFC 6749 error a `TokenError` is
//! answered with, and answers that are never cached.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, PRAGMA};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use base64::Engine;
use secrecy::SecretString;

use super::super::authorization::authorization;
use super::super::error::{OAuthError, cause_chain};
use crate::domain::form::decode_form;
use crate::service::oidc::client_auth::ClientAuth;
use crate::service::oidc::token_error::TokenError;

/// A 200 answer that no cache keeps (RFC 6749 §5.1).
pub fn no_store() -> HttpResponseBuilder {
    let mut answer = HttpResponse::Ok();
    answer
        .insert_header((CACHE_CONTROL, "no-store"))
        .insert_header((PRAGMA, "no-cache"));
    answer
}

impl From<TokenError> for OAuthError {
    fn from(e: TokenError) -> Self {
        let status = match &e {
            TokenError::Refused(_) => StatusCode::BAD_REQUEST,
            TokenError::InvalidClient { .. } => StatusCode::UNAUTHORIZED,
            // 429, not 401: the credentials were not checked, and a 401 would tell a client
            // whose secret is right (locked by someone else's guesses) that it is wrong.
            TokenError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            TokenError::Server(_) => {
                // The one place a token endpoint's own failure is logged, inside the
                // request's span.
                tracing::error!(error = %cause_chain(&e), "token endpoint failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut answer = Self::new(status, e.code(), Some(e.description()));
        match e {
            TokenError::InvalidClient { basic: true } => {
                answer.challenge = Some("Basic realm=\"latchkey\"".to_owned());
            }
            TokenError::Throttled { retry_after } => {
                answer.retry_after = Some(u64::try_from(retry_after).unwrap_or(0));
            }
            _ => {}
        }
        answer
    }
}

/// The fields of a form body, each named at most once. Values may be secrets, so `Debug` shows
/// only the names.
pub struct FormFields(Vec<(String, String)>);

impl FormFields {
    /// A field's value.
    pub fn text(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    /// A field that carries a secret (a client secret, a code, a token).
    pub fn secret(&self, name: &str) -> Option<SecretString> {
        self.text(name).map(SecretString::from)
    }
}

impl fmt::Debug for FormFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, _)| name))
            .finish()
    }
}

/// The form fields and client credentials of a client-authenticated request.
pub fn read_client_request(
    req: &HttpRequest,
    body: &[u8],
) -> Result<(FormFields, ClientAuth), OAuthError> {
    let fields = form_fields(req, body)?;
    let auth = client_auth(req, &fields)?;
    Ok((fields, auth))
}

/// Parses a form body, refusing duplicated parameters (RFC 6749 §3.2).
fn form_fields(req: &HttpRequest, body: &[u8]) -> Result<FormFields, TokenError> {
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(TokenError::invalid_request(
            "the body must be application/x-www-form-urlencoded",
        ));
    }
    let fields = decode_form(body).map_err(|e| TokenError::invalid_request(e.to_string()))?;
    for (i, (name, _)) in fields.iter().enumerate() {
        if fields[..i].iter().any(|(n, _)| n == name) {
            return Err(TokenError::invalid_request(format!(
                "{name} is given more than once"
            )));
        }
    }
    if !req.query_string().is_empty() {
        return Err(TokenError::invalid_request(
            "parameters belong in the body, not the URL",
        ));
    }
    Ok(FormFields(fields))
}

/// Reads `Authorization: Basic` client credentials (RFC 6749 §2.3.1: form-encoded parts).
fn basic_credentials(req: &HttpRequest) -> Result<Option<(String, SecretString)>, TokenError> {
    let header = authorization(req).map_err(|e| TokenError::invalid_request(e.to_string()))?;
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
    Ok(Some((unescape(id), SecretString::from(unescape(secret)))))
}

/// The client's credentials: HTTP Basic or form fields, never both.
fn client_auth(req: &HttpRequest, fields: &FormFields) -> Result<ClientAuth, TokenError> {
    match basic_credentials(req)? {
        Some(_) if fields.text("client_secret").is_some() => Err(TokenError::invalid_request(
            "use one client authentication method",
        )),
        Some((client_id, secret)) => Ok(ClientAuth {
            client_id,
            secret: Some(secret),
            basic: true,
        }),
        None => match fields.text("client_id") {
            Some(client_id) => Ok(ClientAuth {
                client_id,
                secret: fields.secret("client_secret"),
                basic: false,
            }),
            None => Err(TokenError::InvalidClient { basic: false }),
        },
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::AUTHORIZATION;
    use actix_web::test::TestRequest;
    use secrecy::ExposeSecret;

    use super::*;

    fn form(req: TestRequest) -> HttpRequest {
        req.insert_header((CONTENT_TYPE, "application/x-www-form-urlencoded"))
            .to_http_request()
    }

    #[test]
    fn basic_credentials_are_form_decoded_and_kept_secret() {
        // "a%20b:s%3Ac" is the id "a b" and the secret "s:c".
        let req =
            form(TestRequest::default().insert_header((AUTHORIZATION, "Basic YSUyMGI6cyUzQWM=")));
        let (fields, auth) = read_client_request(&req, b"grant_type=x").unwrap();
        assert_eq!(auth.client_id, "a b");
        assert_eq!(auth.secret.as_ref().map(|s| s.expose_secret()), Some("s:c"));
        assert!(auth.basic);
        assert!(!format!("{auth:?}{fields:?}").contains("s:c"));
    }

    #[test]
    fn a_repeated_field_or_two_authentication_methods_are_refused() {
        for (header, body) in [
            (None, "client_id=a&client_id=b"),
            (Some("Basic YTpi"), "client_secret=b"),
        ] {
            let mut req = TestRequest::default();
            if let Some(header) = header {
                req = req.insert_header((AUTHORIZATION, header));
            }
            let refused = read_client_request(&form(req), body.as_bytes()).unwrap_err();
            assert_eq!(refused.code, "invalid_request", "{body}");
        }
    }

    #[test]
    fn a_failed_basic_authentication_is_challenged_and_a_throttled_one_waits() {
        let refused = OAuthError::from(TokenError::InvalidClient { basic: true });
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            refused.challenge.as_deref(),
            Some("Basic realm=\"latchkey\"")
        );
        let throttled = OAuthError::from(TokenError::Throttled { retry_after: 30 });
        assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(throttled.retry_after, Some(30));
        let failed = OAuthError::from(TokenError::server(std::io::Error::other("disk full")));
        assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(failed.code, "server_error");
    }
}
