//! Checking an authorization request against its client's registration (OIDC Core §3.1.2):
//! which refusals may go back to the client and which must stay on our own error page.

use super::authorization_params::AuthorizeParams;
use super::client::SCOPES;
use super::client_redirect::ClientError;
use super::pkce;
use super::scope::Scopes;
use super::second_factor::{AuthMethods, acr_values_require_multi_factor};

/// What the check needs to know of the registered client.
#[derive(Debug, Clone, Copy)]
pub struct ClientRules<'a> {
    /// Its exact redirect URIs.
    pub redirect_uris: &'a [String],
    /// The scopes it may ask for.
    pub allowed_scopes: &'a Scopes,
    /// Whether it has no secret (and so must use PKCE).
    pub public: bool,
    /// Whether it is registered to get codes only for two-factor sign-ins.
    pub require_second_factor: bool,
}

/// Why a request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizeError {
    /// Shown on an error page: the client or redirect URI cannot be trusted with an answer.
    Page(String),
    /// Sent back to the verified redirect URI.
    Redirect(ClientError),
}

/// What `prompt` asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prompt {
    /// `none`: never show a page.
    pub none: bool,
    /// `login`: authenticate again.
    pub login: bool,
    /// `consent`: ask again.
    pub consent: bool,
}

/// A request that passed the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationRequest {
    /// The exact registered redirect URI.
    pub redirect_uri: String,
    /// Requested scopes, known and allowed, `openid` included.
    pub scopes: Scopes,
    /// `state`
    pub state: Option<String>,
    /// `nonce`
    pub nonce: Option<String>,
    /// PKCE S256 challenge.
    pub code_challenge: Option<String>,
    /// `prompt`
    pub prompt: Prompt,
    /// `max_age` in seconds.
    pub max_age: Option<i64>,
    /// `login_hint`
    pub login_hint: Option<String>,
    /// Whether only a sign-in with two factors may answer: the request's `acr_values` ask for
    /// the multi-factor class, or the client is registered `--require-second-factor`.
    pub multi_factor: bool,
}

impl AuthorizationRequest {
    /// Whether a sign-in with these methods may answer the request.
    pub fn is_met_by(&self, methods: &AuthMethods) -> bool {
        !self.multi_factor || methods.is_multi_factor()
    }

    /// An error for the client, with the request's state.
    pub fn refusal(&self, error: &'static str, description: &str) -> ClientError {
        ClientError {
            redirect_uri: self.redirect_uri.clone(),
            error,
            description: description.to_owned(),
            state: self.state.clone(),
        }
    }
}

impl AuthorizeError {
    /// The refusal of a request whose `client_id` names no registered client.
    pub fn unknown_client() -> Self {
        Self::Page("The application is not registered here (unknown client_id).".to_owned())
    }
}

