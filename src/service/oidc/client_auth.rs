//! Client authentication at the token, revocation and introspection endpoints: a secret for
//! confidential clients, the id alone for public ones; failures audited and throttled per
//! client and per address.

use secrecy::{ExposeSecret, SecretString};

use super::token_error::TokenError;
use crate::db::clients::find_client;
use crate::domain::AuditCode;
use crate::domain::client::Client;
use crate::service::throttle::{Limit, fail, locked_for};
use crate::service::{Context, Origin, audit};

/// How the client identified itself.
#[derive(Debug)]
pub struct ClientAuth {
    /// `client_id` (Basic user name or form field).
    pub client_id: String,
    /// `client_secret`, if given.
    pub secret: Option<SecretString>,
    /// Whether HTTP Basic was used.
    pub basic: bool,
}

/// Authenticates a client by secret (confidential) or by id alone (public). Failures are
/// audited and counted per client and per address; a client or address with too many is
/// refused unchecked until its wait is over.
pub async fn authenticate(
    ctx: &Context,
    auth: &ClientAuth,
    origin: &Origin,
) -> Result<Client, TokenError> {
    let client = find_client(ctx.db.pool(), &auth.client_id).await?;
    let limits = client_limits(ctx, client.as_ref(), origin);
    if let Some(retry_after) = locked_for(ctx, &limits).await? {
        tracing::warn!(
            client_id = client.as_ref().map(|c| c.client_id.as_str()),
            remote_addr = %origin.remote_addr,
            "client authentication refused: throttled"
        );
        return Err(TokenError::Throttled { retry_after });
    }
    let reason = match &client {
        None => "unknown_client",
        Some(c) => match (&c.secret_hash, &auth.secret) {
            (Some(hash), Some(secret)) if hash.matches(secret.expose_secret()) => {
                return Ok(c.clone());
            }
            // A public client authenticates with nothing (PKCE binds its codes).
            (None, None) => return Ok(c.clone()),
            (Some(_), Some(_)) => "wrong_secret",
            (Some(_), None) => "missing_secret",
            (None, Some(_)) => "unexpected_secret",
        },
    };
    // The client id only when it is registered (bounded, and not a presented guess); never
    // the secret.
    let (subject, detail) = match &client {
        Some(c) => (
            c.client_id.as_str(),
            format!("client {}: {}", c.client_id, reason.replace('_', " ")),
        ),
        None => (
            "",
            format!(
                "unknown client_id (presented length {})",
                auth.client_id.len()
            ),
        ),
    };
    tracing::warn!(remote_addr = %origin.remote_addr, "client authentication failed: {detail}");
    audit::record_counted_about(
        ctx.db.pool(),
        ctx.clock.now(),
        AuditCode::ClientAuthFailed,
        reason,
        subject,
        origin,
        &detail,
    )
    .await?;
    fail(ctx, &limits).await?;
    Err(TokenError::InvalidClient { basic: auth.basic })
}

/// The counters a client authentication is throttled by: the client's own, when it is
/// registered, and the address's.
fn client_limits(ctx: &Context, client: Option<&Client>, origin: &Origin) -> Vec<Limit> {
    let threshold = ctx.throttle.client_auth_failures;
    let mut limits = vec![Limit {
        key: format!("client-addr:{}", origin.remote_addr),
        threshold,
    }];
    if let Some(client) = client {
        limits.push(Limit {
            key: format!("client:{}", client.client_id),
            threshold,
        });
    }
    limits
}
