//! Email addresses: parsing, the normalised uniqueness key, and address statuses.

use std::fmt;
use std::str::FromStr;

use unicode_normalization::UnicodeNormalization;
use validator::ValidateEmail;

/// The longest address accepted (RFC 5321 path limit).
const MAX_LEN: usize = 254;

/// Why a string is not an email address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Empty after trimming.
    #[error("the email address is empty")]
    Empty,
    /// Longer than 254 bytes.
    #[error("the email address is longer than {MAX_LEN} bytes")]
    TooLong,
    /// Contains a control character (NUL, CR, LF, …).
    #[error("the email address contains a control character")]
    ControlCharacter,
    /// Not of the form local@domain.
    #[error("`{0}` is not a valid email address")]
    Invalid(String),
}

/// A syntactically valid email address, as given, with its normalised key.
///
/// The key (Unicode NFC, lower-cased) is what makes two spellings of one address the same
/// address: it is unique across all people and teams.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress {
    original: String,
    key: String,
}

impl EmailAddress {
    /// Parses user input: surrounding whitespace is ignored, everything else must be valid.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(EmailError::ControlCharacter);
        }
        let original: String = trimmed.nfc().collect();
        if !original.validate_email() {
            return Err(EmailError::Invalid(original));
        }
        let key = original.to_lowercase();
        Ok(Self { original, key })
    }

    /// Rebuilds an address that was stored after parsing.
    pub fn from_stored(original: String, key: String) -> Self {
        Self { original, key }
    }

    /// The address as the person typed it (NFC).
    pub fn as_str(&self) -> &str {
        &self.original
    }

    /// The normalised key used for lookups and uniqueness.
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("EmailAddress").field(&self.original).finish()
    }
}

impl FromStr for EmailAddress {
    type Err = EmailError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// How far an address has been confirmed by its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailStatus {
    /// Known, not yet confirmed.
    New,
    /// Confirmed by following an emailed link.
    Validated,
    /// Confirmed, and the one the person wants mail sent to (at most one per person).
    Preferred,
}

impl EmailStatus {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Validated => "validated",
            Self::Preferred => "preferred",
        }
    }

    /// Reads the stored spelling.
    pub fn from_stored(s: &str) -> Option<Self> {
        match s {
            "new" => Some(Self::New),
            "validated" => Some(Self::Validated),
            "preferred" => Some(Self::Preferred),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_address_parses_and_keeps_its_spelling() {
        let email = EmailAddress::parse("  Alice.Smith@Example.ORG ").unwrap();
        assert_eq!(email.as_str(), "Alice.Smith@Example.ORG");
        assert_eq!(email.key(), "alice.smith@example.org");
    }

    #[test]
    fn two_spellings_of_one_address_share_a_key() {
        let a = EmailAddress::parse("BOB@example.com").unwrap();
        let b = EmailAddress::parse("bob@EXAMPLE.com").unwrap();
        assert_eq!(a.key(), b.key());
    }

    #[test]
    fn composed_and_decomposed_unicode_share_a_key() {
        // Internationalised domains are accepted; local parts are ASCII (HTML5 rules).
        let composed = EmailAddress::parse("ann@b\u{fc}cher.de").unwrap();
        let decomposed = EmailAddress::parse("ann@bu\u{308}cher.de").unwrap();
        assert_eq!(composed.key(), decomposed.key());
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "",
            "   ",
            "plainaddress",
            "@example.com",
            "a@",
            "a b@example.com",
            "a@@b.c",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn control_characters_are_refused() {
        assert_eq!(
            EmailAddress::parse("a\u{0}@b.c"),
            Err(EmailError::ControlCharacter)
        );
        assert_eq!(
            EmailAddress::parse("a@b.c\r\nBcc: x@y.z"),
            Err(EmailError::ControlCharacter)
        );
    }

    #[test]
    fn overlong_addresses_are_refused() {
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(EmailAddress::parse(&long), Err(EmailError::TooLong));
    }

    #[test]
    fn email_statuses_round_trip_through_storage() {
        for status in [
            EmailStatus::New,
            EmailStatus::Validated,
            EmailStatus::Preferred,
        ] {
            assert_eq!(EmailStatus::from_stored(status.as_str()), Some(status));
        }
        assert_eq!(EmailStatus::from_stored("bogus"), None);
    }
}
