//! Revocation (RFC 7009) and introspection (RFC 7662).

use serde::Serialize;

use super::token::{ClientAuth, TokenError, authenticate};
use crate::db::grants::{GrantKind, find_any_live_grant, revoke_family, revoke_token};
use crate::domain::PlainToken;
use crate::service::Context;

/// Revokes a token the client holds. Revoking a refresh token revokes its whole family (every
/// access and refresh token of that grant). Unknown tokens, and other clients' tokens, are
/// answered the same way and left alone.
pub async fn revoke(
    ctx: &Context,
    auth: &ClientAuth,
    token: Option<&str>,
) -> Result<(), TokenError> {
    let client = authenticate(ctx, auth).await?;
    let token = token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| TokenError::InvalidRequest("token is required".to_owned()))?;
    let hash = PlainToken::from_presented(token).hash();
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

/// An introspection answer.
#[derive(Debug, Clone, Serialize)]
pub struct Introspection {
    /// Whether the token is live.
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
    /// `access_token` or `refresh_token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<&'static str>,
    /// Expiry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    /// Issue time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    /// Issuer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
}

/// Tells an authenticated client whether a token is live, and what it grants.
pub async fn introspect(
    ctx: &Context,
    auth: &ClientAuth,
    token: Option<&str>,
) -> Result<Introspection, TokenError> {
    authenticate(ctx, auth).await?;
    let inactive = Introspection {
        active: false,
        scope: None,
        client_id: None,
        sub: None,
        token_type: None,
        exp: None,
        iat: None,
        iss: None,
    };
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Err(TokenError::InvalidRequest("token is required".to_owned()));
    };
    let hash = PlainToken::from_presented(token).hash();
    Ok(
        match find_any_live_grant(ctx.db.pool(), &hash, ctx.clock.now()).await? {
            None => inactive,
            Some((kind, grant)) => Introspection {
                active: true,
                scope: Some(grant.scopes),
                client_id: Some(grant.client_id),
                sub: grant.person.map(|p| p.to_string()),
                token_type: Some(match kind {
                    GrantKind::Access => "access_token",
                    GrantKind::Refresh => "refresh_token",
                }),
                exp: Some(grant.expires_at),
                iat: Some(grant.created_at),
                iss: Some(ctx.public_url.clone()),
            },
        },
    )
}
