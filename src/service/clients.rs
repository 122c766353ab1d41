//! Registering and managing relying parties (the `client` commands).

use super::Context;
use crate::db::DbError;
use crate::db::clients::{
    delete_client, find_client, insert_client, list_clients, set_client_secret,
};
use crate::domain::client::{Client, RedirectUriError, SCOPES, check_redirect_uri};
use crate::domain::signing_key::SigningAlg;
use crate::domain::{PlainToken, TokenKind};

/// Why a client change was refused.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// A redirect URI is not acceptable.
    #[error(transparent)]
    RedirectUri(#[from] RedirectUriError),
    /// No redirect URI was given.
    #[error("a client needs at least one --redirect-uri")]
    NoRedirectUri,
    /// The name is empty or too long.
    #[error("a client's name has 1 to 100 characters")]
    Name,
    /// No such client.
    #[error("there is no client {0}")]
    Unknown(String),
    /// Public clients have no secret to rotate.
    #[error("{0} is a public client: it has no secret")]
    Public(String),
    /// Introspection needs a client secret, which a public client does not have.
    #[error("a public client cannot introspect tokens: leave out --public or --introspect-any")]
    PublicIntrospection,
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// The random source failed.
    #[error("no randomness: {0}")]
    Random(String),
}

/// What `client add` registers.
#[derive(Debug, Clone)]
pub struct NewClient {
    /// Shown on the consent page.
    pub name: String,
    /// Exact redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Exact post-logout redirect URIs.
    pub post_logout_redirect_uris: Vec<String>,
    /// No secret; PKCE required.
    pub public: bool,
    /// Skips consent.
    pub trusted: bool,
    /// A resource server: may introspect every client's tokens.
    pub introspect_any: bool,
    /// Gets codes only for two-factor sign-ins.
    pub require_second_factor: bool,
    /// ID-token signing algorithm.
    pub alg: SigningAlg,
}

fn new_secret() -> Result<PlainToken, ClientError> {
    PlainToken::generate(TokenKind::ClientSecret).map_err(|e| ClientError::Random(e.to_string()))
}

/// Registers a client; returns it and, for a confidential client, its secret (shown once).
pub async fn add(
    ctx: &Context,
    spec: NewClient,
) -> Result<(Client, Option<PlainToken>), ClientError> {
    let name = spec.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ClientError::Name);
    }
    if spec.redirect_uris.is_empty() {
        return Err(ClientError::NoRedirectUri);
    }
    if spec.public && spec.introspect_any {
        return Err(ClientError::PublicIntrospection);
    }
    for uri in spec
        .redirect_uris
        .iter()
        .chain(&spec.post_logout_redirect_uris)
    {
        check_redirect_uri(uri)?;
    }
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).map_err(|e| ClientError::Random(e.to_string()))?;
    let secret = if spec.public {
        None
    } else {
        Some(new_secret()?)
    };
    let client = Client {
        client_id: id.iter().map(|b| format!("{b:02x}")).collect(),
        secret_hash: secret.as_ref().map(PlainToken::hash),
        name,
        redirect_uris: spec.redirect_uris,
        post_logout_redirect_uris: spec.post_logout_redirect_uris,
        allowed_scopes: SCOPES.iter().collect(),
        trusted: spec.trusted,
        introspect_any: spec.introspect_any,
        require_second_factor: spec.require_second_factor,
        id_token_alg: spec.alg,
        created_at: ctx.clock.now(),
    };
    insert_client(ctx.db.pool(), &client).await?;
    Ok((client, secret))
}

/// Every client.
pub async fn list(ctx: &Context) -> Result<Vec<Client>, ClientError> {
    Ok(list_clients(ctx.db.pool()).await?)
}

/// Removes a client and its consents.
pub async fn remove(ctx: &Context, client_id: &str) -> Result<(), ClientError> {
    if delete_client(ctx.db.pool(), client_id).await? {
        Ok(())
    } else {
        Err(ClientError::Unknown(client_id.to_owned()))
    }
}

/// Gives a confidential client a new secret (the old one stops working at once).
pub async fn rotate_secret(ctx: &Context, client_id: &str) -> Result<PlainToken, ClientError> {
    let Some(client) = find_client(ctx.db.pool(), client_id).await? else {
        return Err(ClientError::Unknown(client_id.to_owned()));
    };
    if client.secret_hash.is_none() {
        return Err(ClientError::Public(client_id.to_owned()));
    }
    let secret = new_secret()?;
    set_client_secret(ctx.db.pool(), client_id, &secret.hash(), ctx.clock.now()).await?;
    Ok(secret)
}
