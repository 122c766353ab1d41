//! Passwords: the accepted shape, argon2id hashing with configurable cost, and upgrade detection.
//!
//! A new password has at least 8 characters and at most 1,024 bytes, is not only whitespace,
//! and is not guessable in under a million guesses by zxcvbn (the `zxcvbn` crate, a port of
//! Dropbox's estimator): that refuses the 30,000 most common passwords of its breach-derived
//! list, common words and names, and small variations of them (case, l33t, reversed, digits
//! appended, keyboard walks, repeats, sequences), while passphrases and other long passwords
//! pass. zxcvbn was chosen over a hand-made list because it ships maintained lists and sees
//! through variations; it builds in seconds and needs nothing at run time (the lists are
//! compiled in). No composition rule (digits, capitals) is ever required.
//!
//! Hashing and verifying are CPU-bound and slow on purpose; callers in async code run them on
//! the hashing threads (see `service::passwords`).

use std::fmt;

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

/// Fewest characters a password may have.
pub const MIN_CHARS: usize = 8;
/// Most bytes a password may have: bounds the work an attacker can ask of the hasher.
pub const MAX_BYTES: usize = 1024;
/// Fewest guesses (as zxcvbn estimates them) a new password must need: a million, zxcvbn's
/// score 2.
const MIN_GUESSES_LOG10: f64 = 6.0;
/// Longer passwords are not checked against the lists: none of them is that long, and
/// zxcvbn's work grows with the square of the length.
const MAX_CHECKED_CHARS: usize = 64;

/// Why a password cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Fewer than 8 characters.
    #[error("the password must have at least {MIN_CHARS} characters")]
    TooShort,
    /// More than 1,024 bytes.
    #[error("the password must have at most {MAX_BYTES} bytes")]
    TooLong,
    /// Nothing but whitespace.
    #[error("the password must not be only spaces")]
    Blank,
    /// One of the most common passwords, or a small variation of one.
    #[error("the password is too common")]
    TooCommon,
    /// The configured argon2 parameters are out of range.
    #[error("invalid password hashing parameters: {0}")]
    Parameters(String),
    /// The stored hash is not a PHC string argon2 understands.
    #[error("the stored password hash is malformed")]
    MalformedHash,
}

/// A candidate password, NFKC-normalised, held as a secret.
pub struct Password(SecretString);

impl Password {
    /// A new password: normalises the text (NFKC) and applies the policy of this module
    /// (length bounds, not only whitespace, not common). Every place that sets a password
    /// (registration, recovery, the account page, the command line) goes through here.
    pub fn parse(input: &str) -> Result<Self, PasswordError> {
        if input.len() > MAX_BYTES {
            return Err(PasswordError::TooLong);
        }
        let normalised: String = input.nfkc().collect();
        if normalised.len() > MAX_BYTES {
            return Err(PasswordError::TooLong);
        }
        let chars = normalised.chars().count();
        if chars < MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if normalised.chars().all(char::is_whitespace) {
            return Err(PasswordError::Blank);
        }
        if chars <= MAX_CHECKED_CHARS
            && zxcvbn::zxcvbn(&normalised, &[]).guesses_log10() < MIN_GUESSES_LOG10
        {
            return Err(PasswordError::TooCommon);
        }
        Ok(Self(SecretString::from(normalised)))
    }

    /// A password typed at login, only to compare with a hash: normalised like a new one but
    /// without the length rules (callers refuse anything over `MAX_BYTES` before hashing).
    pub fn for_verification(input: &str) -> Self {
        Self(SecretString::from(input.nfkc().collect::<String>()))
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        self.0.expose_secret().as_bytes()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// argon2id cost parameters (the `[password]` settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HashingParams {
    /// Memory in KiB (m).
    pub memory_kib: u32,
    /// Passes over memory (t).
    pub iterations: u32,
    /// Lanes (p).
    pub parallelism: u32,
}

impl Default for HashingParams {
    fn default() -> Self {
        Self {
            memory_kib: 19_456,
            iterations: 2,
            parallelism: 1,
        }
    }
}

impl HashingParams {
    fn argon2(&self) -> Result<Argon2<'static>, PasswordError> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|e| PasswordError::Parameters(e.to_string()))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// Checks that argon2 accepts these parameters.
    pub fn validate(&self) -> Result<(), PasswordError> {
        self.argon2().map(drop)
    }

    /// Hashes a password with a fresh random salt.
    pub fn hash(&self, password: &Password) -> Result<PasswordHash, PasswordError> {
        let hash = self
            .argon2()?
            .hash_password(password.bytes())
            .map_err(|e| PasswordError::Parameters(e.to_string()))?;
        Ok(PasswordHash(hash.to_string()))
    }

    /// Whether a stored hash was made with other parameters (or another algorithm) and should
    /// be replaced at the next successful login.
    pub fn needs_upgrade(&self, hash: &PasswordHash) -> bool {
        let Ok(parsed) = argon2::PasswordHash::new(&hash.0) else {
            return true;
        };
        if parsed.algorithm.as_str() != argon2::ARGON2ID_IDENT.as_str() {
            return true;
        }
        if parsed.version != Some(Version::V0x13.into()) {
            return true;
        }
        match Params::try_from(&parsed) {
            Ok(p) => {
                p.m_cost() != self.memory_kib
                    || p.t_cost() != self.iterations
                    || p.p_cost() != self.parallelism
            }
            Err(_) => true,
        }
    }
}

/// A stored password hash (PHC string). Its parameters travel with it, so verification never
/// depends on the current settings.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps a hash read from storage.
    pub fn from_stored(phc: String) -> Self {
        Self(phc)
    }

