//! A person's sessions as use cases see them: signing out everywhere, the list on the account
//! page, ending one or all others. They read `ctx.sessions`, which hides whether the sessions
//! live in the database or in Redis.

use sqlx::AnyConnection;

use super::Context;
use crate::db::DbError;
use crate::db::people::end_sessions_before;
use crate::domain::session_info::SessionInfo;
use crate::domain::{PersonId, TokenHash};

/// Signs a person out everywhere: every session they have is deleted, and any session that
/// signed in before now is refused from now on (`sessions_not_before`), which also covers a
/// session saved by a request still in flight. In the database this joins the caller's
/// transaction; in Redis the deletion happens at once, so a transaction that then fails leaves
/// the person signed out and nothing else changed. Returns how many sessions were deleted.
pub async fn end_sessions_of(
    ctx: &Context,
    conn: &mut AnyConnection,
    person: &PersonId,
) -> Result<u64, DbError> {
    let now = ctx.clock.now();
    end_sessions_before(&mut *conn, person, now).await?;
    ctx.sessions.delete_all_of(conn, person, now).await
}

/// One of a person's sessions, as the account page lists it.
#[derive(Debug, Clone)]
pub struct SessionSummary {
    /// What its state says: label, browser, address.
    pub info: SessionInfo,
    /// When the person signed in (or, without that, when it was stored).
    pub signed_in_at: i64,
    /// When it was last used.
    pub last_seen_at: i64,
    id: TokenHash,
}

/// A person's live sessions, newest first.
pub async fn list_sessions(
    ctx: &Context,
    person: &PersonId,
) -> Result<Vec<SessionSummary>, DbError> {
    let idle = i64::try_from(ctx.lifetimes.session_idle.as_secs()).unwrap_or(i64::MAX);
    let stored = ctx.sessions.list_of(person, ctx.clock.now()).await?;
    Ok(stored
        .into_iter()
        .map(|s| {
            let info = SessionInfo::from_stored(&s.state);
            let signed_in_at = info.login_at.unwrap_or(s.created_at);
            SessionSummary {
                info,
                signed_in_at,
                last_seen_at: s.expires_at.saturating_sub(idle).max(signed_in_at),
                id: s.id,
            }
        })
        .collect())
}

/// Ends the person's session with this label; returns whether there was one.
pub async fn end_session(ctx: &Context, person: &PersonId, label: &str) -> Result<bool, DbError> {
    let Some(found) = list_sessions(ctx, person)
        .await?
        .into_iter()
        .find(|s| s.info.label.as_deref() == Some(label))
    else {
        return Ok(false);
    };
    ctx.sessions.delete(&found.id).await?;
    Ok(true)
}

/// Ends every session of the person except the one with the label `keep`; returns how many.
pub async fn end_other_sessions(
    ctx: &Context,
    person: &PersonId,
    keep: &str,
) -> Result<u64, DbError> {
    let mut ended = 0;
    for session in list_sessions(ctx, person).await? {
        if session.info.label.as_deref() != Some(keep) {
            ctx.sessions.delete(&session.id).await?;
            ended += 1;
        }
    }
    Ok(ended)
}
