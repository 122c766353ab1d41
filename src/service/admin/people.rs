//! Administering people: listing, showing in full, renaming, suspending, reactivating,
//! setting a password, sending a recovery link. Their addresses are `people_emails`; their
//! sessions, consents and API keys `people_access`.

use super::Actor;
use crate::db::DbError;
use crate::db::api_keys::list_api_keys;
use crate::db::consents::{ConsentListing, list_consents};
use crate::db::emails::list_emails;
use crate::db::people::{find_person_by_email, set_password, update_status};
use crate::db::people_admin::count_listed_people;
use crate::db::people_admin::{ListedPerson, PeopleFilter, list_people, rename_person};
use crate::domain::second_factor::FactorSummary;
use crate::domain::{
    AuditCode, DisplayName, EmailAddress, Password, Person, PersonKind, PersonStatus, TokenKind,
};
use crate::i18n::Lang;
use crate::mail::MailKind;
use crate::service::credentials::{CredentialChange, CredentialsError, revoke_everything};
use crate::service::link_mail::{LinkError, send_link};
use crate::service::passwords::{HashingError, hash_password};
use crate::service::people::{PersonDetails, show};
use crate::service::security_mail::{NoticeError, SecurityNotice, notify};
use crate::service::{Context, audit, factor_admin, sessions};

