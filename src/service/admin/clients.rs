//! Administering relying parties: the client changes an operator makes, each audited with
//! its actor.

use serde::Serialize;

use super::Actor;
use crate::db::DbError;
use crate::db::clients::{Client, find_client};
use crate::domain::AuditCode;
use crate::domain::token::PlainToken;
use crate::service::clients::{self, ClientChange, ClientError, NewClient};
use crate::service::{Context, audit};

/// A relying party as `client show` and `client list --json` print it: never its secret.
#[derive(Debug, Clone, Serialize)]
pub struct ClientView {
    /// Its client id.
    pub client_id: String,
    /// Its name, shown on the consent page.
    pub name: String,
    /// Whether it has a secret.
    pub confidential: bool,
    /// Exact redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Exact post-logout redirect URIs.
    pub post_logout_redirect_uris: Vec<String>,
    /// Scopes it may ask for.
    pub scopes: Vec<String>,
    /// People are not asked for consent.
    pub trusted: bool,
    /// May introspect any client's tokens.
    pub introspect_any: bool,
    /// Codes only for sign-ins with two factors.
    pub require_second_factor: bool,
    /// ID-token signing algorithm.
    pub alg: String,
    /// When it was registered (Unix seconds).
    pub created_at: i64,
}

impl From<&Client> for ClientView {
    fn from(c: &Client) -> Self {
        Self {
            client_id: c.client_id.clone(),
            name: c.name.clone(),
            confidential: c.secret_hash.is_some(),
            redirect_uris: c.redirect_uris.clone(),
            post_logout_redirect_uris: c.post_logout_redirect_uris.clone(),
            scopes: c.allowed_scopes.iter().map(|s| s.to_string()).collect(),
            trusted: c.trusted,
            introspect_any: c.introspect_any,
            require_second_factor: c.require_second_factor,
            alg: c.id_token_alg.to_string(),
            created_at: c.created_at,
        }
    }
}

async fn record(ctx: &Context, code: AuditCode, actor: &Actor, what: &str) -> Result<(), DbError> {
    audit::record(
        ctx.db.pool(),
        ctx.clock.now(),
        code,
        None,
        actor.origin(),
        &actor.detail(what),
    )
    .await
}

/// One client.
pub async fn show(ctx: &Context, client_id: &str) -> Result<ClientView, ClientError> {
    find_client(ctx.db.pool(), client_id)
        .await?
        .map(|c| ClientView::from(&c))
        .ok_or_else(|| ClientError::Unknown(client_id.to_owned()))
}

/// Registers a client (see [`clients::add`]) and audits it.
pub async fn add(
    ctx: &Context,
    spec: NewClient,
    actor: &Actor,
) -> Result<(Client, Option<PlainToken>), ClientError> {
    let (client, secret) = clients::add(ctx, spec).await?;
    let what = format!("client {} created ({})", client.client_id, client.name);
    record(ctx, AuditCode::ClientCreated, actor, &what).await?;
    Ok((client, secret))
}

/// Removes a client and its consents, audited.
pub async fn remove(ctx: &Context, client_id: &str, actor: &Actor) -> Result<(), ClientError> {
    clients::remove(ctx, client_id).await?;
    let what = format!("client {client_id} removed");
    record(ctx, AuditCode::ClientRemoved, actor, &what).await?;
    Ok(())
}

/// Gives a confidential client a new secret, audited (the secret is not).
pub async fn rotate_secret(
    ctx: &Context,
    client_id: &str,
    actor: &Actor,
) -> Result<PlainToken, ClientError> {
    let secret = clients::rotate_secret(ctx, client_id).await?;
    let what = format!("client {client_id} secret rotated");
    record(ctx, AuditCode::ClientSecretRotated, actor, &what).await?;
    Ok(secret)
}

/// Changes a client's settings (see [`clients::update`]) and audits it as `ClientChanged`,
/// naming each changed setting and its new value. A change to what is already so writes
/// nothing.
pub async fn update(
    ctx: &Context,
    client_id: &str,
    change: ClientChange,
    actor: &Actor,
) -> Result<ClientView, ClientError> {
    let (client, changed) = clients::update(ctx, client_id, change).await?;
    if !changed.is_empty() {
        let what = format!("client {client_id} changed: {}", changed.join("; "));
        record(ctx, AuditCode::ClientChanged, actor, &what).await?;
    }
    Ok(ClientView::from(&client))
}
