//! RP-initiated logout: its parameters, checking the `id_token_hint` and the post-logout
//! redirect, and recording the sign-out.

use openidconnect::core::{CoreIdTokenVerifier, CoreJsonWebKey, CoreJsonWebKeySet};
use openidconnect::{ClientId, IssuerUrl, Nonce};
use serde::Deserialize;
use std::str::FromStr;

use super::claims::{LatchkeyIdToken, time};
use crate::db::DbError;
use crate::db::clients::find_client;
use crate::db::keys::published_keys;
use crate::domain::PersonId;
use crate::domain::client_redirect::redirect_with;
use crate::service::{Context, Origin};

/// The parameters of `/logout` (OpenID Connect RP-Initiated Logout §2); an empty one is absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct LogoutParams {
    /// An ID token this server issued, naming the person the logout is about.
    pub id_token_hint: Option<String>,
    /// The relying party.
    pub client_id: Option<String>,
    /// Where to go afterwards (one of the client's registered post-logout URIs).
    pub post_logout_redirect_uri: Option<String>,
    /// What to give back with that redirect.
    pub state: Option<String>,
}

impl LogoutParams {
    /// Reads the parameters from name/value pairs: the first of each counts, others are
    /// ignored.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let take = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        Self {
            id_token_hint: take("id_token_hint"),
            client_id: take("client_id"),
            post_logout_redirect_uri: take("post_logout_redirect_uri"),
            state: take("state"),
        }
        .present()
    }

    /// Reads the parameters from a form-encoded query (see `from_pairs`).
    pub fn from_query(query: &str) -> Self {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        Self::from_pairs(&pairs)
    }

    /// The same parameters with the empty ones absent.
    pub fn present(self) -> Self {
        let present = |v: Option<String>| v.filter(|v| !v.is_empty());
        Self {
            id_token_hint: present(self.id_token_hint),
            client_id: present(self.client_id),
            post_logout_redirect_uri: present(self.post_logout_redirect_uri),
            state: present(self.state),
        }
    }

    /// The parameters given, as name/value pairs in a fixed order (for forms and queries).
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("id_token_hint", &self.id_token_hint),
            ("client_id", &self.client_id),
            ("post_logout_redirect_uri", &self.post_logout_redirect_uri),
            ("state", &self.state),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.as_deref().map(|v| (name, v)))
        .collect()
    }
}

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
}

/// Storage failed while a logout request was checked.
#[derive(Debug, thiserror::Error)]
#[error("the logout request could not be checked")]
pub struct LogoutCheckError(#[from] DbError);

fn payload_field(token: &str, name: &str) -> Option<serde_json::Value> {
    let payload = token.split('.').nth(1)?;
    let bytes =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload).ok()?;
    let json: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    json.get(name).cloned()
}

/// Checks the parameters of `/logout`: the request to carry out, or why it is refused.
pub async fn check(
    ctx: &Context,
    params: &LogoutParams,
) -> Result<Result<LogoutRequest, LogoutError>, LogoutCheckError> {
    match inspect(ctx, params).await {
        Ok(request) => Ok(Ok(request)),
        Err(Checking::Refused(refused)) => Ok(Err(refused)),
        Err(Checking::Failed(e)) => Err(LogoutCheckError(e)),
    }
}

/// How a check ends early: a refusal, or a storage failure.
enum Checking {
    Refused(LogoutError),
    Failed(DbError),
}

impl From<LogoutError> for Checking {
    fn from(refused: LogoutError) -> Self {
        Self::Refused(refused)
    }
}

async fn inspect(ctx: &Context, params: &LogoutParams) -> Result<LogoutRequest, Checking> {
    let state = params.state.as_deref();
    let mut client_id = params.client_id.clone();
    let mut hinted_subject = None;
    if let Some(hint) = params.id_token_hint.as_deref() {
        // The audience tells which client to verify for; the signature is what counts.
        let aud = match payload_field(hint, "aud") {
            Some(serde_json::Value::String(a)) => a,
            Some(serde_json::Value::Array(list)) => list
                .first()
                .and_then(|a| a.as_str())
                .unwrap_or_default()
                .to_owned(),
            _ => return Err(LogoutError::BadHint.into()),
        };
        if client_id.as_deref().is_some_and(|c| c != aud) {
            return Err(LogoutError::BadHint.into());
        }
        let iat = payload_field(hint, "iat")
            .and_then(|v| v.as_i64())
            .ok_or(LogoutError::BadHint)?;
        let keys: Vec<CoreJsonWebKey> = published_keys(ctx.db.pool(), ctx.clock.now())
            .await
            .map_err(Checking::Failed)?
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
    let redirect = match params.post_logout_redirect_uri.as_deref() {
        None => None,
        Some(uri) => {
            let Some(id) = client_id.as_deref() else {
                return Err(LogoutError::BadRedirect.into());
            };
            let client = find_client(ctx.db.pool(), id)
                .await
                .map_err(Checking::Failed)?
                .ok_or(LogoutError::BadRedirect)?;
            if !client.post_logout_redirect_uris.iter().any(|u| u == uri) {
                return Err(LogoutError::BadRedirect.into());
            }
            Some(match state {
                Some(state) => redirect_with(uri, &[("state", state)]),
                None => uri.to_owned(),
            })
        }
    };
    Ok(LogoutRequest {
        redirect,
        hinted_subject,
    })
}

/// Records in the audit trail that a relying party signed the person out.
pub async fn record_sign_out(
    ctx: &Context,
    person: &PersonId,
    origin: &Origin,
) -> Result<(), DbError> {
    crate::service::account::record_sign_out(ctx, person, origin, "relying party").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_of_each_parameter_counts_and_empty_ones_are_absent() {
        let pairs = [
            ("state", "a"),
            ("state", "b"),
            ("client_id", ""),
            ("x", "y"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        let params = LogoutParams::from_pairs(&pairs);
        assert_eq!(params.state.as_deref(), Some("a"));
        assert_eq!(params.client_id, None);
        assert_eq!(params.pairs(), [("state", "a")]);
    }
}
