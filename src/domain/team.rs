//! Team names: the short, unique handle a team is addressed by on the command line and in claims.

use std::fmt;

/// Why a string cannot be a team name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamNameError {
    /// Shorter than 2 or longer than 64 characters.
    #[error("a team name has 2 to 64 characters")]
    Length,
    /// Uses characters other than lower-case letters, digits, `-`, `.` and `+`, or does not
    /// start with a letter or digit.
    #[error(
        "a team name uses lower-case letters, digits, `-`, `.` and `+`, and starts with a letter or digit"
    )]
    Characters,
}

/// A team's handle, e.g. `release-managers`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TeamName(String);

impl TeamName {
    /// Parses user input.
    pub fn parse(input: &str) -> Result<Self, TeamNameError> {
        let name = input.trim();
        let len = name.chars().count();
        if !(2..=64).contains(&len) {
            return Err(TeamNameError::Length);
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "-.+".contains(c);
        let starts_well = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if !starts_well || !name.chars().all(allowed) {
            return Err(TeamNameError::Characters);
        }
        Ok(Self(name.to_owned()))
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

impl fmt::Display for TeamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launchpad_style_team_names_are_accepted() {
        for good in ["ubuntu-dev", "qa", "team.1", "c++"] {
            assert!(TeamName::parse(good).is_ok(), "{good} was refused");
        }
    }

    #[test]
    fn team_names_with_odd_characters_are_refused() {
        assert_eq!(TeamName::parse("Ubuntu"), Err(TeamNameError::Characters));
        assert_eq!(TeamName::parse("-dev"), Err(TeamNameError::Characters));
        assert_eq!(TeamName::parse("a b"), Err(TeamNameError::Characters));
        assert_eq!(TeamName::parse("x'; DROP"), Err(TeamNameError::Characters));
    }

    #[test]
    fn team_names_are_bounded_in_length() {
        assert_eq!(TeamName::parse("a"), Err(TeamNameError::Length));
        assert_eq!(TeamName::parse(&"a".repeat(65)), Err(TeamNameError::Length));
    }
}
