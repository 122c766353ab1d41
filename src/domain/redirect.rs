//! Where to go after signing in: only paths on this site, never another origin.

/// The `next` target if it is a plain local path (`/…`, not `//…` or `/\…`, no scheme, no
/// control characters, at most 2,000 bytes); otherwise `None`.
pub fn local_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 2000
        && !next.chars().any(|c| c.is_control() || c == '\\');
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_are_kept() {
        assert_eq!(local_next("/+account"), Some("/+account"));
        assert_eq!(
            local_next("/authorize?client_id=x&state=y"),
            Some("/authorize?client_id=x&state=y")
        );
    }

    #[test]
    fn other_origins_are_refused() {
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "evil.example",
            "/ok\r\nSet-Cookie: x=y",
            "",
        ] {
            assert_eq!(local_next(bad), None, "{bad:?}");
        }
    }
}
