//! Withdrawing a person's consent to a relying party, by the person (`/+account/apps`) or by an
//! administrator: the consent goes, every token the client holds for them is revoked, and the
//! withdrawal is audited as `ConsentRevoked`.

use crate::db::DbError;
use crate::db::clients::find_client;
use crate::db::consents::delete_consent;
use crate::db::oauth_grants::revoke_for_person;
use crate::domain::{AuditCode, PersonId};
use crate::service::admin::Actor;
use crate::service::{Context, Origin, audit};

/// Who withdraws the consent.
#[derive(Debug, Clone, Copy)]
pub enum Revoker<'a> {
    /// The person themself, from this request.
    Person(&'a Origin),
    /// An administrator (the command line or the console).
    Admin(&'a Actor),
}

/// Withdraws `person`'s consent to `client_id` and revokes every token the client holds for
/// them, in one transaction with its audit row. Returns whether there was a consent; when
/// there was neither a consent nor a live token, nothing changed and nothing is recorded.
pub async fn revoke_consent(
    ctx: &Context,
    person: &PersonId,
    client_id: &str,
    by: Revoker<'_>,
) -> Result<bool, DbError> {
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await?;
    let had = delete_consent(&mut *tx, person, client_id).await?;
    let tokens = revoke_for_person(&mut *tx, person, client_id, now).await?;
    if had || tokens > 0 {
        let name = find_client(&mut *tx, client_id)
            .await?
            .map_or_else(|| client_id.to_owned(), |c| c.name);
        let what =
            format!("client {client_id} ({name}): consent withdrawn, {tokens} tokens revoked");
        let (origin, detail) = match by {
            Revoker::Person(origin) => (origin, what),
            Revoker::Admin(actor) => (actor.origin(), actor.detail(&what)),
        };
        let code = AuditCode::ConsentRevoked;
        audit::record(&mut *tx, now, code, Some(person), origin, &detail).await?;
    }
    tx.commit().await?;
    Ok(had)
}
