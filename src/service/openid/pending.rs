//! checkid requests held server-side while the person decides: the decision page carries only
//! a handle, and the answer uses the request up, so a replayed answer asserts nothing twice and
//! a forged one cannot change what the relying party asked.

use sqlx::{Any, Executor};

use crate::db::DbError;
use crate::db::openid_requests::{
    NewOpenIdRequest, answer_openid_request, find_waiting_openid_request, insert_openid_request,
};
use crate::domain::{PersonId, PlainToken, TokenHash, TokenKind};
use crate::service::Context;

/// How long a person has to answer the decision page (as long as the consent page).
const ANSWER_WITHIN_SECS: i64 = 30 * 60;

/// Why a request could not be held.
#[derive(Debug, thiserror::Error)]
pub enum PendingError {
    /// The operating system's random source failed.
    #[error("no randomness for a request handle: {0}")]
    Random(getrandom::Error),
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

/// Holds a checked request's `openid.*` pairs for `person`'s decision; returns the handle the
/// decision page carries.
pub async fn hold(
    ctx: &Context,
    pairs: &[(String, String)],
    person: &PersonId,
) -> Result<PlainToken, PendingError> {
    let handle = PlainToken::generate(TokenKind::OpenIdRequest).map_err(PendingError::Random)?;
    let now = ctx.clock.now();
    let params = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    insert_openid_request(
        ctx.db.pool(),
        &NewOpenIdRequest {
            handle: &handle.hash(),
            person,
            params: &params,
            created_at: now,
            expires_at: now + ANSWER_WITHIN_SECS,
        },
    )
    .await?;
    Ok(handle)
}

/// Takes the person's answer at `now`, through `conn` (the transaction that carries the answer
/// out): the request's pairs, once. `None` when the handle names no request waiting for this
/// person (unknown, answered already, expired, or someone else's).
pub async fn answer<'c, E>(
    conn: E,
    handle: &str,
    person: &PersonId,
    now: i64,
) -> Result<Option<Vec<(String, String)>>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let Some(hash) = hash_of(handle) else {
        return Ok(None);
    };
    let stored = answer_openid_request(conn, &hash, person, now).await?;
    Ok(stored.as_deref().map(decode))
}

/// The pairs of a request still waiting for an answer, leaving it waiting.
pub async fn waiting(
    ctx: &Context,
    handle: &str,
) -> Result<Option<Vec<(String, String)>>, DbError> {
    let Some(hash) = hash_of(handle) else {
        return Ok(None);
    };
    let stored = find_waiting_openid_request(ctx.db.pool(), &hash, ctx.clock.now()).await?;
    Ok(stored.as_deref().map(decode))
}

/// The stored hash of a presented handle; `None` when it is not such a handle at all.
fn hash_of(handle: &str) -> Option<TokenHash> {
    (TokenKind::of_token(handle) == Some(TokenKind::OpenIdRequest))
        .then(|| PlainToken::from_presented(handle).hash())
}

fn decode(stored: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(stored.as_bytes())
        .into_owned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_openid_request_handles_are_looked_up() {
        let ours = PlainToken::generate(TokenKind::OpenIdRequest).unwrap();
        assert!(hash_of(ours.expose()).is_some());
        let other = PlainToken::generate(TokenKind::AuthorizationRequest).unwrap();
        assert!(hash_of(other.expose()).is_none());
        assert!(hash_of("").is_none());
    }

    #[test]
    fn pairs_survive_storage_with_reserved_characters() {
        let pairs = vec![
            (
                "openid.return_to".to_owned(),
                "https://rp.example/?a=1&b=2 3".to_owned(),
            ),
            (
                "openid.ns.sreg".to_owned(),
                "http://openid.net/extensions/sreg/1.1".to_owned(),
            ),
        ];
        let stored = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        assert_eq!(decode(&stored), pairs);
    }
}
