//! Registering and managing relying parties (the `client` commands).

use super::Context;
use crate::db::DbError;
use crate::db::clients::{
    delete_client, find_client, insert_client, list_clients, set_client_secret, update_client,
};
use crate::domain::client::{Client, RedirectUriError, SCOPES, check_redirect_uri};
use crate::domain::scope::Scopes;
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
    /// A scope Latchkey does not know.
    #[error("unknown scope `{0}`: the scopes are openid, profile, email, groups, offline_access")]
    UnknownScope(String),
    /// The scopes leave out `openid`, without which no sign-in can be asked for.
    #[error("a client's scopes must include openid")]
    NoOpenidScope,
    /// An ID-token signing algorithm Latchkey does not have.
    #[error("unknown algorithm `{0}`: use RS256 or EdDSA")]
    UnknownAlg(String),
    /// An update that names nothing to change.
    #[error("nothing to change: give at least one setting")]
    NothingToChange,
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

/// A client's name, trimmed: 1 to 100 characters, none of them control characters.
fn checked_name(name: &str) -> Result<String, ClientError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ClientError::Name);
    }
    Ok(name.to_owned())
}

/// Registers a client; returns it and, for a confidential client, its secret (shown once).
pub async fn add(
    ctx: &Context,
    spec: NewClient,
) -> Result<(Client, Option<PlainToken>), ClientError> {
    let name = checked_name(&spec.name)?;
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

/// What `client update` changes: each setting given replaces the stored one.
#[derive(Debug, Clone, Default)]
pub struct ClientChange {
    /// A new name.
    pub name: Option<String>,
    /// New redirect URIs (at least one).
    pub redirect_uris: Option<Vec<String>>,
    /// New post-logout redirect URIs (may be none).
    pub post_logout_redirect_uris: Option<Vec<String>>,
    /// New scopes (known ones, `openid` among them).
    pub scopes: Option<Vec<String>>,
    /// Whether people are asked for consent.
    pub trusted: Option<bool>,
    /// A new ID-token signing algorithm.
    pub alg: Option<SigningAlg>,
}

impl ClientChange {
    /// Whether it names no setting at all.
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.redirect_uris.is_none()
            && self.post_logout_redirect_uris.is_none()
            && self.scopes.is_none()
            && self.trusted.is_none()
            && self.alg.is_none()
    }
}

/// Checks `change` as `client add` checks a new client, and applies it to `client`.
/// Returns what it changed, one `setting=value` each (none when every setting was already so).
fn apply(client: &mut Client, change: ClientChange) -> Result<Vec<String>, ClientError> {
    let mut changed = Vec::new();
    if let Some(name) = change.name {
        let name = checked_name(&name)?;
        if name != client.name {
            changed.push(format!("name={name}"));
            client.name = name;
        }
    }
    if let Some(uris) = change.redirect_uris {
        if uris.is_empty() {
            return Err(ClientError::NoRedirectUri);
        }
        for uri in &uris {
            check_redirect_uri(uri)?;
        }
        if uris != client.redirect_uris {
            changed.push(format!("redirect_uris={}", uris.join(" ")));
            client.redirect_uris = uris;
        }
    }
    if let Some(uris) = change.post_logout_redirect_uris {
        for uri in &uris {
            check_redirect_uri(uri)?;
        }
        if uris != client.post_logout_redirect_uris {
            changed.push(format!("post_logout_redirect_uris={}", uris.join(" ")));
            client.post_logout_redirect_uris = uris;
        }
    }
    if let Some(scopes) = change.scopes {
        if let Some(unknown) = scopes.iter().find(|s| !SCOPES.contains(&s.as_str())) {
            return Err(ClientError::UnknownScope(unknown.clone()));
        }
        // Kept in Latchkey's own order, so the same set always reads the same.
        let scopes: Scopes = SCOPES
            .iter()
            .filter(|known| scopes.iter().any(|s| s == *known))
            .collect();
        if !scopes.contains("openid") {
            return Err(ClientError::NoOpenidScope);
        }
        if scopes != client.allowed_scopes {
            changed.push(format!("scopes={scopes}"));
            client.allowed_scopes = scopes;
        }
    }
    if let Some(trusted) = change.trusted.filter(|t| *t != client.trusted) {
        changed.push(format!("trusted={trusted}"));
        client.trusted = trusted;
    }
    if let Some(alg) = change.alg.filter(|a| *a != client.id_token_alg) {
        changed.push(format!("alg={alg}"));
        client.id_token_alg = alg;
    }
    Ok(changed)
}

/// Changes a client's settings, checked as `client add` checks them; nothing is stored when
/// one is refused. Returns the client as it is now and what changed (`setting=value` each).
pub async fn update(
    ctx: &Context,
    client_id: &str,
    change: ClientChange,
) -> Result<(Client, Vec<String>), ClientError> {
    if change.is_empty() {
        return Err(ClientError::NothingToChange);
    }
    let Some(mut client) = find_client(ctx.db.pool(), client_id).await? else {
        return Err(ClientError::Unknown(client_id.to_owned()));
    };
    let changed = apply(&mut client, change)?;
    if !changed.is_empty() && !update_client(ctx.db.pool(), &client).await? {
        return Err(ClientError::Unknown(client_id.to_owned()));
    }
    Ok((client, changed))
}
