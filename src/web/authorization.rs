//! The `Authorization` request header, read one way everywhere: at most one per request, its
//! scheme compared without regard to case (RFC 9110 §11.1).

use actix_web::HttpRequest;
use actix_web::http::header::AUTHORIZATION;

/// Why the `Authorization` header cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthorizationError {
    /// The header comes more than once: which one counts would be a guess, and proxies and
    /// frameworks guess differently.
    #[error("the Authorization header is given more than once")]
    Repeated,
}

/// The request's `Authorization` header: a scheme and what follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    scheme: String,
    credentials: String,
}

impl Authorization {
    /// Splits a header value at the first space; the credentials are trimmed, and empty when
    /// there is only a scheme.
    pub fn parse(value: &str) -> Self {
        let value = value.trim();
        let (scheme, credentials) = value.split_once(' ').unwrap_or((value, ""));
        Self {
            scheme: scheme.to_owned(),
            credentials: credentials.trim().to_owned(),
        }
    }

    /// The credentials when the scheme is `scheme`, in any case (`bearer x` is `Bearer x`).
    pub fn credentials_for(&self, scheme: &str) -> Option<&str> {
        self.scheme
            .eq_ignore_ascii_case(scheme)
            .then_some(self.credentials.as_str())
    }
}

/// The one `Authorization` header of a request, if any. Bytes that are not UTF-8 are replaced,
/// so they can only fail to match.
pub fn authorization(req: &HttpRequest) -> Result<Option<Authorization>, AuthorizationError> {
    let mut values = req.headers().get_all(AUTHORIZATION);
    let Some(first) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(AuthorizationError::Repeated);
    }
    Ok(Some(Authorization::parse(&String::from_utf8_lossy(
        first.as_bytes(),
    ))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_matches_in_any_case_and_the_credentials_are_trimmed() {
        for value in ["Bearer abc", "bearer abc", "BEARER  abc ", " Bearer abc"] {
            assert_eq!(
                Authorization::parse(value).credentials_for("Bearer"),
                Some("abc"),
                "{value:?}"
            );
        }
        assert_eq!(
            Authorization::parse("Bearer").credentials_for("bearer"),
            Some("")
        );
        assert_eq!(
            Authorization::parse("Basic abc").credentials_for("bearer"),
            None
        );
        assert_eq!(
            Authorization::parse("Bearerabc").credentials_for("bearer"),
            None
        );
    }

    #[test]
    fn two_headers_are_refused_and_none_is_no_header() {
        let none = actix_web::test::TestRequest::default().to_http_request();
        assert_eq!(authorization(&none), Ok(None));
        let two = actix_web::test::TestRequest::default()
            .append_header((AUTHORIZATION, "Bearer a"))
            .append_header((AUTHORIZATION, "Bearer a"))
            .to_http_request();
        assert_eq!(authorization(&two), Err(AuthorizationError::Repeated));
    }
}
