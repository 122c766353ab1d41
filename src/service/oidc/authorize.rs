//! The authorization endpoint's decisions: checking a request, remembering consent, and
//! issuing a code back to the relying party.

pub use super::params::{AuthorizeParams, PARAM_NAMES};
use crate::db::DbError;
use crate::db::authorization_codes::{NewCode, insert_code};
use crate::db::clients::{Client, find_client};
use crate::domain::client::SCOPES;
use crate::domain::{PersonId, PlainToken, TokenKind, pkce};
use crate::service::Context;

/// Why a request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizeError {
    /// Shown on an error page: the client or redirect URI cannot be trusted with an answer.
    Page(String),
    /// Sent back to the verified redirect URI.
    Redirect {
        /// Where.
        redirect_uri: String,
        /// RFC 6749 §4.1.2.1 code.
        error: &'static str,
        /// Human-readable detail.
        description: String,
        /// The request's state.
        state: Option<String>,
    },
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

/// A checked request.
#[derive(Debug, Clone)]
pub struct ValidRequest {
    /// The client.
    pub client: Client,
    /// The exact registered redirect URI.
    pub redirect_uri: String,
    /// Requested scopes, known and allowed, `openid` included.
    pub scopes: Vec<String>,
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
}

/// Checks a request. Errors go to the redirect URI only once the client is known and the URI
/// is one of its registered URIs, compared exactly.
pub async fn check(ctx: &Context, params: &AuthorizeParams) -> Result<Checked, CheckError> {
    let client = match params.client_id.as_deref() {
        Some(id) => find_client(ctx.db.pool(), id).await?,
        None => None,
    };
    Ok(validate(client, params))
}

/// Where the browser ends up once a local `next` target (`/authorize?…`) is followed: the
/// verified redirect URI of a valid request, or of a refusal that is sent back there. `None`
/// for any other target, and for a request whose client or redirect URI cannot be trusted.
pub async fn final_destination(ctx: &Context, next: &str) -> Result<Option<String>, CheckError> {
    let Some(query) = next.strip_prefix("/authorize?") else {
        return Ok(None);
    };
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let Ok(params) =
        AuthorizeParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    else {
        return Ok(None);
    };
    Ok(match check(ctx, &params).await? {
        Ok(request) => Some(request.redirect_uri),
        Err(AuthorizeError::Redirect { redirect_uri, .. }) => Some(redirect_uri),
        Err(AuthorizeError::Page(_)) => None,
    })
}

/// Storage failed while checking.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct CheckError(#[from] DbError);

/// The result of a check: a request to carry out, or a refusal.
pub type Checked = Result<ValidRequest, AuthorizeError>;

