//! Relying parties: the registered client and its registration rules (redirect URIs and
//! scopes).

use super::TokenHash;
use super::scope::Scopes;
use super::signing_key::SigningAlg;

/// The scopes Latchkey knows.
pub const SCOPES: [&str; 5] = ["openid", "profile", "email", "groups", "offline_access"];

/// A registered relying party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// Its public id.
    pub client_id: String,
    /// The hash of its secret; `None` for a public client.
    pub secret_hash: Option<TokenHash>,
    /// Its name, shown on the consent page.
    pub name: String,
    /// Exact redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Exact post-logout redirect URIs.
    pub post_logout_redirect_uris: Vec<String>,
    /// Scopes it may ask for.
    pub allowed_scopes: Scopes,
    /// Skips the consent page.
    pub trusted: bool,
    /// A resource server: may introspect tokens issued to any client, not only its own.
    pub introspect_any: bool,
    /// Gets codes only for sign-ins with two factors: a person who signed in with a password
    /// alone steps up first, as if the request asked for `acr_values` multi-factor.
    pub require_second_factor: bool,
    /// How its ID tokens are signed.
    pub id_token_alg: SigningAlg,
    /// When it was registered.
    pub created_at: i64,
}

impl Client {
    /// Whether it is a public client (no secret; it proves nothing by its id alone).
    pub fn is_public(&self) -> bool {
        self.secret_hash.is_none()
    }
}

/// Why a redirect URI cannot be registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedirectUriError {
    /// Not an absolute URL.
    #[error("`{0}` is not an absolute URL")]
    NotAUrl(String),
    /// Not https, and not http on a loopback host.
    #[error("`{0}` must use https (http is allowed only for localhost and loopback addresses)")]
    Insecure(String),
    /// Has a fragment (RFC 6749 §3.1.2 forbids it).
    #[error("`{0}` must not have a fragment")]
    Fragment(String),
    /// Has a `*`: matching is exact, so a wildcard would never match what its author meant.
    #[error("`{0}` must not contain a wildcard (`*`): redirect URIs are matched exactly")]
    Wildcard(String),
    /// Has a user name or password, which makes the host hard to read (`https://a@b/`).
    #[error("`{0}` must not contain a user name or password")]
    UserInfo(String),
    /// Has spaces or control characters, which URL parsers drop or keep differently.
    #[error("`{0}` must not contain spaces or control characters")]
    Whitespace(String),
    /// Its query names a parameter of the authorization response, which an attacker's value
    /// could then shadow.
    #[error("`{uri}` must not have `{name}` in its query: the authorization response adds it")]
    ReservedParameter {
        /// The URI.
        uri: String,
        /// The parameter.
        name: String,
    },
}

/// Query parameters the authorization (or logout) response adds to a redirect URI.
pub const RESERVED_PARAMETERS: [&str; 4] = ["code", "state", "iss", "error"];

/// Checks a redirect URI (or post-logout redirect URI) for registration. It is stored exactly
/// as given and later compared exactly (no normalisation), so what is checked here is what is
/// used.
pub fn check_redirect_uri(uri: &str) -> Result<(), RedirectUriError> {
    let parsed = url::Url::parse(uri).map_err(|_| RedirectUriError::NotAUrl(uri.to_owned()))?;
    if uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(RedirectUriError::Whitespace(uri.to_owned()));
    }
    if parsed.fragment().is_some() || uri.contains('#') {
        return Err(RedirectUriError::Fragment(uri.to_owned()));
    }
    if uri.contains('*') {
        return Err(RedirectUriError::Wildcard(uri.to_owned()));
    }
    // The parser drops an empty user name (`https://@host/`), so the text is checked too.
    if !parsed.username().is_empty() || parsed.password().is_some() || authority(uri).contains('@')
    {
        return Err(RedirectUriError::UserInfo(uri.to_owned()));
    }
    if let Some((name, _)) = parsed
        .query_pairs()
        .find(|(name, _)| RESERVED_PARAMETERS.contains(&name.as_ref()))
    {
        return Err(RedirectUriError::ReservedParameter {
            uri: uri.to_owned(),
            name: name.into_owned(),
        });
    }
    let loopback = match parsed.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match parsed.scheme() {
        "https" if parsed.host().is_some() => Ok(()),
        "http" if loopback => Ok(()),
        "https" | "http" => Err(RedirectUriError::Insecure(uri.to_owned())),
        _ => Err(RedirectUriError::Insecure(uri.to_owned())),
    }
}

/// The authority of a URI as written: between `//` and the path, query or fragment.
fn authority(uri: &str) -> &str {
    let Some((_, rest)) = uri.split_once("//") else {
        return "";
    };
    rest.split(['/', '?', '#', '\\']).next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_and_loopback_http_are_accepted() {
        for ok in [
            "https://app.example.org/callback",
            "https://app.example.org/cb?x=1",
            "http://localhost:3000/cb",
            "http://127.0.0.1:8000/cb",
            "http://[::1]:9000/cb",
        ] {
            assert_eq!(check_redirect_uri(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn plain_http_fragments_and_junk_are_refused() {
        assert!(matches!(
            check_redirect_uri("http://app.example.org/cb"),
            Err(RedirectUriError::Insecure(_))
        ));
        assert!(matches!(
            check_redirect_uri("https://app.example.org/cb#x"),
            Err(RedirectUriError::Fragment(_))
        ));
        assert!(matches!(
            check_redirect_uri("/relative"),
            Err(RedirectUriError::NotAUrl(_))
        ));
        assert!(matches!(
            check_redirect_uri("javascript:alert(1)"),
            Err(RedirectUriError::Insecure(_))
        ));
    }

    #[test]
    fn wildcards_userinfo_and_reserved_query_parameters_are_refused() {
        for (uri, expected) in [
            ("https://*.example.org/cb", "Wildcard"),
            ("https://app.example.org/*", "Wildcard"),
            ("https://app.example.org/cb?x=*", "Wildcard"),
            ("https://user@app.example.org/cb", "UserInfo"),
            ("https://user:pw@app.example.org/cb", "UserInfo"),
            ("https://@app.example.org/cb", "UserInfo"),
            ("https://app.example.org/cb?code=1", "ReservedParameter"),
            (
                "https://app.example.org/cb?x=1&state=2",
                "ReservedParameter",
            ),
            ("https://app.example.org/cb?iss", "ReservedParameter"),
            ("https://app.example.org/cb?error=x", "ReservedParameter"),
            (" https://app.example.org/cb", "Whitespace"),
            ("https://app.example.org/c\nb", "Whitespace"),
            ("https://app.example.org/cb#", "Fragment"),
        ] {
            let got = check_redirect_uri(uri);
            assert!(
                format!("{got:?}").starts_with(&format!("Err({expected}")),
                "{uri}: {got:?}"
            );
        }
        for ok in [
            "https://app.example.org/cb?error_page=1",
            "https://app.example.org/cb?codes=1&tenant=a",
            "https://app.example.org/@home",
            "https://app.example.org/cb?next=a@b",
        ] {
            assert_eq!(check_redirect_uri(ok), Ok(()), "{ok}");
        }
    }
}
