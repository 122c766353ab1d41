//! The token endpoint's grants: `authorization_code` (single use; a replay revokes the whole
//! family the code started), `refresh_token` (rotation; reuse revokes the family; `scope` may
//! narrow), `client_credentials`.

use serde::Serialize;

pub use super::client_auth::{ClientAuth, authenticate};
use super::mint::{Family, issue};
use crate::db::DbError;
use crate::db::clients::Client;
use crate::db::grants::{
    GrantKind, code_was_redeemed, find_live_grant, redeem_code, reused_family, revoke_by_code,
    revoke_family, use_refresh_token,
};
use crate::domain::{PlainToken, pkce};
use crate::service::{Context, Origin};

/// An RFC 6749 §5.2 error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Malformed request.
    #[error("invalid_request: {0}")]
    InvalidRequest(String),
    /// Client authentication failed (401).
    #[error("invalid_client")]
    InvalidClient {
        /// Whether the client tried HTTP Basic (then the answer carries WWW-Authenticate).
        basic: bool,
    },
    /// The code or refresh token is invalid, expired, used, or not this client's.
    #[error("invalid_grant: {0}")]
    InvalidGrant(String),
    /// The client may not use this grant.
    #[error("unauthorized_client: {0}")]
    UnauthorizedClient(String),
    /// Unknown grant type.
    #[error("unsupported_grant_type")]
    UnsupportedGrantType,
    /// Scope not allowed.
    #[error("invalid_scope: {0}")]
    InvalidScope(String),
    /// Too many failed client authentications for this client or from this address: refused
    /// unchecked until the wait is over.
    #[error("invalid_client: throttled for {retry_after} s")]
    Throttled {
        /// Seconds until attempts are accepted again.
        retry_after: i64,
    },
    /// Our fault.
    #[error("server_error: {0}")]
    Server(String),
}

impl TokenError {
    /// The `error` code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidRequest(_) => "invalid_request",
            Self::InvalidClient { .. } | Self::Throttled { .. } => "invalid_client",
            Self::InvalidGrant(_) => "invalid_grant",
            Self::UnauthorizedClient(_) => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope(_) => "invalid_scope",
            Self::Server(_) => "server_error",
        }
    }

    /// The `error_description` (printable ASCII only).
    pub fn description(&self) -> String {
        let text = match self {
            Self::InvalidRequest(d)
            | Self::InvalidGrant(d)
            | Self::UnauthorizedClient(d)
            | Self::InvalidScope(d) => d.clone(),
            Self::InvalidClient { .. } => "client authentication failed".to_owned(),
            Self::Throttled { retry_after } => {
                format!("too many failed client authentications; retry after {retry_after} seconds")
            }
            Self::UnsupportedGrantType => "the grant_type is not supported".to_owned(),
            Self::Server(_) => "the server could not answer".to_owned(),
        };
        text.chars()
            .filter(|c| matches!(*c, ' '..='~') && *c != '"' && *c != '\\')
            .collect()
    }
}

impl From<DbError> for TokenError {
    fn from(e: DbError) -> Self {
        Self::Server(e.to_string())
    }
}

/// The successful answer (RFC 6749 §5.1 plus `id_token`).
#[derive(Debug, Clone, Serialize)]
pub struct TokenResponse {
    /// Bearer token.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds the access token lives.
    pub expires_in: i64,
    /// A refresh token, when `offline_access` was granted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// The ID token, when `openid` was granted to a person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    /// Granted scopes.
    pub scope: String,
}

/// The form fields of a token request.
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    /// `grant_type`
    pub grant_type: Option<String>,
    /// `code`
    pub code: Option<String>,
    /// `redirect_uri`
    pub redirect_uri: Option<String>,
    /// `code_verifier`
    pub code_verifier: Option<String>,
    /// `refresh_token`
    pub refresh_token: Option<String>,
    /// `scope`
    pub scope: Option<String>,
}

pub(super) fn secs(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

fn required<'a>(value: &'a Option<String>, name: &str) -> Result<&'a str, TokenError> {
    value
        .as_deref()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| TokenError::InvalidRequest(format!("{name} is required")))
}

/// Handles one token request.
pub async fn exchange(
    ctx: &Context,
    auth: &ClientAuth,
    req: &TokenRequest,
    origin: &Origin,
) -> Result<TokenResponse, TokenError> {
    let grant_type = required(&req.grant_type, "grant_type")?.to_owned();
    let client = authenticate(ctx, auth, origin).await?;
    match grant_type.as_str() {
        "authorization_code" => authorization_code(ctx, &client, req).await,
        "refresh_token" => refresh(ctx, &client, req).await,
        "client_credentials" => client_credentials(ctx, &client, req).await,
        _ => Err(TokenError::UnsupportedGrantType),
    }
}

