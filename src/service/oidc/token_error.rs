//! `TokenError`: how the token, revocation and introspection endpoints fail (RFC 6749 §5.2,
//! RFC 7009 §2.2.1, RFC 7662 §2.3).

use crate::db::DbError;
use crate::domain::token_request::TokenRefusal;

/// An RFC 6749 §5.2 error, or a failure of ours.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The request itself is refused: malformed, a bad grant or scope, a grant type the client
    /// may not use.
    #[error(transparent)]
    Refused(#[from] TokenRefusal),
    /// Client authentication failed (401).
    #[error("invalid_client")]
    InvalidClient {
        /// Whether the client tried HTTP Basic (then the answer carries WWW-Authenticate).
        basic: bool,
    },
    /// Too many failed client authentications for this client or from this address: refused
    /// unchecked until the wait is over.
    #[error("invalid_client: throttled for {retry_after} s")]
    Throttled {
        /// Seconds until attempts are accepted again.
        retry_after: i64,
    },
    /// Our fault: storage, randomness or signing failed.
    #[error("server_error")]
    Server(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl TokenError {
    /// A malformed request.
    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::Refused(TokenRefusal::InvalidRequest(description.into()))
    }

    /// Our fault, keeping its cause.
    pub fn server(cause: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Self {
        Self::Server(cause.into())
    }

    /// The `error` code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Refused(refusal) => refusal.code(),
            Self::InvalidClient { .. } | Self::Throttled { .. } => "invalid_client",
            Self::Server(_) => "server_error",
        }
    }

    /// The `error_description` (printable ASCII only, no quote or backslash, so it can also
    /// go in a header).
    pub fn description(&self) -> String {
        let text = match self {
            Self::Refused(refusal) => refusal.description().into_owned(),
            Self::InvalidClient { .. } => "client authentication failed".to_owned(),
            Self::Throttled { retry_after } => {
                format!("too many failed client authentications; retry after {retry_after} seconds")
            }
            Self::Server(_) => "the server could not answer".to_owned(),
        };
        text.chars()
            .filter(|c| matches!(*c, ' '..='~') && *c != '"' && *c != '\\')
            .collect()
    }
}

impl From<DbError> for TokenError {
    fn from(e: DbError) -> Self {
        Self::server(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_error_keeps_its_cause_but_does_not_describe_it() {
        let error = TokenError::server(std::io::Error::other("disk full"));
        assert_eq!(error.code(), "server_error");
        assert_eq!(error.description(), "the server could not answer");
        let cause = std::error::Error::source(&error).map(ToString::to_string);
        assert_eq!(cause.as_deref(), Some("disk full"));
    }

    #[test]
    fn a_description_keeps_only_printable_ascii() {
        let error = TokenError::invalid_request("a \"b\"\\ c\u{e9}\n");
        assert_eq!(error.description(), "a b c");
    }
}
