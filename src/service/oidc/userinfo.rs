//! UserInfo (OIDC Core §5.3): the claims a live access token's scopes allow about its person.

use secrecy::{ExposeSecret, SecretString};

use super::claims::{LatchkeyUserInfoClaims, active_person, claims_for};
use crate::db::DbError;
use crate::db::oauth_grants::find_live_grant;
use crate::domain::PlainToken;
use crate::domain::grant::GrantKind;
use crate::service::Context;

/// Why UserInfo gives no claims (RFC 6750 §3.1).
#[derive(Debug, thiserror::Error)]
pub enum UserInfoError {
    /// The token is not a live access token for an active person.
    #[error("invalid_token")]
    InvalidToken,
    /// The token was not granted `openid`.
    #[error("insufficient_scope")]
    InsufficientScope,
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

/// The claims an access token gives about its person.
pub async fn userinfo(
    ctx: &Context,
    access_token: &SecretString,
) -> Result<LatchkeyUserInfoClaims, UserInfoError> {
    let hash = PlainToken::from_presented(access_token.expose_secret()).hash();
    let grant = find_live_grant(ctx.db.pool(), &hash, GrantKind::Access, ctx.clock.now())
        .await?
        .ok_or(UserInfoError::InvalidToken)?;
    let person_id = grant.person.ok_or(UserInfoError::InvalidToken)?;
    let person = active_person(ctx, &person_id)
        .await?
        .ok_or(UserInfoError::InvalidToken)?;
    if !grant.scopes.contains("openid") {
        return Err(UserInfoError::InsufficientScope);
    }
    let (standard, groups) = claims_for(ctx, &person, &grant.scopes).await?;
    Ok(LatchkeyUserInfoClaims::new(standard, groups))
}
