//! Authenticator-app secrets at rest. TOTP needs the secret itself to check a code, so it cannot
//! be hashed: it is sealed with ChaCha20-Poly1305 under the site's `factor_key` (32 bytes, made
//! once and shared by every node), with a fresh random nonce per seal and the person's id as
//! associated data, so a sealed secret copied to another person's row does not open.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};

use super::PersonId;

/// Bytes of the site's factor key.
pub const KEY_BYTES: usize = 32;
/// Bytes of a nonce: random per seal (96 bits; a site seals few enough secrets that a repeat
/// is out of reach).
pub const NONCE_BYTES: usize = NONCE_LEN;
/// The stored form's version, so the scheme can change without guessing.
const VERSION: &str = "v1:";

/// Why a sealed secret or a stored key could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// The stored key is not 32 bytes of base64.
    #[error("the stored factor key is not {KEY_BYTES} bytes of base64")]
    BadKey,
    /// The sealed text is not one this version wrote.
    #[error("the sealed secret is malformed")]
    Malformed,
    /// The seal does not open: another key, another person, or changed bytes.
    #[error("the sealed secret does not open with this key for this person")]
    DoesNotOpen,
}

/// The site's key for second-factor secrets.
#[derive(Clone)]
pub struct FactorKey([u8; KEY_BYTES]);

impl FactorKey {
    /// A key from random bytes.
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> Self {
        Self(bytes)
    }

    /// The key as stored among the site secrets (standard base64).
    pub fn to_stored(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.0)
    }

    /// Reads the stored key.
    pub fn from_stored(stored: &str) -> Result<Self, SealError> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(stored.trim())
            .map_err(|_| SealError::BadKey)?;
        let bytes: [u8; KEY_BYTES] = bytes.try_into().map_err(|_| SealError::BadKey)?;
        Ok(Self(bytes))
    }

    fn aead(&self) -> Result<LessSafeKey, SealError> {
        let key = UnboundKey::new(&CHACHA20_POLY1305, &self.0).map_err(|_| SealError::BadKey)?;
        Ok(LessSafeKey::new(key))
    }
}

impl fmt::Debug for FactorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FactorKey(<redacted>)")
    }
}

/// An authenticator app's secret in clear: shown once at enrolment, otherwise only sealed.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl TotpSecret {
    /// Wraps secret bytes.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// Reads a secret written in base32 (as `totp::base32` shows it); `None` if it is not.
    pub fn from_base32(text: &str) -> Option<Self> {
        let bytes = totp_rs::Secret::try_from_base32(text).ok()?.to_vec();
        (!bytes.is_empty()).then_some(Self(bytes))
    }

    /// The bytes, for computing codes.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The secret in base32, as authenticator apps take it.
    pub fn base32(&self) -> String {
        super::totp::base32(&self.0)
    }

    /// The base32 text in groups of four, easier to type by hand.
    pub fn grouped(&self) -> String {
        let text = self.base32();
        let chars: Vec<char> = text.chars().collect();
        chars
            .chunks(4)
            .map(|group| group.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(<redacted>)")
    }
}

/// Seals `secret` for `person` with a nonce the caller drew at random; the stored text is
/// `v1:` and the base64url of nonce, ciphertext and tag.
pub fn seal(
    key: &FactorKey,
    nonce: [u8; NONCE_BYTES],
    person: &PersonId,
    secret: &TotpSecret,
) -> Result<String, SealError> {
    let mut in_out = secret.expose().to_vec();
    key.aead()?
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(person.as_str().as_bytes()),
            &mut in_out,
        )
        .map_err(|_| SealError::Malformed)?;
    let mut stored = nonce.to_vec();
    stored.extend_from_slice(&in_out);
    Ok(format!("{VERSION}{}", URL_SAFE_NO_PAD.encode(stored)))
}

/// Opens a sealed secret of `person`.
pub fn open(key: &FactorKey, person: &PersonId, sealed: &str) -> Result<TotpSecret, SealError> {
    let encoded = sealed.strip_prefix(VERSION).ok_or(SealError::Malformed)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| SealError::Malformed)?;
    if bytes.len() < NONCE_BYTES + CHACHA20_POLY1305.tag_len() {
        return Err(SealError::Malformed);
    }
    let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
    let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| SealError::Malformed)?;
    let mut in_out = sealed.to_vec();
    let plain = key
        .aead()?
        .open_in_place(nonce, Aad::from(person.as_str().as_bytes()), &mut in_out)
        .map_err(|_| SealError::DoesNotOpen)?;
    Ok(TotpSecret(plain.to_vec()))
}

