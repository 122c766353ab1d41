//! Administering what lets a person in: ending their sessions, revoking a consent to a
//! relying party, listing and revoking their API keys. Each change is audited naming the actor.

use super::Actor;
use super::people::{AdminPeopleError, individual};
use crate::db::DbError;
use crate::db::api_keys::list_api_keys;
use crate::db::people_admin::revoke_live_api_key;
use crate::domain::api_key::ApiKey;
use crate::domain::{AuditCode, EmailAddress, Person};
use crate::service::{Context, audit, sessions};

/// Ends every session of a person (they sign in again; nothing else changes). Returns the
/// person and how many sessions ended.
pub async fn end_sessions(
    ctx: &Context,
    actor: &Actor,
    email: &EmailAddress,
) -> Result<(Person, u64), AdminPeopleError> {
    let person = individual(ctx, email).await?;
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    let ended = sessions::end_sessions_of(ctx, &mut tx, &person.id).await?;
    let detail = actor.detail(&format!("{email}: every session ended"));
    let (origin, code) = (actor.origin(), AuditCode::SessionsEnded);
    audit::record(&mut *tx, now, code, Some(&person.id), origin, &detail).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok((person, ended))
}

/// Withdraws a person's consent to a client and revokes every token the client holds for
/// them; the client asks for consent again at the next sign-in.
pub async fn revoke_consent(
    ctx: &Context,
    actor: &Actor,
    email: &EmailAddress,
    client_id: &str,
) -> Result<Person, AdminPeopleError> {
    let person = individual(ctx, email).await?;
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    if !crate::db::consents::delete_consent(&mut *tx, &person.id, client_id).await? {
        return Err(AdminPeopleError::NoConsent {
            email: email.to_string(),
            client: client_id.to_owned(),
        });
    }
    crate::db::oauth_grants::revoke_for_person(&mut *tx, &person.id, client_id, now).await?;
    let detail = actor.detail(&format!("{email}: consent to client {client_id} revoked"));
    let (origin, code) = (actor.origin(), AuditCode::ConsentRevoked);
    audit::record(&mut *tx, now, code, Some(&person.id), origin, &detail).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(person)
}

/// A person's API keys, newest first (revoked ones too).
pub async fn api_keys(
    ctx: &Context,
    email: &EmailAddress,
) -> Result<(Person, Vec<ApiKey>), AdminPeopleError> {
    let person = individual(ctx, email).await?;
    let keys = list_api_keys(ctx.db.pool(), &person.id).await?;
    Ok((person, keys))
}

/// Revokes one of a person's live API keys, by its id. Returns the key as it was.
pub async fn revoke_api_key(
    ctx: &Context,
    actor: &Actor,
    email: &EmailAddress,
    key_id: &str,
) -> Result<ApiKey, AdminPeopleError> {
    let (person, keys) = api_keys(ctx, email).await?;
    let key =
        keys.into_iter()
            .find(|k| k.id == key_id)
            .ok_or_else(|| AdminPeopleError::UnknownKey {
                email: email.to_string(),
                key: key_id.to_owned(),
            })?;
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    if !revoke_live_api_key(&mut *tx, &person.id, key_id, now).await? {
        return Err(AdminPeopleError::KeyRevoked(key_id.to_owned()));
    }
    let detail = actor.detail(&format!(
        "{email}: API key {key_id} ({}) revoked",
        key.description.as_str()
    ));
    let (origin, code) = (actor.origin(), AuditCode::ApiKeyRevoked);
    audit::record(&mut *tx, now, code, Some(&person.id), origin, &detail).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(key)
}
