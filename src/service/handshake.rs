//! Bug-tracker handshake tokens: made for the XML-RPC method and the web hook, consumed once by
//! the tracker's POST; and what the `/token/{token}` page says of any login token.

use super::{Context, Origin, audit};
use crate::db::DbError;
use crate::db::login_tokens::{NewLoginToken, consume_login_token, insert_login_token, token_info};
use crate::domain::{AuditCode, PlainToken, TokenKind};

/// Why a token could not be made.
#[derive(Debug, thiserror::Error)]
pub enum HandshakeError {
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// The random source failed.
    #[error("no randomness")]
    Random(#[source] getrandom::Error),
}

/// Makes a new BugTracker token, valid for `lifetimes.bug_tracker`. The one function every
/// way of asking for a token calls.
pub async fn new_bugtracker_token(ctx: &Context) -> Result<PlainToken, HandshakeError> {
    Ok(store_new_token(ctx).await?.0)
}

/// Makes and stores a token; returns it with the expiry it was stored with.
async fn store_new_token(ctx: &Context) -> Result<(PlainToken, i64), HandshakeError> {
    let token = PlainToken::generate(TokenKind::BugTracker).map_err(HandshakeError::Random)?;
    let now = ctx.clock.now();
    let life = i64::try_from(ctx.lifetimes.bug_tracker.as_secs()).unwrap_or(i64::MAX);
    let expires_at = now.saturating_add(life);
    insert_login_token(
        ctx.db.pool(),
        &NewLoginToken {
            hash: &token.hash(),
            kind: TokenKind::BugTracker,
            email: None,
            requester: None,
            created_at: now,
            expires_at,
        },
    )
    .await?;
    Ok((token, expires_at))
}

/// Makes a BugTracker token for a web-hook caller and records that one was issued (never the
/// token itself). Returns the token and its expiry (Unix seconds).
pub async fn issue_for_hook(
    ctx: &Context,
    origin: &Origin,
) -> Result<(PlainToken, i64), HandshakeError> {
    let (token, expires_at) = store_new_token(ctx).await?;
    audit::record(
        ctx.db.pool(),
        ctx.clock.now(),
        AuditCode::HandshakeTokenIssued,
        None,
        origin,
        "bug-tracker handshake token issued by web hook",
    )
    .await?;
    Ok((token, expires_at))
}

/// Consumes a handshake token: `true` for the one request that wins, `false` for a used,
/// unknown, expired or other-kind token.
pub async fn consume(ctx: &Context, token: &str) -> Result<bool, DbError> {
    if TokenKind::of_token(token) != Some(TokenKind::BugTracker) {
        return Ok(false);
    }
    let hash = PlainToken::from_presented(token).hash();
    Ok(
        consume_login_token(ctx.db.pool(), &hash, TokenKind::BugTracker, ctx.clock.now())
            .await?
            .is_some(),
    )
}

/// Whether a login token can still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    /// Unused and unexpired.
    Valid,
    /// Past its expiry, unused.
    Expired,
    /// Used (whether or not it has expired since).
    Used,
}

/// What the `/token/{token}` page says of a token: its kind and whether it still works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenDescription {
    /// What the token is for.
    pub kind: TokenKind,
    /// Whether it can still be used.
    pub state: TokenState,
}

/// Describes a presented login token without consuming it; `None` when no such token exists.
pub async fn describe(ctx: &Context, token: &str) -> Result<Option<TokenDescription>, DbError> {
    let hash = PlainToken::from_presented(token).hash();
    let Some(info) = token_info(ctx.db.pool(), &hash).await? else {
        return Ok(None);
    };
    let state = if info.consumed_at.is_some() {
        TokenState::Used
    } else if info.expires_at <= ctx.clock.now() {
        TokenState::Expired
    } else {
        TokenState::Valid
    };
    Ok(Some(TokenDescription {
        kind: info.kind,
        state,
    }))
}
