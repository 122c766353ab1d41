//! Minting grants: access and refresh tokens stored as hashes, and the signed ID token.

use openidconnect::core::CoreJwsSigningAlgorithm;
use openidconnect::{
    AccessToken, Audience, AuthenticationContextClass, AuthenticationMethodReference, IssuerUrl,
    Nonce,
};
use serde::Serialize;

use super::claims::{LatchkeyIdToken, LatchkeyIdTokenClaims, active_person, claims_for, time};
use super::token_error::TokenError;
use crate::db::DbError;
use crate::db::keys::active_key;
use crate::db::oauth_grants::{NewGrant, insert_grant};
use crate::domain::client::Client;
use crate::domain::grant::{GrantKind, SignInProof};
use crate::domain::scope::Scopes;
use crate::domain::signing_key::{SigningAlg, SigningKey};
use crate::domain::token_request::TokenRefusal;
use crate::domain::{Person, PersonId, PlainToken, TokenHash, TokenKind};
use crate::service::Context;

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

/// A refresh-token family carried over by rotation.
pub(super) struct Family {
    /// The family id.
    pub(super) id: String,
    /// Its absolute expiry.
    pub(super) expires_at: i64,
    /// The scopes originally granted, which its refresh tokens keep (RFC 6749 §6) even when
    /// a refresh narrows the access token.
    pub(super) scopes: Scopes,
}

/// What one token answer is minted from.
pub(super) struct Issuance<'a> {
    /// The client the tokens are for.
    pub(super) client: &'a Client,
    /// The person, unless the client acts for itself.
    pub(super) person: Option<&'a PersonId>,
    /// The access token's scopes.
    pub(super) scopes: Scopes,
    /// When the person authenticated.
    pub(super) auth_time: Option<i64>,
    /// How the person proved who they were, which the grant keeps.
    pub(super) proof: Option<SignInProof>,
    /// The authorization request's nonce, for the ID token.
    pub(super) nonce: Option<&'a str>,
    /// The family a refresh rotates within; `None` starts a new one.
    pub(super) family: Option<Family>,
    /// The code the tokens are exchanged for, so that its replay can revoke them.
    pub(super) code_hash: Option<&'a TokenHash>,
}

/// Seconds of a configured lifetime.
fn secs(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// Stores an access token (and a refresh token, when `offline_access` was granted to a person)
/// and signs the ID token (when `openid` was).
pub(super) async fn issue(ctx: &Context, grant: Issuance<'_>) -> Result<TokenResponse, TokenError> {
    let now = ctx.clock.now();
    let person = match grant.person {
        Some(id) => Some(
            active_person(ctx, id)
                .await?
                .ok_or(TokenRefusal::InvalidGrant(
                    "the account is no longer active",
                ))?,
        ),
        None => None,
    };
    let access = PlainToken::generate(TokenKind::AccessToken).map_err(TokenError::server)?;
    let access_life = secs(ctx.lifetimes.access_token);
    let family_id = grant
        .family
        .as_ref()
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), |f| f.id.clone());
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    insert_grant(
        &mut *tx,
        &NewGrant {
            hash: &access.hash(),
            kind: GrantKind::Access,
            client_id: &grant.client.client_id,
            person: grant.person,
            scopes: &grant.scopes,
            family_id: &family_id,
            code_hash: grant.code_hash,
            auth_time: grant.auth_time,
            proof: grant.proof.as_ref(),
            created_at: now,
            expires_at: now + access_life,
            idle_expires_at: None,
        },
    )
    .await?;
    let refresh_scopes = grant.family.as_ref().map_or(&grant.scopes, |f| &f.scopes);
    let refresh = if person.is_some() && refresh_scopes.contains("offline_access") {
        let token = PlainToken::generate(TokenKind::RefreshToken).map_err(TokenError::server)?;
        let expires_at = grant
            .family
            .as_ref()
            .map_or(now + secs(ctx.lifetimes.refresh_token), |f| f.expires_at);
        insert_grant(
            &mut *tx,
            &NewGrant {
                hash: &token.hash(),
                kind: GrantKind::Refresh,
                client_id: &grant.client.client_id,
                person: grant.person,
                scopes: refresh_scopes,
                family_id: &family_id,
                code_hash: grant.code_hash,
                auth_time: grant.auth_time,
                proof: grant.proof.as_ref(),
                created_at: now,
                expires_at,
                idle_expires_at: Some(
                    (now + secs(ctx.lifetimes.refresh_token_idle)).min(expires_at),
                ),
            },
        )
        .await?;
        Some(token.expose().to_owned())
    } else {
        None
    };
    tx.commit().await.map_err(DbError::from)?;
    let id_token = match &person {
        Some(person) if grant.scopes.contains("openid") => {
            Some(id_token(ctx, &grant, person, access.expose(), now, access_life).await?)
        }
        _ => None,
    };
    Ok(TokenResponse {
        access_token: access.expose().to_owned(),
        token_type: "Bearer",
        expires_in: access_life,
        refresh_token: refresh,
        id_token,
        scope: grant.scopes.to_string(),
    })
}

