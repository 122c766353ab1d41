//! Passkeys in the identity model: the name a person gives one, where the relying party lives
//! (its id and origin, from the public URL), and what a passkey proves in a sign-in.

use std::fmt;

use url::{Host, Url};

use super::second_factor::{AuthMethod, AuthMethods};

/// The longest name a passkey may have, in characters.
pub const MAX_NAME: usize = 64;

/// Why a passkey's name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasskeyNameError {
    /// Empty after trimming.
    #[error("the name is empty")]
    Empty,
    /// Longer than `MAX_NAME`.
    #[error("the name is longer than {MAX_NAME} characters")]
    TooLong,
    /// A control character.
    #[error("the name contains a control character")]
    BadCharacter,
}

/// The name a person gives a passkey ("Laptop", "Phone"): 1–64 characters, no control
/// characters, spaces around it trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyName(String);

impl PasskeyName {
    /// A name as typed.
    pub fn parse(input: &str) -> Result<Self, PasskeyNameError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PasskeyNameError::Empty);
        }
        if trimmed.chars().count() > MAX_NAME {
            return Err(PasskeyNameError::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(PasskeyNameError::BadCharacter);
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// A stored name.
    pub fn from_stored(name: String) -> Self {
        Self(name)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PasskeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why the public URL cannot carry passkeys.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RelyingPartyError {
    /// The public URL does not parse, or has no host.
    #[error("the public URL has no host")]
    NoHost,
    /// The host is an IP address, which WebAuthn refuses as a relying-party id.
    #[error("the public URL's host is an IP address; passkeys need a domain name")]
    IpAddress,
}

/// The WebAuthn relying party of a site: its id (the public URL's host) and the one origin
/// browsers may report (the public URL's origin, compared exactly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelyingParty {
    /// The relying-party id: a domain name.
    pub id: String,
    /// The origin, `scheme://host[:port]`.
    pub origin: Url,
}

impl RelyingParty {
    /// The relying party of `public_url`.
    pub fn of(public_url: &str) -> Result<Self, RelyingPartyError> {
        let url = Url::parse(public_url).map_err(|_| RelyingPartyError::NoHost)?;
        let id = match url.host() {
            Some(Host::Domain(name)) if !name.is_empty() => name.to_owned(),
            Some(Host::Ipv4(_) | Host::Ipv6(_)) => return Err(RelyingPartyError::IpAddress),
            _ => return Err(RelyingPartyError::NoHost),
        };
        let origin = Url::parse(&url.origin().ascii_serialization())
            .map_err(|_| RelyingPartyError::NoHost)?;
        Ok(Self { id, origin })
    }
}

/// What a passkey proved: the key (`hwk` when it cannot leave its device, `swk` when it may be
/// synced or backed up), and `user` when the authenticator verified its user.
pub fn proved_by_passkey(backup_eligible: bool, user_verified: bool) -> AuthMethods {
    let key = if backup_eligible {
        AuthMethod::Swk
    } else {
        AuthMethod::Hwk
    };
    let user = user_verified.then_some(AuthMethod::User);
    AuthMethods::default().with(std::iter::once(key).chain(user))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(PasskeyName::parse("  Laptop ").unwrap().as_str(), "Laptop");
        assert_eq!(PasskeyName::parse("   "), Err(PasskeyNameError::Empty));
        assert_eq!(
            PasskeyName::parse(&"k".repeat(MAX_NAME + 1)),
            Err(PasskeyNameError::TooLong)
        );
        assert!(PasskeyName::parse(&"ü".repeat(MAX_NAME)).is_ok());
        assert_eq!(
            PasskeyName::parse("a\u{7}b"),
            Err(PasskeyNameError::BadCharacter)
        );
    }

    #[test]
    fn the_relying_party_is_the_public_urls_host_and_exact_origin() {
        let rp = RelyingParty::of("https://login.example.org/sso").unwrap();
        assert_eq!(rp.id, "login.example.org");
        assert_eq!(rp.origin.as_str(), "https://login.example.org/");
        let local = RelyingParty::of("http://localhost:8080").unwrap();
        assert_eq!(local.id, "localhost");
        assert_eq!(local.origin.as_str(), "http://localhost:8080/");
    }

    #[test]
    fn an_ip_address_cannot_be_a_relying_party() {
        for url in [
            "http://127.0.0.1:8080",
            "http://[::1]:8080",
            "https://10.0.0.1",
        ] {
            assert_eq!(
                RelyingParty::of(url),
                Err(RelyingPartyError::IpAddress),
                "{url}"
            );
        }
        assert_eq!(RelyingParty::of("nonsense"), Err(RelyingPartyError::NoHost));
    }

    #[test]
    fn a_passkey_proves_its_kind_of_key_and_user_verification() {
        assert_eq!(proved_by_passkey(false, true).values(), ["hwk", "user"]);
        assert_eq!(proved_by_passkey(true, true).values(), ["swk", "user"]);
        assert_eq!(proved_by_passkey(false, false).values(), ["hwk"]);
        let second_step =
            AuthMethods::password().with(proved_by_passkey(true, true).methods().to_vec());
        assert_eq!(second_step.values(), ["pwd", "swk", "user", "mfa"]);
    }
}
