//! Associations (OpenID 2.0 §8): the association and session types and which pair, MAC keys,
//! the text a signature covers (§6.1), and signing and constant-time verification.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::hmac;
use subtle::ConstantTimeEq;

use super::dh::DhHash;
use super::kv::{KvError, encode};

/// The prefix of every OpenID field in a message.
pub const PREFIX: &str = "openid.";

/// A signature algorithm, with the size of its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssocType {
    /// `HMAC-SHA1`, 20-byte keys.
    HmacSha1,
    /// `HMAC-SHA256`, 32-byte keys.
    HmacSha256,
}

impl AssocType {
    /// The type a request names; `None` for any other.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "HMAC-SHA1" => Some(Self::HmacSha1),
            "HMAC-SHA256" => Some(Self::HmacSha256),
            _ => None,
        }
    }

    /// Its name in messages and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HmacSha1 => "HMAC-SHA1",
            Self::HmacSha256 => "HMAC-SHA256",
        }
    }

    /// Bytes of its MAC key.
    pub fn key_len(self) -> usize {
        match self {
            Self::HmacSha1 => 20,
            Self::HmacSha256 => 32,
        }
    }

    fn algorithm(self) -> hmac::Algorithm {
        match self {
            Self::HmacSha1 => hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
            Self::HmacSha256 => hmac::HMAC_SHA256,
        }
    }
}

/// How the MAC key travels to the relying party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionType {
    /// In clear (`no-encryption`): only over https.
    NoEncryption,
    /// Masked with a SHA-1 Diffie-Hellman secret (`DH-SHA1`).
    DhSha1,
    /// Masked with a SHA-256 Diffie-Hellman secret (`DH-SHA256`).
    DhSha256,
}

impl SessionType {
    /// The type a request names; `None` for any other.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "no-encryption" => Some(Self::NoEncryption),
            "DH-SHA1" => Some(Self::DhSha1),
            "DH-SHA256" => Some(Self::DhSha256),
            _ => None,
        }
    }

    /// Its name in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoEncryption => "no-encryption",
            Self::DhSha1 => "DH-SHA1",
            Self::DhSha256 => "DH-SHA256",
        }
    }

    /// The hash of its Diffie-Hellman exchange; `None` without one.
    pub fn dh_hash(self) -> Option<DhHash> {
        match self {
            Self::NoEncryption => None,
            Self::DhSha1 => Some(DhHash::Sha1),
            Self::DhSha256 => Some(DhHash::Sha256),
        }
    }

    /// Whether it may carry a key of that type (§8.4: a Diffie-Hellman hash must be as long
    /// as the key it masks; `no-encryption` carries either).
    pub fn pairs_with(self, assoc: AssocType) -> bool {
        matches!(
            (self, assoc),
            (Self::NoEncryption, _)
                | (Self::DhSha1, AssocType::HmacSha1)
                | (Self::DhSha256, AssocType::HmacSha256)
        )
    }
}

/// An association's MAC key; never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct MacKey(Vec<u8>);

impl MacKey {
    /// A key of that type from its bytes; `None` when the length is not the type's.
    pub fn from_bytes(assoc: AssocType, bytes: Vec<u8>) -> Option<Self> {
        (bytes.len() == assoc.key_len()).then_some(Self(bytes))
    }

    /// The bytes, to seal, mask or send.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for MacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MacKey(<redacted>)")
    }
}

/// Why a message's signed text cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignedTextError {
    /// `openid.signed` names a field the message does not have, or names none.
    #[error("a signed field is missing from the message")]
    MissingField,
    /// A signed field cannot be written as Key-Value Form.
    #[error(transparent)]
    Kv(#[from] KvError),
}

/// The names of `openid.signed` (comma-separated, without the `openid.` prefix).
pub fn signed_list(text: &str) -> Vec<&str> {
    text.split(',').collect()
}

/// The text a signature covers (§6.1): for each name of `signed_keys`, in that order, the line
/// `name:value` with the value of `openid.name` in `pairs` (full keys).
pub fn signed_text(
    pairs: &[(String, String)],
    signed_keys: &[&str],
) -> Result<String, SignedTextError> {
    if signed_keys.is_empty() {
        return Err(SignedTextError::MissingField);
    }
    let lines = signed_keys
        .iter()
        .map(|name| {
            let value = pairs
                .iter()
                .find(|(key, _)| key.strip_prefix(PREFIX) == Some(name))
                .ok_or(SignedTextError::MissingField)?;
            Ok(((*name).to_owned(), value.1.clone()))
        })
        .collect::<Result<Vec<_>, SignedTextError>>()?;
    Ok(encode(&lines)?)
}

/// The signature of `text` under `key`, base64 as `openid.sig` carries it.
pub fn sign(assoc: AssocType, key: &MacKey, text: &str) -> String {
    let key = hmac::Key::new(assoc.algorithm(), key.expose());
    STANDARD.encode(hmac::sign(&key, text.as_bytes()).as_ref())
}