/// The pure part of `check`.
pub fn validate(client: Option<Client>, params: &AuthorizeParams) -> Checked {
    let Some(client) = client else {
        return Err(AuthorizeError::Page(
            "The application is not registered here (unknown client_id).".to_owned(),
        ));
    };
    let Some(redirect_uri) = params.redirect_uri.clone() else {
        return Err(AuthorizeError::Page(
            "The request has no redirect_uri.".to_owned(),
        ));
    };
    if !client.redirect_uris.contains(&redirect_uri) {
        return Err(AuthorizeError::Page(
            "The redirect_uri is not registered for this application.".to_owned(),
        ));
    }
    if let Some(refusal) = params.refusal() {
        return Err(AuthorizeError::Redirect {
            redirect_uri,
            error: refusal.error,
            description: refusal.description.to_owned(),
            state: params.state.clone().filter(|_| refusal.echo_state),
        });
    }
    let refuse = |error, description: &str| AuthorizeError::Redirect {
        redirect_uri: redirect_uri.clone(),
        error,
        description: description.to_owned(),
        state: params.state.clone(),
    };
    if params.response_type.as_deref() != Some("code") {
        return Err(refuse(
            "unsupported_response_type",
            "only response_type=code is supported",
        ));
    }
    let scopes: Vec<String> = params
        .scope
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if !scopes.iter().any(|s| s == "openid") {
        return Err(refuse("invalid_scope", "the openid scope is required"));
    }
    if let Some(bad) = scopes
        .iter()
        .find(|s| !SCOPES.contains(&s.as_str()) || !client.allowed_scopes.contains(s))
    {
        return Err(refuse(
            "invalid_scope",
            &format!("the scope {bad} is not available"),
        ));
    }
    let mut prompt = Prompt::default();
    for p in params.prompt.as_deref().unwrap_or("").split_whitespace() {
        match p {
            "none" => prompt.none = true,
            "login" => prompt.login = true,
            "consent" => prompt.consent = true,
            _ => {
                return Err(refuse(
                    "invalid_request",
                    "prompt must be none, login or consent",
                ));
            }
        }
    }
    if prompt.none && (prompt.login || prompt.consent) {
        return Err(refuse("invalid_request", "prompt=none cannot be combined"));
    }
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
    prompt.login |= max_age == Some(0) && !prompt.none;
    let code_challenge = match (
        &params.code_challenge,
        params.code_challenge_method.as_deref(),
    ) {
        (None, None) => None,
        (Some(c), Some("S256")) if pkce::is_valid_challenge(c) => Some(c.clone()),
        (Some(_), Some("S256")) => {
            return Err(refuse("invalid_request", "the code_challenge is malformed"));
        }
        (Some(_), None | Some(_)) | (None, Some(_)) => {
            return Err(refuse(
                "invalid_request",
                "PKCE needs code_challenge with code_challenge_method=S256",
            ));
        }
    };
    if client.secret_hash.is_none() && code_challenge.is_none() {
        return Err(refuse(
            "invalid_request",
            "public clients must use PKCE (S256)",
        ));
    }
    Ok(ValidRequest {
        client,
        redirect_uri,
        scopes,
        state: params.state.clone(),
        nonce: params.nonce.clone(),
        code_challenge,
        prompt,
        max_age,
        login_hint: params.login_hint.clone(),
    })
}

/// The redirect URI with parameters added (after any it already has).
pub fn redirect_with(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            {
                let mut query = url.query_pairs_mut();
                for (k, v) in params {
                    query.append_pair(k, v);
                }
            }
            url.to_string()
        }
        Err(_) => redirect_uri.to_owned(),
    }
}

/// The error redirect for a refusal.
pub fn error_redirect(
    issuer: &str,
    redirect_uri: &str,
    error: &str,
    description: &str,
    state: Option<&str>,
) -> String {
    let mut params = vec![("error", error), ("error_description", description)];
    if let Some(state) = state {
        params.push(("state", state));
    }
    params.push(("iss", issuer));
    redirect_with(redirect_uri, &params)
}

/// Issues a code for a signed-in person and returns the redirect back to the client.
pub async fn issue_code(
    ctx: &Context,
    req: &ValidRequest,
    person: &PersonId,
    auth_time: i64,
) -> Result<String, IssueError> {
    let code = PlainToken::generate(TokenKind::AuthorizationCode)
        .map_err(|e| IssueError::Random(e.to_string()))?;
    let now = ctx.clock.now();
    let lifetime = i64::try_from(ctx.lifetimes.authorization_code.as_secs()).unwrap_or(60);
    let scopes = req.scopes.join(" ");
    insert_code(
        ctx.db.pool(),
        &NewCode {
            hash: &code.hash(),
            client_id: &req.client.client_id,
            person,
            redirect_uri: &req.redirect_uri,
            scopes: &scopes,
            nonce: req.nonce.as_deref(),
            code_challenge: req.code_challenge.as_deref(),
            auth_time,
            created_at: now,
            expires_at: now + lifetime,
        },
    )
    .await?;
    let mut params = vec![("code", code.expose())];
    if let Some(state) = req.state.as_deref() {
        params.push(("state", state));
    }
    params.push(("iss", ctx.public_url.as_str()));
    Ok(redirect_with(&req.redirect_uri, &params))
}

