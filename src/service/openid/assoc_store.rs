//! Associations kept by the provider: made with a random handle and MAC key, sealed under the
//! site key, found again while unexpired. Shared ones live 14 days (what relying-party
//! libraries expect and renew); private ones, used only for check_authentication right after
//! an assertion, one hour.

use crate::db::openid_associations::{
    StoredAssociation, delete_expired_associations, find_live_association, insert_association,
};
use crate::db::secrets::get_or_create_secret;
use crate::domain::factor_seal::{FactorKey, KEY_BYTES, NONCE_BYTES, open_bytes, seal_bytes};
use crate::domain::openid::association::{AssocType, MacKey, handle_from};
use crate::service::Context;
use crate::service::authenticator::FACTOR_KEY_NAME;

use super::error::OpenIdError;

/// Seconds a shared association lives.
pub const SHARED_LIFETIME: i64 = 14 * 24 * 60 * 60;
/// Seconds a private association lives.
pub const PRIVATE_LIFETIME: i64 = 60 * 60;

/// An association in use.
#[derive(Debug, Clone)]
pub struct Association {
    /// Its handle.
    pub handle: String,
    /// Its signature algorithm.
    pub assoc_type: AssocType,
    /// Its key.
    pub key: MacKey,
    /// Whether only the provider holds it.
    pub private: bool,
    /// Unix time it expires.
    pub expires_at: i64,
}

/// Random bytes.
pub fn random<const N: usize>() -> Result<[u8; N], OpenIdError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(OpenIdError::Random)?;
    Ok(bytes)
}

/// The site key (the same one that seals second-factor secrets, shared by every node).
async fn site_key(ctx: &Context) -> Result<&FactorKey, OpenIdError> {
    ctx.factor_key
        .get_or_try_init(|| async {
            let candidate = FactorKey::from_bytes(random::<KEY_BYTES>()?);
            let stored = get_or_create_secret(
                ctx.db.pool(),
                FACTOR_KEY_NAME,
                &candidate.to_stored(),
                ctx.clock.now(),
            )
            .await?;
            Ok(FactorKey::from_stored(&stored)?)
        })
        .await
}

/// What the seal is bound to: the handle, type and kind, so a key copied to another row or a
/// shared row marked private does not open.
fn associated_data(handle: &str, assoc_type: AssocType, private: bool) -> Vec<u8> {
    format!("{handle}\n{}\n{private}", assoc_type.as_str()).into_bytes()
}

/// Makes and stores a new association (and deletes expired ones, theirs and nonces' rows).
pub async fn create_association(
    ctx: &Context,
    assoc_type: AssocType,
    private: bool,
) -> Result<Association, OpenIdError> {
    let now = ctx.clock.now();
    let handle = handle_from(&random::<24>()?);
    let mut bytes = random::<32>()?.to_vec();
    bytes.truncate(assoc_type.key_len());
    let key = MacKey::from_bytes(assoc_type, bytes).ok_or(OpenIdError::UnsupportedType)?;
    let sealed = seal_bytes(
        site_key(ctx).await?,
        random::<NONCE_BYTES>()?,
        &associated_data(&handle, assoc_type, private),
        key.expose(),
    )?;
    let lifetime = if private {
        PRIVATE_LIFETIME
    } else {
        SHARED_LIFETIME
    };
    let stored = StoredAssociation {
        handle: handle.clone(),
        assoc_type: assoc_type.as_str().to_owned(),
        sealed_secret: sealed,
        private,
        expires_at: now + lifetime,
    };
    delete_expired_associations(ctx.db.pool(), now).await?;
    crate::db::openid_nonces::delete_expired_nonces(ctx.db.pool(), now).await?;
    insert_association(ctx.db.pool(), &stored, now).await?;
    Ok(Association {
        handle,
        assoc_type,
        key,
        private,
        expires_at: stored.expires_at,
    })
}

/// The unexpired association with that handle, opened; `None` when there is none.
pub async fn find_association(
    ctx: &Context,
    handle: &str,
) -> Result<Option<Association>, OpenIdError> {
    let Some(row) = find_live_association(ctx.db.pool(), handle, ctx.clock.now()).await? else {
        return Ok(None);
    };
    let assoc_type = AssocType::parse(&row.assoc_type).ok_or(OpenIdError::UnsupportedType)?;
    let bytes = open_bytes(
        site_key(ctx).await?,
        &associated_data(&row.handle, assoc_type, row.private),
        &row.sealed_secret,
    )?;
    let key = MacKey::from_bytes(assoc_type, bytes).ok_or(OpenIdError::UnsupportedType)?;
    Ok(Some(Association {
        handle: row.handle,
        assoc_type,
        key,
        private: row.private,
        expires_at: row.expires_at,
    }))
}
