//! Administering signing keys: rotation and retirement, audited with their actor.

use super::Actor;
use crate::domain::AuditCode;
use crate::domain::signing_key::SigningAlg;
use crate::service::keys::{self, KeysError};
use crate::service::{Context, audit};

/// Rotates the signing keys (see [`keys::rotate`]) and audits each new key.
pub async fn rotate(
    ctx: &Context,
    only: Option<SigningAlg>,
    actor: &Actor,
) -> Result<Vec<(SigningAlg, String)>, KeysError> {
    keys::ensure_keys(ctx).await?;
    let rotated = keys::rotate(ctx, only).await?;
    for (alg, kid) in &rotated {
        let what = format!("new {alg} signing key {kid}");
        audit::record(
            ctx.db.pool(),
            ctx.clock.now(),
            AuditCode::KeyRotated,
            None,
            actor.origin(),
            &actor.detail(&what),
        )
        .await?;
    }
    Ok(rotated)
}

/// Retires one signing key (see [`keys::retire`]) and audits it as `KeyRetired`.
pub async fn retire(ctx: &Context, kid: &str, actor: &Actor) -> Result<SigningAlg, KeysError> {
    let alg = keys::retire(ctx, kid).await?;
    let what = format!("{alg} signing key {kid} retired");
    audit::record(
        ctx.db.pool(),
        ctx.clock.now(),
        AuditCode::KeyRetired,
        None,
        actor.origin(),
        &actor.detail(&what),
    )
    .await?;
    Ok(alg)
}
