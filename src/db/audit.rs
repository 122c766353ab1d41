//! Queries on `audit_events`: append and list, nothing else.

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::{AuditEvent, PersonId};

/// Appends one event.
pub async fn insert_audit_event<'c, E>(conn: E, event: &AuditEvent) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    bind_event(
        sqlx::query(
            "INSERT INTO audit_events (occurred_at, code, subsystem, person_id, remote_addr, \
             request_path, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        ),
        event,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Binds an event's columns as `$1` to `$7`, in table order.
fn bind_event<'q>(
    query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>,
    event: &'q AuditEvent,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments> {
    query
        .bind(event.occurred_at)
        .bind(event.code.as_str())
        .bind(event.subsystem.as_str())
        .bind(event.person_id.as_ref().map(PersonId::as_str))
        .bind(event.remote_addr.as_deref())
        .bind(event.request_path.as_deref())
        .bind(event.detail.as_str())
}

/// Counts one more occurrence of an aggregated event: the first in its window (`key`, e.g.
/// address and minute) is inserted, later ones only raise its counter, so a flood adds one row
/// per window.
pub async fn count_audit_event<'c, E>(conn: E, event: &AuditEvent, key: &str) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    bind_event(
        sqlx::query(
            "INSERT INTO audit_events (occurred_at, code, subsystem, person_id, remote_addr, \
             request_path, detail, occurrences, aggregate_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) \
             ON CONFLICT (aggregate_key) DO UPDATE SET occurrences = audit_events.occurrences + 1",
        ),
        event,
    )
    .bind(key)
    .execute(conn)
    .await?;
    Ok(())
}

/// Which events to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only events at or after this Unix time.
    pub since: Option<i64>,
    /// Only events with this code.
    pub code: Option<String>,
    /// Only events about this person (or team).
    pub person: Option<PersonId>,
    /// Only events whose detail names this relying party's client id.
    pub client: Option<String>,
    /// At most this many (the newest).
    pub limit: i64,
}

/// The conditions of [`AuditFilter`], shared by `audit list` and the console: `$1` since,
/// `$2` code, `$4` person, `$5` client pattern (`$3` is the limit). NULL parameters switch a
/// condition off, so one static text serves every filter.
macro_rules! audit_where {
    () => {
        "($1 IS NULL OR occurred_at >= $1) AND ($2 IS NULL OR code = $2) \
         AND ($4 IS NULL OR person_id = $4) \
         AND ($5 IS NULL OR detail LIKE $5 ESCAPE '\\')"
    };
}

/// Binds `$1` to `$5` of [`audit_where!`] and the limit.
fn bind_filter<'q>(
    query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>,
    filter: &'q AuditFilter,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments> {
    query
        .bind(filter.since)
        .bind(filter.code.as_deref())
        .bind(filter.limit)
        .bind(filter.person.as_ref().map(PersonId::as_str))
        .bind(filter.client.as_deref().map(|c| {
            let escaped: String = c
                .chars()
                .flat_map(|ch| match ch {
                    '%' | '_' | '\\' => vec!['\\', ch],
                    other => vec![other],
                })
                .collect();
            format!("%client {escaped}%")
        }))
}

fn event_from_row(row: &sqlx::any::AnyRow) -> Result<AuditEvent, DbError> {
    Ok(AuditEvent {
        occurred_at: col(row, "occurred_at")?,
        code: col(row, "code")?,
        subsystem: col(row, "subsystem")?,
        person_id: col::<Option<String>>(row, "person_id")?.map(PersonId::from_stored),
        remote_addr: col(row, "remote_addr")?,
        request_path: col(row, "request_path")?,
        detail: col(row, "detail")?,
        occurrences: col(row, "occurrences")?,
    })
}

/// Events matching the filter, oldest first.
pub async fn list_audit_events<'c, E>(
    conn: E,
    filter: &AuditFilter,
) -> Result<Vec<AuditEvent>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = bind_filter(
        sqlx::query(concat!(
            "SELECT occurred_at, code, subsystem, person_id, remote_addr, request_path, detail, \
             occurrences \
             FROM (SELECT * FROM audit_events WHERE ",
            audit_where!(),
            " ORDER BY id DESC LIMIT $3) newest \
             ORDER BY occurred_at, id"
        )),
        filter,
    )
    .fetch_all(conn)
    .await?;
    rows.iter().map(event_from_row).collect()
}

/// Events matching `filter` and before `until` (a Unix time, when given), newest first:
/// `filter.limit` of them after skipping the `offset` newest. The console's paged view.
pub async fn page_audit_events<'c, E>(
    conn: E,
    filter: &AuditFilter,
    until: Option<i64>,
    offset: i64,
) -> Result<Vec<AuditEvent>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = bind_filter(
        sqlx::query(concat!(
            "SELECT occurred_at, code, subsystem, person_id, remote_addr, request_path, detail, \
             occurrences FROM audit_events WHERE ",
            audit_where!(),
            " AND ($6 IS NULL OR occurred_at < $6) ORDER BY id DESC LIMIT $3 OFFSET $7"
        )),
        filter,
    )
    .bind(until)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    rows.iter().map(event_from_row).collect()
}
