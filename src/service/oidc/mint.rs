//! Minting grants: access and refresh tokens stored as hashes, and the signed ID token.

use openidconnect::core::CoreJwsSigningAlgorithm;
use openidconnect::{AccessToken, Audience, IssuerUrl, Nonce};

use super::claims::{LatchkeyIdToken, LatchkeyIdTokenClaims, claims_for, time};
use super::token::{TokenError, TokenResponse, secs};
use crate::db::DbError;
use crate::db::clients::Client;
use crate::db::grants::{GrantKind, NewGrant, insert_grant};
use crate::db::keys::active_key;
use crate::db::people::find_person_by_id;
use crate::domain::signing_key::{SigningAlg, SigningKey};
use crate::domain::{PersonId, PersonStatus, PlainToken, TokenHash, TokenKind};
use crate::service::Context;

/// A refresh-token family carried over by rotation.
pub(super) struct Family {
    /// The family id.
    pub(super) id: String,
    /// Its absolute expiry.
    pub(super) expires_at: i64,
    /// The scopes originally granted, which its refresh tokens keep (RFC 6749 §6) even when
    /// a refresh narrows the access token.
    pub(super) scopes: String,
}

#[expect(
    clippy::too_many_arguments,
    reason = "one place that mints every kind of grant"
)]
pub(super) async fn issue(
    ctx: &Context,
    client: &Client,
    person_id: Option<&PersonId>,
    scopes: &[&str],
    auth_time: Option<i64>,
    nonce: Option<&str>,
    family: Option<Family>,
    code_hash: Option<&TokenHash>,
) -> Result<TokenResponse, TokenError> {
    let now = ctx.clock.now();
    let person = match person_id {
        Some(id) => match find_person_by_id(ctx.db.pool(), id).await? {
            Some(p) if p.status == PersonStatus::Active => Some(p),
            _ => {
                return Err(TokenError::InvalidGrant(
                    "the account is no longer active".to_owned(),
                ));
            }
        },
        None => None,
    };
    let random = |kind| PlainToken::generate(kind).map_err(|e| TokenError::Server(e.to_string()));
    let access = random(TokenKind::AccessToken)?;
    let access_life = secs(ctx.lifetimes.access_token);
    let scope = scopes.join(" ");
    let family_id = family
        .as_ref()
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), |f| f.id.clone());
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    insert_grant(
        &mut *tx,
        &NewGrant {
            hash: &access.hash(),
            kind: GrantKind::Access,
            client_id: &client.client_id,
            person: person_id,
            scopes: &scope,
            family_id: &family_id,
            code_hash,
            auth_time,
            created_at: now,
            expires_at: now + access_life,
            idle_expires_at: None,
        },
    )
    .await?;
    let refresh_scope = family
        .as_ref()
        .map_or(scope.as_str(), |f| f.scopes.as_str());
    let refresh = if person.is_some()
        && refresh_scope
            .split_whitespace()
            .any(|s| s == "offline_access")
    {
        let token = random(TokenKind::RefreshToken)?;
        let expires_at = family
            .as_ref()
            .map_or(now + secs(ctx.lifetimes.refresh_token), |f| f.expires_at);
        insert_grant(
            &mut *tx,
            &NewGrant {
                hash: &token.hash(),
                kind: GrantKind::Refresh,
                client_id: &client.client_id,
                person: person_id,
                scopes: refresh_scope,
                family_id: &family_id,
                code_hash,
                auth_time,
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
    let id_token = match (&person, scopes.contains(&"openid")) {
        (Some(person), true) => Some(
            id_token(
                ctx,
                client,
                person,
                scopes,
                auth_time,
                nonce,
                access.expose(),
                now,
                access_life,
            )
            .await?,
        ),
        _ => None,
    };
    Ok(TokenResponse {
        access_token: access.expose().to_owned(),
        token_type: "Bearer",
        expires_in: access_life,
        refresh_token: refresh,
        id_token,
        scope,
    })
}

#[expect(
    clippy::too_many_arguments,
    reason = "every claim of the token is an input"
)]
async fn id_token(
    ctx: &Context,
    client: &Client,
    person: &crate::domain::Person,
    scopes: &[&str],
    auth_time: Option<i64>,
    nonce: Option<&str>,
    access_token: &str,
    now: i64,
    lifetime: i64,
) -> Result<String, TokenError> {
    let (standard, groups) = claims_for(ctx, person, scopes).await?;
    let issuer =
        IssuerUrl::new(ctx.public_url.clone()).map_err(|e| TokenError::Server(e.to_string()))?;
    let claims = LatchkeyIdTokenClaims::new(
        issuer,
        vec![Audience::new(client.client_id.clone())],
        time(now + lifetime),
        time(now),
        standard,
        groups,
    )
    .set_auth_time(auth_time.map(time))
    .set_nonce(nonce.map(|n| Nonce::new(n.to_owned())));
    let stored = active_key(ctx.db.pool(), client.id_token_alg)
        .await?
        .ok_or_else(|| TokenError::Server(format!("no {} signing key", client.id_token_alg)))?;
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
            return Err(TokenError::Server(
                "signing key does not match the algorithm".to_owned(),
            ));
        }
    }
    .map_err(|e| TokenError::Server(e.to_string()))?;
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
    let key = Arc::new(
        SigningKey::from_pem(alg, kid, pem).map_err(|e| TokenError::Server(e.to_string()))?,
    );
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
