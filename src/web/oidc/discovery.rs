//! `/.well-known/openid-configuration` (also served as RFC 8414's
//! `/.well-known/oauth-authorization-server`) and `/jwks.json`, built from the `openidconnect`
//! crate's types. The issuer is the configured public URL, never the Host header.

use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpResponse, web};
use openidconnect::core::{
    CoreClaimName, CoreClientAuthMethod, CoreGrantType, CoreJsonWebKey, CoreJsonWebKeySet,
    CoreJwsSigningAlgorithm, CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalProviderMetadata, AuthUrl, AuthenticationContextClass, IssuerUrl, JsonWebKeySetUrl,
    ProviderMetadata, ResponseTypes, Scope, TokenUrl, UserInfoUrl,
};
use serde::{Deserialize, Serialize};

use super::super::AppState;
use super::super::error::WebError;
use crate::domain::client::SCOPES;
use crate::domain::second_factor::ACR_VALUES_SUPPORTED;
use crate::service::keys::{self, KeysError};

/// Discovery fields the core metadata type does not carry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LatchkeyMetadata {
    /// RFC 7009.
    pub revocation_endpoint: String,
    /// RFC 7662.
    pub introspection_endpoint: String,
    /// RP-initiated logout.
    pub end_session_endpoint: String,
    /// PKCE methods (RFC 7636).
    pub code_challenge_methods_supported: Vec<String>,
    /// RFC 9207: every authorization response carries `iss`. Clients treat the parameter as
    /// absent unless this says so, which turns their mix-up defence off.
    pub authorization_response_iss_parameter_supported: bool,
}

impl AdditionalProviderMetadata for LatchkeyMetadata {}

/// The discovery document type.
pub type Metadata = ProviderMetadata<
    LatchkeyMetadata,
    openidconnect::core::CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    openidconnect::core::CoreClaimType,
    CoreGrantType,
    openidconnect::core::CoreJweContentEncryptionAlgorithm,
    openidconnect::core::CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// Why the discovery document could not be built.
#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    /// The public URL, or an endpoint under it, is not a URL.
    #[error("invalid public URL for discovery: {0}")]
    Url(#[from] url::ParseError),
    /// The document could not be written.
    #[error("discovery document could not be written: {0}")]
    Json(#[from] serde_json::Error),
}

/// Builds the discovery document for a public URL (done once, at start).
pub fn discovery_document(public_url: &str) -> Result<String, DiscoveryError> {
    let url = |path: &str| format!("{public_url}{path}");
    let err = DiscoveryError::Url;
    let metadata = Metadata::new(
        IssuerUrl::new(public_url.to_owned()).map_err(err)?,
        AuthUrl::new(url("/authorize")).map_err(err)?,
        JsonWebKeySetUrl::new(url("/jwks.json")).map_err(err)?,
        vec![ResponseTypes::new(vec![CoreResponseType::Code])],
        vec![CoreSubjectIdentifierType::Public],
        vec![
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            CoreJwsSigningAlgorithm::EdDsa,
        ],
        LatchkeyMetadata {
            revocation_endpoint: url("/revoke"),
            introspection_endpoint: url("/introspect"),
            end_session_endpoint: url("/logout"),
            code_challenge_methods_supported: vec!["S256".to_owned()],
            authorization_response_iss_parameter_supported: true,
        },
    )
    .set_token_endpoint(Some(TokenUrl::new(url("/token")).map_err(err)?))
    .set_userinfo_endpoint(Some(UserInfoUrl::new(url("/userinfo")).map_err(err)?))
    .set_scopes_supported(Some(
        SCOPES.iter().map(|s| Scope::new((*s).to_owned())).collect(),
    ))
    .set_response_modes_supported(Some(vec![CoreResponseMode::Query]))
    .set_acr_values_supported(Some(
        ACR_VALUES_SUPPORTED
            .iter()
            .map(|acr| AuthenticationContextClass::new((*acr).to_owned()))
            .collect(),
    ))
    // Said outright: request_uri_parameter_supported defaults to true (OIDC Discovery §3).
    .set_request_parameter_supported(Some(false))
    .set_request_uri_parameter_supported(Some(false))
    .set_grant_types_supported(Some(vec![
        CoreGrantType::AuthorizationCode,
        CoreGrantType::RefreshToken,
        CoreGrantType::ClientCredentials,
    ]))
    .set_token_endpoint_auth_methods_supported(Some(vec![
        CoreClientAuthMethod::ClientSecretBasic,
        CoreClientAuthMethod::ClientSecretPost,
        CoreClientAuthMethod::None,
    ]))
    .set_claims_supported(Some(
        [
            "iss",
            "sub",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "nonce",
            "at_hash",
            "amr",
            "acr",
            "name",
            "email",
            "email_verified",
            "groups",
        ]
        .iter()
        .map(|c| CoreClaimName::new((*c).to_owned()))
        .collect(),
    ));
    Ok(serde_json::to_string(&metadata)?)
}

/// `GET /.well-known/openid-configuration` and `GET /.well-known/oauth-authorization-server`:
/// one document for both (RFC 8414 §3 allows OpenID Connect metadata there).
pub async fn openid_configuration(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "public, max-age=3600"))
        .content_type("application/json")
        .body(state.discovery.clone())
}

/// The last JWKS document served: valid for the second it was built in (by the server's
/// clock) and the rotation count it saw. A rotation made by another process shows within a
/// second; one made by this process at once.
#[derive(Debug, Default)]
pub struct JwksCache(std::sync::Mutex<Option<(i64, u64, String)>>);

impl JwksCache {
    fn get(&self, second: i64, generation: u64) -> Option<String> {
        let cached = self.0.lock().ok()?;
        cached
            .as_ref()
            .filter(|(s, g, _)| *s == second && *g == generation)
            .map(|(_, _, body)| body.clone())
    }

    fn put(&self, second: i64, generation: u64, body: &str) {
        if let Ok(mut cached) = self.0.lock() {
            *cached = Some((second, generation, body.to_owned()));
        }
    }
}

async fn jwks_document(state: &AppState) -> Result<String, KeysError> {
    let keys = keys::jwks(&state.ctx).await?;
    let parsed = keys
        .into_iter()
        .map(serde_json::from_value)
        .collect::<Result<Vec<CoreJsonWebKey>, _>>()?;
    Ok(serde_json::to_string(&CoreJsonWebKeySet::new(parsed))?)
}

/// `GET /jwks.json`: every published public key (several during a rotation).
pub async fn jwks(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let second = state.ctx.clock.now();
    let generation = keys::generation();
    let body = match state.jwks.get(second, generation) {
        Some(body) => body,
        None => {
            let body = jwks_document(&state).await?;
            state.jwks.put(second, generation, &body);
            body
        }
    };
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "public, max-age=60"))
        .content_type("application/json")
        .body(body))
}
