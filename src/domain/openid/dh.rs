//! Diffie-Hellman key exchange of the `associate` mode (OpenID 2.0 §8.1.2, §8.4.2): the group
//! (the specification's default or one the relying party names, within sane bounds), the
//! provider's key pair, `btwoc` encoding, and the MAC key encrypted with the shared secret.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rsa::BigUint;

/// The default modulus (§8.1.2), a 1024-bit safe prime, in hexadecimal.
const DEFAULT_MODULUS_HEX: &str = "dcf93a0b883972ec0e19989ac5a2ce310e1d37717e8d9571bb7623731866e61e\
f75a2e27898b057f9891c2e27a639c3f29b60814581cd3b2ca3986d2683705577d45c2e7e52dc81c7a171876e5cea74b1\
448bfdfaf18828efd2519f14e45e3826634af1949e5b535cc829a483b8a76223e5d490a257f05bdff16f2fb22c583ab";

/// The smallest modulus accepted from a relying party, in bits: smaller groups are breakable.
pub const MIN_MODULUS_BITS: usize = 1024;
/// The largest modulus accepted, in bits: larger ones only make the provider work harder.
pub const MAX_MODULUS_BITS: usize = 4096;

/// Why Diffie-Hellman values from a request cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DhError {
    /// A value is not base64.
    #[error("a Diffie-Hellman value is not base64")]
    NotBase64,
    /// The modulus is even, too small or too large.
    #[error("the Diffie-Hellman modulus is unacceptable")]
    BadModulus,
    /// The generator is not between 2 and p - 2.
    #[error("the Diffie-Hellman generator is unacceptable")]
    BadGenerator,
    /// The consumer's public key is not between 2 and p - 2.
    #[error("the Diffie-Hellman public key is unacceptable")]
    BadPublicKey,
}

/// The hash that turns the shared secret into a key mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DhHash {
    /// SHA-1 (`DH-SHA1`), 20 bytes.
    Sha1,
    /// SHA-256 (`DH-SHA256`), 32 bytes.
    Sha256,
}

impl DhHash {
    /// The digest of `bytes`.
    pub fn digest(self, bytes: &[u8]) -> Vec<u8> {
        let algorithm = match self {
            Self::Sha1 => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            Self::Sha256 => &ring::digest::SHA256,
        };
        ring::digest::digest(algorithm, bytes).as_ref().to_vec()
    }
}

/// A Diffie-Hellman group: modulus p and generator g.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    modulus: BigUint,
    generator: BigUint,
}

impl Default for Group {
    fn default() -> Self {
        Self {
            modulus: BigUint::parse_bytes(DEFAULT_MODULUS_HEX.as_bytes(), 16).unwrap_or_default(),
            generator: BigUint::from(2u32),
        }
    }
}

impl Group {
    /// The group a request names: `openid.dh_modulus` and `openid.dh_gen` (base64 of btwoc),
    /// each defaulting to the specification's. A modulus must be odd and of 1024 to 4096 bits;
    /// a generator between 2 and p - 2.
    pub fn from_request(modulus: Option<&str>, generator: Option<&str>) -> Result<Self, DhError> {
        let default = Self::default();
        let modulus = modulus.map(parse_base64).transpose()?;
        let generator = generator.map(parse_base64).transpose()?;
        let group = Self {
            modulus: modulus.unwrap_or(default.modulus),
            generator: generator.unwrap_or(default.generator),
        };
        let bits = group.modulus.bits();
        let odd = group
            .modulus
            .to_bytes_be()
            .last()
            .is_some_and(|b| b & 1 == 1);
        if !odd || !(MIN_MODULUS_BITS..=MAX_MODULUS_BITS).contains(&bits) {
            return Err(DhError::BadModulus);
        }
        if !group.inside(&group.generator) {
            return Err(DhError::BadGenerator);
        }
        Ok(group)
    }

    /// Whether `value` lies in 2 ..= p - 2 (0, 1 and p - 1 make the secret guessable).
    fn inside(&self, value: &BigUint) -> bool {
        let two = BigUint::from(2u32);
        *value >= two && value + &two <= self.modulus
    }

    /// The modulus's size in bytes, how much randomness a private key takes.
    pub fn modulus_bytes(&self) -> usize {
        self.modulus.bits().div_ceil(8)
    }

    /// The provider's key pair from random bytes (at least `modulus_bytes`): the private key
    /// lies in 1 ..= p - 2.
    pub fn key_pair(&self, random: &[u8]) -> KeyPair {
        let two = BigUint::from(2u32);
        let one = BigUint::from(1u32);
        let private = BigUint::from_bytes_be(random) % (&self.modulus - &two) + one;
        let public = self.generator.modpow(&private, &self.modulus);
        KeyPair { private, public }
    }

    /// The consumer's public key from `openid.dh_consumer_public`, checked to lie inside the
    /// group.
    pub fn consumer_public(&self, text: &str) -> Result<BigUint, DhError> {
        let public = parse_base64(text)?;
        if !self.inside(&public) {
            return Err(DhError::BadPublicKey);
        }
        Ok(public)
    }

    /// The shared secret g^(xy) mod p of our key pair and their public key.
    pub fn shared_secret(&self, ours: &KeyPair, theirs: &BigUint) -> BigUint {
        theirs.modpow(&ours.private, &self.modulus)
    }
}