/// Whether `sig` (base64) is the signature of `text` under `key`, compared in constant time.
pub fn verify(assoc: AssocType, key: &MacKey, text: &str, sig: &str) -> bool {
    let Ok(given) = STANDARD.decode(sig.trim()) else {
        return false;
    };
    let key = hmac::Key::new(assoc.algorithm(), key.expose());
    let expected = hmac::sign(&key, text.as_bytes());
    given.ct_eq(expected.as_ref()).into()
}

/// An association handle from random bytes: printable ASCII (§8.2.1), URL-safe.
pub fn handle_from(random: &[u8]) -> String {
    format!("lk.{}", URL_SAFE_NO_PAD.encode(random))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn types_read_back_from_their_names_and_others_are_unknown() {
        for assoc in [AssocType::HmacSha1, AssocType::HmacSha256] {
            assert_eq!(AssocType::parse(assoc.as_str()), Some(assoc));
        }
        for session in [
            SessionType::NoEncryption,
            SessionType::DhSha1,
            SessionType::DhSha256,
        ] {
            assert_eq!(SessionType::parse(session.as_str()), Some(session));
        }
        assert_eq!(AssocType::parse("HMAC-MD5"), None);
        assert_eq!(SessionType::parse("dh-sha1"), None);
        assert_eq!(AssocType::HmacSha1.key_len(), 20);
        assert_eq!(AssocType::HmacSha256.key_len(), 32);
    }

    #[test]
    fn diffie_hellman_sessions_pair_only_with_keys_of_their_hash_length() {
        use AssocType::*;
        use SessionType::*;
        assert!(DhSha1.pairs_with(HmacSha1));
        assert!(DhSha256.pairs_with(HmacSha256));
        assert!(!DhSha1.pairs_with(HmacSha256));
        assert!(!DhSha256.pairs_with(HmacSha1));
        assert!(NoEncryption.pairs_with(HmacSha1) && NoEncryption.pairs_with(HmacSha256));
    }

    #[test]
    fn mac_keys_must_have_their_types_length_and_do_not_print() {
        assert!(MacKey::from_bytes(AssocType::HmacSha1, vec![1; 20]).is_some());
        assert!(MacKey::from_bytes(AssocType::HmacSha1, vec![1; 32]).is_none());
        let key = MacKey::from_bytes(AssocType::HmacSha256, vec![1; 32]).unwrap();
        assert_eq!(format!("{key:?}"), "MacKey(<redacted>)");
    }

    #[test]
    fn the_signed_text_lists_the_signed_fields_in_order_without_the_prefix() {
        let message = pairs(&[
            ("openid.mode", "id_res"),
            ("openid.return_to", "https://rp.example/back?x=1"),
            ("openid.claimed_id", "https://sso.example/+id/abc"),
            ("other", "ignored"),
        ]);
        let text = signed_text(&message, &signed_list("return_to,mode")).unwrap();
        assert_eq!(text, "return_to:https://rp.example/back?x=1\nmode:id_res\n");
        assert_eq!(
            signed_text(&message, &["mode", "identity"]),
            Err(SignedTextError::MissingField)
        );
        assert_eq!(
            signed_text(&message, &["other"]),
            Err(SignedTextError::MissingField),
            "only openid.* fields are signed"
        );
        assert_eq!(
            signed_text(&message, &[]),
            Err(SignedTextError::MissingField)
        );
    }

    #[test]
    fn hmac_sha1_matches_rfc_2202_and_hmac_sha256_the_standard_hmac() {
        let key = MacKey::from_bytes(AssocType::HmacSha1, vec![0x0b; 20]).unwrap();
        let sig = sign(AssocType::HmacSha1, &key, "Hi There");
        assert_eq!(
            STANDARD.decode(&sig).unwrap(),
            hex("b617318655057264e28bc0b6fb378c8ef146be00")
        );
        let key = MacKey::from_bytes(AssocType::HmacSha256, vec![0x0b; 32]).unwrap();
        let sig = sign(AssocType::HmacSha256, &key, "Hi There");
        let expected = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &[0x0b; 32]), b"Hi There");
        assert_eq!(STANDARD.decode(&sig).unwrap(), expected.as_ref());
    }

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn a_signature_verifies_and_any_change_does_not() {
        let key = MacKey::from_bytes(AssocType::HmacSha256, vec![3; 32]).unwrap();
        let other = MacKey::from_bytes(AssocType::HmacSha256, vec![4; 32]).unwrap();
        let sig = sign(AssocType::HmacSha256, &key, "mode:id_res\n");
        assert!(verify(AssocType::HmacSha256, &key, "mode:id_res\n", &sig));
        assert!(!verify(AssocType::HmacSha256, &key, "mode:id_rez\n", &sig));
        assert!(!verify(
            AssocType::HmacSha256,
            &other,
            "mode:id_res\n",
            &sig
        ));
        assert!(!verify(
            AssocType::HmacSha256,
            &key,
            "mode:id_res\n",
            "not base64"
        ));
        assert!(!verify(
            AssocType::HmacSha256,
            &key,
            "mode:id_res\n",
            &sig[..20]
        ));
    }

    #[test]
    fn handles_are_printable_ascii() {
        let handle = handle_from(&[0xff; 24]);
        assert!(handle.bytes().all(|b| (33..=126).contains(&b)));
        assert_ne!(handle, handle_from(&[0xfe; 24]));
    }
}
