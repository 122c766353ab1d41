//! Recording and reading the audit trail.

use sqlx::{Any, Executor};

use super::{Context, Origin};
use crate::db::DbError;
use crate::db::audit::{AuditFilter, count_audit_event, insert_audit_event, list_audit_events};
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
    insert_audit_event(conn, &event(now, code, person, origin, detail)).await
}

/// Records an event that can come in floods: one row per code, reason, address, path and
/// minute, whose counter grows with each repeat. The row keeps the detail of the first of its
/// reason, so every count is that of one reason (a few fixed words, never presented values:
/// they would make the rows unbounded).
pub async fn record_counted<'c, E>(
    conn: E,
    now: i64,
    code: AuditCode,
    reason: &'static str,
    origin: &Origin,
    detail: &str,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    record_counted_about(conn, now, code, reason, "", origin, detail).await
}

/// Like [`record_counted`], with one row per `subject` as well (a registered name, such as a
/// client id, so the rows stay bounded), so each row's detail may name its subject.
pub async fn record_counted_about<'c, E>(
    conn: E,
    now: i64,
    code: AuditCode,
    reason: &'static str,
    subject: &str,
    origin: &Origin,
    detail: &str,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    let subject = if subject.is_empty() {
        String::new()
    } else {
        format!("{subject}|")
    };
    let key = format!(
        "{}|{reason}|{subject}{}|{}|{}",
        code.as_str(),
        origin.remote_addr,
        origin.request_path.as_deref().unwrap_or_default(),
        now.div_euclid(60)
    );
    count_audit_event(conn, &event(now, code, None, origin, detail), &key).await
}

fn event(
    now: i64,
    code: AuditCode,
    person: Option<&PersonId>,
    origin: &Origin,
    detail: &str,
) -> AuditEvent {
    AuditEvent {
        occurred_at: now,
        code: code.as_str().to_owned(),
        subsystem: code.subsystem().to_owned(),
        person_id: person.cloned(),
        remote_addr: Some(origin.remote_addr.clone()),
        request_path: origin.request_path.clone(),
        detail: detail.to_owned(),
        occurrences: 1,
    }
}

/// Lists events, oldest first.
pub async fn list(ctx: &Context, filter: &AuditFilter) -> Result<Vec<AuditEvent>, DbError> {
    list_audit_events(ctx.db.pool(), filter).await
}
