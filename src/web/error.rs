//! `WebError`: every way a handler can fail, and the one place that decides what a failure
//! looks like. An unexpected failure is logged once with its whole cause chain (inside the
//! request's span, so with its request id) and answered without it; a refusal names its status
//! and message; an OAuth endpoint's error is RFC 6749 JSON. Whether a browser sees the localised
//! page or an API client the short text is decided by `error_pages`, which reads the
//! `ErrorPage` this module attaches to the answer.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, LOCATION, PRAGMA, RETRY_AFTER, WWW_AUTHENTICATE};
use actix_web::{HttpResponse, ResponseError};

/// Where `WebError::EnrolFirst` sends the browser: the security page, which says why.
pub const ENROL_PAGE: &str = "/+account/security?enrol=1";

/// What the error page of an answer says: locale keys of its heading and message. Attached to
/// the answer's extensions; `error_pages` renders it for browsers, or its message as short text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorPage {
    /// The heading's locale key.
    pub heading: &'static str,
    /// The message's locale key.
    pub detail: &'static str,
}

/// An OAuth endpoint's error (RFC 6749 §5.2): `{"error": …, "error_description": …}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The `error` code.
    pub code: &'static str,
    /// The `error_description`, when there is one.
    pub description: Option<String>,
    /// `WWW-Authenticate`, for a client that authenticated with HTTP Basic or a bearer token.
    pub challenge: Option<String>,
    /// `Retry-After` seconds, for a throttled client.
    pub retry_after: Option<u64>,
}

impl OAuthError {
    /// An error with a status, a code and a description.
    pub fn new(status: StatusCode, code: &'static str, description: Option<String>) -> Self {
        Self {
            status,
            code,
            description,
            challenge: None,
            retry_after: None,
        }
    }
}

/// Why a handler did not answer as it wanted to.
#[derive(Debug)]
pub enum WebError {
    /// A failure below the web layer (storage, mail, rendering): a 500 that keeps its cause.
    Internal(Box<dyn std::error::Error + Send + Sync + 'static>),
    /// A refusal with its status and page.
    Refused {
        /// The status.
        status: StatusCode,
        /// What the page says.
        page: ErrorPage,
    },
    /// Nobody is signed in: 303 to the login form, which comes back to `next` afterwards.
    SignInFirst {
        /// The local address to come back to.
        next: String,
    },
    /// The signed-in person must add a second factor first (`login.require_second_factor_for_teams`):
    /// 303 to the security page.
    EnrolFirst,
    /// An error of `/token`, `/revoke` or `/introspect`.
    OAuth(OAuthError),
}

impl WebError {
    /// 404 with the "page not found" page.
    pub const NOT_FOUND: Self = Self::Refused {
        status: StatusCode::NOT_FOUND,
        page: ErrorPage {
            heading: "error-not-found",
            detail: "error-not-found-detail",
        },
    };

    /// 403: the form's CSRF token is not this session's.
    pub const CSRF: Self = Self::Refused {
        status: StatusCode::FORBIDDEN,
        page: ErrorPage {
            heading: "error-csrf",
            detail: "login-error-csrf",
        },
    };

    /// 400: the request could not be read.
    pub const BAD_REQUEST: Self = Self::Refused {
        status: StatusCode::BAD_REQUEST,
        page: ErrorPage {
            heading: "error-bad-request",
            detail: "login-error-bad-request",
        },
    };
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for WebError {
    fn from(error: E) -> Self {
        Self::Internal(Box::new(error))
    }
}

impl From<OAuthError> for WebError {
    fn from(error: OAuthError) -> Self {
        Self::OAuth(error)
    }
}

impl fmt::Display for WebError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Internal(error) => write!(f, "{}", cause_chain(error.as_ref())),
            Self::Refused { status, page } => write!(f, "refused ({status}): {}", page.detail),
            Self::SignInFirst { .. } => f.write_str("not signed in"),
            Self::EnrolFirst => f.write_str("a second factor must be added first"),
            Self::OAuth(e) => write!(f, "OAuth error {}", e.code),
        }
    }
}

