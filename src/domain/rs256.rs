//! RS256 signing with ring: several times faster than the pure-Rust RSA the JOSE library uses,
//! which dominated the cost of every token answer that carries an ID token.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use openidconnect::core::{CoreJsonWebKey, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey};
use openidconnect::{JsonWebKeyId, PrivateSigningKey, SigningError};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};

/// An RSA private key ready to sign RS256, with its public JWK.
#[derive(Debug)]
pub struct Rs256Key {
    pair: RsaKeyPair,
    public: CoreJsonWebKey,
}

impl Rs256Key {
    /// Reads a PKCS#1 PEM private key.
    pub fn from_pem(kid: &str, pem: &str) -> Result<Self, String> {
        let public =
            CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new(kid.to_owned())))?
                .as_verification_key();
        let body: String = pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .map(str::trim)
            .collect();
        let der = STANDARD.decode(body).map_err(|e| e.to_string())?;
        let pair = RsaKeyPair::from_der(&der).map_err(|e| e.to_string())?;
        Ok(Self { pair, public })
    }
}

impl PrivateSigningKey for Rs256Key {
    type VerificationKey = CoreJsonWebKey;

    fn sign(
        &self,
        signature_alg: &CoreJwsSigningAlgorithm,
        message: &[u8],
    ) -> Result<Vec<u8>, SigningError> {
        if *signature_alg != CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256 {
            return Err(SigningError::UnsupportedAlg(format!("{signature_alg:?}")));
        }
        let mut signature = vec![0u8; self.pair.public().modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                message,
                &mut signature,
            )
            .map_err(|_| SigningError::CryptoError)?;
        Ok(signature)
    }

    fn as_verification_key(&self) -> CoreJsonWebKey {
        self.public.clone()
    }
}

#[cfg(test)]
mod tests {
    use openidconnect::JsonWebKey;

    use super::*;
    use crate::domain::signing_key::{SigningAlg, generate};

    #[test]
    fn ring_signatures_verify_with_the_published_key() {
        let generated = generate(SigningAlg::Rs256).unwrap();
        let key = Rs256Key::from_pem(&generated.kid, generated.pem()).unwrap();
        let message = b"header.payload";
        let signature = key
            .sign(&CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256, message)
            .unwrap();
        let published: CoreJsonWebKey = serde_json::from_str(&generated.public_jwk).unwrap();
        published
            .verify_signature(
                &CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
                message,
                &signature,
            )
            .expect("the JWK verifies the signature");
        assert!(
            key.sign(&CoreJwsSigningAlgorithm::EdDsa, message).is_err(),
            "only RS256"
        );
    }
}
