//! Whether a state-changing form was sent from another site, judged by the headers browsers
//! set and pages cannot forge (`Origin`, `Sec-Fetch-Site`): a defence in depth next to the
//! CSRF token.
//!
//! The rules, and why:
//! - `Sec-Fetch-Site: cross-site` is another site, whatever else the request says.
//! - An `Origin` other than the site's own (the configured public URL) is another site, unless
//!   the browser says `Sec-Fetch-Site: same-origin`: then the page and the form share an
//!   origin, only under another name than the configured one (a site reached at `localhost`
//!   with a public URL of `127.0.0.1`).
//! - `Origin: null` is allowed: browsers send it for the site's own forms, because every page
//!   has `Referrer-Policy: no-referrer` (Fetch standard, "serializing a request origin"). A
//!   sandboxed frame elsewhere sends it too, but then with `Sec-Fetch-Site: cross-site`.
//! - Neither header (old browsers, scripts and tests with plain HTTP clients): allowed; the
//!   CSRF token decides, as it always does.

/// Whether a request with these `Origin` and `Sec-Fetch-Site` values comes from another site
/// than `own_origin` (scheme, host and port, as `Url::origin` serialises it).
pub fn from_another_site(
    origin: Option<&str>,
    sec_fetch_site: Option<&str>,
    own_origin: &str,
) -> bool {
    let fetch_site = sec_fetch_site.map(|v| v.trim().to_ascii_lowercase());
    if fetch_site.as_deref() == Some("cross-site") {
        return true;
    }
    match origin.map(str::trim) {
        None | Some("null") => false,
        Some(origin) => {
            !origin.eq_ignore_ascii_case(own_origin) && fetch_site.as_deref() != Some("same-origin")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: &str = "https://sso.example.org";

    #[test]
    fn the_sites_own_forms_are_not_from_another_site() {
        for (origin, fetch) in [
            (Some(OWN), Some("same-origin")),
            (Some(OWN), None),
            (Some("HTTPS://SSO.example.org"), None),
            (Some("null"), Some("same-origin")),
            (Some("null"), None),
            (None, None),
            (None, Some("none")),
            (None, Some("same-origin")),
            (Some("http://localhost:8080"), Some("same-origin")),
        ] {
            assert!(
                !from_another_site(origin, fetch, OWN),
                "{origin:?} {fetch:?}"
            );
        }
    }

    #[test]
    fn another_origin_or_a_cross_site_fetch_is_from_another_site() {
        for (origin, fetch) in [
            (Some("https://evil.example"), None),
            (Some("https://evil.example"), Some("cross-site")),
            (Some("https://app.example.org"), Some("same-site")),
            (Some("http://sso.example.org"), None),
            (Some("https://sso.example.org:8443"), None),
            (Some(OWN), Some("cross-site")),
            (Some("null"), Some("cross-site")),
            (None, Some("cross-site")),
            (None, Some("Cross-Site")),
        ] {
            assert!(
                from_another_site(origin, fetch, OWN),
                "{origin:?} {fetch:?}"
            );
        }
    }
}
