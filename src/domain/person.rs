//! People and teams: identifiers, kinds, statuses and display names.

use std::fmt;

/// The longest display name accepted, in characters.
const MAX_DISPLAY_NAME: usize = 100;

/// A person's or team's stable, opaque identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonId(String);

impl PersonId {
    /// A new random identifier.
    pub fn generate() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }

    /// Wraps an identifier read from storage.
    pub fn from_stored(id: String) -> Self {
        Self(id)
    }

    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a profile is an individual or a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonKind {
    /// An individual who may log in.
    Person,
    /// A group of people; its addresses can never log in, register or reset a password.
    Team,
}

impl PersonKind {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Team => "team",
        }
    }

    /// Reads the stored spelling.
    pub fn from_stored(s: &str) -> Option<Self> {
        match s {
            "person" => Some(Self::Person),
            "team" => Some(Self::Team),
            _ => None,
        }
    }
}

/// Where a profile stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonStatus {
    /// Known only by an address; no password; may register "as if never seen".
    Placeholder,
    /// Can log in.
    Active,
    /// Closed by its owner; password recovery reactivates it.
    Deactivated,
    /// Closed by an administrator; cannot log in or reset.
    Suspended,
}

impl PersonStatus {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Placeholder => "placeholder",
            Self::Active => "active",
            Self::Deactivated => "deactivated",
            Self::Suspended => "suspended",
        }
    }

    /// Reads the stored spelling.
    pub fn from_stored(s: &str) -> Option<Self> {
        match s {
            "placeholder" => Some(Self::Placeholder),
            "active" => Some(Self::Active),
            "deactivated" => Some(Self::Deactivated),
            "suspended" => Some(Self::Suspended),
            _ => None,
        }
    }
}

/// A status change made by an administrator (or, for deactivation, by the owner).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    /// Close the account by an administrator's decision.
    Suspend,
    /// Close the account; password recovery reopens it.
    Deactivate,
}

impl StatusChange {
    /// The status the profile ends in.
    pub fn target(self) -> PersonStatus {
        match self {
            Self::Suspend => PersonStatus::Suspended,
            Self::Deactivate => PersonStatus::Deactivated,
        }
    }

    /// Whether the change applies to a profile in `from`: anything not yet suspended can be
    /// suspended; only a working account can be deactivated.
    pub fn applies_to(self, from: PersonStatus) -> bool {
        match self {
            Self::Suspend => from != PersonStatus::Suspended,
            Self::Deactivate => from == PersonStatus::Active,
        }
    }
}

impl fmt::Display for PersonStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person or team as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Stable identifier.
    pub id: PersonId,
    /// Individual or team.
    pub kind: PersonKind,
    /// A team's handle; `None` for individuals.
    pub team_name: Option<crate::domain::TeamName>,
    /// The name shown to people.
    pub display_name: DisplayName,
    /// Where the profile stands.
    pub status: PersonStatus,
    /// The argon2id hash, for people who have a password.
    pub password_hash: Option<crate::domain::PasswordHash>,
    /// Unix time of creation.
    pub created_at: i64,
    /// Unix time of the last change.
    pub updated_at: i64,
    /// Sessions signed in before this Unix time have ended (a password change or reset).
    pub sessions_not_before: i64,
}

/// Why a string cannot be a display name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DisplayNameError {
    /// Empty after trimming.
    #[error("the display name is empty")]
    Empty,
    /// Longer than the limit.
    #[error("the display name is longer than {MAX_DISPLAY_NAME} characters")]
    TooLong,
    /// Contains a control character.
    #[error("the display name contains a control character")]
    ControlCharacter,
}

/// A name shown to people: trimmed, 1–100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    /// Parses user input.
    pub fn parse(input: &str) -> Result<Self, DisplayNameError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(DisplayNameError::Empty);
        }
        if trimmed.chars().count() > MAX_DISPLAY_NAME {
            return Err(DisplayNameError::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(DisplayNameError::ControlCharacter);
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The name a placeholder gets when none is known: the address's local part.
    pub fn from_address(address: &str) -> Self {
        let local = address.split('@').next().unwrap_or(address);
        Self::parse(local).unwrap_or_else(|_| Self("unnamed".to_owned()))
    }

    /// Wraps a name read from storage.
    pub fn from_stored(name: String) -> Self {
        Self(name)
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_round_trip_through_storage() {
        for kind in [PersonKind::Person, PersonKind::Team] {
            assert_eq!(PersonKind::from_stored(kind.as_str()), Some(kind));
        }
        for status in [
            PersonStatus::Placeholder,
            PersonStatus::Active,
            PersonStatus::Deactivated,
            PersonStatus::Suspended,
        ] {
            assert_eq!(PersonStatus::from_stored(status.as_str()), Some(status));
        }
        assert_eq!(PersonStatus::from_stored("admin"), None);
    }

    #[test]
    fn only_active_people_can_be_deactivated() {
        let d = StatusChange::Deactivate;
        assert!(d.applies_to(PersonStatus::Active));
        assert!(!d.applies_to(PersonStatus::Placeholder));
        assert!(!d.applies_to(PersonStatus::Suspended));
        assert!(!d.applies_to(PersonStatus::Deactivated));
        assert_eq!(d.target(), PersonStatus::Deactivated);
    }

    #[test]
    fn a_suspended_person_cannot_be_suspended_again() {
        let s = StatusChange::Suspend;
        assert!(!s.applies_to(PersonStatus::Suspended));
        assert!(s.applies_to(PersonStatus::Deactivated));
        assert!(s.applies_to(PersonStatus::Placeholder));
        assert_eq!(s.target(), PersonStatus::Suspended);
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("  Ada  ").unwrap().as_str(), "Ada");
        assert_eq!(DisplayName::parse(" "), Err(DisplayNameError::Empty));
        assert_eq!(
            DisplayName::parse(&"x".repeat(101)),
            Err(DisplayNameError::TooLong)
        );
        assert_eq!(
            DisplayName::parse("a\nb"),
            Err(DisplayNameError::ControlCharacter)
        );
    }

    #[test]
    fn a_placeholder_is_named_after_its_address() {
        assert_eq!(
            DisplayName::from_address("carol@example.com").as_str(),
            "carol"
        );
    }

    #[test]
    fn generated_person_ids_differ() {
        assert_ne!(PersonId::generate(), PersonId::generate());
    }
}
