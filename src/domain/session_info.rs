//! What a session's stored state says about it, for the list of a person's sessions: a public
//! label (never the cookie's key), when it signed in, and from which browser and address.

use std::collections::HashMap;

/// State key of the signed-in person's id.
pub const PERSON_KEY: &str = "person_id";
/// State key of the sign-in time (Unix seconds).
pub const LOGIN_AT_KEY: &str = "login_at";
/// State key of the public label that names the session in lists and forms.
pub const LABEL_KEY: &str = "label";
/// State key of the browser's `User-Agent`, shortened.
pub const DEVICE_KEY: &str = "device";
/// State key of the address the person signed in from.
pub const ADDRESS_KEY: &str = "address";

/// The longest `User-Agent` kept, in characters.
pub const MAX_DEVICE_CHARS: usize = 200;

/// One session as the list of a person's sessions shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionInfo {
    /// The public label (sessions made before labels existed have none).
    pub label: Option<String>,
    /// When the person signed in.
    pub login_at: Option<i64>,
    /// The browser's `User-Agent`, if it sent one.
    pub device: Option<String>,
    /// The address the person signed in from.
    pub address: Option<String>,
}

impl SessionInfo {
    /// Reads a session's state, whose values are JSON-encoded as the session middleware stores
    /// them.
    /// Anything missing or malformed is left out.
    pub fn from_state(state: &HashMap<String, String>) -> Self {
        let text = |key: &str| {
            state
                .get(key)
                .and_then(|v| serde_json::from_str::<String>(v).ok())
                .filter(|v| !v.is_empty())
        };
        Self {
            label: text(LABEL_KEY),
            login_at: state
                .get(LOGIN_AT_KEY)
                .and_then(|v| serde_json::from_str::<i64>(v).ok()),
            device: text(DEVICE_KEY),
            address: text(ADDRESS_KEY),
        }
    }

    /// Reads a session's stored state text; a state that is not a JSON object says nothing.
    pub fn from_stored(state: &str) -> Self {
        serde_json::from_str::<HashMap<String, String>>(state)
            .map(|s| Self::from_state(&s))
            .unwrap_or_default()
    }
}

/// A `User-Agent` as kept: control characters dropped, at most `MAX_DEVICE_CHARS` characters.
pub fn device_of(user_agent: &str) -> String {
    user_agent
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_DEVICE_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_is_read_from_json_encoded_values() {
        let state: HashMap<String, String> = [
            (LABEL_KEY, "\"abc\""),
            (LOGIN_AT_KEY, "1767225600"),
            (DEVICE_KEY, "\"Firefox\""),
            (ADDRESS_KEY, "\"192.0.2.7\""),
            ("csrf", "\"x\""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let info = SessionInfo::from_state(&state);
        assert_eq!(info.label.as_deref(), Some("abc"));
        assert_eq!(info.login_at, Some(1_767_225_600));
        assert_eq!(info.device.as_deref(), Some("Firefox"));
        assert_eq!(info.address.as_deref(), Some("192.0.2.7"));
    }

    #[test]
    fn a_malformed_state_says_nothing() {
        for text in ["", "[]", "{\"label\": 5}", "not json"] {
            let info = SessionInfo::from_stored(text);
            assert_eq!(info.label, None, "{text}");
            assert_eq!(info.device, None, "{text}");
        }
    }

    #[test]
    fn a_device_is_shortened_and_loses_control_characters() {
        assert_eq!(
            device_of("Mozilla/5.0\r\nX-Evil: 1"),
            "Mozilla/5.0X-Evil: 1"
        );
        assert_eq!(
            device_of(&"a".repeat(500)).chars().count(),
            MAX_DEVICE_CHARS
        );
    }
}
