//! What a client holds after the authorization step: a redeemed authorization code and the
//! access and refresh tokens stored for a grant, with the checks that need nothing but them.

use super::PersonId;
use super::pkce;
use super::scope::Scopes;
use super::second_factor::AuthMethods;
use super::token_request::TokenRefusal;

/// How the person proved who they were at the sign-in a code or a grant comes from: the RFC
/// 8176 methods (`amr`) and the class they reached (`acr`). A grant keeps what its sign-in
/// proved, through every refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInProof {
    /// The methods.
    pub methods: AuthMethods,
    /// The authentication context class.
    pub acr: String,
}

impl SignInProof {
    /// The proof of a sign-in with these methods, and the class they reach now.
    pub fn of(methods: &AuthMethods) -> Self {
        Self {
            methods: methods.clone(),
            acr: methods.acr().to_owned(),
        }
    }

    /// Reads the stored columns. A row written before classes were stored has no `acr`: the
    /// class its methods reach stands in.
    pub fn from_stored(amr: &str, acr: &str) -> Self {
        let methods = AuthMethods::parse(amr);
        let acr = if acr.is_empty() {
            methods.acr().to_owned()
        } else {
            acr.to_owned()
        };
        Self { methods, acr }
    }
}

/// Access or refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantKind {
    /// Bearer access token.
    Access,
    /// Refresh token.
    Refresh,
}

impl GrantKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Access => "access",
            Self::Refresh => "refresh",
        }
    }

    /// The kind a stored name names; anything but `refresh` is an access token.
    pub fn from_stored(name: &str) -> Self {
        if name == "refresh" {
            Self::Refresh
        } else {
            Self::Access
        }
    }

    /// The RFC 7662 `token_use` answer.
    pub fn token_use(self) -> &'static str {
        match self {
            Self::Access => "access_token",
            Self::Refresh => "refresh_token",
        }
    }
}

/// An access or refresh token as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The client.
    pub client_id: String,
    /// The person, unless the client acts for itself.
    pub person: Option<PersonId>,
    /// Granted scopes.
    pub scopes: Scopes,
    /// Rotation family: every token obtained from one authorization.
    pub family_id: String,
    /// When the person authenticated.
    pub auth_time: Option<i64>,
    /// How the person proved who they were (meaningless when no person is named).
    pub proof: SignInProof,
    /// Hard expiry.
    pub expires_at: i64,
    /// Issue time.
    pub created_at: i64,
}

/// An authorization code that was just redeemed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedeemedCode {
    /// The client it was issued to.
    pub client_id: String,
    /// The person.
    pub person: PersonId,
    /// The redirect URI of the request.
    pub redirect_uri: String,
    /// Granted scopes.
    pub scopes: Scopes,
    /// The nonce.
    pub nonce: Option<String>,
    /// PKCE challenge.
    pub code_challenge: Option<String>,
    /// When the person authenticated.
    pub auth_time: i64,
    /// How the person proved who they were.
    pub proof: SignInProof,
}

impl RedeemedCode {
    /// Whether the code may be exchanged by this client, with this redirect URI and PKCE
    /// verifier (RFC 6749 §4.1.3, RFC 7636 §4.6).
    pub fn check_exchange(
        &self,
        client_id: &str,
        redirect_uri: &str,
        code_verifier: Option<&str>,
    ) -> Result<(), TokenRefusal> {
        if self.client_id != client_id {
            return Err(TokenRefusal::InvalidGrant(
                "the code was issued to another client",
            ));
        }
        if self.redirect_uri != redirect_uri {
            return Err(TokenRefusal::InvalidGrant(
                "the redirect_uri differs from the authorization request",
            ));
        }
        match (&self.code_challenge, code_verifier) {
            (Some(challenge), Some(verifier)) if pkce::verify(verifier, challenge) => Ok(()),
            (Some(_), _) => Err(TokenRefusal::InvalidGrant(
                "the code_verifier does not match",
            )),
            (None, Some(_)) => Err(TokenRefusal::InvalidGrant(
                "no code_challenge was sent for this code",
            )),
            (None, None) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(challenge: Option<&str>) -> RedeemedCode {
        RedeemedCode {
            client_id: "c1".to_owned(),
            person: PersonId::from_stored("p1".to_owned()),
            redirect_uri: "https://app.example/cb".to_owned(),
            scopes: Scopes::parse("openid"),
            nonce: None,
            code_challenge: challenge.map(str::to_owned),
            auth_time: 0,
            proof: SignInProof::of(&AuthMethods::password()),
        }
    }

    #[test]
    fn a_stored_proof_reads_back_and_a_missing_class_follows_the_methods() {
        use super::super::second_factor::{ACR_MULTI_FACTOR, ACR_SINGLE_FACTOR, AuthMethod};
        let both = AuthMethods::password().with([AuthMethod::Otp]);
        let proof = SignInProof::of(&both);
        assert_eq!(proof.acr, ACR_MULTI_FACTOR);
        let stored = SignInProof::from_stored(&proof.methods.to_string(), &proof.acr);
        assert_eq!(stored, proof);
        assert_eq!(SignInProof::from_stored("pwd", "").acr, ACR_SINGLE_FACTOR);
        assert_eq!(
            SignInProof::from_stored("pwd otp mfa", "").acr,
            ACR_MULTI_FACTOR
        );
    }

    #[test]
    fn a_code_is_exchanged_only_by_its_client_at_its_redirect_uri() {
        let cb = "https://app.example/cb";
        assert_eq!(code(None).check_exchange("c1", cb, None), Ok(()));
        for (client, uri) in [("c2", cb), ("c1", "https://app.example/other")] {
            assert!(matches!(
                code(None).check_exchange(client, uri, None),
                Err(TokenRefusal::InvalidGrant(_))
            ));
        }
    }

    #[test]
    fn a_challenged_code_needs_its_verifier_and_an_unchallenged_one_none() {
        let cb = "https://app.example/cb";
        let verifier = "dBjftJeZ4CVP-mJ0kr2ZGvMZvbxzYSeEBUWHgGm1hHR";
        let challenged = code(Some(&pkce::challenge_of(verifier)));
        assert_eq!(challenged.check_exchange("c1", cb, Some(verifier)), Ok(()));
        assert!(challenged.check_exchange("c1", cb, None).is_err());
        assert!(
            challenged
                .check_exchange("c1", cb, Some(&"x".repeat(43)))
                .is_err()
        );
        assert!(code(None).check_exchange("c1", cb, Some(verifier)).is_err());
    }
}
