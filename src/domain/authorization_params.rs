//! The authorization request's parameters: each at most once, unknown ones ignored, and the
//! refusals that depend on no client (request objects, a `state` or `nonce` that cannot be
//! echoed safely); how they are written into a query and read back.

use std::collections::HashMap;

/// The longest `state` or `nonce` accepted, in bytes: both are echoed (into the redirect and
/// the ID token) and stored, so they are bounded.
pub const MAX_ECHOED_LEN: usize = 2048;

/// The request parameters (each at most once).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorizeParams {
    /// `response_type`
    pub response_type: Option<String>,
    /// `client_id`
    pub client_id: Option<String>,
    /// `redirect_uri`
    pub redirect_uri: Option<String>,
    /// `scope`
    pub scope: Option<String>,
    /// `state`
    pub state: Option<String>,
    /// `nonce`
    pub nonce: Option<String>,
    /// `code_challenge`
    pub code_challenge: Option<String>,
    /// `code_challenge_method`
    pub code_challenge_method: Option<String>,
    /// `prompt`
    pub prompt: Option<String>,
    /// `max_age`
    pub max_age: Option<String>,
    /// `login_hint`
    pub login_hint: Option<String>,
    /// `acr_values`: the authentication context classes asked for, most wanted first.
    pub acr_values: Option<String>,
    /// `request` (a request object, not supported).
    pub request: Option<String>,
    /// `request_uri` (a request object by reference, not supported).
    pub request_uri: Option<String>,
}

/// A refusal that depends on the parameters alone; it goes to the redirect URI once that is
/// verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamRefusal {
    /// The OAuth error code.
    pub error: &'static str,
    /// Why.
    pub description: &'static str,
    /// Whether the request's `state` may go back with it (not when `state` is what is wrong).
    pub echo_state: bool,
}

/// The parameter names, in the order they are echoed into forms.
pub const PARAM_NAMES: [&str; 14] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "prompt",
    "max_age",
    "login_hint",
    "acr_values",
    "request",
    "request_uri",
];

/// Whether a value may be stored and echoed: at most [`MAX_ECHOED_LEN`] bytes, and no control
/// characters (PostgreSQL refuses NUL in text, and a relying party would get it back verbatim).
pub fn is_echoable(value: &str) -> bool {
    value.len() <= MAX_ECHOED_LEN && !value.chars().any(char::is_control)
}

/// A parameter given more than once (RFC 6749 §3.1 forbids it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the parameter {0} is given more than once")]
pub struct RepeatedParameter(pub String);

