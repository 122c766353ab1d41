//! What the console reads of people: searching, one person's page, and the address its
//! actions name a person by. The actions themselves are `people`'s, shared with the command
//! line.

use super::super::Context;
use super::super::sessions::{SessionSummary, list_sessions};
use crate::db::DbError;
use crate::db::admin_console::search_people;
use crate::db::api_keys::list_api_keys;
use crate::db::consents::{ConsentListing, list_consents};
use crate::db::emails::{StoredEmail, list_emails};
use crate::db::people::find_person_by_id;
use crate::db::teams::team_names_of;
use crate::domain::api_key::ApiKey;
use crate::domain::{EmailAddress, EmailStatus, Person, PersonId, PersonKind, TeamName};

/// How many people one page of search results shows.
pub const PAGE_SIZE: i64 = 25;

/// Why the console could not show or name a person.
#[derive(Debug, thiserror::Error)]
pub enum ConsolePeopleError {
    /// No person has this id (or it is a team).
    #[error("no person has the id {0}")]
    UnknownPerson(String),
    /// The person has no address to name them by.
    #[error("the person {0} has no address")]
    NoAddress(String),
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
    /// The applications they consented to.
    pub consents: Vec<ConsentListing>,
    /// Their API keys, newest first, revoked ones too.
    pub api_keys: Vec<ApiKey>,
}

/// A person's page, or `UnknownPerson`.
pub async fn person_page(ctx: &Context, id: &str) -> Result<PersonPage, ConsolePeopleError> {
    let person = individual(ctx, id).await?;
    let pool = ctx.db.pool();
    Ok(PersonPage {
        emails: list_emails(pool, &person.id).await?,
        teams: team_names_of(pool, &person.id).await?,
        sessions: list_sessions(ctx, &person.id).await?,
        consents: list_consents(pool, &person.id).await?,
        api_keys: list_api_keys(pool, &person.id).await?,
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

/// The address the console's actions name a person by: their preferred one (or their first).
pub async fn address_of(ctx: &Context, id: &str) -> Result<EmailAddress, ConsolePeopleError> {
    let person = individual(ctx, id).await?;
    let emails = list_emails(ctx.db.pool(), &person.id).await?;
    emails
        .iter()
        .find(|e| e.status == EmailStatus::Preferred)
        .or_else(|| emails.first())
        .map(|e| e.address.clone())
        .ok_or_else(|| ConsolePeopleError::NoAddress(id.to_owned()))
}
