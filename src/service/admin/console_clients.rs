//! The console's clients: the list, and editing a client's redirect URIs (checked like
//! `client add` checks them), audited as `AdminAction` naming the administrator.

use super::super::clients::{ClientError, list};
use super::super::{Context, Origin, audit};
use super::Actor;
use crate::db::DbError;
use crate::db::admin_console::set_redirect_uris;
use crate::domain::AuditCode;
use crate::domain::client::{Client, check_redirect_uri};

/// Every client, by name.
pub async fn clients(ctx: &Context) -> Result<Vec<Client>, ClientError> {
    let mut all = list(ctx).await?;
    all.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(all)
}

/// Replaces the redirect URIs of `client_id` with the non-empty lines of `text`.
pub async fn edit_redirect_uris(
    ctx: &Context,
    client_id: &str,
    text: &str,
    actor: &Actor,
    origin: &Origin,
) -> Result<Vec<String>, ClientError> {
    let uris: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if uris.is_empty() {
        return Err(ClientError::NoRedirectUri);
    }
    for uri in &uris {
        check_redirect_uri(uri)?;
    }
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    if !set_redirect_uris(&mut *tx, client_id, &uris).await? {
        return Err(ClientError::Unknown(client_id.to_owned()));
    }
    audit::record(
        &mut *tx,
        ctx.clock.now(),
        AuditCode::AdminAction,
        None,
        origin,
        &format!(
            "{}: redirect URIs of {client_id} set to {}",
            actor.label(),
            uris.join(" ")
        ),
    )
    .await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(uris)
}
