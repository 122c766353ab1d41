//! The signed-in person's own account: who they are, changing their password, and entering it
//! again before a sensitive change.

use super::passwords::{HashingError, hash_password, verify_password};
use super::throttle::{self, Limit};
use super::{Context, Origin, audit};
use crate::db::DbError;
use crate::db::emails::{StoredEmail, list_emails};
use crate::db::people::{find_person_by_id, set_password};
use crate::domain::throttle::{account_key, ip_key};
use crate::domain::{AuditCode, MAX_PASSWORD_BYTES, Password, Person, PersonId, PersonStatus};

/// Why the account could not be read or changed (as opposed to a refusal).
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// Hashing failed.
    #[error(transparent)]
    Hashing(#[from] HashingError),
}

/// The signed-in person and their addresses.
#[derive(Debug, Clone)]
pub struct AccountView {
    /// The person.
    pub person: Person,
    /// Their addresses.
    pub emails: Vec<StoredEmail>,
}

impl AccountView {
    /// The address the person signs in with: the preferred one, else the first.
    pub fn login_email(&self) -> Option<&crate::domain::EmailAddress> {
        self.emails
            .iter()
            .find(|e| e.status == crate::domain::EmailStatus::Preferred)
            .or_else(|| self.emails.first())
            .map(|e| &e.address)
    }
}

/// The active person behind a session, with their addresses; `None` if they are gone or no
/// longer active (then the session must end).
pub async fn load(ctx: &Context, id: &PersonId) -> Result<Option<AccountView>, DbError> {
    let Some(person) = find_person_by_id(ctx.db.pool(), id).await? else {
        return Ok(None);
    };
    if person.status != PersonStatus::Active {
        return Ok(None);
    }
    let emails = list_emails(ctx.db.pool(), &person.id).await?;
    Ok(Some(AccountView { person, emails }))
}

/// The result of entering the password again before a sensitive change.
#[derive(Debug, PartialEq, Eq)]
pub enum Reauthentication {
    /// The password is right.
    Confirmed,
    /// The password is wrong (counted like a failed login).
    WrongPassword,
    /// Too many failures for this account or address: try again after this many seconds.
    LockedOut(i64),
}

/// Checks the signed-in person's password again. Failures count toward the same lockout as
/// the login form, so this form cannot be used to guess passwords faster; both outcomes are
/// in the audit trail.
pub async fn reauthenticate(
    ctx: &Context,
    view: &AccountView,
    typed: &str,
    origin: &Origin,
) -> Result<Reauthentication, AccountError> {
    let email = view.login_email().map_or("", |e| e.key());
    let limits = [
        Limit {
            key: account_key(email),
            threshold: ctx.throttle.account_failures,
        },
        Limit {
            key: ip_key(&origin.remote_addr),
            threshold: ctx.throttle.ip_failures,
        },
    ];
    if let Some(wait) = throttle::locked_for(ctx, &limits).await? {
        return Ok(Reauthentication::LockedOut(wait));
    }
    let right = match view.person.password_hash.clone() {
        Some(hash) if typed.len() <= MAX_PASSWORD_BYTES && !typed.is_empty() => {
            verify_password(hash, Password::for_verification(typed)).await?
        }
        _ => false,
    };
    let code = if right {
        throttle::forget(ctx, &limits[0].key).await?;
        AuditCode::LoginSucceeded
    } else {
        throttle::fail(ctx, &limits).await?;
        AuditCode::LoginFailed
    };
    audit::record(
        ctx.db.pool(),
        ctx.clock.now(),
        code,
        Some(&view.person.id),
        origin,
        "reauthentication",
    )
    .await?;
    Ok(if right {
        Reauthentication::Confirmed
    } else {
        Reauthentication::WrongPassword
    })
}

/// The result of a password change.
#[derive(Debug, PartialEq, Eq)]
pub enum PasswordChange {
    /// Changed; every session of the person has ended (the caller renews its own).
    Changed,
    /// The current password was wrong.
    WrongCurrentPassword,
}

/// Changes a password after checking the current one, and signs the person out everywhere.
pub async fn change_password(
    ctx: &Context,
    person: &Person,
    current: &str,
    new: Password,
    origin: &Origin,
) -> Result<PasswordChange, AccountError> {
    let Some(hash) = person.password_hash.clone() else {
        return Ok(PasswordChange::WrongCurrentPassword);
    };
    if current.len() > MAX_PASSWORD_BYTES
        || !verify_password(hash, Password::for_verification(current)).await?
    {
        return Ok(PasswordChange::WrongCurrentPassword);
    }
    let new_hash = hash_password(ctx.hashing, new).await?;
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    set_password(&mut *tx, &person.id, &new_hash, now).await?;
    super::sessions::end_sessions_of(ctx, &mut tx, &person.id).await?;
    audit::record(
        &mut *tx,
        now,
        AuditCode::PasswordChanged,
        Some(&person.id),
        origin,
        "",
    )
    .await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(PasswordChange::Changed)
}

/// Withdraws a person's consent to a client and revokes every token the client holds for
/// them. Returns whether there was a consent.
pub async fn revoke_app(
    ctx: &Context,
    person: &PersonId,
    client_id: &str,
) -> Result<bool, DbError> {
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await?;
    let had = crate::db::consents::delete_consent(&mut *tx, person, client_id).await?;
    crate::db::grants::revoke_for_person(&mut *tx, person, client_id, now).await?;
    tx.commit().await?;
    Ok(had)
}