/// Checks a request against its registered client. Errors go to the redirect URI only once the
/// URI is one of the client's registered URIs, compared exactly.
pub fn validate(
    client: ClientRules<'_>,
    params: &AuthorizeParams,
) -> Result<AuthorizationRequest, AuthorizeError> {
    let page = |text: &str| Err(AuthorizeError::Page(text.to_owned()));
    let Some(redirect_uri) = params.redirect_uri.clone() else {
        return page("The request has no redirect_uri.");
    };
    if !client.redirect_uris.contains(&redirect_uri) {
        return page("The redirect_uri is not registered for this application.");
    }
    if let Some(refusal) = params.refusal() {
        return Err(AuthorizeError::Redirect(ClientError {
            redirect_uri,
            error: refusal.error,
            description: refusal.description.to_owned(),
            state: params.state.clone().filter(|_| refusal.echo_state),
        }));
    }
    let refuse = |error, description: &str| {
        AuthorizeError::Redirect(ClientError {
            redirect_uri: redirect_uri.clone(),
            error,
            description: description.to_owned(),
            state: params.state.clone(),
        })
    };
    if params.response_type.as_deref() != Some("code") {
        return Err(refuse(
            "unsupported_response_type",
            "only response_type=code is supported",
        ));
    }
    let scopes = Scopes::parse(params.scope.as_deref().unwrap_or(""));
    if !scopes.contains("openid") {
        return Err(refuse("invalid_scope", "the openid scope is required"));
    }
    if let Some(bad) = scopes
        .iter()
        .find(|s| !SCOPES.contains(s) || !client.allowed_scopes.contains(s))
    {
        return Err(refuse(
            "invalid_scope",
            &format!("the scope {bad} is not available"),
        ));
    }
    let prompt =
        read_prompt(params.prompt.as_deref()).map_err(|why| refuse("invalid_request", why))?;
    let max_age = match params.max_age.as_deref() {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if n >= 0 => Some(n),
            _ => {
                return Err(refuse(
                    "invalid_request",
                    "max_age must be a number of seconds",
                ));
            }
        },
    };
    // OIDC Core §3.1.2.1: max_age=0 is prompt=login (prompt=none still never shows a page).
    let prompt = Prompt {
        login: prompt.login || (max_age == Some(0) && !prompt.none),
        ..prompt
    };
    let code_challenge = read_challenge(params).map_err(|why| refuse("invalid_request", why))?;
    if client.public && code_challenge.is_none() {
        return Err(refuse(
            "invalid_request",
            "public clients must use PKCE (S256)",
        ));
    }
    Ok(AuthorizationRequest {
        redirect_uri,
        scopes,
        state: params.state.clone(),
        nonce: params.nonce.clone(),
        code_challenge,
        prompt,
        max_age,
        login_hint: params.login_hint.clone(),
        // Values Latchkey does not know are ignored: `acr_values` is a voluntary request
        // (OIDC Core §3.1.2.1), and the ID token's `acr` says what was reached.
        multi_factor: client.require_second_factor
            || acr_values_require_multi_factor(params.acr_values.as_deref()),
    })
}

/// `prompt`, or why it is refused.
fn read_prompt(prompt: Option<&str>) -> Result<Prompt, &'static str> {
    let mut read = Prompt::default();
    for p in prompt.unwrap_or("").split_whitespace() {
        match p {
            "none" => read.none = true,
            "login" => read.login = true,
            "consent" => read.consent = true,
            _ => return Err("prompt must be none, login or consent"),
        }
    }
    if read.none && (read.login || read.consent) {
        return Err("prompt=none cannot be combined");
    }
    Ok(read)
}

