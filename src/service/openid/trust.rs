//! Trusted realms: an administrator (command line or console) trusts a realm, and people
//! signing in to it skip the decision page. Each change is audited naming the actor.

use serde::Serialize;

use crate::db::DbError;
use crate::db::openid_trusted::{
    delete_trusted_realm, insert_trusted_realm, is_trusted_realm, list_trusted_realms,
};
use crate::domain::AuditCode;
use crate::domain::openid::realm::Realm;
use crate::service::admin::Actor;
use crate::service::{Context, audit};

/// A realm an administrator trusts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustedRealm {
    /// The realm.
    pub realm: String,
    /// Who trusted it (`cli:<OS user>` or `admin:<email>`).
    pub trusted_by: String,
    /// When, Unix seconds.
    pub trusted_at: i64,
}

/// Why a realm could not be trusted or untrusted.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// The text is not a realm.
    #[error(
        "`{0}` is not a realm: use an absolute http or https URL without a fragment, e.g. https://*.example.org/"
    )]
    InvalidRealm(String),
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

/// Trusts `realm`; audited as `OpenIdRealmTrusted`. Whether it was new (trusting a trusted
/// realm again changes and records nothing).
pub async fn trust(ctx: &Context, realm: &str, actor: &Actor) -> Result<bool, TrustError> {
    let realm = checked_realm(realm)?;
    let realm = realm.as_str();
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    let new = insert_trusted_realm(&mut *tx, realm, actor.label(), now).await?;
    if new {
        let detail = actor.detail(&format!("realm {realm}"));
        let code = AuditCode::OpenIdRealmTrusted;
        audit::record(&mut *tx, now, code, None, actor.origin(), &detail).await?;
    }
    tx.commit().await.map_err(DbError::from)?;
    Ok(new)
}

/// Stops trusting `realm`; audited as `OpenIdRealmUntrusted`. Whether it was trusted.
pub async fn untrust(ctx: &Context, realm: &str, actor: &Actor) -> Result<bool, TrustError> {
    // A realm is untrusted in its stored form; text that is no realm can only match itself.
    let stored = checked_realm(realm).unwrap_or_else(|_| realm.trim().to_owned());
    let realm = stored.as_str();
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    let had = delete_trusted_realm(&mut *tx, realm).await?;
    if had {
        let detail = actor.detail(&format!("realm {realm}"));
        let code = AuditCode::OpenIdRealmUntrusted;
        audit::record(&mut *tx, now, code, None, actor.origin(), &detail).await?;
    }
    tx.commit().await.map_err(DbError::from)?;
    Ok(had)
}

/// Every trusted realm, alphabetically.
pub async fn list(ctx: &Context) -> Result<Vec<TrustedRealm>, DbError> {
    let stored = list_trusted_realms(ctx.db.pool()).await?;
    Ok(stored
        .into_iter()
        .map(|t| TrustedRealm {
            realm: t.realm,
            trusted_by: t.trusted_by,
            trusted_at: t.trusted_at,
        })
        .collect())
}

/// Whether people signing in to `realm` skip the decision page.
pub async fn is_trusted(ctx: &Context, realm: &str) -> Result<bool, DbError> {
    is_trusted_realm(ctx.db.pool(), realm).await
}

/// The realm in its one stored form (`domain::openid::realm`), the form a sign-in's realm is
/// compared in; too wide or malformed realms are refused.
fn checked_realm(input: &str) -> Result<String, TrustError> {
    Realm::parse(input.trim())
        .map(|realm| realm.as_str())
        .map_err(|_| TrustError::InvalidRealm(input.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_http_and_https_urls_are_realms_in_their_stored_form() {
        for ok in [
            "https://example.org/",
            "https://*.example.org/",
            "https://example.org:8443/app/",
        ] {
            assert_eq!(checked_realm(ok).unwrap(), ok);
        }
        assert_eq!(
            checked_realm("  https://a.example/ ").unwrap(),
            "https://a.example/"
        );
    }

    #[test]
    fn other_text_and_too_wide_realms_are_not_realms() {
        for bad in [
            "",
            "example.org",
            "ftp://example.org/",
            "https://example.org/#frag",
            "https://",
            "https://*/",
            "https://*.com/",
            "https://*.co.uk/",
            "https://a.*.example.org/",
            "https://user@example.org/",
        ] {
            assert!(checked_realm(bad).is_err(), "{bad}");
        }
    }
}
