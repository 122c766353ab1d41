//! Signing keys: made on first start, rotated on command, published while tokens they signed
//! may still be presented.

use super::Context;
use crate::db::DbError;
use crate::db::keys::{active_key, insert_key, published_keys, retire_keys};
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
