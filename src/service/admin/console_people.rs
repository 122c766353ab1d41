//! The console's people: searching, one person's page, and the console's actions on them
//! (suspend, end sessions), each audited as `AdminAction` naming the administrator.

use super::super::people::{PeopleError, change_status};
use super::super::sessions::{SessionSummary, end_sessions_of, list_sessions};
use super::super::{Context, Origin, audit};
use super::Actor;
use crate::db::DbError;
use crate::db::admin_console::search_people;
use crate::db::emails::{StoredEmail, list_emails};
use crate::db::people::find_person_by_id;
use crate::db::teams::team_names_of;
use crate::domain::{AuditCode, Person, PersonId, PersonKind, StatusChange, TeamName};
use crate::i18n::Lang;

/// How many people one page of search results shows.
pub const PAGE_SIZE: i64 = 25;

/// Why a console action on a person was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConsolePeopleError {
    /// No person has this id (or it is a team).
    #[error("no person has the id {0}")]
    UnknownPerson(String),
    /// The person has no address to name them by.
    #[error("the person {0} has no address")]
    NoAddress(String),
    /// The status change was refused.
    #[error(transparent)]
    People(#[from] PeopleError),
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

/// One search result.
#[derive(Debug, Clone)]
pub struct Found {
    /// The person.
    pub person: Person,
    /// Their preferred (or first) address, if any.
    pub email: Option<String>,
}

/// People whose name or address contains `query`, page `page` (from 0), and whether there is a
/// next page.
pub async fn search(ctx: &Context, query: &str, page: i64) -> Result<(Vec<Found>, bool), DbError> {
    let pool = ctx.db.pool();
    let offset = page.max(0).saturating_mul(PAGE_SIZE);
    let mut people = search_people(pool, query.trim(), PAGE_SIZE + 1, offset).await?;
    let more = people.len() > usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX);
    people.truncate(usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX));
    let mut found = Vec::with_capacity(people.len());
    for person in people {
        let email = list_emails(pool, &person.id)
            .await?
            .into_iter()
            .next()
            .map(|e| e.address.to_string());
        found.push(Found { person, email });
    }
    Ok((found, more))
}

/// What a person's console page shows.
#[derive(Debug, Clone)]
pub struct PersonPage {
    /// The person.
    pub person: Person,
    /// Their addresses, the preferred first.
    pub emails: Vec<StoredEmail>,
    /// Their teams.
    pub teams: Vec<TeamName>,
    /// Their live sessions.
    pub sessions: Vec<SessionSummary>,
}

/// A person's page, or `UnknownPerson`.
pub async fn person_page(ctx: &Context, id: &str) -> Result<PersonPage, ConsolePeopleError> {
    let person = individual(ctx, id).await?;
    let pool = ctx.db.pool();
    Ok(PersonPage {
        emails: list_emails(pool, &person.id).await?,
        teams: team_names_of(pool, &person.id).await?,
        sessions: list_sessions(ctx, &person.id).await?,
        person,
    })
}

async fn individual(ctx: &Context, id: &str) -> Result<Person, ConsolePeopleError> {
    let person = find_person_by_id(ctx.db.pool(), &PersonId::from_stored(id.to_owned()))
        .await?
        .filter(|p| p.kind == PersonKind::Person)
        .ok_or_else(|| ConsolePeopleError::UnknownPerson(id.to_owned()))?;
    Ok(person)
}

/// Suspends the person (signing them out everywhere, through the same service as
/// `person suspend`) and audits who did it.
pub async fn suspend(
    ctx: &Context,
    id: &str,
    actor: &Actor,
    origin: &Origin,
    lang: Lang,
) -> Result<Person, ConsolePeopleError> {
    let person = individual(ctx, id).await?;
    let email = list_emails(ctx.db.pool(), &person.id)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ConsolePeopleError::NoAddress(id.to_owned()))?
        .address;
    let person = change_status(ctx, &email, StatusChange::Suspend, origin, lang).await?;
    let detail = format!("{}: suspended {email}", actor.label());
    record(ctx, &person.id, origin, &detail).await?;
    Ok(person)
}

/// Ends every session of the person and audits who did it; returns how many ended.
pub async fn end_sessions(
    ctx: &Context,
    id: &str,
    actor: &Actor,
    origin: &Origin,
) -> Result<u64, ConsolePeopleError> {
    let person = individual(ctx, id).await?;
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    let ended = end_sessions_of(ctx, &mut tx, &person.id).await?;
    audit::record(
        &mut *tx,
        ctx.clock.now(),
        AuditCode::AdminAction,
        Some(&person.id),
        origin,
        &format!(
            "{}: ended {ended} sessions of {}",
            actor.label(),
            person.id.as_str()
        ),
    )
    .await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(ended)
}

async fn record(
    ctx: &Context,
    person: &PersonId,
    origin: &Origin,
    detail: &str,
) -> Result<(), DbError> {
    audit::record(
        ctx.db.pool(),
        ctx.clock.now(),
        AuditCode::AdminAction,
        Some(person),
        origin,
        detail,
    )
    .await
}
