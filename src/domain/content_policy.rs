//! The Content Security Policy of every page, and the one exception it makes: a page whose form
//! ends, through redirects, at another site (a relying party's redirect URI, a post-logout
//! page, a delegation callback) may send its form there and nowhere else. Browsers apply
//! `form-action` to every redirect that follows a form post.

use url::{Host, Url};

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
    /// The source expression `scheme://host[:port]` for an http or https URL whose host CSP can
    /// name exactly: an IPv4 address, or a name of letters, digits, `-` and dots (after
    /// punycode). `None` for anything else: other schemes, and hosts a policy would read as a
    /// wildcard or as another directive (`*`, `;`, `,`, quotes) or cannot express at all (IPv6
    /// literals, which CSP host sources do not allow).
    pub fn of(target: &str) -> Option<Self> {
        let url = Url::parse(target).ok()?;
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        let exact = match url.host()? {
            Host::Ipv4(_) => true,
            Host::Ipv6(_) => false,
            Host::Domain(name) => {
                !name.is_empty()
                    && name.split('.').all(|label| {
                        !label.is_empty()
                            && label
                                .bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    })
            }
        };
        exact.then(|| Self(url.origin().ascii_serialization()))
    }

    /// The source expression.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The policy of a page whose forms may end at `target` as well as on this site.
pub fn policy(target: &FormTarget) -> String {
    format!("{BASE} {}", target.as_str())
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
    fn nothing_a_policy_could_misread_is_a_target() {
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "file:///etc/passwd",
            "about:blank",
            "mailto:a@example.org",
            "/relative",
            "",
            "https://",
            "com.example.app:/oauth",
            "https://*.example.org/cb",
            "https://a;sandbox/cb",
            "https://a,b/cb",
            "https://a'b/cb",
            "http://[::1]:9000/cb",
            "https://wiki.example.org./cb",
        ] {
            assert_eq!(source(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_target_is_the_only_addition_to_the_policy() {
        let target = FormTarget::of("https://wiki.example.org/cb").unwrap();
        let with = policy(&target);
        assert!(with.ends_with("form-action 'self' https://wiki.example.org"));
        assert_eq!(
            with.replace(" https://wiki.example.org", ""),
            SAME_SITE_FORMS
        );
        assert!(!with.contains('*') && !with.contains("unsafe-inline"));
        assert!(SAME_SITE_FORMS.ends_with("form-action 'self'"));
    }
}
