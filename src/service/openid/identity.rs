//! Claimed identifiers: each person's `{public_url}/+id/{opaque}`, where the opaque part is
//! random (never derived from the id or an address), made on first use and stable forever.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::db::DbError;
use crate::db::openid_identities::{
    find_active_person_by_opaque, find_opaque_of, insert_identity_if_absent,
};
use crate::domain::PersonId;
use crate::service::Context;

/// Random bytes in an identifier: 128 bits, 22 characters of base64url.
const OPAQUE_BYTES: usize = 16;
/// The path in front of every claimed identifier's opaque part.
pub const IDENTITY_PATH: &str = "/+id/";

/// Why a claimed identifier could not be given.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// The operating system's random source failed.
    #[error("no randomness for an identifier: {0}")]
    Random(getrandom::Error),
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

/// `person`'s claimed identifier (and OP-local identifier): `{public_url}/+id/{opaque}`. The
/// first call makes it; concurrent first calls agree, because each inserts only if absent and
/// then reads back what was stored.
pub async fn claimed_id(ctx: &Context, person: &PersonId) -> Result<String, IdentityError> {
    let pool = ctx.db.pool();
    if let Some(opaque) = find_opaque_of(pool, person).await? {
        return Ok(identity_url(&ctx.public_url, &opaque));
    }
    let mut bytes = [0u8; OPAQUE_BYTES];
    getrandom::fill(&mut bytes).map_err(IdentityError::Random)?;
    insert_identity_if_absent(pool, person, &URL_SAFE_NO_PAD.encode(bytes)).await?;
    let opaque = find_opaque_of(pool, person)
        .await?
        .ok_or_else(|| DbError::Corrupt {
            table: "openid_identities",
            detail: "an identifier vanished right after it was stored".to_owned(),
        })?;
    Ok(identity_url(&ctx.public_url, &opaque))
}

/// The active individual an identifier's opaque part names; teams, closed or placeholder
/// profiles, malformed and unknown parts give `None`.
pub async fn person_of(ctx: &Context, opaque: &str) -> Result<Option<PersonId>, DbError> {
    if !plausible_opaque(opaque) {
        return Ok(None);
    }
    find_active_person_by_opaque(ctx.db.pool(), opaque).await
}

/// The active individual a full claimed identifier URL names (as a relying party sends it in
/// `openid.claimed_id` or `openid.identity`); `None` for any other URL.
pub async fn person_of_url(ctx: &Context, url: &str) -> Result<Option<PersonId>, DbError> {
    match opaque_in(&ctx.public_url, url) {
        Some(opaque) => person_of(ctx, opaque).await,
        None => Ok(None),
    }
}

/// The claimed identifier URL of an opaque part.
pub fn identity_url(public_url: &str, opaque: &str) -> String {
    format!("{public_url}{IDENTITY_PATH}{opaque}")
}

/// The opaque part of one of this site's claimed identifiers.
fn opaque_in<'u>(public_url: &str, url: &'u str) -> Option<&'u str> {
    url.strip_prefix(public_url)?.strip_prefix(IDENTITY_PATH)
}

/// Whether text could be an opaque part at all (spares the database obvious junk).
fn plausible_opaque(opaque: &str) -> bool {
    (1..=64).contains(&opaque.len())
        && opaque
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identifier_url_is_the_public_url_and_the_opaque_part() {
        assert_eq!(
            identity_url("https://id.example", "abc_-1"),
            "https://id.example/+id/abc_-1"
        );
    }

    #[test]
    fn only_this_sites_identifier_urls_yield_an_opaque_part() {
        let site = "https://id.example";
        assert_eq!(opaque_in(site, "https://id.example/+id/xyz"), Some("xyz"));
        assert_eq!(opaque_in(site, "https://other.example/+id/xyz"), None);
        assert_eq!(opaque_in(site, "https://id.example/+openid"), None);
    }

    #[test]
    fn junk_is_not_a_plausible_opaque_part() {
        assert!(plausible_opaque("AbC-_09"));
        assert!(!plausible_opaque(""));
        assert!(!plausible_opaque("a/b"));
        assert!(!plausible_opaque("a'b"));
        assert!(!plausible_opaque(&"a".repeat(65)));
    }
}
