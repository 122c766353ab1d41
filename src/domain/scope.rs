//! `Scopes`: an OAuth scope list (RFC 6749 §3.3), parsed once from its space-separated form and
//! written back the same way. Order is kept, repeats are dropped.

use std::fmt;

/// A list of scope tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes(Vec<String>);

impl Scopes {
    /// Parses a space-separated list (any run of ASCII whitespace separates), dropping repeats.
    pub fn parse(text: &str) -> Self {
        text.split_ascii_whitespace().collect()
    }

    /// Whether `scope` is in the list.
    pub fn contains(&self, scope: &str) -> bool {
        self.0.iter().any(|s| s == scope)
    }

    /// Whether every scope of `self` is in `other`.
    pub fn is_subset_of(&self, other: &Self) -> bool {
        self.0.iter().all(|s| other.contains(s))
    }

    /// The scopes of `self` that are also in `other`, in `self`'s order.
    pub fn intersection(&self, other: &Self) -> Self {
        self.iter().filter(|s| other.contains(s)).collect()
    }

    /// The scopes, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many scopes there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl<S: AsRef<str>> FromIterator<S> for Scopes {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut scopes: Vec<String> = Vec::new();
        for scope in iter {
            let scope = scope.as_ref();
            if !scope.is_empty() && !scopes.iter().any(|s| s == scope) {
                scopes.push(scope.to_owned());
            }
        }
        Self(scopes)
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_parsed_in_order_without_repeats() {
        let scopes = Scopes::parse("  openid email\topenid profile ");
        assert_eq!(
            scopes.iter().collect::<Vec<_>>(),
            ["openid", "email", "profile"]
        );
        assert_eq!(scopes.to_string(), "openid email profile");
    }

    #[test]
    fn an_empty_text_is_an_empty_list() {
        assert!(Scopes::parse(" ").is_empty());
        assert_eq!(Scopes::parse("").to_string(), "");
    }

    #[test]
    fn a_narrower_list_is_a_subset() {
        let granted = Scopes::parse("openid email profile");
        assert!(Scopes::parse("email openid").is_subset_of(&granted));
        assert!(!Scopes::parse("openid teams").is_subset_of(&granted));
        assert_eq!(
            Scopes::parse("teams email")
                .intersection(&granted)
                .to_string(),
            "email"
        );
    }
}
