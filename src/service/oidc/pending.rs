//! Authorization requests held server-side while the person decides: the consent page carries
//! only a handle, and the answer uses the request up, so a replayed answer issues no second
//! code and a forged one cannot change what was asked.

use super::authorize::{AuthorizeParams, IssueError};
use crate::db::DbError;
use crate::db::authorization_requests::{
    NewAuthorizationRequest, answer_authorization_request, find_waiting_request,
    insert_authorization_request,
};
use crate::domain::{PersonId, PlainToken, TokenKind};
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
    let handle = PlainToken::generate(TokenKind::AuthorizationRequest)
        .map_err(|e| IssueError::Random(e.to_string()))?;
    let now = ctx.clock.now();
    let encoded = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.pairs())
        .finish();
    insert_authorization_request(
        ctx.db.pool(),
        &NewAuthorizationRequest {
            handle: &handle.hash(),
            person,
            params: &encoded,
            created_at: now,
            expires_at: now + ANSWER_WITHIN_SECS,
        },
    )
    .await?;
    Ok(handle)
}

/// Takes the person's answer: the request's parameters, once. `None` when the handle names no
/// request waiting for this person (unknown, answered already, expired, or someone else's).
pub async fn answer(
    ctx: &Context,
    handle: &str,
    person: &PersonId,
) -> Result<Option<AuthorizeParams>, DbError> {
    if TokenKind::of_token(handle) != Some(TokenKind::AuthorizationRequest) {
        return Ok(None);
    }
    let hash = PlainToken::from_presented(handle).hash();
    let stored =
        answer_authorization_request(ctx.db.pool(), &hash, person, ctx.clock.now()).await?;
    stored.as_deref().map(decode).transpose()
}

/// The parameters of a request still waiting for an answer, leaving it waiting.
pub async fn waiting(ctx: &Context, handle: &str) -> Result<Option<AuthorizeParams>, DbError> {
    if TokenKind::of_token(handle) != Some(TokenKind::AuthorizationRequest) {
        return Ok(None);
    }
    let hash = PlainToken::from_presented(handle).hash();
    let stored = find_waiting_request(ctx.db.pool(), &hash, ctx.clock.now()).await?;
    stored.as_deref().map(decode).transpose()
}

fn decode(stored: &str) -> Result<AuthorizeParams, DbError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(stored.as_bytes())
        .into_owned()
        .collect();
    AuthorizeParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(
        |detail| DbError::Corrupt {
            table: "authorization_requests",
            detail,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_parameters_read_back_as_they_were() {
        let params = AuthorizeParams::from_pairs([
            ("client_id", "c1"),
            ("redirect_uri", "https://app.example/cb?x=1&y=2"),
            ("scope", "openid email"),
            ("state", "a b&c=d<>\"'é"),
        ])
        .unwrap();
        let encoded = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params.pairs())
            .finish();
        assert_eq!(decode(&encoded).unwrap(), params);
    }
}
