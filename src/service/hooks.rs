//! Web-hook authentication: the site's shared token compared in constant time with its stored
//! hash; refusals throttled per client address and audited (never with the presented value).

use secrecy::{ExposeSecret, SecretString};

use super::throttle::{Limit, fail, locked_for};
use super::{Context, Origin, audit};
use crate::db::DbError;
use crate::db::webhooks::webhook_token_hash;
use crate::domain::AuditCode;

/// Why a web-hook call was refused before its handler ran.
#[derive(Debug, thiserror::Error)]
pub enum HookAuthError {
    /// No token was presented.
    #[error("no web-hook token was presented")]
    Missing,
    /// A token was presented and it is not the site's (or the site has none).
    #[error("the web-hook token does not match")]
    Mismatch,
    /// Too many refused calls from this address.
    #[error("too many refused web-hook calls from this address; retry in {retry_after} s")]
    Throttled {
        /// Seconds until calls are accepted again.
        retry_after: i64,
    },
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

fn limit(ctx: &Context, origin: &Origin) -> Limit {
    Limit {
        key: format!("hook:{}", origin.remote_addr),
        threshold: ctx.throttle.hook_failures,
    }
}

/// Accepts a call when every presented token (body field, header) is the site's token; an
/// empty or blank value counts as none. `hook` names the hook for the log and the audit trail.
pub async fn authenticate(
    ctx: &Context,
    presented: &[SecretString],
    hook: &str,
    origin: &Origin,
) -> Result<(), HookAuthError> {
    let limits = [limit(ctx, origin)];
    if let Some(retry_after) = locked_for(ctx, &limits).await? {
        tracing::warn!(hook, remote_addr = %origin.remote_addr, "web-hook call refused: throttled");
        return Err(HookAuthError::Throttled { retry_after });
    }
    let presented: Vec<&str> = presented
        .iter()
        .map(ExposeSecret::expose_secret)
        .filter(|value| !value.trim().is_empty())
        .collect();
    let refusal = if presented.is_empty() {
        Some(HookAuthError::Missing)
    } else {
        let stored = webhook_token_hash(ctx.db.pool()).await?;
        // Every presented value is compared, so the time taken does not depend on which one
        // is wrong; with no stored token nothing matches.
        let all_match = presented.iter().fold(stored.is_some(), |ok, value| {
            let matches = stored.as_ref().is_some_and(|hash| hash.matches(value));
            ok & matches
        });
        (!all_match).then_some(HookAuthError::Mismatch)
    };
    let Some(refusal) = refusal else {
        return Ok(());
    };
    // The reason and the presented lengths, never the values: a value may be the real token
    // with a typo.
    let (reason, what) = match refusal {
        HookAuthError::Missing => ("missing", "no token".to_owned()),
        _ => {
            let lengths: Vec<String> = presented.iter().map(|v| v.len().to_string()).collect();
            let lengths = lengths.join(", ");
            (
                "mismatch",
                format!("token mismatch (presented length {lengths})"),
            )
        }
    };
    tracing::warn!(hook, remote_addr = %origin.remote_addr, "web-hook call refused: {what}");
    audit::record_counted(
        ctx.db.pool(),
        ctx.clock.now(),
        AuditCode::AuthFail,
        reason,
        origin,
        &format!("web hook {hook}: {what}"),
    )
    .await?;
    fail(ctx, &limits).await?;
    Err(refusal)
}