/// An error and its sources, joined by `: `.
pub fn cause_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut chain = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    chain
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Refused { status, .. } => *status,
            Self::SignInFirst { .. } | Self::EnrolFirst => StatusCode::SEE_OTHER,
            Self::OAuth(e) => e.status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(error) => {
                // The one place a failure is logged; `error_response` runs inside the request's
                // span, which carries its request id.
                tracing::error!(error = %cause_chain(error.as_ref()), "request failed");
                short_answer(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorPage {
                        heading: "error-internal",
                        detail: "error-internal-detail",
                    },
                )
            }
            Self::Refused { status, page } => short_answer(*status, *page),
            Self::SignInFirst { next } => {
                let query = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("next", next)
                    .finish();
                HttpResponse::SeeOther()
                    .insert_header((LOCATION, format!("/+login?{query}")))
                    .insert_header((CACHE_CONTROL, "no-store"))
                    .finish()
            }
            Self::EnrolFirst => HttpResponse::SeeOther()
                .insert_header((LOCATION, ENROL_PAGE))
                .insert_header((CACHE_CONTROL, "no-store"))
                .finish(),
            Self::OAuth(e) => oauth_answer(e),
        }
    }
}

/// The plain-text answer, in English, that `error_pages` replaces with the page for a browser
/// or with the message in the request's language for anything else (a listener without that
/// middleware answers it as it is).
fn short_answer(status: StatusCode, page: ErrorPage) -> HttpResponse {
    let mut answer = HttpResponse::build(status)
        .insert_header((CACHE_CONTROL, "no-store"))
        .content_type("text/plain; charset=utf-8")
        .body(crate::i18n::Lang::default_lang().text(page.detail));
    answer.extensions_mut().insert(page);
    answer
}

/// RFC 6749 §5.2 JSON, never cached.
fn oauth_answer(e: &OAuthError) -> HttpResponse {
    let mut answer = HttpResponse::build(e.status);
    answer
        .insert_header((CACHE_CONTROL, "no-store"))
        .insert_header((PRAGMA, "no-cache"));
    if let Some(challenge) = &e.challenge {
        answer.insert_header((WWW_AUTHENTICATE, challenge.as_str()));
    }
    if let Some(seconds) = e.retry_after {
        answer.insert_header((RETRY_AFTER, seconds.to_string()));
    }
    let body = match &e.description {
        Some(description) => {
            serde_json::json!({"error": e.code, "error_description": description})
        }
        None => serde_json::json!({"error": e.code}),
    };
    answer.json(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn a_failure_keeps_its_whole_cause_chain() {
        let error = WebError::from(Outer(std::io::Error::other("disk full")));
        assert_eq!(error.to_string(), "outer: disk full");
        assert_eq!(error.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn a_failure_answer_names_its_page_and_not_its_cause() {
        let answer = WebError::from(Outer(std::io::Error::other("disk full"))).error_response();
        assert_eq!(
            answer.extensions().get::<ErrorPage>().map(|p| p.heading),
            Some("error-internal")
        );
    }

    #[test]
    fn signing_in_first_comes_back_to_the_encoded_address() {
        let answer = WebError::SignInFirst {
            next: "/+account/api-keys".to_owned(),
        }
        .error_response();
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            answer.headers().get(LOCATION).and_then(|v| v.to_str().ok()),
            Some("/+login?next=%2F%2Baccount%2Fapi-keys")
        );
    }

    #[test]
    fn enrolling_first_goes_to_the_security_page_uncached() {
        let answer = WebError::EnrolFirst.error_response();
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        let header = |name| answer.headers().get(name).and_then(|v| v.to_str().ok());
        assert_eq!(header(LOCATION), Some(ENROL_PAGE));
        assert_eq!(header(CACHE_CONTROL), Some("no-store"));
    }

    #[test]
    fn an_oauth_error_is_json_with_its_challenge() {
        let mut error = OAuthError::new(StatusCode::UNAUTHORIZED, "invalid_client", None);
        error.challenge = Some("Basic realm=\"latchkey\"".to_owned());
        let answer = WebError::OAuth(error).error_response();
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
        assert!(answer.headers().contains_key(WWW_AUTHENTICATE));
    }
}
