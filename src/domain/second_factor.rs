//! How a person proved who they are: RFC 8176 authentication method references (`amr`), the
//! authentication context class (`acr`) they add up to, and the kinds of second factor.

use std::fmt;

/// One RFC 8176 authentication method reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AuthMethod {
    /// A password.
    Pwd,
    /// A one-time password: an authenticator-app code or a recovery code.
    Otp,
    /// A proof of possession of a hardware-bound key (a device-bound passkey).
    Hwk,
    /// A proof of possession of a software-secured key (a synced passkey).
    Swk,
    /// The authenticator verified its user (PIN or biometric): WebAuthn user verification.
    User,
    /// More than one factor was used.
    Mfa,
}

impl AuthMethod {
    /// The registered value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pwd => "pwd",
            Self::Otp => "otp",
            Self::Hwk => "hwk",
            Self::Swk => "swk",
            Self::User => "user",
            Self::Mfa => "mfa",
        }
    }

    /// Reads a registered value.
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "pwd" => Self::Pwd,
            "otp" => Self::Otp,
            "hwk" => Self::Hwk,
            "swk" => Self::Swk,
            "user" => Self::User,
            "mfa" => Self::Mfa,
            _ => return None,
        })
    }
}

/// The `acr` of a sign-in with one factor (a password alone).
pub const ACR_SINGLE_FACTOR: &str = "urn:latchkey:acr:single-factor";
/// The `acr` of a sign-in with two factors, or a passkey with user verification.
pub const ACR_MULTI_FACTOR: &str = "urn:latchkey:acr:multi-factor";
/// The classes discovery announces, weakest first.
pub const ACR_VALUES_SUPPORTED: [&str; 2] = [ACR_SINGLE_FACTOR, ACR_MULTI_FACTOR];

/// The methods of one sign-in, in a fixed order, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthMethods(Vec<AuthMethod>);

impl AuthMethods {
    /// A sign-in with a password alone.
    pub fn password() -> Self {
        Self(vec![AuthMethod::Pwd])
    }

    /// A sign-in with a passkey whose authenticator verified its user: two factors in one
    /// (the key, and the PIN or biometric that unlocked it). `device_bound` says whether the
    /// key can leave the device (`hwk`) or is synced (`swk`).
    pub fn passkey(device_bound: bool) -> Self {
        let key = if device_bound {
            AuthMethod::Hwk
        } else {
            AuthMethod::Swk
        };
        Self::from_methods([key, AuthMethod::User, AuthMethod::Mfa])
    }

    /// These methods and one more; `mfa` is added once two different factors are present.
    pub fn with(&self, more: impl IntoIterator<Item = AuthMethod>) -> Self {
        let mut all = self.0.clone();
        all.extend(more);
        let factors = all
            .iter()
            .filter(|m| !matches!(m, AuthMethod::User | AuthMethod::Mfa))
            .count();
        if factors >= 2 {
            all.push(AuthMethod::Mfa);
        }
        Self::from_methods(all)
    }

    fn from_methods(methods: impl IntoIterator<Item = AuthMethod>) -> Self {
        let mut all: Vec<AuthMethod> = methods.into_iter().collect();
        all.sort();
        all.dedup();
        Self(all)
    }

    /// Reads the stored, space-separated form; unknown values are dropped, and nothing read
    /// means a password alone (rows written before second factors existed).
    pub fn parse(stored: &str) -> Self {
        let methods = Self::from_methods(stored.split_whitespace().filter_map(AuthMethod::parse));
        if methods.0.is_empty() {
            Self::password()
        } else {
            methods
        }
    }

    /// The methods, in order.
    pub fn methods(&self) -> &[AuthMethod] {
        &self.0
    }

