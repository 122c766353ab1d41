//! The Content Security Policy of every page, and the one exception it makes: a page whose form
//! ends, through redirects, at another site (a relying party's redirect URI, a post-logout
//! page, a delegation callback) may send its form there and nowhere else. Browsers apply
//! `form-action` to every redirect that follows a form post.

use url::Url;

/// The directives every page carries, with `form-action` last so that one target can be added.
const BASE: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
                    img-src 'self' data:; object-src 'none'; base-uri 'none'; \
                    frame-ancestors 'none'; form-action 'self'";

/// The policy of a page whose forms stay on this site.
pub const SAME_SITE_FORMS: &str = BASE;

/// One origin, already verified as a place this page's form may end (a registered redirect
/// URI, a registered post-logout URI, a checked delegation callback), as a CSP source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormTarget(String);

impl FormTarget {
    /// The source expression for the URL's origin: `scheme://host[:port]` for http and https,
    /// `scheme:` for an application's own scheme (`com.example.app:/cb`, RFC 8252 §7.1).
    /// `None` for what cannot be a target (not a URL, an opaque origin, a scheme that would
    /// open more than one application: `data:`, `javascript:`, `file:` and the like).
    pub fn of(target: &str) -> Option<Self> {
        let url = Url::parse(target).ok()?;
        match url.scheme() {
            "http" | "https" => {
                url.host_str()?;
                Some(Self(url.origin().ascii_serialization()))
            }
            "data" | "javascript" | "file" | "blob" | "filesystem" | "about" | "ftp" | "ws"
            | "wss" => None,
            // A private-use scheme names one application; the `url` crate has checked that it
            // holds only letters, digits, `+`, `-` and `.`.
            scheme if scheme.contains('.') => Some(Self(format!("{scheme}:"))),
            _ => None,
        }
    }

    /// The source expression.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The whole policy of a page; `target` adds its origin to `form-action`.
pub fn policy(target: Option<&FormTarget>) -> String {
    match target {
        Some(t) => format!("{BASE} {}", t.as_str()),
        None => BASE.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(target: &str) -> Option<String> {
        FormTarget::of(target).map(|t| t.as_str().to_owned())
    }

    #[test]
    fn a_web_target_allows_its_origin_only() {
        assert_eq!(
            source("https://wiki.example.org/cb?x=1#f").as_deref(),
            Some("https://wiki.example.org")
        );
        assert_eq!(
            source("http://localhost:3000/cb").as_deref(),
            Some("http://localhost:3000")
        );
        assert_eq!(
            source("https://WIKI.example.org:443/cb").as_deref(),
            Some("https://wiki.example.org")
        );
        assert_eq!(
            source("https://bücher.example/cb").as_deref(),
            Some("https://xn--bcher-kva.example")
        );
    }

    #[test]
    fn an_application_scheme_is_allowed_as_a_scheme() {
        assert_eq!(
            source("com.example.app:/oauth").as_deref(),
            Some("com.example.app:")
        );
    }

    #[test]
    fn nothing_that_is_not_one_application_is_a_target() {
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "file:///etc/passwd",
            "about:blank",
            "mailto:a@example.org",
            "/relative",
            "",
            "https://",
        ] {
            assert_eq!(source(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_target_is_the_only_addition_to_the_policy() {
        let target = FormTarget::of("https://wiki.example.org/cb").unwrap();
        let with = policy(Some(&target));
        assert!(with.ends_with("form-action 'self' https://wiki.example.org"));
        assert_eq!(
            with.replace(" https://wiki.example.org", ""),
            SAME_SITE_FORMS
        );
        assert!(!with.contains('*') && !with.contains("unsafe-inline"));
        assert!(SAME_SITE_FORMS.ends_with("form-action 'self'"));
    }
}
