//! Recovery codes: ten single-use codes of 50 random bits each, written `xxxxx-xxxxx` in
//! lowercase Crockford base32 (no `i`, `l`, `o` or `u`, so nothing looks like something else),
//! read back however they were typed, and stored only as a SHA-256 hash.

use std::fmt;

use super::{PersonId, TokenHash};

/// Codes in a set.
pub const CODES_PER_SET: usize = 10;
/// Characters of a code (5 bits each: 50 bits).
pub const CODE_CHARS: usize = 10;
/// The random bytes one code is drawn from (one byte per character, 5 bits of each used).
pub const RANDOM_BYTES_PER_CODE: usize = CODE_CHARS;

/// Crockford's base32 alphabet, lowercase.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// A recovery code in its canonical form (lowercase, no separator).
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode(String);

impl RecoveryCode {
    /// A code from random bytes: the low 5 bits of each byte choose a character (256 is a
    /// multiple of 32, so every character is equally likely).
    pub fn from_random(bytes: [u8; RANDOM_BYTES_PER_CODE]) -> Self {
        Self(
            bytes
                .iter()
                .map(|b| char::from(ALPHABET[usize::from(b & 0x1f)]))
                .collect(),
        )
    }

    /// Reads a typed code: case, spaces and dashes do not matter, and the letters Crockford
    /// base32 leaves out are read as the digits they look like (`o` as 0, `i` and `l` as 1).
    /// `None` when it cannot be a code at all.
    pub fn parse(typed: &str) -> Option<Self> {
        let mut code = String::with_capacity(CODE_CHARS);
        for c in typed.chars() {
            let c = match c.to_ascii_lowercase() {
                ' ' | '-' | '\t' => continue,
                'o' => '0',
                'i' | 'l' => '1',
                c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
                _ => return None,
            };
            if code.len() == CODE_CHARS {
                return None;
            }
            code.push(c);
        }
        (code.len() == CODE_CHARS).then_some(Self(code))
    }

    /// The code as shown to the person: `xxxxx-xxxxx`.
    pub fn shown(&self) -> String {
        let (a, b) = self.0.split_at(CODE_CHARS / 2);
        format!("{a}-{b}")
    }

    /// The stored hash: SHA-256 of the person's id and the canonical code, so equal codes of
    /// two people never share a hash and one table of hashes does not serve every person.
    pub fn hash(&self, person: &PersonId) -> TokenHash {
        TokenHash::of(&format!("{}:{}", person.as_str(), self.0))
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code() -> RecoveryCode {
        RecoveryCode::from_random([0, 1, 2, 3, 4, 27, 28, 29, 30, 31 + 32])
    }

    #[test]
    fn codes_are_shown_as_two_groups_of_five() {
        assert_eq!(code().shown(), "01234-vwxyz");
    }

    #[test]
    fn typed_codes_are_read_whatever_their_case_spaces_and_dashes() {
        for typed in [
            "01234-vwxyz",
            "01234VWXYZ",
            " 012 34 - VwXyZ ",
            "o1234-vwxyz",
            "0I234-vwxyz",
        ] {
            assert_eq!(RecoveryCode::parse(typed), Some(code()), "{typed}");
        }
        assert_eq!(
            RecoveryCode::parse("0l234-vwxyz").map(|c| c.shown()),
            Some("01234-vwxyz".to_owned())
        );
    }

    #[test]
    fn what_cannot_be_a_code_is_refused() {
        for typed in [
            "",
            "-----",
            "01234",
            "01234-vwxyz0",
            "01234-vwxyu",
            "01234_vwxyz",
            "０1234-vwxyz",
            "123456",
        ] {
            assert_eq!(RecoveryCode::parse(typed), None, "{typed}");
        }
    }

    #[test]
    fn the_hash_depends_on_the_person_and_not_on_how_the_code_was_typed() {
        let ada = PersonId::from_stored("ada".to_owned());
        let bob = PersonId::from_stored("bob".to_owned());
        let typed = RecoveryCode::parse("01234 VWXYZ").unwrap();
        assert_eq!(typed.hash(&ada), code().hash(&ada));
        assert_ne!(code().hash(&ada), code().hash(&bob));
        assert_eq!(code().hash(&ada).as_str().len(), 64);
        assert_eq!(format!("{:?}", code()), "RecoveryCode(<redacted>)");
    }
}
