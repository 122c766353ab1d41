//! Remembered decisions: a person's "Sign in" to an OpenID 2.0 realm with what they chose to
//! share, reused silently next time, listed and revocable on the account's applications page.

use serde::Serialize;

use crate::db::DbError;
use crate::db::openid_decisions::{
    StoredDecision, delete_decision, find_decision, list_decisions, upsert_decision,
};
use crate::domain::{AuditCode, PersonId};
use crate::service::{Context, Origin, audit};

/// One realm a person signed in to, as the applications page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RealmDecision {
    /// The realm (trust root).
    pub realm: String,
    /// The field names shared (`nickname`, `email`, `fullname`, `teams`), sorted.
    pub shared: Vec<String>,
    /// When the person decided (or last changed what is shared), Unix seconds.
    pub decided_at: i64,
    /// When the decision was last used, Unix seconds.
    pub last_used_at: i64,
}

impl From<StoredDecision> for RealmDecision {
    fn from(d: StoredDecision) -> Self {
        Self {
            realm: d.realm,
            shared: normalise(d.shared.split_whitespace()),
            decided_at: d.decided_at,
            last_used_at: d.last_used_at,
        }
    }
}

/// The field names `person` agreed to share with `realm`, if they decided to sign in there
/// and asked to be remembered; `None` when the page must ask.
pub async fn remembered(
    ctx: &Context,
    person: &PersonId,
    realm: &str,
) -> Result<Option<Vec<String>>, DbError> {
    let found = find_decision(ctx.db.pool(), person, realm).await?;
    Ok(found.map(|d| RealmDecision::from(d).shared))
}

/// Remembers that `person` signs in to `realm` sharing `shared` (renewing the last use when it
/// was remembered already). Audited as `OpenIdDecisionRemembered` when the decision is new or
/// shares something else than before; a silent reuse writes no audit row.
pub async fn remember(
    ctx: &Context,
    person: &PersonId,
    realm: &str,
    shared: &[String],
    origin: &Origin,
) -> Result<(), DbError> {
    let shared = normalise(shared.iter().flat_map(|s| s.split_whitespace()));
    let stored = shared.join(" ");
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await?;
    let before = find_decision(&mut *tx, person, realm).await?;
    upsert_decision(&mut *tx, person, realm, &stored, now).await?;
    if before.is_none_or(|b| b.shared != stored) {
        let shown = if stored.is_empty() {
            "nothing"
        } else {
            &stored
        };
        let detail = format!("realm {realm}: shares {shown}");
        let code = AuditCode::OpenIdDecisionRemembered;
        audit::record(&mut *tx, now, code, Some(person), origin, &detail).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Every realm `person` signed in to and asked to be remembered, most recently used first.
pub async fn list_for(ctx: &Context, person: &PersonId) -> Result<Vec<RealmDecision>, DbError> {
    let stored = list_decisions(ctx.db.pool(), person).await?;
    Ok(stored.into_iter().map(RealmDecision::from).collect())
}

/// Forgets `person`'s decision for `realm` (the page asks again next time); audited as
/// `OpenIdDecisionRevoked`. Whether there was one; when not, nothing is recorded.
pub async fn revoke(
    ctx: &Context,
    person: &PersonId,
    realm: &str,
    origin: &Origin,
) -> Result<bool, DbError> {
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await?;
    let had = delete_decision(&mut *tx, person, realm).await?;
    if had {
        let detail = format!("realm {realm}");
        let code = AuditCode::OpenIdDecisionRevoked;
        audit::record(&mut *tx, now, code, Some(person), origin, &detail).await?;
    }
    tx.commit().await?;
    Ok(had)
}

/// Field names sorted and without repeats, so the same choice is stored the same way.
fn normalise<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut names: Vec<String> = names.map(str::to_owned).collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_are_stored_sorted_without_repeats() {
        let names = ["nickname", "email", "nickname", "teams"];
        assert_eq!(
            normalise(names.into_iter()),
            vec!["email", "nickname", "teams"]
        );
    }
}
