//! The console's view of the audit trail: filtered by code, person or client, paged.

use super::super::Context;
use crate::db::DbError;
use crate::db::admin_console::{AuditPage, audit_page};
use crate::domain::{AuditEvent, PersonId};

/// How many events one page shows.
pub const PAGE_SIZE: i64 = 50;

/// What the audit page was asked for.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// An event code (`PersonSuspended`), or empty.
    pub code: String,
    /// A person's id, or empty.
    pub person: String,
    /// A client id mentioned in the detail, or empty.
    pub client: String,
    /// The page, from 0.
    pub page: i64,
}

fn given(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// The page of events, newest first, and whether there is a next page.
pub async fn events(ctx: &Context, query: &AuditQuery) -> Result<(Vec<AuditEvent>, bool), DbError> {
    let page = AuditPage {
        code: given(&query.code),
        person: given(&query.person).map(PersonId::from_stored),
        mentions: given(&query.client),
        limit: PAGE_SIZE + 1,
        offset: query.page.max(0).saturating_mul(PAGE_SIZE),
    };
    let mut events = audit_page(ctx.db.pool(), &page).await?;
    let size = usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX);
    let more = events.len() > size;
    events.truncate(size);
    Ok((events, more))
}