/// The PKCE challenge (S256 only), or why it is refused.
fn read_challenge(params: &AuthorizeParams) -> Result<Option<String>, &'static str> {
    match (
        &params.code_challenge,
        params.code_challenge_method.as_deref(),
    ) {
        (None, None) => Ok(None),
        (Some(c), Some("S256")) if pkce::is_valid_challenge(c) => Ok(Some(c.clone())),
        (Some(_), Some("S256")) => Err("the code_challenge is malformed"),
        (Some(_), None | Some(_)) | (None, Some(_)) => {
            Err("PKCE needs code_challenge with code_challenge_method=S256")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uris() -> Vec<String> {
        vec!["https://app.example/cb".to_owned()]
    }

    fn all_scopes() -> Scopes {
        SCOPES.iter().collect()
    }

    fn check(
        public: bool,
        params: &AuthorizeParams,
    ) -> Result<AuthorizationRequest, AuthorizeError> {
        let (redirect_uris, allowed_scopes) = (uris(), all_scopes());
        validate(
            ClientRules {
                redirect_uris: &redirect_uris,
                allowed_scopes: &allowed_scopes,
                public,
                require_second_factor: false,
            },
            params,
        )
    }

    fn params(extra: &[(&str, &str)]) -> AuthorizeParams {
        let mut pairs = vec![
            ("response_type", "code"),
            ("client_id", "c1"),
            ("redirect_uri", "https://app.example/cb"),
            ("scope", "openid email"),
            ("state", "xyz"),
        ];
        pairs.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
        pairs.extend_from_slice(extra);
        AuthorizeParams::from_pairs(pairs).unwrap()
    }

    fn error_of(checked: Result<AuthorizationRequest, AuthorizeError>) -> &'static str {
        match checked {
            Err(AuthorizeError::Redirect(refusal)) => refusal.error,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_plain_request_is_valid() {
        let req = check(false, &params(&[])).unwrap();
        assert_eq!(req.scopes.to_string(), "openid email");
        assert_eq!(req.state.as_deref(), Some("xyz"));
    }

    #[test]
    fn unknown_clients_and_unregistered_uris_get_a_page_not_a_redirect() {
        assert!(matches!(
            AuthorizeError::unknown_client(),
            AuthorizeError::Page(_)
        ));
        for uri in [
            "https://app.example/cb/extra",
            "https://app.example/cb?x=1",
            "https://APP.example/cb",
            "https://app.example/CB",
        ] {
            let checked = check(false, &params(&[("redirect_uri", uri)]));
            assert!(matches!(checked, Err(AuthorizeError::Page(_))), "{uri}");
        }
    }

    #[test]
    fn duplicated_parameters_are_refused() {
        let pairs = [("client_id", "a"), ("client_id", "b")];
        assert!(AuthorizeParams::from_pairs(pairs).is_err());
    }

    #[test]
    fn protocol_errors_go_back_to_the_client() {
        for (extra, error) in [
            (("response_type", "token"), "unsupported_response_type"),
            (("scope", "email"), "invalid_scope"),
            (("scope", "openid admin"), "invalid_scope"),
            (("prompt", "none login"), "invalid_request"),
            (("prompt", "sometimes"), "invalid_request"),
            (("max_age", "-1"), "invalid_request"),
        ] {
            assert_eq!(
                error_of(check(false, &params(&[extra]))),
                error,
                "{extra:?}"
            );
        }
    }

    #[test]
    fn a_scope_the_client_may_not_ask_for_is_refused() {
        let (redirect_uris, allowed_scopes) = (uris(), Scopes::parse("openid"));
        let rules = ClientRules {
            redirect_uris: &redirect_uris,
            allowed_scopes: &allowed_scopes,
            public: false,
            require_second_factor: false,
        };
        assert_eq!(error_of(validate(rules, &params(&[]))), "invalid_scope");
    }

    #[test]
    fn two_factors_are_needed_when_acr_values_or_the_client_ask_for_them() {
        use super::super::second_factor::{ACR_MULTI_FACTOR, AuthMethod};
        let password = AuthMethods::password();
        let both = password.with([AuthMethod::Otp]);
        let asked = check(false, &params(&[("acr_values", ACR_MULTI_FACTOR)])).unwrap();
        assert!(!asked.is_met_by(&password) && asked.is_met_by(&both));
        for unknown in ["1 2", "urn:other:gold"] {
            let ignored = check(false, &params(&[("acr_values", unknown)])).unwrap();
            assert!(ignored.is_met_by(&password), "{unknown}");
        }
        let (redirect_uris, allowed_scopes) = (uris(), all_scopes());
        let rules = ClientRules {
            redirect_uris: &redirect_uris,
            allowed_scopes: &allowed_scopes,
            public: false,
            require_second_factor: true,
        };
        let required = validate(rules, &params(&[])).unwrap();
        assert!(!required.is_met_by(&password) && required.is_met_by(&both));
    }

    #[test]
    fn public_clients_must_use_s256() {
        assert_eq!(error_of(check(true, &params(&[]))), "invalid_request");
        let challenge = pkce::challenge_of(&"v".repeat(43));
        let plain = params(&[
            ("code_challenge", &challenge),
            ("code_challenge_method", "plain"),
        ]);
        assert_eq!(error_of(check(true, &plain)), "invalid_request");
        let s256 = params(&[
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ]);
        assert!(check(true, &s256).is_ok());
    }

    #[test]
    fn a_refusal_after_the_check_goes_to_the_request_s_redirect_uri_with_its_state() {
        let refusal = check(false, &params(&[]))
            .unwrap()
            .refusal("access_denied", "no");
        assert_eq!(refusal.redirect_uri, "https://app.example/cb");
        assert_eq!(refusal.state.as_deref(), Some("xyz"));
    }

    #[test]
    fn max_age_zero_asks_for_a_new_login_unless_prompt_none_forbids_pages() {
        let req = check(false, &params(&[("max_age", "0")])).unwrap();
        assert!(req.prompt.login);
        let req = check(false, &params(&[("max_age", "60")])).unwrap();
        assert!(!req.prompt.login);
        let req = check(false, &params(&[("max_age", "0"), ("prompt", "none")])).unwrap();
        assert!(!req.prompt.login && req.prompt.none);
    }
}
