//! A token request (RFC 6749 §4.1.3, §6, §4.4) and the refusals decided from it alone: which
//! grant it asks for with what, and which scopes a refresh or a client acting for itself gets.

use std::borrow::Cow;

use secrecy::{ExposeSecret, SecretString};

use super::PlainToken;
use super::client::Client;
use super::scope::Scopes;

/// A refusal of a token request that needs no credentials checked (RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenRefusal {
    /// Malformed request.
    #[error("invalid_request: {0}")]
    InvalidRequest(String),
    /// The code or refresh token is invalid, expired, used, or not this client's.
    #[error("invalid_grant: {0}")]
    InvalidGrant(&'static str),
    /// The client may not use this grant.
    #[error("unauthorized_client: {0}")]
    UnauthorizedClient(&'static str),
    /// Unknown grant type.
    #[error("unsupported_grant_type")]
    UnsupportedGrantType,
    /// Scope not allowed.
    #[error("invalid_scope: {0}")]
    InvalidScope(String),
}

impl TokenRefusal {
    /// The `error` code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidRequest(_) => "invalid_request",
            Self::InvalidGrant(_) => "invalid_grant",
            Self::UnauthorizedClient(_) => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope(_) => "invalid_scope",
        }
    }

    /// What went wrong, for `error_description`.
    pub fn description(&self) -> Cow<'_, str> {
        match self {
            Self::InvalidRequest(d) | Self::InvalidScope(d) => Cow::Borrowed(d),
            Self::InvalidGrant(d) | Self::UnauthorizedClient(d) => Cow::Borrowed(d),
            Self::UnsupportedGrantType => Cow::Borrowed("the grant_type is not supported"),
        }
    }
}

/// The form fields of a token request, as presented.
#[derive(Debug, Default)]
pub struct TokenRequest {
    /// `grant_type`
    pub grant_type: Option<String>,
    /// `code`
    pub code: Option<SecretString>,
    /// `redirect_uri`
    pub redirect_uri: Option<String>,
    /// `code_verifier`
    pub code_verifier: Option<SecretString>,
    /// `refresh_token`
    pub refresh_token: Option<SecretString>,
    /// `scope`
    pub scope: Option<String>,
}

/// What a token request asks for, with the parameters its grant type requires.
#[derive(Debug)]
pub enum GrantRequest<'a> {
    /// `authorization_code`: a code for tokens.
    AuthorizationCode {
        /// The code.
        code: PlainToken,
        /// The redirect URI of the authorization request.
        redirect_uri: &'a str,
        /// The PKCE verifier, when given (even empty).
        code_verifier: Option<&'a SecretString>,
    },
    /// `refresh_token`: a refresh token for new tokens.
    RefreshToken {
        /// The refresh token.
        refresh_token: PlainToken,
        /// Fewer scopes than were granted, when asked for.
        scope: Option<Scopes>,
    },
    /// `client_credentials`: a token for the client itself.
    ClientCredentials {
        /// The scopes asked for.
        scope: Scopes,
    },
}

impl TokenRequest {
    /// The `grant_type`, which must be present before the client is even authenticated.
    pub fn grant_type(&self) -> Result<&str, TokenRefusal> {
        required(self.grant_type.as_deref(), "grant_type")
    }

    /// The grant asked for, once the client is authenticated.
    pub fn grant(&self) -> Result<GrantRequest<'_>, TokenRefusal> {
        match self.grant_type()? {
            "authorization_code" => Ok(GrantRequest::AuthorizationCode {
                code: PlainToken::from_presented(required(secret(&self.code), "code")?),
                redirect_uri: required(self.redirect_uri.as_deref(), "redirect_uri")?,
                code_verifier: self.code_verifier.as_ref(),
            }),
            "refresh_token" => Ok(GrantRequest::RefreshToken {
                refresh_token: PlainToken::from_presented(required(
                    secret(&self.refresh_token),
                    "refresh_token",
                )?),
                scope: self
                    .scope
                    .as_deref()
                    .map(Scopes::parse)
                    .filter(|s| !s.is_empty()),
            }),
            "client_credentials" => Ok(GrantRequest::ClientCredentials {
                scope: Scopes::parse(self.scope.as_deref().unwrap_or("")),
            }),
            _ => Err(TokenRefusal::UnsupportedGrantType),
        }
    }
}

fn secret(value: &Option<SecretString>) -> Option<&str> {
    value.as_ref().map(ExposeSecret::expose_secret)
}

fn required<'a>(value: Option<&'a str>, name: &str) -> Result<&'a str, TokenRefusal> {
    value
        .filter(|v| !v.is_empty())
        .ok_or_else(|| TokenRefusal::InvalidRequest(format!("{name} is required")))
}