/// Seals any secret bytes with `associated` as associated data (an OpenID association's MAC
/// key with its handle, say), in the same stored form as `seal`.
pub fn seal_bytes(
    key: &FactorKey,
    nonce: [u8; NONCE_BYTES],
    associated: &[u8],
    secret: &[u8],
) -> Result<String, SealError> {
    let mut in_out = secret.to_vec();
    key.aead()?
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(associated),
            &mut in_out,
        )
        .map_err(|_| SealError::Malformed)?;
    let mut stored = nonce.to_vec();
    stored.extend_from_slice(&in_out);
    Ok(format!("{VERSION}{}", URL_SAFE_NO_PAD.encode(stored)))
}

/// Opens what `seal_bytes` sealed with the same associated data.
pub fn open_bytes(key: &FactorKey, associated: &[u8], sealed: &str) -> Result<Vec<u8>, SealError> {
    let encoded = sealed.strip_prefix(VERSION).ok_or(SealError::Malformed)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| SealError::Malformed)?;
    if bytes.len() < NONCE_BYTES + CHACHA20_POLY1305.tag_len() {
        return Err(SealError::Malformed);
    }
    let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
    let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| SealError::Malformed)?;
    let mut in_out = sealed.to_vec();
    let plain = key
        .aead()?
        .open_in_place(nonce, Aad::from(associated), &mut in_out)
        .map_err(|_| SealError::DoesNotOpen)?;
    Ok(plain.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> FactorKey {
        FactorKey::from_bytes([byte; KEY_BYTES])
    }

    fn person(id: &str) -> PersonId {
        PersonId::from_stored(id.to_owned())
    }

    fn secret() -> TotpSecret {
        TotpSecret::from_bytes(b"12345678901234567890".to_vec())
    }

    #[test]
    fn a_sealed_secret_opens_for_its_person_with_its_key() {
        let sealed = seal(&key(7), [1; NONCE_BYTES], &person("p1"), &secret()).unwrap();
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.contains(&secret().base32()));
        assert_eq!(open(&key(7), &person("p1"), &sealed).unwrap(), secret());
    }

    #[test]
    fn a_sealed_secret_does_not_open_for_another_person_or_key() {
        let sealed = seal(&key(7), [1; NONCE_BYTES], &person("p1"), &secret()).unwrap();
        assert_eq!(
            open(&key(7), &person("p2"), &sealed),
            Err(SealError::DoesNotOpen)
        );
        assert_eq!(
            open(&key(8), &person("p1"), &sealed),
            Err(SealError::DoesNotOpen)
        );
    }

    #[test]
    fn changed_or_malformed_seals_are_refused() {
        let sealed = seal(&key(7), [1; NONCE_BYTES], &person("p1"), &secret()).unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(&sealed[3..]).unwrap();
        if let Some(last) = bytes.last_mut() {
            *last ^= 1;
        }
        let changed = format!("v1:{}", URL_SAFE_NO_PAD.encode(bytes));
        assert_eq!(
            open(&key(7), &person("p1"), &changed),
            Err(SealError::DoesNotOpen)
        );
        for bad in ["", "v1:", "v1:!!", "v2:AAAA", "v1:AAAA"] {
            assert_eq!(
                open(&key(7), &person("p1"), bad),
                Err(SealError::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn sealed_bytes_open_only_with_their_associated_data() {
        let sealed = seal_bytes(&key(7), [1; NONCE_BYTES], b"lk.handle", b"mac key").unwrap();
        assert_eq!(
            open_bytes(&key(7), b"lk.handle", &sealed).unwrap(),
            b"mac key"
        );
        assert_eq!(
            open_bytes(&key(7), b"lk.other", &sealed),
            Err(SealError::DoesNotOpen)
        );
    }

    #[test]
    fn each_nonce_gives_another_seal() {
        let a = seal(&key(7), [1; NONCE_BYTES], &person("p1"), &secret()).unwrap();
        let b = seal(&key(7), [2; NONCE_BYTES], &person("p1"), &secret()).unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn the_key_reads_back_from_its_stored_form_and_bad_keys_are_refused() {
        let stored = key(9).to_stored();
        assert_eq!(FactorKey::from_stored(&stored).unwrap().0, [9; KEY_BYTES]);
        assert_eq!(
            FactorKey::from_stored("c2hvcnQ=").map(|_| ()),
            Err(SealError::BadKey)
        );
        assert_eq!(
            FactorKey::from_stored("not base64!").map(|_| ()),
            Err(SealError::BadKey)
        );
        assert_eq!(format!("{:?}", key(9)), "FactorKey(<redacted>)");
    }

    #[test]
    fn secrets_read_back_from_base32_and_show_in_groups() {
        let s = secret();
        assert_eq!(TotpSecret::from_base32(&s.base32()), Some(s.clone()));
        assert_eq!(s.grouped(), "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
        assert_eq!(TotpSecret::from_base32("not base32!"), None);
        assert_eq!(format!("{s:?}"), "TotpSecret(<redacted>)");
    }
}
