//! Signing keys: made on first start, rotated on command, published while tokens they signed
//! may still be presented.

use super::Context;
use crate::db::DbError;
use crate::db::keys::{
    ListedKey, active_key, insert_key, list_keys, published_keys, retire_key, retire_keys,
};
use crate::domain::signing_key::{KeyError, SigningAlg, generate};

/// Why keys could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// Generation failed.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The generation task died.
    #[error("key generation task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// A stored public key is not JSON.
    #[error("stored public key is corrupt: {0}")]
    Json(#[from] serde_json::Error),
    /// No key has this id.
    #[error("there is no signing key {0}")]
    UnknownKey(String),
    /// The key has been retired already.
    #[error("signing key {0} is retired already")]
    AlreadyRetired(String),
    /// Retiring the key would leave its algorithm with nothing to sign with.
    #[error(
        "signing key {kid} is the only active {alg} key: `latchkey keys rotate --alg {alg}` \
         replaces it"
    )]
    OnlyActive {
        /// The key.
        kid: String,
        /// Its algorithm.
        alg: SigningAlg,
    },
}

async fn generate_off_executor(
    alg: SigningAlg,
) -> Result<crate::domain::signing_key::GeneratedKey, KeysError> {
    Ok(tokio::task::spawn_blocking(move || generate(alg)).await??)
}

/// Makes a key for every algorithm that has none (first start). Returns the new key ids.
pub async fn ensure_keys(ctx: &Context) -> Result<Vec<String>, KeysError> {
    let mut made = Vec::new();
    for alg in SigningAlg::ALL {
        if active_key(ctx.db.pool(), alg).await?.is_none() {
            let key = generate_off_executor(alg).await?;
            insert_key(ctx.db.pool(), &key, ctx.clock.now()).await?;
            tracing::info!(kid = %key.kid, alg = %alg, "signing key created");
            made.push(key.kid);
        }
    }
    Ok(made)
}

/// How long a retired key's public half stays published: as long as anything it signed can
/// still be valid (an ID token lives as long as its access token), plus a minute of clock skew.
fn publish_window(ctx: &Context) -> i64 {
    let lifetime = ctx
        .lifetimes
        .access_token
        .max(ctx.lifetimes.authorization_code);
    i64::try_from(lifetime.as_secs())
        .unwrap_or(i64::MAX)
        .saturating_add(60)
}

/// Bumped by every rotation in this process, so that cached key sets are rebuilt at once.
static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The number of rotations made by this process so far.
pub fn generation() -> u64 {
    GENERATION.load(std::sync::atomic::Ordering::Acquire)
}

/// Retires the signing key of each given algorithm (all when `None`) and makes a new one.
/// Returns `(algorithm, new key id)` pairs.
pub async fn rotate(
    ctx: &Context,
    only: Option<SigningAlg>,
) -> Result<Vec<(SigningAlg, String)>, KeysError> {
    let mut rotated = Vec::new();
    for alg in SigningAlg::ALL
        .into_iter()
        .filter(|a| only.is_none_or(|o| o == *a))
    {
        let key = generate_off_executor(alg).await?;
        let now = ctx.clock.now();
        let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
        retire_keys(&mut *tx, alg, now, now.saturating_add(publish_window(ctx))).await?;
        insert_key(&mut *tx, &key, now).await?;
        tx.commit().await.map_err(DbError::from)?;
        GENERATION.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        tracing::info!(kid = %key.kid, alg = %alg, "signing key rotated");
        rotated.push((alg, key.kid));
    }
    Ok(rotated)
}

/// The published public keys, as JWK JSON values, newest first.
pub async fn jwks(ctx: &Context) -> Result<Vec<serde_json::Value>, KeysError> {
    published_keys(ctx.db.pool(), ctx.clock.now())
        .await?
        .iter()
        .map(|k| serde_json::from_str(&k.public_jwk).map_err(KeysError::from))
        .collect()
}

/// A key as `keys list` shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct KeyView {
    /// Key id.
    pub kid: String,
    /// Algorithm.
    pub alg: String,
    /// When it was made (Unix seconds).
    pub created_at: i64,
    /// When it stopped signing (Unix seconds), if it has.
    pub retired_at: Option<i64>,
    /// Until when its public half is published (Unix seconds; `null` while it signs).
    pub publish_until: Option<i64>,
    /// It signs new tokens of its algorithm now.
    pub signing: bool,
    /// Its public half is in the JWKS now, for tokens it signed.
    pub published: bool,
    /// It signs or is published: `signing || published`.
    pub in_use: bool,
}

/// Every signing key, newest first, with whether it signs and whether it is published.
pub async fn list(ctx: &Context) -> Result<Vec<KeyView>, KeysError> {
    let now = ctx.clock.now();
    let mut signing = Vec::new();
    for alg in SigningAlg::ALL {
        if let Some(key) = active_key(ctx.db.pool(), alg).await? {
            signing.push(key.kid);
        }
    }
    Ok(list_keys(ctx.db.pool())
        .await?
        .into_iter()
        .map(|k: ListedKey| {
            let is_signing = signing.contains(&k.kid);
            let published = k.publish_until.is_none_or(|until| until > now);
            KeyView {
                alg: k.alg.to_string(),
                created_at: k.created_at,
                retired_at: k.retired_at,
                publish_until: k.publish_until,
                signing: is_signing,
                published,
                in_use: is_signing || published,
                kid: k.kid,
            }
        })
        .collect())
}

/// Retires one key: it stops signing at once, and its public half leaves the JWKS once every
/// token it signed has expired (as after a rotation). Refuses an unknown or retired key, and
/// the only active key of its algorithm. Returns the key's algorithm.
pub async fn retire(ctx: &Context, kid: &str) -> Result<SigningAlg, KeysError> {
    let Some(key) = list_keys(ctx.db.pool())
        .await?
        .into_iter()
        .find(|k| k.kid == kid)
    else {
        return Err(KeysError::UnknownKey(kid.to_owned()));
    };
    if key.retired_at.is_some() {
        return Err(KeysError::AlreadyRetired(key.kid));
    }
    let now = ctx.clock.now();
    let until = now.saturating_add(publish_window(ctx));
    if !retire_key(ctx.db.pool(), kid, now, until).await? {
        return Err(KeysError::OnlyActive {
            kid: key.kid,
            alg: key.alg,
        });
    }
    GENERATION.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    tracing::info!(kid = %kid, alg = %key.alg, "signing key retired");
    Ok(key.alg)
}