/// A Diffie-Hellman key pair; the private half never prints.
#[derive(Clone)]
pub struct KeyPair {
    private: BigUint,
    public: BigUint,
}

impl KeyPair {
    /// The public key, as `dh_server_public` carries it (base64 of btwoc).
    pub fn public_base64(&self) -> String {
        STANDARD.encode(btwoc(&self.public))
    }
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyPair(<redacted>)")
    }
}

/// The MAC key encrypted for the relying party: H(btwoc(shared)) XOR key (§8.4.2). The hash
/// and the key must have the same length, which the valid session and association pairs give.
pub fn xor_mac_key(hash: DhHash, shared: &BigUint, mac_key: &[u8]) -> Vec<u8> {
    hash.digest(&btwoc(shared))
        .iter()
        .zip(mac_key)
        .map(|(a, b)| a ^ b)
        .collect()
}

/// The big-endian two's-complement form of a non-negative integer: its shortest big-endian
/// bytes, with a leading zero byte when the top bit is set (zero is one zero byte).
pub fn btwoc(value: &BigUint) -> Vec<u8> {
    let mut bytes = value.to_bytes_be();
    if bytes.first().is_none_or(|b| b & 0x80 != 0) {
        bytes.insert(0, 0);
    }
    bytes
}

/// An integer from base64 of btwoc (a leading zero byte is allowed, a negative value is not).
fn parse_base64(text: &str) -> Result<BigUint, DhError> {
    let bytes = STANDARD
        .decode(text.trim())
        .map_err(|_| DhError::NotBase64)?;
    if bytes.is_empty() || bytes.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(DhError::NotBase64);
    }
    Ok(BigUint::from_bytes_be(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(value: &BigUint) -> String {
        STANDARD.encode(btwoc(value))
    }

    #[test]
    fn btwoc_adds_a_zero_byte_only_when_the_top_bit_is_set() {
        assert_eq!(btwoc(&BigUint::from(0u32)), [0]);
        assert_eq!(btwoc(&BigUint::from(127u32)), [127]);
        assert_eq!(btwoc(&BigUint::from(128u32)), [0, 128]);
        assert_eq!(btwoc(&BigUint::from(255u32)), [0, 255]);
        assert_eq!(btwoc(&BigUint::from(256u32)), [1, 0]);
        assert_eq!(btwoc(&BigUint::from(32768u32)), [0, 128, 0]);
    }

    #[test]
    fn the_default_group_is_the_specifications_1024_bit_modulus_with_generator_two() {
        let group = Group::from_request(None, None).unwrap();
        assert_eq!(group, Group::default());
        assert_eq!(group.modulus.bits(), 1024);
        assert_eq!(group.generator, BigUint::from(2u32));
        assert_eq!(group.modulus_bytes(), 128);
    }

    #[test]
    fn both_sides_reach_the_same_secret() {
        let group = Group::default();
        let ours = group.key_pair(&[7; 128]);
        let theirs = group.key_pair(&[9; 128]);
        let their_public = group.consumer_public(&theirs.public_base64()).unwrap();
        let our_public = group.consumer_public(&ours.public_base64()).unwrap();
        assert_eq!(
            group.shared_secret(&ours, &their_public),
            group.shared_secret(&theirs, &our_public)
        );
    }

    #[test]
    fn the_mac_key_is_masked_with_the_hash_of_the_secret_and_unmasked_the_same_way() {
        let secret = BigUint::from(123_456_789u32);
        let key = [0x5a; 32];
        let masked = xor_mac_key(DhHash::Sha256, &secret, &key);
        assert_ne!(masked, key);
        assert_eq!(xor_mac_key(DhHash::Sha256, &secret, &masked), key);
        assert_eq!(xor_mac_key(DhHash::Sha1, &secret, &key[..20]).len(), 20);
    }

    #[test]
    fn absurd_groups_and_public_keys_are_refused() {
        let p = Group::default().modulus;
        let small = BigUint::from(0xffff_fffbu32);
        let huge = BigUint::from(1u32) << 5000;
        let even = &p + BigUint::from(1u32);
        for modulus in [small, huge + BigUint::from(1u32), even] {
            assert_eq!(
                Group::from_request(Some(&b64(&modulus)), None),
                Err(DhError::BadModulus)
            );
        }
        for generator in [0u32, 1] {
            let g = b64(&BigUint::from(generator));
            assert_eq!(
                Group::from_request(None, Some(&g)),
                Err(DhError::BadGenerator)
            );
        }
        let group = Group::default();
        let p_minus_one = &p - BigUint::from(1u32);
        for public in [BigUint::from(1u32), p_minus_one, p.clone()] {
            assert_eq!(
                group.consumer_public(&b64(&public)).map(|_| ()),
                Err(DhError::BadPublicKey)
            );
        }
        assert_eq!(
            group.consumer_public("not base64!").map(|_| ()),
            Err(DhError::NotBase64)
        );
        assert_eq!(
            group.consumer_public("gA==").map(|_| ()),
            Err(DhError::NotBase64),
            "a negative btwoc"
        );
    }

    #[test]
    fn a_key_pair_does_not_print_its_private_half() {
        assert_eq!(
            format!("{:?}", Group::default().key_pair(&[1; 128])),
            "KeyPair(<redacted>)"
        );
    }
}
