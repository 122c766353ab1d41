//! Authorization requests held server-side while the person decides: the consent page carries
//! only a handle, and the answer uses the request up, so a replayed answer issues no second
//! code and a forged one cannot change what was asked.

use sqlx::{Any, Executor};

use super::authorize::AuthorizeParams;
use super::issue::IssueError;
use crate::db::DbError;
use crate::db::authorization_requests::{
    NewAuthorizationRequest, answer_authorization_request, find_waiting_request,
    insert_authorization_request,
};
use crate::domain::{PersonId, PlainToken, TokenHash, TokenKind};
use crate::service::Context;

/// How long a person has to answer the consent page (Hydra's default for a pending flow).
const ANSWER_WITHIN_SECS: i64 = 30 * 60;

/// Holds a checked request for the person's answer; returns the handle the consent page
/// carries.
pub async fn hold(
    ctx: &Context,
    params: &AuthorizeParams,
    person: &PersonId,
) -> Result<PlainToken, IssueError> {
    let handle =
        PlainToken::generate(TokenKind::AuthorizationRequest).map_err(IssueError::Random)?;
    let now = ctx.clock.now();
    insert_authorization_request(
        ctx.db.pool(),
        &NewAuthorizationRequest {
            handle: &handle.hash(),
            person,
            params: &params.to_query(),
            created_at: now,
            expires_at: now + ANSWER_WITHIN_SECS,
        },
    )
    .await?;
    Ok(handle)
}

/// Takes the person's answer at `now`, through `conn` (the transaction that carries the answer
/// out): the request's parameters, once. `None` when the handle names no request waiting for
/// this person (unknown, answered already, expired, or someone else's).
pub async fn answer<'c, E>(
    conn: E,
    handle: &str,
    person: &PersonId,
    now: i64,
) -> Result<Option<AuthorizeParams>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let Some(hash) = hash_of(handle) else {
        return Ok(None);
    };
    let stored = answer_authorization_request(conn, &hash, person, now).await?;
    stored.as_deref().map(decode).transpose()
}

/// The parameters of a request still waiting for an answer, leaving it waiting.
pub async fn waiting(ctx: &Context, handle: &str) -> Result<Option<AuthorizeParams>, DbError> {
    let Some(hash) = hash_of(handle) else {
        return Ok(None);
    };
    let stored = find_waiting_request(ctx.db.pool(), &hash, ctx.clock.now()).await?;
    stored.as_deref().map(decode).transpose()
}

/// The stored hash of a presented handle; `None` when it is not a handle at all.
fn hash_of(handle: &str) -> Option<TokenHash> {
    (TokenKind::of_token(handle) == Some(TokenKind::AuthorizationRequest))
        .then(|| PlainToken::from_presented(handle).hash())
}

fn decode(stored: &str) -> Result<AuthorizeParams, DbError> {
    AuthorizeParams::from_query(stored).map_err(|e| DbError::Corrupt {
        table: "authorization_requests",
        detail: e.to_string(),
    })
}
