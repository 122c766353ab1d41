//! PKCE (RFC 7636), S256 only: checking a verifier against the challenge sent at authorize.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Whether a string is a well-formed verifier: 43–128 unreserved characters.
pub fn is_valid_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// Whether a string is a well-formed S256 challenge: 43 base64url characters.
pub fn is_valid_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The S256 challenge of a verifier.
pub fn challenge_of(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Whether the verifier matches the challenge (compared in constant time).
pub fn verify(verifier: &str, challenge: &str) -> bool {
    is_valid_verifier(verifier)
        && bool::from(
            challenge_of(verifier)
                .as_bytes()
                .ct_eq(challenge.as_bytes()),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_challenge_is_the_base64url_sha256_of_the_verifier() {
        // Computed independently (Python's hashlib and base64).
        let verifier = "dBjftJeZ4CVP-mJ0kr2ZGvMZvbxzYSeEBUWHgGm1hHR";
        let challenge = "ERip94E9lfkJvy0nmTObjKj1tP3n_yAnjZKbe8PBCt8";
        assert_eq!(challenge_of(verifier), challenge);
        assert!(verify(verifier, challenge));
        assert!(is_valid_challenge(challenge));
    }

    #[test]
    fn a_wrong_or_malformed_verifier_fails() {
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(!verify(
            "dBjftJeZ4CVP-mJ0kr2ZGvMZvbxzYSeEBUWHgGm1hHRAx",
            challenge
        ));
        assert!(!verify("short", challenge));
        assert!(!is_valid_verifier(&"a".repeat(129)));
        assert!(!is_valid_verifier(&format!("{}!", "a".repeat(43))));
        assert!(!is_valid_challenge("plain-text-challenge"));
    }
}