    /// The values for the `amr` claim.
    pub fn values(&self) -> Vec<&'static str> {
        self.0.iter().map(|m| m.as_str()).collect()
    }

    /// Whether more than one factor was used.
    pub fn is_multi_factor(&self) -> bool {
        self.0.contains(&AuthMethod::Mfa)
    }

    /// The `acr` these methods reach.
    pub fn acr(&self) -> &'static str {
        if self.is_multi_factor() {
            ACR_MULTI_FACTOR
        } else {
            ACR_SINGLE_FACTOR
        }
    }
}

impl fmt::Display for AuthMethods {
    /// The stored form: values separated by one space.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.values().join(" "))
    }
}

/// Whether a relying party's `acr_values` (space-separated, in order of preference) asks for
/// more than a password: true when every value it names that Latchkey knows is the
/// multi-factor class. Unknown values are ignored, as `acr_values` is a voluntary request.
pub fn acr_values_require_multi_factor(acr_values: Option<&str>) -> bool {
    let known: Vec<&str> = acr_values
        .unwrap_or("")
        .split_whitespace()
        .filter(|v| ACR_VALUES_SUPPORTED.contains(v))
        .collect();
    !known.is_empty() && known.iter().all(|v| *v == ACR_MULTI_FACTOR)
}

/// A kind of second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorKind {
    /// A WebAuthn passkey.
    Passkey,
    /// An authenticator app (TOTP).
    AuthenticatorApp,
    /// The set of recovery codes.
    RecoveryCodes,
}

impl FactorKind {
    /// The name used in listings and audit details.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Passkey => "passkey",
            Self::AuthenticatorApp => "authenticator-app",
            Self::RecoveryCodes => "recovery-codes",
        }
    }
}

/// One enrolled factor, as listings show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactorSummary {
    /// Its kind.
    pub kind: FactorKind,
    /// The name the person gave it (for recovery codes: how many are left).
    pub name: String,
    /// When it was added (Unix seconds).
    pub created_at: i64,
    /// When it was last used, if ever.
    pub last_used_at: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_alone_is_single_factor() {
        let pwd = AuthMethods::password();
        assert_eq!(pwd.values(), ["pwd"]);
        assert!(!pwd.is_multi_factor());
        assert_eq!(pwd.acr(), ACR_SINGLE_FACTOR);
    }

    #[test]
    fn a_password_and_a_code_are_multi_factor() {
        let both = AuthMethods::password().with([AuthMethod::Otp]);
        assert_eq!(both.values(), ["pwd", "otp", "mfa"]);
        assert_eq!(both.acr(), ACR_MULTI_FACTOR);
    }

    #[test]
    fn a_verified_passkey_is_multi_factor_and_says_what_kind_of_key() {
        assert_eq!(AuthMethods::passkey(true).values(), ["hwk", "user", "mfa"]);
        assert_eq!(AuthMethods::passkey(false).values(), ["swk", "user", "mfa"]);
        let stepped_up = AuthMethods::password().with(AuthMethods::passkey(false).0);
        assert_eq!(stepped_up.values(), ["pwd", "swk", "user", "mfa"]);
    }

    #[test]
    fn the_stored_form_reads_back_and_nothing_means_a_password() {
        let both = AuthMethods::password().with([AuthMethod::Otp]);
        assert_eq!(AuthMethods::parse(&both.to_string()), both);
        assert_eq!(AuthMethods::parse(""), AuthMethods::password());
        assert_eq!(AuthMethods::parse("bogus"), AuthMethods::password());
    }

    #[test]
    fn acr_values_ask_for_a_second_factor_only_when_they_name_nothing_weaker() {
        assert!(acr_values_require_multi_factor(Some(ACR_MULTI_FACTOR)));
        assert!(acr_values_require_multi_factor(Some(
            "urn:other:gold urn:latchkey:acr:multi-factor"
        )));
        assert!(!acr_values_require_multi_factor(Some(
            "urn:latchkey:acr:multi-factor urn:latchkey:acr:single-factor"
        )));
        assert!(!acr_values_require_multi_factor(Some("urn:other:gold")));
        assert!(!acr_values_require_multi_factor(None));
    }
}
