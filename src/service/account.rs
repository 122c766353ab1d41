//! The signed-in person's own account: who they are, changing their password, and entering it
//! again before a sensitive change.

use super::credentials::{CredentialChange, revoke_everything};
use super::passwords::{HashingError, check_password, hash_password};
use super::throttle::{self, Attempt, password_limits};
use super::{Context, Origin, audit};
use crate::db::DbError;
use crate::db::emails::list_emails;
use crate::db::people::{find_person_by_id, set_display_name, set_password};
use crate::domain::device::KnownDevice;
use crate::domain::{
    AuditCode, DisplayName, MAX_PASSWORD_BYTES, Password, Person, PersonId, PersonStatus,
    StoredEmail,
};

/// Why the account could not be read or changed (as opposed to a refusal).
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// Hashing failed.
    #[error(transparent)]
    Hashing(#[from] HashingError),
    /// Revoking what the old password gave failed.
    #[error(transparent)]
    Credentials(#[from] super::credentials::CredentialsError),
    /// The security notice could not be queued.
    #[error(transparent)]
    Notice(#[from] super::security_mail::NoticeError),
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

/// The account behind a session that signed in at `login_at`, or `None` when the session must
/// end: it outlived the absolute session lifetime, began before the person's sessions were last
/// ended (a password change or reset), or the person is gone or no longer active.
pub async fn signed_in_view(
    ctx: &Context,
    id: &PersonId,
    login_at: i64,
) -> Result<Option<AccountView>, AccountError> {
    if outlived(ctx, login_at) {
        return Ok(None);
    }
    Ok(load(ctx, id)
        .await?
        .filter(|view| login_at >= view.person.sessions_not_before))
}

/// Whether a session that signed in at `login_at` is past its absolute lifetime.
fn outlived(ctx: &Context, login_at: i64) -> bool {
    let absolute = i64::try_from(ctx.lifetimes.session_absolute.as_secs()).unwrap_or(i64::MAX);
    ctx.clock.now() >= login_at.saturating_add(absolute)
}

/// The name of the person a session signed in as, for the header of a page: one read by id,
/// and `None` whenever `signed_in_view` would refuse the session (the page itself decides
/// whether to end it).
pub async fn signed_in_name(
    ctx: &Context,
    id: &PersonId,
    login_at: i64,
) -> Result<Option<DisplayName>, DbError> {
    if outlived(ctx, login_at) {
        return Ok(None);
    }
    Ok(find_person_by_id(ctx.db.pool(), id)
        .await?
        .filter(|p| p.status == PersonStatus::Active && login_at >= p.sessions_not_before)
        .map(|p| p.display_name))
}

/// Gives the signed-in person a new display name (already checked like a registration's),
/// audited as `DisplayNameChanged`; the same name again changes nothing.
pub async fn change_display_name(
    ctx: &Context,
    person: &PersonId,
    name: &DisplayName,
    origin: &Origin,
) -> Result<(), DbError> {
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await?;
    if set_display_name(&mut *tx, person, name, now).await? {
        let code = AuditCode::DisplayNameChanged;
        audit::record(&mut *tx, now, code, Some(person), origin, "").await?;
    }
    tx.commit().await?;
    Ok(())
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

/// Checks the signed-in person's password again. The attempt is reserved before the check and
/// counts toward the same lockout as the login form (this browser's own counter when it is a
/// known device), so this form cannot be used to guess passwords faster; both outcomes are in
/// the audit trail.
pub async fn reauthenticate(
    ctx: &Context,
    view: &AccountView,
    typed: &str,
    origin: &Origin,
    device: Option<&KnownDevice>,
) -> Result<Reauthentication, AccountError> {
    Ok(
        match checked_password(ctx, view, typed, origin, device, "reauthentication").await? {
            Checked::Right => Reauthentication::Confirmed,
            Checked::Wrong => Reauthentication::WrongPassword,
            Checked::Locked(wait) => Reauthentication::LockedOut(wait),
        },
    )
}

/// What checking a password under the lockout gave.
enum Checked {
    Right,
    Wrong,
    Locked(i64),
}

/// Reserves an attempt, checks the password, reports the outcome to the lockout and the audit
/// trail (`why` says which form asked).
async fn checked_password(
    ctx: &Context,
    view: &AccountView,
    typed: &str,
    origin: &Origin,
    device: Option<&KnownDevice>,
    why: &str,
) -> Result<Checked, AccountError> {
    let email = view.login_email().map_or("", |e| e.key());
    let limits = password_limits(ctx, email, Some(&view.person.id), device, origin);
    let reservation = match throttle::reserve(ctx, &limits).await? {
        Attempt::Locked(wait) => {
            audit::record(
                ctx.db.pool(),
                ctx.clock.now(),
                AuditCode::LoginLockedOut,
                Some(&view.person.id),
                origin,
                why,
            )
            .await?;
            return Ok(Checked::Locked(wait));
        }
        Attempt::Reserved(reservation) => reservation,
    };
    let right = match view.person.password_hash.clone() {
        Some(hash) if typed.len() <= MAX_PASSWORD_BYTES && !typed.is_empty() => {
            check_password(ctx, hash, Password::for_verification(typed)).await?
        }
        _ => false,
    };
    let code = if right {
        throttle::succeeded(ctx, &reservation).await?;
        AuditCode::LoginSucceeded
    } else {
        throttle::failed(ctx, &reservation).await?;
        AuditCode::LoginFailed
    };
    audit::record(
        ctx.db.pool(),
        ctx.clock.now(),
        code,
        Some(&view.person.id),
        origin,
        why,
    )
    .await?;
    Ok(if right {
        Checked::Right
    } else {
        Checked::Wrong
    })
}

/// A password change as the form asks for it.
#[derive(Debug)]
pub struct NewPassword<'a> {
    /// The current password, as typed.
    pub current: &'a str,
    /// The new password.
    pub new: Password,
    /// Whether the person's API keys are revoked too (OIDC grants always are).
    pub revoke_api_keys: bool,
    /// The language of the mail that lists what was revoked.
    pub lang: crate::i18n::Lang,
}

/// The result of a password change.
#[derive(Debug, PartialEq, Eq)]
pub enum PasswordChange {
    /// Changed; every session of the person has ended (the caller renews its own).
    Changed,
    /// The current password was wrong (counted like a failed login).
    WrongCurrentPassword,
    /// Too many failures: try again after this many seconds.
    LockedOut(i64),
}

/// Changes a password after checking the current one under the lockout, and signs the person
/// out everywhere.
pub async fn change_password(
    ctx: &Context,
    view: &AccountView,
    change: NewPassword<'_>,
    origin: &Origin,
    device: Option<&KnownDevice>,
) -> Result<PasswordChange, AccountError> {
    let NewPassword {
        current,
        new,
        revoke_api_keys,
        lang,
    } = change;
    match checked_password(ctx, view, current, origin, device, "password change").await? {
        Checked::Right => {}
        Checked::Wrong => return Ok(PasswordChange::WrongCurrentPassword),
        Checked::Locked(wait) => return Ok(PasswordChange::LockedOut(wait)),
    }
    let person = &view.person;
    let new_hash = hash_password(ctx.hashing, new).await?;
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    set_password(&mut *tx, &person.id, &new_hash, now).await?;
    super::sessions::end_sessions_of(ctx, &mut tx, &person.id).await?;
    if let Some(email) = view.login_email() {
        revoke_everything(
            ctx,
            &mut tx,
            &person.id,
            CredentialChange::PasswordChange,
            revoke_api_keys,
            (email, lang),
        )
        .await?;
        let notice = super::security_mail::SecurityNotice::PasswordChanged;
        super::security_mail::notify(ctx, &mut tx, email, lang, notice).await?;
    }
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

/// The applications a person has consented to, by name.
pub async fn applications(
    ctx: &Context,
    person: &PersonId,
) -> Result<Vec<crate::db::consents::ConsentListing>, DbError> {
    crate::db::consents::list_consents(ctx.db.pool(), person).await
}

/// Withdraws a person's consent to a client and revokes every token the client holds for
/// them, audited. Returns whether there was a consent.
pub async fn revoke_app(
    ctx: &Context,
    person: &PersonId,
    client_id: &str,
    origin: &Origin,
) -> Result<bool, DbError> {
    use crate::service::oidc::consents::{Revoker, revoke_consent};
    revoke_consent(ctx, person, client_id, Revoker::Person(origin)).await
}

/// Records in the audit trail that the person signed a session out; `detail` says which
/// (empty for the session that asked).
pub async fn record_sign_out(
    ctx: &Context,
    person: &PersonId,
    origin: &Origin,
    detail: &str,
) -> Result<(), DbError> {
    audit::record(
        ctx.db.pool(),
        ctx.clock.now(),
        AuditCode::SignedOut,
        Some(person),
        origin,
        detail,
    )
    .await
}
