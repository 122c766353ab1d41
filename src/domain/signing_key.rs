//! ID-token signing keys: the algorithms offered, and generating a key pair with its public
//! JWK (RSA 2048 in PKCS#1 PEM for RS256; Ed25519 in PKCS#8 PEM for EdDSA).

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use openidconnect::core::CoreEdDsaPrivateSigningKey;
use openidconnect::{JsonWebKeyId, PrivateSigningKey};
use rsa::pkcs1::EncodeRsaPrivateKey;
use secrecy::{ExposeSecret, SecretString};

/// An ID-token signing algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SigningAlg {
    /// RSASSA-PKCS1-v1_5 with SHA-256: the default, which every relying party supports.
    Rs256,
    /// Ed25519.
    EdDsa,
}

impl SigningAlg {
    /// Every algorithm, the default first.
    pub const ALL: [SigningAlg; 2] = [Self::Rs256, Self::EdDsa];

    /// The JOSE name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rs256 => "RS256",
            Self::EdDsa => "EdDSA",
        }
    }

    /// Reads a JOSE name (case-insensitive, as typed on the command line).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for SigningAlg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a key could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Generation failed (random source, encoding).
    #[error("cannot generate a {alg} key: {reason}")]
    Generate {
        /// Which algorithm.
        alg: SigningAlg,
        /// Why.
        reason: String,
    },
    /// A stored key does not parse.
    #[error("stored key {kid} is unusable: {reason}")]
    Stored {
        /// Its id.
        kid: String,
        /// Why.
        reason: String,
    },
}

/// A new key pair.
pub struct GeneratedKey {
    /// Its key id (random, URL-safe).
    pub kid: String,
    /// Its algorithm.
    pub alg: SigningAlg,
    /// The private key, PEM.
    pub private_pem: SecretString,
    /// The public key as a JWK (JSON).
    pub public_jwk: String,
}

impl fmt::Debug for GeneratedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeneratedKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

/// A signing key read back from storage, ready to sign.
pub enum SigningKey {
    /// RS256.
    Rsa(super::rs256::Rs256Key),
    /// EdDSA.
    Ed25519(CoreEdDsaPrivateSigningKey),
}

impl SigningKey {
    /// Parses a stored private key.
    pub fn from_pem(alg: SigningAlg, kid: &str, pem: &str) -> Result<Self, KeyError> {
        let id = Some(JsonWebKeyId::new(kid.to_owned()));
        let stored = |reason: String| KeyError::Stored {
            kid: kid.to_owned(),
            reason,
        };
        match alg {
            SigningAlg::Rs256 => super::rs256::Rs256Key::from_pem(kid, pem)
                .map(Self::Rsa)
                .map_err(stored),
            SigningAlg::EdDsa => CoreEdDsaPrivateSigningKey::from_ed25519_pem(pem, id)
                .map(Self::Ed25519)
                .map_err(stored),
        }
    }

    /// The public JWK, as JSON.
    pub fn public_jwk(&self) -> Result<String, serde_json::Error> {
        match self {
            Self::Rsa(k) => serde_json::to_string(&k.as_verification_key()),
            Self::Ed25519(k) => serde_json::to_string(&k.as_verification_key()),
        }
    }
}

fn random_bytes<const N: usize>(alg: SigningAlg) -> Result<[u8; N], KeyError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| KeyError::Generate {
        alg,
        reason: e.to_string(),
    })?;
    Ok(bytes)
}

/// Makes a new key pair. RSA generation takes a moment (tens of milliseconds optimised).
pub fn generate(alg: SigningAlg) -> Result<GeneratedKey, KeyError> {
    let fail = |reason: String| KeyError::Generate { alg, reason };
    let kid = URL_SAFE_NO_PAD.encode(random_bytes::<16>(alg)?);
    let pem = match alg {
        SigningAlg::Rs256 => {
            let key = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048)
                .map_err(|e| fail(e.to_string()))?;
            key.to_pkcs1_pem(rsa::pkcs8::LineEnding::LF)
                .map_err(|e| fail(e.to_string()))?
                .to_string()
        }
        SigningAlg::EdDsa => {
            let key = ed25519_dalek::SigningKey::from_bytes(&random_bytes::<32>(alg)?);
            key.to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
                .map_err(|e| fail(e.to_string()))?
                .to_string()
        }
    };
    let public_jwk = SigningKey::from_pem(alg, &kid, &pem)
        .map_err(|e| fail(e.to_string()))?
        .public_jwk()
        .map_err(|e| fail(e.to_string()))?;
    Ok(GeneratedKey {
        kid,
        alg,
        private_pem: SecretString::from(pem),
        public_jwk,
    })
}

impl GeneratedKey {
    /// The private PEM, for storage.
    pub fn pem(&self) -> &str {
        self.private_pem.expose_secret()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_algorithms_generate_keys_that_read_back() {
        for alg in SigningAlg::ALL {
            let key = generate(alg).unwrap();
            assert_eq!(key.kid.len(), 22);
            let again = SigningKey::from_pem(alg, &key.kid, key.pem()).unwrap();
            assert_eq!(again.public_jwk().unwrap(), key.public_jwk);
            let jwk: serde_json::Value = serde_json::from_str(&key.public_jwk).unwrap();
            assert_eq!(jwk["kid"], key.kid.as_str());
            assert!(jwk.get("d").is_none(), "no private part in the JWK");
        }
    }

    #[test]
    fn rsa_keys_are_2048_bit_pkcs1() {
        let key = generate(SigningAlg::Rs256).unwrap();
        assert!(key.pem().starts_with("-----BEGIN RSA PRIVATE KEY-----"));
        let jwk: serde_json::Value = serde_json::from_str(&key.public_jwk).unwrap();
        assert_eq!(jwk["kty"], "RSA");
        assert_eq!(
            URL_SAFE_NO_PAD
                .decode(jwk["n"].as_str().unwrap())
                .unwrap()
                .len(),
            256
        );
    }

    #[test]
    fn ed25519_keys_are_okp_jwks() {
        let key = generate(SigningAlg::EdDsa).unwrap();
        let jwk: serde_json::Value = serde_json::from_str(&key.public_jwk).unwrap();
        assert_eq!(jwk["kty"], "OKP");
        assert_eq!(jwk["crv"], "Ed25519");
    }

    #[test]
    fn algorithms_parse_as_typed() {
        assert_eq!(SigningAlg::parse("rs256"), Some(SigningAlg::Rs256));
        assert_eq!(SigningAlg::parse("EdDSA"), Some(SigningAlg::EdDsa));
        assert_eq!(SigningAlg::parse("HS256"), None);
    }

    #[test]
    fn debug_output_hides_the_private_key() {
        let key = generate(SigningAlg::EdDsa).unwrap();
        assert!(!format!("{key:?}").contains("PRIVATE"));
    }
}
