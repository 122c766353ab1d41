//! Administering people: create, make placeholder, suspend, deactivate, show.

use super::credentials::{CredentialChange, revoke_everything};
use super::passwords::{HashingError, hash_password};
use super::{Context, Origin, audit};
use crate::db::DbError;
use crate::db::emails::{StoredEmail, insert_email, list_emails};
use crate::db::people::{find_person_by_email, insert_person, update_status};
use crate::db::teams::{members_of, team_names_of};
use crate::domain::{
    AuditCode, DisplayName, EmailAddress, EmailStatus, Password, Person, PersonId, PersonKind,
    PersonStatus, StatusChange, TeamName,
};

/// Why an administrative change to a person was refused.
#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    /// Some profile already has this address.
    #[error("the address {email} already belongs to {owner}")]
    AddressTaken {
        /// The address asked for.
        email: String,
        /// Who has it (display name, and team handle for teams).
        owner: String,
    },
    /// No profile has this address.
    #[error("no person or team has the address {0}")]
    UnknownAddress(String),
    /// The address belongs to a team, and the change applies to people only.
    #[error("the address {email} belongs to the team {team}, not to a person")]
    TeamAddress {
        /// The address asked for.
        email: String,
        /// The team's handle.
        team: String,
    },
    /// The status change does not apply to the profile's current status.
    #[error("{email} is {status}: it cannot be {action}")]
    InvalidTransition {
        /// The address asked for.
        email: String,
        /// Its current status.
        status: PersonStatus,
        /// What was asked, e.g. "suspended".
        action: &'static str,
    },
    /// The password could not be hashed.
    #[error(transparent)]
    Hashing(#[from] HashingError),
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// Revoking the person's tokens and keys failed.
    #[error(transparent)]
    Credentials(#[from] super::credentials::CredentialsError),
    /// The deactivation notice could not be queued.
    #[error(transparent)]
    Notice(#[from] super::security_mail::NoticeError),
}

/// What `create_placeholder` found or made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceholderOutcome {
    /// A new placeholder profile.
    Created(Person),
    /// The address was already known; nothing changed.
    Exists(Person),
}

/// Everything `person show` tells.
#[derive(Debug, Clone)]
pub struct PersonDetails {
    /// The profile.
    pub person: Person,
    /// Its addresses.
    pub emails: Vec<StoredEmail>,
    /// For a person, the teams it belongs to.
    pub teams: Vec<TeamName>,
    /// For a team, its members.
    pub members: Vec<Person>,
}

fn owner_label(person: &Person) -> String {
    match &person.team_name {
        Some(team) => format!("the team {team}"),
        None => format!("{} ({})", person.display_name, person.status),
    }
}

/// Creates an active person with a validated, preferred address and a password.
pub async fn create_person(
    ctx: &Context,
    email: &EmailAddress,
    display_name: DisplayName,
    password: Password,
    origin: &Origin,
) -> Result<Person, PeopleError> {
    if let Some(owner) = find_person_by_email(ctx.db.pool(), email).await? {
        return Err(taken(email, &owner));
    }
    let hash = hash_password(ctx.hashing, password).await?;
    let now = ctx.clock.now();
    let person = Person {
        id: PersonId::generate(),
        kind: PersonKind::Person,
        team_name: None,
        display_name,
        status: PersonStatus::Active,
        password_hash: Some(hash),
        created_at: now,
        updated_at: now,
        sessions_not_before: 0,
    };
    if !insert_with_address(
        ctx,
        &person,
        email,
        EmailStatus::Preferred,
        origin,
        AuditCode::PersonCreated,
    )
    .await?
    {
        return Err(taken_meanwhile(email));
    }
    Ok(person)
}

/// Creates a placeholder profile for an unknown address; reports the owner of a known one.
pub async fn create_placeholder(
    ctx: &Context,
    email: &EmailAddress,
    display_name: Option<DisplayName>,
    origin: &Origin,
) -> Result<PlaceholderOutcome, PeopleError> {
    if let Some(owner) = find_person_by_email(ctx.db.pool(), email).await? {
        return Ok(PlaceholderOutcome::Exists(owner));
    }
    let now = ctx.clock.now();
    let person = Person {
        id: PersonId::generate(),
        kind: PersonKind::Person,
        team_name: None,
        display_name: display_name.unwrap_or_else(|| DisplayName::from_address(email.as_str())),
        status: PersonStatus::Placeholder,
        password_hash: None,
        created_at: now,
        updated_at: now,
        sessions_not_before: 0,
    };
    if insert_with_address(
        ctx,
        &person,
        email,
        EmailStatus::New,
        origin,
        AuditCode::PlaceholderCreated,
    )
    .await?
    {
        return Ok(PlaceholderOutcome::Created(person));
    }
    // Someone took the address between our look-up and insert: report them.
    match find_person_by_email(ctx.db.pool(), email).await? {
        Some(owner) => Ok(PlaceholderOutcome::Exists(owner)),
        None => Err(taken_meanwhile(email)),
    }
}

fn taken(email: &EmailAddress, owner: &Person) -> PeopleError {
    PeopleError::AddressTaken {
        email: email.to_string(),
        owner: owner_label(owner),
    }
}

/// Inserts a profile, its address and an audit event in one transaction. Returns `false`, and
/// stores nothing, when the address was taken meanwhile.
pub(crate) async fn insert_with_address(
    ctx: &Context,
    person: &Person,
    email: &EmailAddress,
    status: EmailStatus,
    origin: &Origin,
    code: AuditCode,
) -> Result<bool, DbError> {
    let mut tx = ctx.db.pool().begin().await?;
    insert_person(&mut *tx, person).await?;
    match insert_email(&mut *tx, &person.id, email, status, person.created_at).await {
        Err(e) if e.is_unique_violation() => return Ok(false),
        other => other?,
    }
    audit::record(
        &mut *tx,
        person.created_at,
        code,
        Some(&person.id),
        origin,
        email.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

fn taken_meanwhile(email: &EmailAddress) -> PeopleError {
    PeopleError::AddressTaken {
        email: email.to_string(),
        owner: "another profile".to_owned(),
    }
}

/// Finds the person (not team) with an address.
async fn find_individual(ctx: &Context, email: &EmailAddress) -> Result<Person, PeopleError> {
    let person = find_person_by_email(ctx.db.pool(), email)
        .await?
        .ok_or_else(|| PeopleError::UnknownAddress(email.to_string()))?;
    if let Some(team) = &person.team_name {
        return Err(PeopleError::TeamAddress {
            email: email.to_string(),
            team: team.to_string(),
        });
    }
    Ok(person)
}

/// Suspends or deactivates the person with an address, if the change applies to their
/// current status (checked again atomically when the row is updated), and signs them out
/// everywhere.
pub async fn change_status(
    ctx: &Context,
    email: &EmailAddress,
    change: StatusChange,
    origin: &Origin,
    lang: crate::i18n::Lang,
) -> Result<Person, PeopleError> {
    let mut person = find_individual(ctx, email).await?;
    if !change.applies_to(person.status) {
        return Err(invalid(email, person.status, change));
    }
    let code = match change {
        StatusChange::Suspend => AuditCode::PersonSuspended,
        StatusChange::Deactivate => AuditCode::PersonDeactivated,
    };
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    if !update_status(&mut *tx, &person.id, person.status, change.target(), now).await? {
        // The status changed under us; report what it is now.
        drop(tx);
        let current = find_individual(ctx, email).await?;
        return Err(invalid(email, current.status, change));
    }
    super::sessions::end_sessions_of(ctx, &mut tx, &person.id).await?;
    let reason = match change {
        StatusChange::Suspend => CredentialChange::Suspension,
        StatusChange::Deactivate => CredentialChange::Deactivation,
    };
    revoke_everything(ctx, &mut tx, &person.id, reason, true, (email, lang)).await?;
    if change == StatusChange::Deactivate {
        let notice = super::security_mail::SecurityNotice::AccountDeactivated;
        super::security_mail::notify(ctx, &mut tx, email, lang, notice).await?;
    }
    audit::record(
        &mut *tx,
        now,
        code,
        Some(&person.id),
        origin,
        email.as_str(),
    )
    .await?;
    tx.commit().await.map_err(DbError::from)?;
    person.status = change.target();
    person.updated_at = now;
    Ok(person)
}

fn invalid(email: &EmailAddress, status: PersonStatus, change: StatusChange) -> PeopleError {
    PeopleError::InvalidTransition {
        email: email.to_string(),
        status,
        action: match change {
            StatusChange::Suspend => "suspended",
            StatusChange::Deactivate => "deactivated",
        },
    }
}

/// A profile with its addresses, teams and (for a team) members.
pub async fn show(ctx: &Context, email: &EmailAddress) -> Result<PersonDetails, PeopleError> {
    let pool = ctx.db.pool();
    let person = find_person_by_email(pool, email)
        .await?
        .ok_or_else(|| PeopleError::UnknownAddress(email.to_string()))?;
    let emails = list_emails(pool, &person.id).await?;
    let (teams, members) = match person.kind {
        PersonKind::Person => (team_names_of(pool, &person.id).await?, Vec::new()),
        PersonKind::Team => (Vec::new(), members_of(pool, &person.id).await?),
    };
    Ok(PersonDetails {
        person,
        emails,
        teams,
        members,
    })
}