/// Why an administrative change to a person was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum AdminPeopleError {
    /// No profile has this address.
    #[error("no person has the address {0}")]
    UnknownPerson(String),
    /// No person or team has this address.
    #[error("no person or team has the address {0}")]
    UnknownProfile(String),
    /// The address belongs to a team, and the command applies to people only.
    #[error("the address {email} belongs to the team {team}, not to a person")]
    TeamAddress {
        /// The address asked for.
        email: String,
        /// The team's handle.
        team: String,
    },
    /// The person's status does not allow the change.
    #[error("{email} is {status}: {what}")]
    Status {
        /// The address asked for.
        email: String,
        /// Their current status.
        status: PersonStatus,
        /// What cannot be done.
        what: &'static str,
    },
    /// The address to add belongs to another registered person.
    #[error("the address {0} belongs to another person")]
    Taken(String),
    /// The address is not one of the person's.
    #[error("{0} is not one of the person's addresses")]
    NotTheirs(String),
    /// The address is the person's last confirmed one.
    #[error("{0} is the person's last confirmed address: it stays")]
    LastAddress(String),
    /// The address is not confirmed, so it cannot be preferred.
    #[error("{0} is not confirmed: it cannot be preferred")]
    Unconfirmed(String),
    /// The person has not consented to this client.
    #[error("{email} has no consent to the client {client}")]
    NoConsent {
        /// The address asked for.
        email: String,
        /// The client id asked for.
        client: String,
    },
    /// The person has no API key with this id.
    #[error("{email} has no API key {key}")]
    UnknownKey {
        /// The address asked for.
        email: String,
        /// The key id asked for.
        key: String,
    },
    /// The API key is revoked already.
    #[error("the API key {0} is revoked already")]
    KeyRevoked(String),
    /// The password could not be hashed.
    #[error(transparent)]
    Hashing(#[from] HashingError),
    /// The recovery link could not be sent.
    #[error(transparent)]
    Link(#[from] LinkError),
    /// A notice could not be queued.
    #[error(transparent)]
    Notice(#[from] NoticeError),
    /// Revoking tokens and keys failed.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// Changing addresses failed.
    #[error(transparent)]
    Emails(#[from] crate::service::emails::EmailsError),
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

impl AdminPeopleError {
    /// Whether this is a refusal (nothing changed) rather than a failure.
    pub fn is_refusal(&self) -> bool {
        !matches!(
            self,
            Self::Hashing(_)
                | Self::Link(_)
                | Self::Notice(_)
                | Self::Credentials(_)
                | Self::Emails(_)
                | Self::Database(_)
        )
    }
}

/// One page of people.
#[derive(Debug, Clone)]
pub struct PeoplePage {
    /// How many match the filter in all.
    pub total: i64,
    /// This page.
    pub people: Vec<ListedPerson>,
}

/// The people matching `filter`, `limit` of them after the first `offset`.
pub async fn list(
    ctx: &Context,
    filter: &PeopleFilter,
    limit: i64,
    offset: i64,
) -> Result<PeoplePage, DbError> {
    let pool = ctx.db.pool();
    Ok(PeoplePage {
        total: count_listed_people(pool, filter).await?,
        people: list_people(pool, filter, limit, offset).await?,
    })
}

/// Everything an administrator sees of a person.
#[derive(Debug, Clone)]
pub struct FullDetails {
    /// The profile, addresses and teams (or a team's members).
    pub details: PersonDetails,
    /// How many live sessions they have.
    pub sessions: usize,
    /// The applications they consented to.
    pub consents: Vec<ConsentListing>,
    /// How many API keys they have that are not revoked.
    pub api_keys: usize,
    /// Their second factors.
    pub factors: Vec<FactorSummary>,
}

/// A person (or team) by one of its addresses, with counts of what signs them in.
pub async fn details(ctx: &Context, email: &EmailAddress) -> Result<FullDetails, AdminPeopleError> {
    let details = show(ctx, email).await.map_err(|e| match e {
        crate::service::people::PeopleError::Database(db) => AdminPeopleError::Database(db),
        _ => AdminPeopleError::UnknownProfile(email.to_string()),
    })?;
    let id = &details.person.id;
    let pool = ctx.db.pool();
    let individual = details.person.kind == PersonKind::Person;
    Ok(FullDetails {
        sessions: sessions::list_sessions(ctx, id).await?.len(),
        consents: list_consents(pool, id).await?,
        api_keys: list_api_keys(pool, id)
            .await?
            .iter()
            .filter(|k| k.is_live())
            .count(),
        factors: if individual {
            factor_admin::factors(ctx, id).await?
        } else {
            Vec::new()
        },
        details,
    })
}

/// The individual with an address: a team's address, or nobody's, is refused.
pub(super) async fn individual(
    ctx: &Context,
    email: &EmailAddress,
) -> Result<Person, AdminPeopleError> {
    let person = find_person_by_email(ctx.db.pool(), email)
        .await?
        .ok_or_else(|| AdminPeopleError::UnknownPerson(email.to_string()))?;
    if let Some(team) = &person.team_name {
        return Err(AdminPeopleError::TeamAddress {
            email: email.to_string(),
            team: team.to_string(),
        });
    }
    Ok(person)
}

/// Gives a person a new display name (whatever their status). Returns the old name.
pub async fn rename(
    ctx: &Context,
    actor: &Actor,
    email: &EmailAddress,
    name: &DisplayName,
) -> Result<DisplayName, AdminPeopleError> {
    let person = individual(ctx, email).await?;
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    if !rename_person(&mut *tx, &person.id, name, now).await? {
        return Err(AdminPeopleError::UnknownPerson(email.to_string()));
    }
    let detail = format!(
        "{email}: \"{}\" renamed \"{name}\" by {}",
        person.display_name,
        actor.label()
    );
    let origin = actor.origin();
    let code = AuditCode::DisplayNameChanged;
    audit::record(&mut *tx, now, code, Some(&person.id), origin, &detail).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(person.display_name)
}

/// Makes a suspended or deactivated person active again (they sign in with their password,
/// or recover it by emailed link if they have none).
pub async fn reactivate(
    ctx: &Context,
    actor: &Actor,
    email: &EmailAddress,
) -> Result<Person, AdminPeopleError> {
    let mut person = individual(ctx, email).await?;
    let refused = |status| AdminPeopleError::Status {
        email: email.to_string(),
        status,
        what: "only a suspended or deactivated person can be reactivated",
    };
    if !matches!(
        person.status,
        PersonStatus::Suspended | PersonStatus::Deactivated
    ) {
        return Err(refused(person.status));
    }
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    let from = person.status;
    if !update_status(&mut *tx, &person.id, from, PersonStatus::Active, now).await? {
        drop(tx);
        return Err(refused(individual(ctx, email).await?.status));
    }
    let detail = format!("{email}: {from} to active by {}", actor.label());
    let (origin, code) = (actor.origin(), AuditCode::PersonReactivated);
    audit::record(&mut *tx, now, code, Some(&person.id), origin, &detail).await?;
    tx.commit().await.map_err(DbError::from)?;
    person.status = PersonStatus::Active;
    Ok(person)
}

/// Sets a person's password (already checked against the policy by `Password::parse`), then
/// revokes what a password change revokes: every session and OIDC grant, and with
/// `revoke_api_keys` every API key. The person is told at their preferred address.
pub async fn set_person_password(
    ctx: &Context,
    actor: &Actor,
    email: &EmailAddress,
    password: Password,
    revoke_api_keys: bool,
    lang: Lang,
) -> Result<Person, AdminPeopleError> {
    let person = individual(ctx, email).await?;
    if person.status == PersonStatus::Placeholder {
        return Err(AdminPeopleError::Status {
            email: email.to_string(),
            status: person.status,
            what: "a placeholder has no account to set a password for",
        });
    }
    let hash = hash_password(ctx.hashing, password).await?;
    let to = preferred_address(ctx, &person)
        .await?
        .unwrap_or(email.clone());
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    set_password(&mut *tx, &person.id, &hash, now).await?;
    sessions::end_sessions_of(ctx, &mut tx, &person.id).await?;
    let change = CredentialChange::PasswordChange;
    let revoked = revoke_everything(
        ctx,
        &mut tx,
        &person.id,
        change,
        revoke_api_keys,
        (&to, lang),
    )
    .await?;
    notify(ctx, &mut tx, &to, lang, SecurityNotice::PasswordChanged).await?;
    let detail = format!(
        "{email}: password set by {}; {} applications and {} API keys revoked",
        actor.label(),
        revoked.apps.len(),
        revoked.api_keys.len()
    );
    let (origin, code) = (actor.origin(), AuditCode::PasswordChanged);
    audit::record(&mut *tx, now, code, Some(&person.id), origin, &detail).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(person)
}

/// Emails the person a password-recovery link, as the login form's "forgot password" does
/// (it also activates a placeholder or deactivated account when followed). A suspended person
/// cannot recover, so is refused.
pub async fn send_reset(
    ctx: &Context,
    actor: &Actor,
    email: &EmailAddress,
    lang: Lang,
) -> Result<Person, AdminPeopleError> {
    let person = individual(ctx, email).await?;
    if person.status == PersonStatus::Suspended {
        return Err(AdminPeopleError::Status {
            email: email.to_string(),
            status: person.status,
            what: "a suspended person cannot recover a password",
        });
    }
    let kind = (TokenKind::PasswordRecovery, MailKind::PasswordRecovery);
    send_link(ctx, kind.0, kind.1, email, Some(&person.id), lang).await?;
    let detail = format!("{email}: recovery link sent by {}", actor.label());
    let (origin, code) = (actor.origin(), AuditCode::RecoveryRequested);
    let now = ctx.clock.now();
    audit::record(ctx.db.pool(), now, code, Some(&person.id), origin, &detail).await?;
    Ok(person)
}

/// The person's preferred address (or first one).
pub(super) async fn preferred_address(
    ctx: &Context,
    person: &Person,
) -> Result<Option<EmailAddress>, DbError> {
    let emails = list_emails(ctx.db.pool(), &person.id).await?;
    Ok(emails
        .iter()
        .find(|e| e.status == crate::domain::EmailStatus::Preferred)
        .or_else(|| emails.first())
        .map(|e| e.address.clone()))
}

/// The person (not team) with an address, or `UnknownProfile` naming "person or team", as
/// `person suspend` has always said.
async fn profile_individual(
    ctx: &Context,
    email: &EmailAddress,
) -> Result<Person, AdminPeopleError> {
    individual(ctx, email).await.map_err(|e| match e {
        AdminPeopleError::UnknownPerson(who) => AdminPeopleError::UnknownProfile(who),
        other => other,
    })
}

/// Suspends a person (whatever their status but suspended): they can no longer sign in or
/// recover a password, every session ends and every token and API key is revoked.
pub async fn suspend(
    ctx: &Context,
    actor: &Actor,
    email: &EmailAddress,
    lang: Lang,
) -> Result<Person, AdminPeopleError> {
    let mut person = profile_individual(ctx, email).await?;
    let refused = |status| AdminPeopleError::Status {
        email: email.to_string(),
        status,
        what: "it cannot be suspended",
    };
    if person.status == PersonStatus::Suspended {
        return Err(refused(person.status));
    }
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    let (from, to) = (person.status, PersonStatus::Suspended);
    if !update_status(&mut *tx, &person.id, from, to, now).await? {
        // The status changed under us; report what it is now.
        drop(tx);
        return Err(refused(profile_individual(ctx, email).await?.status));
    }
    sessions::end_sessions_of(ctx, &mut tx, &person.id).await?;
    let change = CredentialChange::Suspension;
    revoke_everything(ctx, &mut tx, &person.id, change, true, (email, lang)).await?;
    let detail = actor.detail(&format!("{email}: {from} to suspended"));
    let (origin, code) = (actor.origin(), AuditCode::PersonSuspended);
    audit::record(&mut *tx, now, code, Some(&person.id), origin, &detail).await?;
    tx.commit().await.map_err(DbError::from)?;
    person.status = to;
    person.updated_at = now;
    Ok(person)
}
