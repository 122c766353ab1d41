//! Secret tokens: generation (256 random bits, URL-safe, a visible prefix per kind), SHA-256
//! hashing for storage, and constant-time comparison.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Random bytes in every token: 256 bits, well above the 128-bit floor.
const RANDOM_BYTES: usize = 32;

/// What a token is for. Each kind has its own visible prefix, so a leaked token can be
/// recognised (by people and by secret scanners) without looking it up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Emailed link that lets an unknown or placeholder address register.
    NewAccount,
    /// Emailed link that sets a new password.
    PasswordRecovery,
    /// Emailed link that confirms an added address.
    ValidateEmail,
    /// Single-use handshake token for an external bug tracker.
    BugTracker,
    /// Single-use confirmation of an API-key delegation.
    AuthDelegation,
    /// A person's API key.
    ApiKey,
    /// The site's shared web-hook secret.
    Webhook,
    /// A server-side session key.
    Session,
    /// An OIDC client's secret.
    ClientSecret,
    /// An OIDC authorization code.
    AuthorizationCode,
    /// An OAuth access token.
    AccessToken,
    /// An OAuth refresh token.
    RefreshToken,
    /// The handle of an authorization request waiting for consent.
    AuthorizationRequest,
    /// The handle of an OpenID 2.0 checkid request waiting for the person's decision.
    OpenIdRequest,
}

impl TokenKind {
    /// Every kind, for exhaustive checks.
    pub const ALL: [TokenKind; 14] = [
        Self::NewAccount,
        Self::PasswordRecovery,
        Self::ValidateEmail,
        Self::BugTracker,
        Self::AuthDelegation,
        Self::ApiKey,
        Self::Webhook,
        Self::Session,
        Self::ClientSecret,
        Self::AuthorizationCode,
        Self::AccessToken,
        Self::RefreshToken,
        Self::AuthorizationRequest,
        Self::OpenIdRequest,
    ];

    /// The visible prefix of tokens of this kind.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::NewAccount => "lk_new_",
            Self::PasswordRecovery => "lk_rec_",
            Self::ValidateEmail => "lk_val_",
            Self::BugTracker => "lk_bug_",
            Self::AuthDelegation => "lk_dlg_",
            Self::ApiKey => "lk_api_",
            Self::Webhook => "lk_hook_",
            Self::Session => "lk_ses_",
            Self::ClientSecret => "lk_cs_",
            Self::AuthorizationCode => "lk_ac_",
            Self::AccessToken => "lk_at_",
            Self::RefreshToken => "lk_rt_",
            Self::AuthorizationRequest => "lk_ar_",
            Self::OpenIdRequest => "lk_oir_",
        }
    }

    /// The stored spelling, used by the `login_tokens.kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NewAccount => "new_account",
            Self::PasswordRecovery => "password_recovery",
            Self::ValidateEmail => "validate_email",
            Self::BugTracker => "bug_tracker",
            Self::AuthDelegation => "auth_delegation",
            Self::ApiKey => "api_key",
            Self::Webhook => "webhook",
            Self::Session => "session",
            Self::ClientSecret => "client_secret",
            Self::AuthorizationCode => "authorization_code",
            Self::AccessToken => "access_token",
            Self::RefreshToken => "refresh_token",
            Self::AuthorizationRequest => "authorization_request",
            Self::OpenIdRequest => "openid_request",
        }
    }

    /// Reads the stored spelling.
    pub fn from_stored(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind a token claims by its prefix, if any.
    pub fn of_token(token: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| token.starts_with(k.prefix()))
    }
}

/// A token in clear: shown once (in an email, on a page, on standard output), never stored.
pub struct PlainToken(SecretString);

impl PlainToken {
    /// A new token of the given kind from the operating system's random source.
    pub fn generate(kind: TokenKind) -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; RANDOM_BYTES];
        getrandom::fill(&mut bytes)?;
        let token = format!("{}{}", kind.prefix(), URL_SAFE_NO_PAD.encode(bytes));
        Ok(Self(SecretString::from(token)))
    }

    /// Wraps a token presented by a client (from a URL, header or form).
    pub fn from_presented(token: &str) -> Self {
        Self(SecretString::from(token.to_owned()))
    }

    /// The token text, for the one place that must show it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// The hash stored in place of the token.
    pub fn hash(&self) -> TokenHash {
        TokenHash::of(self.expose())
    }
}

impl fmt::Debug for PlainToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlainToken(<redacted>)")
    }
}

/// The SHA-256 of a token, in lower-case hex. Tokens carry 256 random bits, so a fast hash is
/// enough: there is nothing to brute-force.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct TokenHash(String);

impl TokenHash {
    /// Hashes a token's text.
    pub fn of(token: &str) -> Self {
        let digest = Sha256::digest(token.as_bytes());
        let mut hex = String::with_capacity(64);
        for byte in digest {
            hex.push(char::from(HEX[usize::from(byte >> 4)]));
            hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        Self(hex)
    }

    /// Wraps a hash read from storage.
    pub fn from_stored(hex: String) -> Self {
        Self(hex)
    }

    /// The hex text, for storage and lookups.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether a presented token hashes to this value, compared in constant time.
    pub fn matches(&self, presented: &str) -> bool {
        let candidate = Self::of(presented);
        bool::from(self.0.as_bytes().ct_eq(candidate.0.as_bytes()))
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A hash is not a secret, but its prefix is enough to tell rows apart in logs.
        write!(f, "TokenHash({}…)", self.0.get(..8).unwrap_or(""))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn a_token_has_its_kinds_prefix_and_256_url_safe_bits() {
        for kind in TokenKind::ALL {
            let token = PlainToken::generate(kind).unwrap();
            let text = token.expose();
            let body = text.strip_prefix(kind.prefix()).unwrap();
            assert_eq!(body.len(), 43, "32 bytes in unpadded base64");
            assert!(
                body.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            );
            assert_eq!(URL_SAFE_NO_PAD.decode(body).unwrap().len(), 32);
            assert_eq!(TokenKind::of_token(text), Some(kind));
        }
    }

    #[test]
    fn prefixes_are_distinct_and_none_is_a_prefix_of_another() {
        for a in TokenKind::ALL {
            for b in TokenKind::ALL {
                if a != b {
                    assert!(!a.prefix().starts_with(b.prefix()), "{a:?} vs {b:?}");
                }
            }
        }
    }

    #[test]
    fn generated_tokens_do_not_repeat() {
        let seen: HashSet<String> = (0..1000)
            .map(|_| {
                PlainToken::generate(TokenKind::BugTracker)
                    .unwrap()
                    .expose()
                    .to_owned()
            })
            .collect();
        assert_eq!(seen.len(), 1000);
    }

    #[test]
    fn the_hash_is_sha256_hex() {
        // SHA-256("abc"), from FIPS 180-2.
        assert_eq!(
            TokenHash::of("abc").as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_hash_matches_its_token_and_nothing_else() {
        let token = PlainToken::generate(TokenKind::Webhook).unwrap();
        let hash = token.hash();
        assert!(hash.matches(token.expose()));
        assert!(!hash.matches("lk_hook_wrong"));
        assert!(!hash.matches(""));
    }

    #[test]
    fn kinds_round_trip_through_storage() {
        for kind in TokenKind::ALL {
            assert_eq!(TokenKind::from_stored(kind.as_str()), Some(kind));
        }
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let token = PlainToken::generate(TokenKind::ApiKey).unwrap();
        let body = &token.expose()[7..];
        assert!(!format!("{token:?}").contains(body));
    }
}
