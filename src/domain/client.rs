//! Relying-party registration rules: redirect URIs and scopes.

/// The scopes Latchkey knows.
pub const SCOPES: [&str; 5] = ["openid", "profile", "email", "groups", "offline_access"];

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
}

/// Checks a redirect URI for registration. It is stored exactly as given and later compared
/// exactly (no normalisation), so what is checked here is what is used.
pub fn check_redirect_uri(uri: &str) -> Result<(), RedirectUriError> {
    let parsed = url::Url::parse(uri).map_err(|_| RedirectUriError::NotAUrl(uri.to_owned()))?;
    if parsed.fragment().is_some() || uri.contains('#') {
        return Err(RedirectUriError::Fragment(uri.to_owned()));
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
}
