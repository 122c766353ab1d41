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
    /// The domain cannot receive mail from here: no dot, `localhost`, or an IP address.
    #[error("the domain `{0}` is not a public mail domain")]
    LocalDomain(String),
}

/// A syntactically valid email address at a public mail domain, as given (an internationalised
/// domain in its IDNA ASCII form), with its normalised key.
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
        let typed: String = trimmed.nfc().collect();
        if !typed.validate_email() {
            return Err(EmailError::Invalid(typed));
        }
        let Some((local, domain)) = typed.rsplit_once('@') else {
            return Err(EmailError::Invalid(typed));
        };
        let domain = stored_domain(domain).map_err(|e| match e {
            DomainRefusal::Idna => EmailError::Invalid(typed.clone()),
            DomainRefusal::Local => EmailError::LocalDomain(domain.to_owned()),
        })?;
        let original = format!("{local}@{domain}");
        if original.len() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        let key = original.to_lowercase();
        Ok(Self { original, key })
    }

    /// Rebuilds an address that was stored after parsing.
    pub fn from_stored(original: String, key: String) -> Self {
        Self { original, key }
    }

    /// The address as stored: as the person typed it (NFC), with an internationalised domain
    /// in its IDNA ASCII form (see `stored_domain`). Mail goes to this spelling.
    pub fn as_str(&self) -> &str {
        &self.original
    }

    /// The normalised key used for lookups and uniqueness.
    pub fn key(&self) -> &str {
        &self.key
    }
}

enum DomainRefusal {
    /// Not a domain name IDNA accepts.
    Idna,
    /// No dot, `localhost` (or under it), an IP literal or a dotted IPv4 address.
    Local,
}

/// The form a domain is stored in. A domain with non-ASCII characters or an `xn--` label is
/// stored in its IDNA ASCII form (lowercase A-labels, "punycode": `bücher.example` and
/// `XN--BCHER-KVA.example` are both `xn--bcher-kva.example`), which every mail server accepts
/// and which gives one address one key; a plain ASCII domain keeps its spelling (its key is
/// lower-cased anyway). Domains mail cannot be delivered to from here are refused.
fn stored_domain(domain: &str) -> Result<String, DomainRefusal> {
    if domain.starts_with('[') {
        return Err(DomainRefusal::Local);
    }
    let needs_idna = !domain.is_ascii()
        || domain.split('.').any(|label| {
            label
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("xn--"))
        });
    let stored = if needs_idna {
        idna::domain_to_ascii(domain).map_err(|_| DomainRefusal::Idna)?
    } else {
        domain.to_owned()
    };
    let lower = stored.to_ascii_lowercase();
    let lower = lower.trim_end_matches('.');
    let top = lower.rsplit('.').next().unwrap_or_default();
    let local = !lower.contains('.')
        || lower == "localhost"
        || lower.ends_with(".localhost")
        || top.is_empty()
        || top.bytes().all(|b| b.is_ascii_digit());
    if local {
        return Err(DomainRefusal::Local);
    }
    Ok(stored)
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

/// One of a person's or team's addresses, with how far it is confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEmail {
    /// The address.
    pub address: EmailAddress,
    /// How far it is confirmed.
    pub status: EmailStatus,
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
    fn an_internationalised_domain_is_stored_in_its_ascii_form_however_it_is_typed() {
        for typed in [
            "Ann@b\u{fc}cher.example",
            "Ann@B\u{dc}CHER.example",
            "Ann@bu\u{308}cher.example",
            "Ann@xn--bcher-kva.example",
            "Ann@XN--BCHER-KVA.EXAMPLE",
        ] {
            let email = EmailAddress::parse(typed).unwrap();
            assert_eq!(email.as_str(), "Ann@xn--bcher-kva.example", "{typed}");
            assert_eq!(email.key(), "ann@xn--bcher-kva.example", "{typed}");
        }
        let plain = EmailAddress::parse("Ann@Example.ORG").unwrap();
        assert_eq!(
            plain.as_str(),
            "Ann@Example.ORG",
            "ASCII domains keep their spelling"
        );
    }

    #[test]
    fn domains_without_a_dot_localhost_and_ip_addresses_are_refused() {
        for bad in [
            "a@b",
            "a@localhost",
            "a@LOCALHOST",
            "a@mail.localhost",
            "a@[127.0.0.1]",
            "a@[IPv6:::1]",
            "a@127.0.0.1",
            "a@10.0.0.1",
            "a@intranet",
        ] {
            assert!(
                matches!(
                    EmailAddress::parse(bad),
                    Err(EmailError::LocalDomain(_) | EmailError::Invalid(_))
                ),
                "{bad:?} was accepted"
            );
        }
        assert!(EmailAddress::parse("a@b.example").is_ok());
        assert!(
            EmailAddress::parse("a@1and1.de").is_ok(),
            "digits in a label are fine"
        );
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