/// The scopes a refresh grants (RFC 6749 §6): those asked for, when every one of them was
/// granted originally; all the granted ones when none are asked for.
pub fn narrowed(granted: &Scopes, requested: Option<&Scopes>) -> Result<Scopes, TokenRefusal> {
    let Some(requested) = requested else {
        return Ok(granted.clone());
    };
    if let Some(extra) = requested.iter().find(|r| !granted.contains(r)) {
        return Err(TokenRefusal::InvalidScope(format!(
            "the scope {extra} was not granted"
        )));
    }
    Ok(granted.intersection(requested))
}

/// The scopes a client acting for itself gets (RFC 6749 §4.4): only a confidential client may,
/// and only scopes it is allowed that are not about a person.
pub fn client_credentials_scopes(
    client: &Client,
    requested: &Scopes,
) -> Result<Scopes, TokenRefusal> {
    if client.is_public() {
        return Err(TokenRefusal::UnauthorizedClient(
            "public clients cannot use client_credentials",
        ));
    }
    if let Some(bad) = requested
        .iter()
        .find(|s| matches!(*s, "openid" | "offline_access") || !client.allowed_scopes.contains(s))
    {
        return Err(TokenRefusal::InvalidScope(format!(
            "the scope {bad} is not available to a client acting for itself"
        )));
    }
    Ok(requested.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(pairs: &[(&str, &str)]) -> TokenRequest {
        let field = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        };
        TokenRequest {
            grant_type: field("grant_type"),
            code: field("code").map(SecretString::from),
            redirect_uri: field("redirect_uri"),
            code_verifier: field("code_verifier").map(SecretString::from),
            refresh_token: field("refresh_token").map(SecretString::from),
            scope: field("scope"),
        }
    }

    #[test]
    fn each_grant_type_needs_its_parameters() {
        assert_eq!(
            request(&[]).grant_type().unwrap_err().description(),
            "grant_type is required"
        );
        let refused = request(&[("grant_type", "authorization_code"), ("code", "c")])
            .grant()
            .unwrap_err();
        assert_eq!(refused.description(), "redirect_uri is required");
        let refused = request(&[("grant_type", "refresh_token"), ("refresh_token", "")])
            .grant()
            .unwrap_err();
        assert_eq!(refused.description(), "refresh_token is required");
        assert_eq!(
            request(&[("grant_type", "password")]).grant().unwrap_err(),
            TokenRefusal::UnsupportedGrantType
        );
    }

    #[test]
    fn a_blank_refresh_scope_asks_for_everything_granted() {
        let asked = request(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "r"),
            ("scope", "  "),
        ]);
        assert!(matches!(
            asked.grant(),
            Ok(GrantRequest::RefreshToken { scope: None, .. })
        ));
    }

    #[test]
    fn a_refresh_keeps_the_granted_scopes_unless_it_asks_for_fewer() {
        let granted = Scopes::parse("openid email offline_access");
        assert_eq!(narrowed(&granted, None).unwrap(), granted);
        assert_eq!(
            narrowed(
                &granted,
                Some(&Scopes::parse("offline_access openid openid"))
            )
            .unwrap()
            .to_string(),
            "openid offline_access"
        );
    }

    #[test]
    fn a_refresh_never_widens_the_scopes() {
        for asked in ["openid admin", "profile", "OPENID"] {
            let refused =
                narrowed(&Scopes::parse("openid email"), Some(&Scopes::parse(asked))).unwrap_err();
            assert_eq!(refused.code(), "invalid_scope", "{asked}");
        }
    }

    #[test]
    fn a_client_acting_for_itself_gets_only_its_scopes_that_are_not_about_a_person() {
        let mut client = Client {
            client_id: "c1".to_owned(),
            secret_hash: Some(super::super::TokenHash::of("secret")),
            name: "App".to_owned(),
            redirect_uris: vec![],
            post_logout_redirect_uris: vec![],
            allowed_scopes: Scopes::parse("openid groups offline_access"),
            trusted: false,
            introspect_any: false,
            require_second_factor: false,
            id_token_alg: super::super::signing_key::SigningAlg::Rs256,
            created_at: 0,
        };
        let groups = Scopes::parse("groups");
        assert_eq!(
            client_credentials_scopes(&client, &groups),
            Ok(groups.clone())
        );
        for asked in ["openid", "offline_access", "email"] {
            let refused = client_credentials_scopes(&client, &Scopes::parse(asked));
            assert_eq!(
                refused.map_err(|r| r.code()),
                Err("invalid_scope"),
                "{asked}"
            );
        }
        client.secret_hash = None;
        assert_eq!(
            client_credentials_scopes(&client, &groups).map_err(|r| r.code()),
            Err("unauthorized_client")
        );
    }
}