impl AuthorizeParams {
    /// Reads parameters from name/value pairs. A parameter given twice is an error (RFC 6749
    /// §3.1); unknown parameters are ignored.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, RepeatedParameter> {
        let mut seen: HashMap<&str, String> = HashMap::new();
        for (name, value) in pairs {
            if let Some(known) = PARAM_NAMES.iter().find(|n| **n == name)
                && seen.insert(known, value.to_owned()).is_some()
            {
                return Err(RepeatedParameter(name.to_owned()));
            }
        }
        let mut take = |n: &str| seen.remove(n).filter(|v| !v.is_empty());
        Ok(Self {
            response_type: take("response_type"),
            client_id: take("client_id"),
            redirect_uri: take("redirect_uri"),
            scope: take("scope"),
            state: take("state"),
            nonce: take("nonce"),
            code_challenge: take("code_challenge"),
            code_challenge_method: take("code_challenge_method"),
            prompt: take("prompt"),
            max_age: take("max_age"),
            login_hint: take("login_hint"),
            acr_values: take("acr_values"),
            request: take("request"),
            request_uri: take("request_uri"),
        })
    }

    /// What must be refused whatever the client: an unsafe `state` first (so it is not echoed
    /// by any refusal), then an unsafe `nonce`, then request objects (OIDC Core §6.1, §6.2:
    /// `request_not_supported`, `request_uri_not_supported`).
    pub fn refusal(&self) -> Option<ParamRefusal> {
        let refuse = |error, description, echo_state| {
            Some(ParamRefusal {
                error,
                description,
                echo_state,
            })
        };
        if self.state.as_deref().is_some_and(|s| !is_echoable(s)) {
            return refuse(
                "invalid_request",
                "state must be at most 2048 bytes, without control characters",
                false,
            );
        }
        if self.nonce.as_deref().is_some_and(|n| !is_echoable(n)) {
            return refuse(
                "invalid_request",
                "nonce must be at most 2048 bytes, without control characters",
                true,
            );
        }
        if self.request.is_some() {
            return refuse(
                "request_not_supported",
                "request objects are not supported: send the parameters themselves",
                true,
            );
        }
        if self.request_uri.is_some() {
            return refuse(
                "request_uri_not_supported",
                "request_uri is not supported: send the parameters themselves",
                true,
            );
        }
        None
    }

    /// The parameters as name/value pairs (for forms and the login redirect).
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        let values = [
            &self.response_type,
            &self.client_id,
            &self.redirect_uri,
            &self.scope,
            &self.state,
            &self.nonce,
            &self.code_challenge,
            &self.code_challenge_method,
            &self.prompt,
            &self.max_age,
            &self.login_hint,
            &self.acr_values,
            &self.request,
            &self.request_uri,
        ];
        PARAM_NAMES
            .iter()
            .zip(values)
            .filter_map(|(n, v)| v.as_deref().map(|v| (*n, v)))
            .collect()
    }

    /// Reads parameters from a form-encoded query (see `from_pairs`).
    pub fn from_query(query: &str) -> Result<Self, RepeatedParameter> {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        Self::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The parameters form-encoded: the query of `/authorize`, and how a held request is stored.
    pub fn to_query(&self) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.pairs())
            .finish()
    }

    /// The request to come back to after signing in: without `prompt=login` and its equal
    /// `max_age=0`, which the login that just happened answers.
    pub fn after_login(&self) -> Self {
        let mut params = self.clone();
        params.max_age = params.max_age.filter(|age| age.parse::<i64>() != Ok(0));
        params.prompt = params
            .prompt
            .as_deref()
            .map(|p| {
                p.split_whitespace()
                    .filter(|v| *v != "login")
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|p| !p.is_empty());
        params
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal_of(pairs: &[(&str, &str)]) -> Option<ParamRefusal> {
        AuthorizeParams::from_pairs(pairs.iter().copied())
            .unwrap()
            .refusal()
    }

    #[test]
    fn state_and_nonce_up_to_2_kib_without_control_characters_pass() {
        let longest = "x".repeat(MAX_ECHOED_LEN);
        let odd = "a b&c=d<>\"'é";
        assert_eq!(
            refusal_of(&[("state", &longest), ("nonce", &longest)]),
            None
        );
        assert_eq!(refusal_of(&[("state", odd), ("nonce", odd)]), None);
    }

    #[test]
    fn a_bad_state_is_refused_without_being_echoed() {
        let long = "x".repeat(MAX_ECHOED_LEN + 1);
        for state in [long.as_str(), "a\0b", "a\r\nb", "a\u{7f}", "a\u{85}"] {
            let refusal = refusal_of(&[("state", state), ("request", "x")]).unwrap();
            assert_eq!(refusal.error, "invalid_request", "{state:?}");
            assert!(!refusal.echo_state, "{state:?}");
        }
    }

    #[test]
    fn a_bad_nonce_is_refused_with_the_state_echoed() {
        let long = "x".repeat(MAX_ECHOED_LEN + 1);
        for nonce in [long.as_str(), "n\0", "n\t"] {
            let refusal = refusal_of(&[("state", "s"), ("nonce", nonce)]).unwrap();
            assert_eq!(refusal.error, "invalid_request", "{nonce:?}");
            assert!(refusal.echo_state);
        }
    }

    fn after_login(extra: &[(&str, &str)]) -> String {
        let mut pairs = vec![
            ("client_id", "c1"),
            ("redirect_uri", "https://app.example/cb"),
        ];
        pairs.extend_from_slice(extra);
        AuthorizeParams::from_pairs(pairs)
            .unwrap()
            .after_login()
            .to_query()
    }

    #[test]
    fn the_way_back_after_signing_in_does_not_ask_for_a_login_again() {
        for zero in ["0", "00", "+0"] {
            assert!(
                !after_login(&[("max_age", zero)]).contains("max_age"),
                "{zero}"
            );
        }
        assert!(after_login(&[("max_age", "60")]).contains("max_age=60"));
        let query = after_login(&[("prompt", "login consent")]);
        assert!(
            query.contains("prompt=consent") && !query.contains("login"),
            "{query}"
        );
        assert!(!after_login(&[("prompt", "login")]).contains("prompt"));
    }

    #[test]
    fn stored_parameters_read_back_as_they_were() {
        let params = AuthorizeParams::from_pairs([
            ("client_id", "c1"),
            ("redirect_uri", "https://app.example/cb?x=1&y=2"),
            ("scope", "openid email"),
            ("state", "a b&c=d<>\"'é"),
        ])
        .unwrap();
        assert_eq!(AuthorizeParams::from_query(&params.to_query()), Ok(params));
    }

    #[test]
    fn request_objects_are_not_supported() {
        let error = |pairs: &[(&str, &str)]| refusal_of(pairs).map(|r| r.error);
        assert_eq!(
            error(&[("request", "eyJ.x.y")]),
            Some("request_not_supported")
        );
        assert_eq!(
            error(&[("request_uri", "https://rp.example/r")]),
            Some("request_uri_not_supported")
        );
        assert_eq!(error(&[("request", "")]), None, "empty is absent");
        assert!(AuthorizeParams::from_pairs([("request", "a"), ("request", "b")]).is_err());
    }
}