async fn authorization_code(
    ctx: &Context,
    client: &Client,
    req: &TokenRequest,
) -> Result<TokenResponse, TokenError> {
    let code = required(&req.code, "code")?;
    let redirect_uri = required(&req.redirect_uri, "redirect_uri")?;
    let hash = PlainToken::from_presented(code).hash();
    let now = ctx.clock.now();
    let Some(redeemed) = redeem_code(ctx.db.pool(), &hash, now).await? else {
        if code_was_redeemed(ctx.db.pool(), &hash).await? {
            let revoked = revoke_by_code(ctx.db.pool(), &hash, now).await?;
            tracing::warn!(
                revoked,
                "authorization code replayed: its family is revoked"
            );
            return Err(TokenError::InvalidGrant(
                "the code was already used".to_owned(),
            ));
        }
        return Err(TokenError::InvalidGrant(
            "the code is invalid or expired".to_owned(),
        ));
    };
    if redeemed.client_id != client.client_id {
        return Err(TokenError::InvalidGrant(
            "the code was issued to another client".to_owned(),
        ));
    }
    if redeemed.redirect_uri != redirect_uri {
        return Err(TokenError::InvalidGrant(
            "the redirect_uri differs from the authorization request".to_owned(),
        ));
    }
    match (&redeemed.code_challenge, req.code_verifier.as_deref()) {
        (Some(challenge), Some(verifier)) if pkce::verify(verifier, challenge) => {}
        (Some(_), _) => {
            return Err(TokenError::InvalidGrant(
                "the code_verifier does not match".to_owned(),
            ));
        }
        (None, Some(_)) => {
            return Err(TokenError::InvalidGrant(
                "no code_challenge was sent for this code".to_owned(),
            ));
        }
        (None, None) => {}
    }
    let scopes: Vec<&str> = redeemed.scopes.split_whitespace().collect();
    issue(
        ctx,
        client,
        Some(&redeemed.person),
        &scopes,
        Some(redeemed.auth_time),
        redeemed.nonce.as_deref(),
        None,
        Some(&hash),
    )
    .await
}

async fn refresh(
    ctx: &Context,
    client: &Client,
    req: &TokenRequest,
) -> Result<TokenResponse, TokenError> {
    let token = required(&req.refresh_token, "refresh_token")?;
    let hash = PlainToken::from_presented(token).hash();
    let now = ctx.clock.now();
    if let Some(live) = find_live_grant(ctx.db.pool(), &hash, GrantKind::Refresh, now).await? {
        if live.client_id != client.client_id {
            return Err(TokenError::InvalidGrant(
                "the refresh token was issued to another client".to_owned(),
            ));
        }
        // Refused before the token is used up, so a bad scope changes nothing.
        narrowed(&live.scopes, req.scope.as_deref())?;
    }
    let Some(old) = use_refresh_token(ctx.db.pool(), &hash, now).await? else {
        if let Some(family) = reused_family(ctx.db.pool(), &hash).await? {
            let revoked = revoke_family(ctx.db.pool(), &family, now).await?;
            tracing::warn!(revoked, "refresh token reused: its family is revoked");
            return Err(TokenError::InvalidGrant(
                "the refresh token was already used".to_owned(),
            ));
        }
        return Err(TokenError::InvalidGrant(
            "the refresh token is invalid or expired".to_owned(),
        ));
    };
    let scopes = narrowed(&old.scopes, req.scope.as_deref())?;
    let family = Family {
        id: old.family_id.clone(),
        expires_at: old.expires_at,
        scopes: old.scopes.clone(),
    };
    issue(
        ctx,
        client,
        old.person.as_ref(),
        &scopes,
        old.auth_time,
        None,
        Some(family),
        None,
    )
    .await
}

/// The scopes a refresh grants (RFC 6749 §6): those asked for, when every one of them was
/// granted originally; all the granted ones when `scope` is absent or blank.
fn narrowed<'a>(granted: &'a str, requested: Option<&str>) -> Result<Vec<&'a str>, TokenError> {
    let granted: Vec<&str> = granted.split_whitespace().collect();
    let Some(requested) = requested.filter(|r| !r.trim().is_empty()) else {
        return Ok(granted);
    };
    let requested: Vec<&str> = requested.split_whitespace().collect();
    if let Some(extra) = requested.iter().find(|r| !granted.contains(r)) {
        return Err(TokenError::InvalidScope(format!(
            "the scope {extra} was not granted"
        )));
    }
    Ok(granted
        .into_iter()
        .filter(|g| requested.contains(g))
        .collect())
}

async fn client_credentials(
    ctx: &Context,
    client: &Client,
    req: &TokenRequest,
) -> Result<TokenResponse, TokenError> {
    if client.secret_hash.is_none() {
        return Err(TokenError::UnauthorizedClient(
            "public clients cannot use client_credentials".to_owned(),
        ));
    }
    let scopes: Vec<&str> = req
        .scope
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    if let Some(bad) = scopes.iter().find(|s| {
        matches!(**s, "openid" | "offline_access") || !client.allowed_scopes.iter().any(|a| a == *s)
    }) {
        return Err(TokenError::InvalidScope(format!(
            "the scope {bad} is not available to a client acting for itself"
        )));
    }
    issue(ctx, client, None, &scopes, None, None, None, None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refresh_keeps_the_granted_scopes_unless_it_asks_for_fewer() {
        let granted = "openid email offline_access";
        assert_eq!(
            narrowed(granted, None).unwrap(),
            ["openid", "email", "offline_access"]
        );
        assert_eq!(narrowed(granted, Some("  ")).unwrap().len(), 3);
        assert_eq!(
            narrowed(granted, Some("offline_access openid openid")).unwrap(),
            ["openid", "offline_access"]
        );
    }

    #[test]
    fn a_refresh_never_widens_the_scopes() {
        for asked in ["openid admin", "profile", "OPENID"] {
            let refused = narrowed("openid email", Some(asked)).unwrap_err();
            assert_eq!(refused.code(), "invalid_scope", "{asked}");
        }
    }
}