/// The signed ID token of a grant to a person, bound to its access token by `at_hash`.
async fn id_token(
    ctx: &Context,
    grant: &Issuance<'_>,
    person: &Person,
    access_token: &str,
    now: i64,
    lifetime: i64,
) -> Result<String, TokenError> {
    let client = grant.client;
    let (standard, groups) = claims_for(ctx, person, &grant.scopes).await?;
    let issuer = IssuerUrl::new(ctx.public_url.clone()).map_err(TokenError::server)?;
    let claims = LatchkeyIdTokenClaims::new(
        issuer,
        vec![Audience::new(client.client_id.clone())],
        time(now + lifetime),
        time(now),
        standard,
        groups,
    )
    .set_auth_time(grant.auth_time.map(time))
    .set_nonce(grant.nonce.map(|n| Nonce::new(n.to_owned())))
    .set_auth_method_refs(grant.proof.as_ref().map(|p| {
        p.methods
            .values()
            .into_iter()
            .map(|m| AuthenticationMethodReference::new(m.to_owned()))
            .collect()
    }))
    .set_auth_context_ref(
        grant
            .proof
            .as_ref()
            .map(|p| AuthenticationContextClass::new(p.acr.clone())),
    );
    let stored = active_key(ctx.db.pool(), client.id_token_alg)
        .await?
        .ok_or_else(|| TokenError::server(format!("no {} signing key", client.id_token_alg)))?;
    let key = parsed_key(stored.alg, &stored.kid, &stored.private_pem)?;
    let at = AccessToken::new(access_token.to_owned());
    let token = match (key.as_ref(), client.id_token_alg) {
        (SigningKey::Rsa(k), SigningAlg::Rs256) => LatchkeyIdToken::new(
            claims,
            k,
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            Some(&at),
            None,
        ),
        (SigningKey::Ed25519(k), SigningAlg::EdDsa) => {
            LatchkeyIdToken::new(claims, k, CoreJwsSigningAlgorithm::EdDsa, Some(&at), None)
        }
        _ => {
            return Err(TokenError::server(
                "signing key does not match the algorithm",
            ));
        }
    }
    .map_err(TokenError::server)?;
    Ok(token.to_string())
}

/// Signing keys parsed once per process: a stored key never changes under its id, and parsing
/// (and checking) an RSA key costs more than signing with it.
fn parsed_key(
    alg: SigningAlg,
    kid: &str,
    pem: &str,
) -> Result<std::sync::Arc<SigningKey>, TokenError> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    static PARSED: Mutex<Option<HashMap<String, Arc<SigningKey>>>> = Mutex::new(None);
    if let Ok(cache) = PARSED.lock()
        && let Some(key) = cache.as_ref().and_then(|c| c.get(kid))
    {
        return Ok(key.clone());
    }
    let key = Arc::new(SigningKey::from_pem(alg, kid, pem).map_err(TokenError::server)?);
    if let Ok(mut cache) = PARSED.lock() {
        let cache = cache.get_or_insert_with(HashMap::new);
        // Rotations retire keys; a small bound keeps retired ones from piling up.
        if cache.len() >= 32 {
            cache.clear();
        }
        cache.insert(kid.to_owned(), key.clone());
    }
    Ok(key)
}
