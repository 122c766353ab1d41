//! RP-initiated logout: checking the `id_token_hint` and the post-logout redirect.

use openidconnect::core::{CoreIdTokenVerifier, CoreJsonWebKey, CoreJsonWebKeySet};
use openidconnect::{ClientId, IssuerUrl, Nonce};
use std::str::FromStr;

use super::claims::{LatchkeyIdToken, time};
use crate::db::clients::find_client;
use crate::db::keys::published_keys;
use crate::service::Context;

/// A checked logout request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoutRequest {
    /// Where to send the browser afterwards (a registered URI, with `state` added).
    pub redirect: Option<String>,
    /// The person the hint names, when a valid hint was given.
    pub hinted_subject: Option<String>,
}

/// Why a logout request is refused (shown on a page: nothing is redirected).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogoutError {
    /// The hint is not an ID token this server issued.
    #[error("the id_token_hint is not valid")]
    BadHint,
    /// The post-logout URI is not registered for the client (or no client is known).
    #[error("the post_logout_redirect_uri is not registered for this application")]
    BadRedirect,
    /// Storage failed.
    #[error("the request could not be checked: {0}")]
    Server(String),
}

fn payload_field(token: &str, name: &str) -> Option<serde_json::Value> {
    let payload = token.split('.').nth(1)?;
    let bytes =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload).ok()?;
    let json: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    json.get(name).cloned()
}

/// Checks the parameters of `/logout`.
pub async fn check(
    ctx: &Context,
    id_token_hint: Option<&str>,
    client_id: Option<&str>,
    post_logout_redirect_uri: Option<&str>,
    state: Option<&str>,
) -> Result<LogoutRequest, LogoutError> {
    let server = |e: crate::db::DbError| LogoutError::Server(e.to_string());
    let mut client_id = client_id.map(str::to_owned);
    let mut hinted_subject = None;
    if let Some(hint) = id_token_hint {
        // The audience tells which client to verify for; the signature is what counts.
        let aud = match payload_field(hint, "aud") {
            Some(serde_json::Value::String(a)) => a,
            Some(serde_json::Value::Array(list)) => list
                .first()
                .and_then(|a| a.as_str())
                .unwrap_or_default()
                .to_owned(),
            _ => return Err(LogoutError::BadHint),
        };
        if client_id.as_deref().is_some_and(|c| c != aud) {
            return Err(LogoutError::BadHint);
        }
        let iat = payload_field(hint, "iat")
            .and_then(|v| v.as_i64())
            .ok_or(LogoutError::BadHint)?;
        let keys: Vec<CoreJsonWebKey> = published_keys(ctx.db.pool(), ctx.clock.now())
            .await
            .map_err(server)?
            .iter()
            .filter_map(|k| serde_json::from_str(&k.public_jwk).ok())
            .collect();
        let issuer = IssuerUrl::new(ctx.public_url.clone()).map_err(|_| LogoutError::BadHint)?;
        // An expired token is still a good hint: check it as of its own issue time.
        let verifier = CoreIdTokenVerifier::new_public_client(
            ClientId::new(aud.clone()),
            issuer,
            CoreJsonWebKeySet::new(keys),
        )
        .set_allowed_algs(vec![
            openidconnect::core::CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            openidconnect::core::CoreJwsSigningAlgorithm::EdDsa,
        ])
        .set_time_fn(move || time(iat));
        let token = LatchkeyIdToken::from_str(hint).map_err(|_| LogoutError::BadHint)?;
        let claims = token
            .claims(&verifier, |_: Option<&Nonce>| -> Result<(), String> {
                Ok(())
            })
            .map_err(|_| LogoutError::BadHint)?;
        hinted_subject = Some(claims.subject().to_string());
        client_id = Some(aud);
    }
    let redirect = match post_logout_redirect_uri {
        None => None,
        Some(uri) => {
            let Some(id) = client_id.as_deref() else {
                return Err(LogoutError::BadRedirect);
            };
            let client = find_client(ctx.db.pool(), id)
                .await
                .map_err(server)?
                .ok_or(LogoutError::BadRedirect)?;
            if !client.post_logout_redirect_uris.iter().any(|u| u == uri) {
                return Err(LogoutError::BadRedirect);
            }
            Some(match state {
                Some(state) => super::authorize::redirect_with(uri, &[("state", state)]),
                None => uri.to_owned(),
            })
        }
    };
    Ok(LogoutRequest {
        redirect,
        hinted_subject,
    })
}