    /// The PHC string, for storage.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the password matches this hash (argon2 compares in constant time).
    pub fn verify(&self, password: &Password) -> Result<bool, PasswordError> {
        let parsed =
            argon2::PasswordHash::new(&self.0).map_err(|_| PasswordError::MalformedHash)?;
        // The hash's own algorithm, version and parameters are used, not the default ones.
        let verifier = Argon2::default();
        Ok(verifier.verify_password(password.bytes(), &parsed).is_ok())
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

/// Cheap parameters so that unit tests stay fast; the defaults are checked separately.
#[cfg(test)]
pub(crate) fn cheap() -> HashingParams {
    HashingParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_parameters_are_the_owasp_minimum() {
        let p = HashingParams::default();
        assert_eq!((p.memory_kib, p.iterations, p.parallelism), (19_456, 2, 1));
        assert!(p.validate().is_ok());
    }

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let params = cheap();
        let hash = params
            .hash(&Password::parse("correct horse").unwrap())
            .unwrap();
        assert!(hash.as_str().starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
        assert!(
            hash.verify(&Password::parse("correct horse").unwrap())
                .unwrap()
        );
        assert!(
            !hash
                .verify(&Password::parse("battery staple").unwrap())
                .unwrap()
        );
    }

    #[test]
    fn two_hashes_of_one_password_differ_by_salt() {
        let params = cheap();
        let pw = Password::parse("same password").unwrap();
        assert_ne!(params.hash(&pw).unwrap(), params.hash(&pw).unwrap());
    }

    #[test]
    fn short_and_huge_passwords_are_refused() {
        assert_eq!(
            Password::parse("1234567").err(),
            Some(PasswordError::TooShort)
        );
        assert_eq!(
            Password::parse(&"x".repeat(1025)).err(),
            Some(PasswordError::TooLong)
        );
        assert!(Password::parse(&"xy".repeat(512)).is_ok());
    }

    #[test]
    fn passwords_of_only_whitespace_are_refused() {
        for blank in [
            "        ",
            "\t\t\t\t\t\t\t\t",
            "\u{3000}\u{3000}\u{3000}\u{3000}  \n\n",
        ] {
            assert_eq!(
                Password::parse(blank).err(),
                Some(PasswordError::Blank),
                "{blank:?}"
            );
        }
        assert!(Password::parse("  a spaced password  ").is_ok());
    }

    #[test]
    fn the_most_common_passwords_and_small_variations_are_refused() {
        for common in [
            "password",
            "Password1",
            "P@ssw0rd",
            "password1234",
            "drowssap",
            "12345678",
            "qwertyuiop",
            "iloveyou",
            "sunshine1",
            "abcdefgh",
            "aaaaaaaaaaaa",
            "1q2w3e4r5t",
            "passwort",
        ] {
            assert_eq!(
                Password::parse(common).err(),
                Some(PasswordError::TooCommon),
                "{common:?}"
            );
        }
        for fine in [
            "correct horse",
            "a good password",
            "Tr0ub4dor&3",
            "upgrade me please",
        ] {
            assert!(Password::parse(fine).is_ok(), "{fine:?}");
        }
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(Password::parse("ñöçþæßðđ").is_ok());
        assert_eq!(
            Password::parse("ñöçþæßð").err(),
            Some(PasswordError::TooShort)
        );
    }

    #[test]
    fn compatibility_forms_verify_as_the_same_password() {
        let params = cheap();
        // U+FB01 (the "fi" ligature) normalises to "fi" under NFKC.
        let hash = params
            .hash(&Password::parse("\u{fb01}ne-password").unwrap())
            .unwrap();
        assert!(
            hash.verify(&Password::parse("fine-password").unwrap())
                .unwrap()
        );
    }

    #[test]
    fn a_hash_with_other_parameters_needs_an_upgrade() {
        let old = cheap();
        let hash = old
            .hash(&Password::parse("upgrade me please").unwrap())
            .unwrap();
        assert!(!old.needs_upgrade(&hash));
        let newer = HashingParams {
            memory_kib: 128,
            ..old
        };
        assert!(newer.needs_upgrade(&hash));
        // The old hash still verifies: parameters travel with the hash.
        assert!(
            hash.verify(&Password::parse("upgrade me please").unwrap())
                .unwrap()
        );
    }

    #[test]
    fn a_non_argon2id_hash_needs_an_upgrade_and_garbage_is_malformed() {
        let params = cheap();
        let argon2i = PasswordHash::from_stored(
            "$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHQ$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A"
                .to_owned(),
        );
        assert!(params.needs_upgrade(&argon2i));
        let garbage = PasswordHash::from_stored("not a hash".to_owned());
        assert!(params.needs_upgrade(&garbage));
        let pw = Password::parse("whatever it takes").unwrap();
        assert_eq!(garbage.verify(&pw), Err(PasswordError::MalformedHash));
    }

    #[test]
    fn out_of_range_parameters_are_refused() {
        let bad = HashingParams {
            memory_kib: 1,
            iterations: 0,
            parallelism: 1,
        };
        assert!(matches!(bad.validate(), Err(PasswordError::Parameters(_))));
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let pw = Password::parse("hunter2 hunts again").unwrap();
        assert!(!format!("{pw:?}").contains("hunter2"));
        let hash = cheap().hash(&pw).unwrap();
        assert!(!format!("{hash:?}").contains("argon2"));
    }
}
