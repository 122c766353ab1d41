//! OpenID realms (trust roots, §9.2 of OpenID Authentication 2.0): parsing, refusing realms
//! that cover a public suffix, matching a `return_to` URL, and the URL relying-party discovery
//! fetches (§13).

use std::fmt;

use url::{Host, Url};

/// Why a realm is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RealmError {
    /// Neither `openid.realm`, `openid.trust_root` nor `openid.return_to` was sent.
    #[error("the request names no realm")]
    Missing,
    /// Not an absolute URL.
    #[error("the realm is not an absolute URL")]
    NotAbsolute,
    /// A scheme other than http or https.
    #[error("the realm must be an http or https URL")]
    Scheme,
    /// A fragment, which a realm must not have.
    #[error("the realm must not contain a fragment")]
    Fragment,
    /// A user name or password in the URL.
    #[error("the realm must not contain a user name or password")]
    Credentials,
    /// A `*` anywhere but as the whole first label of a host name.
    #[error("the realm has a wildcard where none is allowed")]
    Wildcard,
    /// The realm is a public suffix, or its wildcard covers one (`http://*.co.uk/`).
    #[error("the realm covers a public suffix")]
    PublicSuffix,
}

/// A realm: the part of URL space a relying party asks a person to trust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Realm {
    /// The realm without its wildcard (`http://*.example.com/` is kept as
    /// `http://example.com/`), without query and fragment.
    url: Url,
    wildcard: bool,
}

impl Realm {
    /// Parses a realm: http or https, no fragment, no credentials, a wildcard only as the
    /// whole leading label of a host name, and never a public suffix. A query is not part of
    /// the pattern and is dropped.
    pub fn parse(input: &str) -> Result<Self, RealmError> {
        let input = input.trim();
        if input.chars().any(char::is_control) {
            return Err(RealmError::NotAbsolute);
        }
        let (scheme, rest) = input.split_once("://").ok_or(RealmError::NotAbsolute)?;
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return Err(RealmError::Scheme);
        }
        let (wildcard, rest) = match rest.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if rest[..authority_end].contains('*') {
            return Err(RealmError::Wildcard);
        }
        let mut url =
            Url::parse(&format!("{scheme}://{rest}")).map_err(|_| RealmError::NotAbsolute)?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(RealmError::Scheme);
        }
        if url.fragment().is_some() {
            return Err(RealmError::Fragment);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(RealmError::Credentials);
        }
        match url.host() {
            Some(Host::Domain(name)) => check_suffix(name, wildcard)?,
            Some(Host::Ipv4(_) | Host::Ipv6(_)) if wildcard => return Err(RealmError::Wildcard),
            Some(_) => {}
            None => return Err(RealmError::NotAbsolute),
        }
        url.set_query(None);
        Ok(Self { url, wildcard })
    }

    /// Whether `return_to` lies inside the realm: same scheme and port, the same host (or a
    /// subdomain of it for a wildcard realm), and a path equal to the realm's or below it at
    /// a `/` boundary.
    pub fn matches(&self, return_to: &str) -> bool {
        let Ok(url) = Url::parse(return_to.trim()) else {
            return false;
        };
        if url.scheme() != self.url.scheme()
            || url.port_or_known_default() != self.url.port_or_known_default()
            || url.fragment().is_some()
            || !url.username().is_empty()
            || url.password().is_some()
        {
            return false;
        }
        let (Some(host), Some(own)) = (url.host_str(), self.url.host_str()) else {
            return false;
        };
        let host = host.trim_end_matches('.');
        let own = own.trim_end_matches('.');
        let host_ok = host == own
            || (self.wildcard
                && host
                    .strip_suffix(own)
                    .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')));
        host_ok && path_within(self.url.path(), url.path())
    }

    /// Whether the realm has a leading wildcard.
    pub fn is_wildcard(&self) -> bool {
        self.wildcard
    }

    /// The realm's text, normalised, with its wildcard.
    pub fn as_str(&self) -> String {
        let plain = self.url.as_str();
        match (self.wildcard, plain.split_once("://")) {
            (true, Some((scheme, rest))) => format!("{scheme}://*.{rest}"),
            _ => plain.to_owned(),
        }
    }

    /// Where relying-party discovery looks (§13): the realm with `*.` replaced by `www.`.
    pub fn discovery_url(&self) -> Url {
        let mut url = self.url.clone();
        if self.wildcard {
            let host = format!("www.{}", self.url.host_str().unwrap_or_default());
            // A valid domain with one more label is still valid; on failure the bare domain
            // is the best place left to look.
            if url.set_host(Some(&host)).is_err() {
                return self.url.clone();
            }
        }
        url
    }

    /// The host people are shown: the wildcard and a non-default port kept.
    pub fn host_label(&self) -> String {
        let host = self.url.host_str().unwrap_or_default();
        let host = if self.wildcard {
            format!("*.{host}")
        } else {
            host.to_owned()
        };
        match self.url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        }
    }
}

impl fmt::Display for Realm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str())
    }
}

/// Refuses a host that is a listed public suffix, and a wildcard over any suffix (listed or
/// a lone label such as `*.localhost`, which the list's default rule makes one).
fn check_suffix(name: &str, wildcard: bool) -> Result<(), RealmError> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let Some(suffix) = psl::suffix(name.as_bytes()) else {
        return Err(RealmError::PublicSuffix);
    };
    let is_suffix = suffix.as_bytes() == name.as_bytes();
    if is_suffix && (wildcard || suffix.is_known()) {
        return Err(RealmError::PublicSuffix);
    }
    Ok(())
}

/// Whether `path` equals `realm_path` or lies below it at a `/` boundary.
fn path_within(realm_path: &str, path: &str) -> bool {
    match path.strip_prefix(realm_path) {
        Some("") => true,
        Some(rest) => realm_path.ends_with('/') || rest.starts_with('/'),
        None => false,
    }
}

/// The realm a request names (§9.1): `openid.realm`, or `openid.trust_root` (OpenID 1.x), or
/// when neither is sent the `openid.return_to` URL itself.
pub fn realm_of(pairs: &[(String, String)]) -> Result<Realm, RealmError> {
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    match get("openid.realm").or_else(|| get("openid.trust_root")) {
        Some(realm) => Realm::parse(realm),
        None => {
            let return_to = get("openid.return_to").ok_or(RealmError::Missing)?;
            // The return_to is an address, not a pattern: a literal `*` host is not a wildcard.
            if return_to.contains("://*") {
                return Err(RealmError::Wildcard);
            }
            Realm::parse(return_to.split('#').next().unwrap_or_default())
        }
    }
}

#[cfg(test)]
#[path = "realm_tests.rs"]
mod tests;
