//! The token endpoint's grants: `authorization_code` (single use; a replay revokes the whole
//! family the code started), `refresh_token` (rotation; reuse revokes the family; `scope` may
//! narrow), `client_credentials`.

use secrecy::ExposeSecret;

use super::client_auth::{ClientAuth, authenticate};
use super::mint::{Family, Issuance, TokenResponse, issue};
use super::token_error::TokenError;
use crate::db::DbError;
use crate::db::authorization_codes::{code_was_redeemed, redeem_code};
use crate::db::oauth_grants::{
    ReusedToken, find_live_grant, reused_token, revoke_by_code, revoke_family, use_refresh_token,
};
use crate::domain::client::Client;
use crate::domain::grant::GrantKind;
use crate::domain::scope::Scopes;
use crate::domain::token_request::{
    GrantRequest, TokenRefusal, TokenRequest, client_credentials_scopes, narrowed,
};
use crate::domain::{AuditCode, PlainToken};
use crate::service::{Context, Origin, audit};

/// Handles one token request: the client is authenticated once the request names a grant
/// type, then the grant is checked and tokens minted.
pub async fn exchange(
    ctx: &Context,
    auth: &ClientAuth,
    req: &TokenRequest,
    origin: &Origin,
) -> Result<TokenResponse, TokenError> {
    req.grant_type()?;
    let client = authenticate(ctx, auth, origin).await?;
    match req.grant()? {
        GrantRequest::AuthorizationCode {
            code,
            redirect_uri,
            code_verifier,
        } => {
            let verifier = code_verifier.map(ExposeSecret::expose_secret);
            authorization_code(ctx, &client, &code, redirect_uri, verifier).await
        }
        GrantRequest::RefreshToken {
            refresh_token,
            scope,
        } => refresh(ctx, &client, &refresh_token, scope.as_ref(), origin).await,
        GrantRequest::ClientCredentials { scope } => {
            let scopes = client_credentials_scopes(&client, &scope)?;
            issue(
                ctx,
                Issuance {
                    client: &client,
                    person: None,
                    scopes,
                    auth_time: None,
                    proof: None,
                    nonce: None,
                    family: None,
                    code_hash: None,
                },
            )
            .await
        }
    }
}

async fn authorization_code(
    ctx: &Context,
    client: &Client,
    code: &PlainToken,
    redirect_uri: &str,
    code_verifier: Option<&str>,
) -> Result<TokenResponse, TokenError> {
    let hash = code.hash();
    let now = ctx.clock.now();
    let Some(redeemed) = redeem_code(ctx.db.pool(), &hash, now).await? else {
        if code_was_redeemed(ctx.db.pool(), &hash).await? {
            let revoked = revoke_by_code(ctx.db.pool(), &hash, now).await?;
            tracing::warn!(
                revoked,
                "authorization code replayed: its family is revoked"
            );
            return Err(TokenRefusal::InvalidGrant("the code was already used").into());
        }
        return Err(TokenRefusal::InvalidGrant("the code is invalid or expired").into());
    };
    redeemed.check_exchange(&client.client_id, redirect_uri, code_verifier)?;
    issue(
        ctx,
        Issuance {
            client,
            person: Some(&redeemed.person),
            scopes: redeemed.scopes.clone(),
            auth_time: Some(redeemed.auth_time),
            proof: Some(redeemed.proof.clone()),
            nonce: redeemed.nonce.as_deref(),
            family: None,
            code_hash: Some(&hash),
        },
    )
    .await
}

async fn refresh(
    ctx: &Context,
    client: &Client,
    token: &PlainToken,
    requested: Option<&Scopes>,
    origin: &Origin,
) -> Result<TokenResponse, TokenError> {
    let hash = token.hash();
    let now = ctx.clock.now();
    if let Some(live) = find_live_grant(ctx.db.pool(), &hash, GrantKind::Refresh, now).await? {
        if live.client_id != client.client_id {
            return Err(TokenRefusal::InvalidGrant(
                "the refresh token was issued to another client",
            )
            .into());
        }
        // Refused before the token is used up, so a bad scope changes nothing.
        narrowed(&live.scopes, requested)?;
    }
    let Some(old) = use_refresh_token(ctx.db.pool(), &hash, now).await? else {
        if let Some(reused) = reused_token(ctx.db.pool(), &hash).await? {
            revoke_reused(ctx, &reused, origin).await?;
            return Err(TokenRefusal::InvalidGrant("the refresh token was already used").into());
        }
        return Err(TokenRefusal::InvalidGrant("the refresh token is invalid or expired").into());
    };
    let scopes = narrowed(&old.scopes, requested)?;
    issue(
        ctx,
        Issuance {
            client,
            person: old.person.as_ref(),
            scopes,
            auth_time: old.auth_time,
            // The grant keeps what its sign-in proved.
            proof: old.person.is_some().then_some(old.proof),
            nonce: None,
            family: Some(Family {
                id: old.family_id,
                expires_at: old.expires_at,
                scopes: old.scopes,
            }),
            code_hash: None,
        },
    )
    .await
}

/// Revokes the family of a reused refresh token and, when that revoked anything, records
/// `RefreshTokenReused` naming the client and the person, in one transaction. A replay of a
/// family already revoked only logs: its audit row was written by the first reuse, and a leaked
/// token replayed in a loop must not grow the trail.
async fn revoke_reused(
    ctx: &Context,
    reused: &ReusedToken,
    origin: &Origin,
) -> Result<(), DbError> {
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await?;
    let revoked = revoke_family(&mut *tx, &reused.family_id, now).await?;
    tracing::warn!(revoked, "refresh token reused: its family is revoked");
    if revoked > 0 {
        let detail = format!(
            "client {}: a used refresh token came back; its family ({revoked} tokens) is revoked",
            reused.client_id
        );
        let (code, person) = (AuditCode::RefreshTokenReused, reused.person.as_ref());
        audit::record(&mut *tx, now, code, person, origin, &detail).await?;
    }
    tx.commit().await?;
    Ok(())
}