/// Why a code could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// The random source failed.
    #[error("no randomness: {0}")]
    Random(String),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::signing_key::SigningAlg;

    fn client(public: bool) -> Client {
        Client {
            client_id: "c1".to_owned(),
            secret_hash: (!public).then(|| crate::domain::TokenHash::of("secret")),
            name: "App".to_owned(),
            redirect_uris: vec!["https://app.example/cb".to_owned()],
            post_logout_redirect_uris: vec![],
            allowed_scopes: SCOPES.iter().map(|s| (*s).to_owned()).collect(),
            trusted: false,
            introspect_any: false,
            id_token_alg: SigningAlg::Rs256,
            created_at: 0,
        }
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

    fn error_of(checked: Checked) -> &'static str {
        match checked {
            Err(AuthorizeError::Redirect { error, .. }) => error,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_plain_request_is_valid() {
        let req = validate(Some(client(false)), &params(&[])).unwrap();
        assert_eq!(req.scopes, ["openid", "email"]);
        assert_eq!(req.state.as_deref(), Some("xyz"));
    }

    #[test]
    fn unknown_clients_and_unregistered_uris_get_a_page_not_a_redirect() {
        assert!(matches!(
            validate(None, &params(&[])),
            Err(AuthorizeError::Page(_))
        ));
        for uri in [
            "https://app.example/cb/extra",
            "https://app.example/cb?x=1",
            "https://APP.example/cb",
            "https://app.example/CB",
        ] {
            let checked = validate(Some(client(false)), &params(&[("redirect_uri", uri)]));
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
        assert_eq!(
            error_of(validate(
                Some(client(false)),
                &params(&[("response_type", "token")])
            )),
            "unsupported_response_type"
        );
        assert_eq!(
            error_of(validate(
                Some(client(false)),
                &params(&[("scope", "email")])
            )),
            "invalid_scope"
        );
        assert_eq!(
            error_of(validate(
                Some(client(false)),
                &params(&[("scope", "openid admin")])
            )),
            "invalid_scope"
        );
        assert_eq!(
            error_of(validate(
                Some(client(false)),
                &params(&[("prompt", "none login")])
            )),
            "invalid_request"
        );
        assert_eq!(
            error_of(validate(Some(client(false)), &params(&[("max_age", "-1")]))),
            "invalid_request"
        );
    }

    #[test]
    fn public_clients_must_use_s256() {
        assert_eq!(
            error_of(validate(Some(client(true)), &params(&[]))),
            "invalid_request"
        );
        let challenge = pkce::challenge_of(&"v".repeat(43));
        let plain = params(&[
            ("code_challenge", &challenge),
            ("code_challenge_method", "plain"),
        ]);
        assert_eq!(
            error_of(validate(Some(client(true)), &plain)),
            "invalid_request"
        );
        let s256 = params(&[
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ]);
        assert!(validate(Some(client(true)), &s256).is_ok());
    }

    #[test]
    fn redirects_keep_the_registered_query() {
        let url = redirect_with(
            "https://app.example/cb?tenant=1",
            &[("code", "a b"), ("state", "s")],
        );
        assert_eq!(url, "https://app.example/cb?tenant=1&code=a+b&state=s");
    }

    #[test]
    fn max_age_zero_asks_for_a_new_login_unless_prompt_none_forbids_pages() {
        let req = validate(Some(client(false)), &params(&[("max_age", "0")])).unwrap();
        assert!(req.prompt.login);
        let req = validate(Some(client(false)), &params(&[("max_age", "60")])).unwrap();
        assert!(!req.prompt.login);
        let req = validate(
            Some(client(false)),
            &params(&[("max_age", "0"), ("prompt", "none")]),
        )
        .unwrap();
        assert!(!req.prompt.login && req.prompt.none);
    }
}
