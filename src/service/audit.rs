//! Recording and reading the audit trail.

use sqlx::{Any, Executor};

use super::{Context, Origin};
use crate::db::DbError;
use crate::db::audit::{AuditFilter, insert_audit_event, list_audit_events};
use crate::domain::{AuditCode, AuditEvent, PersonId};

/// Appends an event (inside the caller's transaction, so it is kept only if the change is).
pub async fn record<'c, E>(
    conn: E,
    now: i64,
    code: AuditCode,
    person: Option<&PersonId>,
    origin: &Origin,
    detail: &str,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    let event = AuditEvent {
        occurred_at: now,
        code: code.as_str().to_owned(),
        subsystem: code.subsystem().to_owned(),
        person_id: person.cloned(),
        remote_addr: Some(origin.remote_addr.clone()),
        request_path: origin.request_path.clone(),
        detail: detail.to_owned(),
    };
    insert_audit_event(conn, &event).await
}

/// Lists events, oldest first.
pub async fn list(ctx: &Context, filter: &AuditFilter) -> Result<Vec<AuditEvent>, DbError> {
    list_audit_events(ctx.db.pool(), filter).await
}
