//! Revocation (RFC 7009) and introspection (RFC 7662).

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use super::client_auth::{ClientAuth, authenticate};
use super::token_error::TokenError;
use crate::db::oauth_grants::{find_any_live_grant, revoke_family, revoke_token};
use crate::domain::grant::GrantKind;
use crate::domain::{PlainToken, TokenHash};
use crate::service::{Context, Origin};

/// The hash of the `token` parameter, which both endpoints require.
fn presented(token: Option<&SecretString>) -> Result<TokenHash, TokenError> {
    token
        .map(ExposeSecret::expose_secret)
        .filter(|t| !t.is_empty())
        .map(|t| PlainToken::from_presented(t).hash())
        .ok_or_else(|| TokenError::invalid_request("token is required"))
}

/// Revokes a token the client holds. Revoking a refresh token revokes its whole family (every
/// access and refresh token of that grant). Unknown tokens, and other clients' tokens, are
/// answered the same way and left alone.
pub async fn revoke(
    ctx: &Context,
    auth: &ClientAuth,
    token: Option<&SecretString>,
    origin: &Origin,
) -> Result<(), TokenError> {
    let client = authenticate(ctx, auth, origin).await?;
    let hash = presented(token)?;
    let now = ctx.clock.now();
    match find_any_live_grant(ctx.db.pool(), &hash, now).await? {
        Some((_, grant)) if grant.client_id != client.client_id => {}
        Some((GrantKind::Refresh, grant)) => {
            revoke_family(ctx.db.pool(), &grant.family_id, now).await?;
        }
        Some((GrantKind::Access, _)) => {
            revoke_token(ctx.db.pool(), &hash, now).await?;
        }
        None => {}
    }
    Ok(())
}

/// An introspection answer (RFC 7662 §2.2).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Introspection {
    /// Whether the token is live (and the caller may know about it).
    pub active: bool,
    /// Scopes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The client it was issued to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// How the token is presented: always `Bearer` (RFC 6749 §7.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<&'static str>,
    /// What the token is: `access_token` or `refresh_token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_use: Option<&'static str>,
    /// Expiry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    /// Issue time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    /// Issuer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// When the person authenticated (RFC 9470 §6.2), for a token of a person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_time: Option<i64>,
    /// The authentication context class the person's sign-in reached (RFC 9470 §6.2), so a
    /// resource server can ask for a step-up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acr: Option<String>,
}

/// Tells a client that authenticated with its secret whether a token is live, and what it
/// grants. A client learns only about tokens issued to it, unless it is registered as a
/// resource server (`introspect_any`); any other token is simply inactive to it.
pub async fn introspect(
    ctx: &Context,
    auth: &ClientAuth,
    token: Option<&SecretString>,
    origin: &Origin,
) -> Result<Introspection, TokenError> {
    let client = authenticate(ctx, auth, origin).await?;
    // A public client proves nothing by its id alone (RFC 7662 §2.1).
    if client.is_public() {
        return Err(TokenError::InvalidClient { basic: auth.basic });
    }
    let hash = presented(token)?;
    Ok(
        match find_any_live_grant(ctx.db.pool(), &hash, ctx.clock.now()).await? {
            Some((kind, grant)) if client.introspect_any || grant.client_id == client.client_id => {
                let of_person = grant.person.is_some();
                Introspection {
                    active: true,
                    scope: Some(grant.scopes.to_string()),
                    client_id: Some(grant.client_id),
                    sub: grant.person.map(|p| p.to_string()),
                    token_type: Some("Bearer"),
                    token_use: Some(kind.token_use()),
                    exp: Some(grant.expires_at),
                    iat: Some(grant.created_at),
                    iss: Some(ctx.public_url.clone()),
                    auth_time: grant.auth_time.filter(|_| of_person),
                    acr: of_person.then_some(grant.proof.acr),
                }
            }
            _ => Introspection::default(),
        },
    )
}
