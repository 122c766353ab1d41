//! What can go wrong in the OpenID 2.0 use cases, and the direct error answer (§5.1.2.2) a
//! relying party gets for its own mistakes.

use crate::db::DbError;
use crate::domain::factor_seal::SealError;
use crate::domain::openid::kv::NS;

/// Why an OpenID 2.0 request could not be answered as asked.
#[derive(Debug, thiserror::Error)]
pub enum OpenIdError {
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// No random bytes for a key, a handle or a nonce.
    #[error("no randomness: {0}")]
    Random(#[source] getrandom::Error),
    /// The site key or a sealed MAC key is unusable.
    #[error(transparent)]
    Seal(#[from] SealError),
    /// The request is malformed; the text says how (it is sent back as `error`).
    #[error("malformed OpenID request: {0}")]
    Malformed(&'static str),
    /// A claimed identifier could not be given.
    #[error(transparent)]
    Identity(#[from] super::identity::IdentityError),
    /// A request could not be held for the decision.
    #[error(transparent)]
    Pending(#[from] super::pending::PendingError),
    /// The association or session type is unknown, mismatched, or `no-encryption` over http.
    #[error("unsupported association or session type")]
    UnsupportedType,
}

impl OpenIdError {
    /// The Key-Value fields of the 400 answer for a relying party's mistake; `None` for the
    /// provider's own failures (a 500).
    pub fn direct_answer(&self) -> Option<Vec<(String, String)>> {
        let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        match self {
            Self::Malformed(why) => Some(vec![
                pair("ns", NS),
                pair("error", why),
                pair("error_code", "invalid-request"),
            ]),
            Self::UnsupportedType => Some(vec![
                pair("ns", NS),
                pair("error", "Unsupported association or session type"),
                pair("error_code", "unsupported-type"),
                pair("session_type", "DH-SHA256"),
                pair("assoc_type", "HMAC-SHA256"),
            ]),
            Self::Database(_)
            | Self::Random(_)
            | Self::Seal(_)
            | Self::Identity(_)
            | Self::Pending(_) => None,
        }
    }
}
