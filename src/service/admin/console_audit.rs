//! The console's view of the audit trail: filtered by code, person (address), client and
//! dates, newest first, paged; the filters of `audit list`, in the same query.

use std::time::UNIX_EPOCH;

use super::super::Context;
use crate::db::DbError;
use crate::db::audit::{AuditFilter, page_audit_events};
use crate::db::people::find_person_by_email;
use crate::domain::{AuditCode, AuditEvent, EmailAddress, PersonId};

/// How many events one page shows.
pub const PAGE_SIZE: i64 = 50;

/// What the audit page was asked for, as typed.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// An event code (`PersonSuspended`, any case), or empty.
    pub code: String,
    /// A person's address (or, from a person's page, their id), or empty.
    pub person: String,
    /// A client id, or empty.
    pub client: String,
    /// The first day (`YYYY-MM-DD`, UTC), or empty.
    pub since: String,
    /// The last day (`YYYY-MM-DD`, UTC), or empty.
    pub until: String,
    /// The page, from 0 (the newest events).
    pub page: i64,
}

/// Why a filter was refused.
#[derive(Debug, thiserror::Error)]
pub enum AuditQueryError {
    /// No such event code.
    #[error("unknown event code `{0}`")]
    Code(String),
    /// Nobody has this address.
    #[error("no one has the address {0}")]
    Person(String),
    /// Not a `YYYY-MM-DD` date.
    #[error("`{0}` is not a date (YYYY-MM-DD)")]
    Date(String),
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

fn given(value: &str) -> Option<&str> {
    let value = value.trim();
    (!value.is_empty()).then_some(value)
}

/// The Unix time a `YYYY-MM-DD` day starts at (UTC).
fn day_start(day: &str) -> Result<i64, AuditQueryError> {
    let shaped = day.len() == 10
        && day.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    let time = shaped
        .then(|| humantime::parse_rfc3339(&format!("{day}T00:00:00Z")).ok())
        .flatten()
        .ok_or_else(|| AuditQueryError::Date(day.to_owned()))?;
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Ok(i64::try_from(secs).unwrap_or(i64::MAX))
}

/// The page of events, newest first, and whether there are older ones.
pub async fn events(
    ctx: &Context,
    query: &AuditQuery,
) -> Result<(Vec<AuditEvent>, bool), AuditQueryError> {
    let code = match given(&query.code) {
        None => None,
        Some(c) => Some(
            AuditCode::parse(c)
                .ok_or_else(|| AuditQueryError::Code(c.to_owned()))?
                .as_str()
                .to_owned(),
        ),
    };
    let person = match given(&query.person) {
        None => None,
        Some(p) if p.contains('@') => {
            let found = match EmailAddress::parse(p) {
                Ok(email) => find_person_by_email(ctx.db.pool(), &email).await?,
                Err(_) => None,
            };
            Some(
                found
                    .ok_or_else(|| AuditQueryError::Person(p.to_owned()))?
                    .id,
            )
        }
        Some(id) => Some(PersonId::from_stored(id.to_owned())),
    };
    let since = given(&query.since).map(day_start).transpose()?;
    let until = given(&query.until)
        .map(|d| day_start(d).map(|t| t.saturating_add(86_400)))
        .transpose()?;
    let filter = AuditFilter {
        since,
        code,
        person,
        client: given(&query.client).map(str::to_owned),
        limit: PAGE_SIZE + 1,
    };
    let offset = query.page.max(0).saturating_mul(PAGE_SIZE);
    let mut events = page_audit_events(ctx.db.pool(), &filter, until, offset).await?;
    let size = usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX);
    let more = events.len() > size;
    events.truncate(size);
    Ok((events, more))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_starts_at_midnight_utc_and_other_text_is_refused() {
        assert_eq!(day_start("1970-01-02").unwrap(), 86_400);
        assert!(day_start("1970-1-2").is_err());
        assert!(day_start("yesterday").is_err());
        assert!(day_start("2026-13-40").is_err());
    }
}
