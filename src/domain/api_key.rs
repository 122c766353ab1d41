//! API keys as people see them: descriptions, the visible prefix, and the app a delegated key
//! belongs to.

use std::fmt;

use crate::domain::{PersonId, TokenHash};

/// The longest description, in characters.
pub const MAX_DESCRIPTION: usize = 255;

/// How many characters of a key's random part are shown in lists.
const VISIBLE_RANDOM_CHARS: usize = 4;

/// Why a description is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DescriptionError {
    /// Empty after trimming.
    #[error("the description is empty")]
    Empty,
    /// Too short for an auth-delegation request.
    #[error("the description has fewer than 3 characters")]
    TooShort,
    /// Longer than the limit.
    #[error("the description is longer than {MAX_DESCRIPTION} characters")]
    TooLong,
    /// A control character (or, for delegation, anything but letters, digits, `_` and spaces).
    #[error("the description may only contain letters, digits, underscores and spaces")]
    BadCharacter,
}

/// A key's description, as typed on the API keys tab or sent by an app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDescription(String);

impl KeyDescription {
    /// A description typed by the key's owner: 1–255 characters, no control characters.
    pub fn parse(input: &str) -> Result<Self, DescriptionError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(DescriptionError::Empty);
        }
        if trimmed.chars().count() > MAX_DESCRIPTION {
            return Err(DescriptionError::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(DescriptionError::BadCharacter);
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// A description an app sends to auth delegation: 3–255 word characters (letters, digits,
    /// `_`) and spaces, so that nothing on the confirmation page can pretend to be Latchkey's.
    pub fn parse_for_delegation(input: &str) -> Result<Self, DescriptionError> {
        let count = input.chars().count();
        if input.trim().is_empty() {
            return Err(DescriptionError::Empty);
        }
        if count < 3 {
            return Err(DescriptionError::TooShort);
        }
        if count > MAX_DESCRIPTION {
            return Err(DescriptionError::TooLong);
        }
        let word_or_space = |c: char| c.is_alphanumeric() || c == '_' || c == ' ';
        if !input.chars().all(word_or_space) {
            return Err(DescriptionError::BadCharacter);
        }
        Ok(Self(input.to_owned()))
    }

    /// A stored description.
    pub fn from_stored(s: String) -> Self {
        Self(s)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The part of a key shown in lists: its kind prefix and a few random characters, enough to
/// tell keys apart, far too few to guess the rest.
pub fn visible_prefix(key: &str) -> String {
    let kind = crate::domain::TokenKind::ApiKey.prefix();
    let random = key.strip_prefix(kind).unwrap_or(key);
    let shown: String = random.chars().take(VISIBLE_RANDOM_CHARS).collect();
    format!("{kind}{shown}")
}

/// The app a delegated key belongs to: the callback (without its query) and the description.
/// The same app asking again gets the same key entry.
pub fn app_id(callback_base: &str, description: &KeyDescription) -> String {
    TokenHash::of(&format!("{callback_base}\n{}", description.as_str()))
        .as_str()
        .to_owned()
}

/// A stored key, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// Stable identifier (used in the revoke forms).
    pub id: String,
    /// The owner.
    pub person_id: PersonId,
    /// What it is for.
    pub description: KeyDescription,
    /// The visible start of the key.
    pub prefix: String,
    /// For delegated keys, the app it was given to.
    pub app_id: Option<String>,
    /// Unix time of creation.
    pub created_at: i64,
    /// When it was last used, if ever.
    pub last_used_at: Option<i64>,
    /// The address it was last used from.
    pub last_used_from: Option<String>,
    /// When it was revoked, if it is.
    pub revoked_at: Option<i64>,
}

impl ApiKey {
    /// Whether the key authenticates requests.
    pub fn is_live(&self) -> bool {
        self.revoked_at.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_trimmed_and_bounded() {
        assert_eq!(
            KeyDescription::parse("  my script ").unwrap().as_str(),
            "my script"
        );
        assert_eq!(KeyDescription::parse("  "), Err(DescriptionError::Empty));
        assert_eq!(
            KeyDescription::parse(&"x".repeat(256)),
            Err(DescriptionError::TooLong)
        );
        assert_eq!(
            KeyDescription::parse("a\nb"),
            Err(DescriptionError::BadCharacter)
        );
    }

    #[test]
    fn delegation_descriptions_are_words_and_spaces() {
        assert!(KeyDescription::parse_for_delegation("Bug triage app 2").is_ok());
        assert!(KeyDescription::parse_for_delegation("Übersicht_Tool").is_ok());
        assert_eq!(
            KeyDescription::parse_for_delegation("ab"),
            Err(DescriptionError::TooShort)
        );
        for bad in ["<script>", "app\tname", "see https://x", "a-b-c"] {
            assert_eq!(
                KeyDescription::parse_for_delegation(bad),
                Err(DescriptionError::BadCharacter),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_visible_prefix_shows_four_random_characters() {
        assert_eq!(visible_prefix("lk_api_AbCdEfGh"), "lk_api_AbCd");
    }

    #[test]
    fn the_app_depends_on_callback_and_description() {
        let d = KeyDescription::parse("app").unwrap();
        let e = KeyDescription::parse("other").unwrap();
        assert_eq!(app_id("https://a/cb", &d), app_id("https://a/cb", &d));
        assert_ne!(app_id("https://a/cb", &d), app_id("https://a/cb", &e));
        assert_ne!(app_id("https://a/cb", &d), app_id("https://b/cb", &d));
    }
}
