//! The pages behind emailed links, finished: registering (NewAccount) and setting a new password
//! (PasswordRecovery). The token is consumed in the same transaction as the change it allows.
//! Sending the link is `link_mail`.

use super::credentials::{CredentialChange, revoke_everything};
use super::passwords::{HashingError, hash_password};
use super::{Context, Origin, audit};
use crate::db::DbError;
use crate::db::emails::{confirm_email, insert_email};
use crate::db::login_tokens::{
    ConsumedToken, consume_login_token, consume_tokens_for, find_valid_token,
};
use crate::db::people::{activate, find_person_by_email, insert_person};
use crate::domain::{
    AuditCode, DisplayName, EmailAddress, EmailStatus, Password, Person, PersonId, PersonKind,
    PersonStatus, PlainToken, TokenKind,
};

/// Why a link's form could not be completed (as opposed to being refused).
#[derive(Debug, thiserror::Error)]
pub enum LinkPageError {
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// Hashing failed.
    #[error(transparent)]
    Hashing(#[from] HashingError),
    /// Revoking what the old password gave failed.
    #[error(transparent)]
    Credentials(#[from] super::credentials::CredentialsError),
}

impl From<sqlx::Error> for LinkPageError {
    fn from(e: sqlx::Error) -> Self {
        Self::Database(e.into())
    }
}

/// How completing a link's form ended.
#[derive(Debug)]
pub enum Completion {
    /// Done: sign this person in.
    SignedIn(Person),
    /// The link is unknown, used or expired.
    LinkInvalid,
    /// Registration: the address has an account meanwhile.
    AlreadyRegistered(EmailAddress),
    /// The address belongs to a team.
    TeamAddress(EmailAddress),
    /// Recovery: the account is suspended.
    Suspended,
}

/// The address of a link that can still be used, without using it.
pub async fn peek(
    ctx: &Context,
    token: &str,
    kind: TokenKind,
) -> Result<Option<EmailAddress>, DbError> {
    if TokenKind::of_token(token) != Some(kind) {
        return Ok(None);
    }
    let found = find_valid_token(
        ctx.db.pool(),
        &PlainToken::from_presented(token).hash(),
        kind,
        ctx.clock.now(),
    )
    .await?;
    Ok(found.and_then(|t| t.email))
}

/// Consumes a link's token inside the transaction; the address it was sent to, if it was
/// valid.
async fn consume_for_address(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    token: &str,
    kind: TokenKind,
    now: i64,
) -> Result<Option<EmailAddress>, DbError> {
    let hash = PlainToken::from_presented(token).hash();
    let consumed = consume_login_token(&mut **tx, &hash, kind, now).await?;
    Ok(consumed.and_then(|ConsumedToken { email, .. }| email))
}

/// Inserts a new person with their preferred address inside a savepoint, so that a unique
/// violation (the address registered by a concurrent completion) leaves the transaction usable
/// on PostgreSQL, which otherwise refuses every statement after a failed one.
async fn insert_account(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    person: &Person,
    email: &EmailAddress,
    now: i64,
) -> Result<(), DbError> {
    let mut savepoint = sqlx::Acquire::begin(&mut **tx).await?;
    let inserted = match insert_person(&mut *savepoint, person).await {
        Ok(()) => {
            insert_email(
                &mut *savepoint,
                &person.id,
                email,
                EmailStatus::Preferred,
                now,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match inserted {
        Ok(()) => savepoint.commit().await?,
        Err(e) => {
            savepoint.rollback().await?;
            return Err(e);
        }
    }
    Ok(())
}

/// Registers the address of a NewAccount link: a new active person, or the placeholder made
/// active with its id and history kept. The address becomes validated and preferred.
pub async fn complete_registration(
    ctx: &Context,
    token: &str,
    display_name: DisplayName,
    password: Password,
    origin: &Origin,
) -> Result<Completion, LinkPageError> {
    let hash = hash_password(ctx.hashing, password).await?;
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await?;
    let Some(email) = consume_for_address(&mut tx, token, TokenKind::NewAccount, now).await? else {
        return Ok(Completion::LinkInvalid);
    };
    let person = match find_person_by_email(&mut *tx, &email).await? {
        Some(p) if p.kind == PersonKind::Team => return Ok(Completion::TeamAddress(email)),
        Some(p) if p.status != PersonStatus::Placeholder => {
            tx.commit().await?;
            return Ok(Completion::AlreadyRegistered(email));
        }
        Some(mut placeholder) => {
            let activated = activate(
                &mut *tx,
                &placeholder.id,
                Some(&display_name),
                &hash,
                &[PersonStatus::Placeholder],
                now,
            )
            .await?;
            if !activated {
                // Another link of this address registered the placeholder meanwhile.
                tx.commit().await?;
                return Ok(Completion::AlreadyRegistered(email));
            }
            confirm_email(&mut *tx, &email).await?;
            placeholder.status = PersonStatus::Active;
            placeholder.display_name = display_name;
            placeholder.password_hash = Some(hash);
            placeholder
        }
        None => {
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
            match insert_account(&mut tx, &person, &email, now).await {
                // Another link of this address registered it meanwhile: its unique key
                // answers, and this link stays used.
                Err(e) if e.is_unique_violation() => {
                    tx.commit().await?;
                    return Ok(Completion::AlreadyRegistered(email));
                }
                inserted => inserted?,
            }
            person
        }
    };
    audit::record(
        &mut *tx,
        now,
        AuditCode::AccountRegistered,
        Some(&person.id),
        origin,
        email.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(Completion::SignedIn(person))
}

/// Sets the password of a PasswordRecovery link's address: the person becomes active, every
/// other recovery link of the address is used up, and every session of the person ends.
pub async fn complete_recovery(
    ctx: &Context,
    token: &str,
    password: Password,
    origin: &Origin,
    lang: crate::i18n::Lang,
) -> Result<Completion, LinkPageError> {
    let hash = hash_password(ctx.hashing, password).await?;
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await?;
    let Some(email) = consume_for_address(&mut tx, token, TokenKind::PasswordRecovery, now).await?
    else {
        return Ok(Completion::LinkInvalid);
    };
    let mut person = match find_person_by_email(&mut *tx, &email).await? {
        None => return Ok(Completion::LinkInvalid),
        Some(p) if p.kind == PersonKind::Team => return Ok(Completion::TeamAddress(email)),
        Some(p) if p.status == PersonStatus::Suspended => return Ok(Completion::Suspended),
        Some(p) => p,
    };
    let from = [
        PersonStatus::Active,
        PersonStatus::Deactivated,
        PersonStatus::Placeholder,
    ];
    if !activate(&mut *tx, &person.id, None, &hash, &from, now).await? {
        return Ok(Completion::Suspended);
    }
    confirm_email(&mut *tx, &email).await?;
    consume_tokens_for(&mut *tx, &email, TokenKind::PasswordRecovery, now).await?;
    super::sessions::end_sessions_of(ctx, &mut tx, &person.id).await?;
    // Whoever held the old password may hold tokens and keys it gave: they all end.
    revoke_everything(
        ctx,
        &mut tx,
        &person.id,
        CredentialChange::Recovery,
        true,
        (&email, lang),
    )
    .await?;
    audit::record(
        &mut *tx,
        now,
        AuditCode::PasswordReset,
        Some(&person.id),
        origin,
        email.as_str(),
    )
    .await?;
    tx.commit().await?;
    person.status = PersonStatus::Active;
    person.password_hash = Some(hash);
    Ok(Completion::SignedIn(person))
}
