//! `audit list`.

use std::time::UNIX_EPOCH;

use super::args::AuditCommand;
use super::{CliError, print_json};
use crate::db::audit::AuditFilter;
use crate::db::people::find_person_by_email;
use crate::domain::{AuditCode, AuditEvent, EmailAddress};
use crate::service::{Context, audit};

pub(super) use crate::clock::format_time;

/// `--since`: an RFC 3339 time, or a duration back from `now`.
fn parse_since(input: &str, now: i64) -> Result<i64, CliError> {
    if let Ok(t) = humantime::parse_rfc3339_weak(input) {
        let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        return Ok(i64::try_from(secs).unwrap_or(i64::MAX));
    }
    match humantime::parse_duration(input) {
        Ok(d) => Ok(now.saturating_sub(i64::try_from(d.as_secs()).unwrap_or(i64::MAX))),
        Err(_) => Err(CliError::Refused(format!(
            "--since `{input}` is neither a time (2026-01-31T12:00:00Z) nor a duration (1h, 7days)"
        ))),
    }
}

/// Runs one `audit` command.
pub async fn run(ctx: &Context, cmd: AuditCommand) -> Result<(), CliError> {
    let AuditCommand::List(args) = cmd;
    let since = args
        .since
        .as_deref()
        .map(|s| parse_since(s, ctx.clock.now()))
        .transpose()?;
    let code = match args.code.as_deref() {
        None => None,
        Some(c) => match AuditCode::parse(c) {
            Some(code) => Some(code.as_str().to_owned()),
            None => {
                let known: Vec<&str> = AuditCode::ALL.iter().map(|c| c.as_str()).collect();
                return Err(CliError::Refused(format!(
                    "unknown event code `{c}`; known codes: {}",
                    known.join(", ")
                )));
            }
        },
    };
    let person = match args.person.as_deref() {
        None => None,
        Some(address) => {
            let email = EmailAddress::parse(address).map_err(CliError::refused)?;
            let found = find_person_by_email(ctx.db.pool(), &email).await?;
            Some(
                found
                    .ok_or_else(|| CliError::Refused(format!("no one has the address {email}")))?
                    .id,
            )
        }
    };
    let filter = AuditFilter {
        since,
        code,
        person,
        client: args.client,
        limit: args.limit,
    };
    let events = audit::list(ctx, &filter).await?;
    if args.json {
        let rows: Vec<EventJson<'_>> = events.iter().map(EventJson::from).collect();
        return print_json(&rows);
    }
    for e in events {
        let times = if e.occurrences > 1 {
            format!(" (x{} in that minute)", e.occurrences)
        } else {
            String::new()
        };
        println!(
            "{}  {:<20} {:<8} person={} from={} path={} {}{times}",
            format_time(e.occurred_at),
            e.code,
            e.subsystem,
            e.person_id.as_ref().map_or("-", |p| p.as_str()),
            e.remote_addr.as_deref().unwrap_or("-"),
            e.request_path
                .as_deref()
                .map_or_else(|| "-".to_owned(), escape),
            escape(&e.detail),
        );
    }
    Ok(())
}

/// One event in `--json` output.
#[derive(serde::Serialize)]
struct EventJson<'a> {
    occurred_at: i64,
    time: String,
    code: &'a str,
    subsystem: &'a str,
    person_id: Option<&'a str>,
    remote_addr: Option<&'a str>,
    request_path: Option<&'a str>,
    detail: &'a str,
    occurrences: i64,
}

impl<'a> From<&'a AuditEvent> for EventJson<'a> {
    fn from(e: &'a AuditEvent) -> Self {
        Self {
            occurred_at: e.occurred_at,
            time: format_time(e.occurred_at),
            code: &e.code,
            subsystem: &e.subsystem,
            person_id: e.person_id.as_ref().map(|p| p.as_str()),
            remote_addr: e.remote_addr.as_deref(),
            request_path: e.request_path.as_deref(),
            detail: &e.detail,
            occurrences: e.occurrences,
        }
    }
}

/// Keeps one event on one line whatever its detail holds.
fn escape(detail: &str) -> String {
    detail.chars().flat_map(char::escape_default).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_a_time_or_a_duration() {
        assert_eq!(parse_since("1970-01-01T00:01:00Z", 0).unwrap(), 60);
        assert_eq!(parse_since("1h", 10_000).unwrap(), 6_400);
        assert!(parse_since("yesterday-ish", 0).is_err());
    }

    #[test]
    fn details_stay_on_one_line() {
        assert_eq!(escape("a\nb"), "a\\nb");
    }
}
