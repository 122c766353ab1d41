//! One submission of the login form: gather the facts, let the state machine decide, carry
//! out the decision (sign in, email a link, count a failure).

use secrecy::{ExposeSecret, SecretString};

use super::link_mail::{LinkError, send_link};
use super::passwords::{HashingError, check_password as verify, dummy_hash};
use super::throttle::{self, Attempt, password_limits};
use super::{Context, Origin, audit, second_step};
use crate::db::DbError;
use crate::db::emails::{find_email_owner, find_stored_email};
use crate::db::people::{find_person_by_email, set_password};
use crate::domain::device::KnownDevice;
use crate::domain::login_form::{AddressFacts, LoginAction, LoginOutcome, PasswordCheck, decide};
use crate::domain::throttle::mail_key;
use crate::domain::{
    AuditCode, EmailAddress, EmailStatus, MAX_PASSWORD_BYTES, Password, Person, PersonId,
    PersonKind, PersonStatus, TokenKind,
};
use crate::i18n::Lang;
use crate::mail::MailKind;

/// Why a submission could not be handled (as opposed to being refused with a message).
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// Hashing failed.
    #[error(transparent)]
    Hashing(#[from] HashingError),
    /// The email could not be prepared.
    #[error(transparent)]
    Link(#[from] LinkError),
}

/// What the form shows or does next.
#[derive(Debug)]
pub enum LoginReply {
    /// Show the form again with this outcome's message.
    Refused(LoginOutcome),
    /// Too many failures: try again after this many seconds.
    Locked(i64),
    /// Signed in: renew the session for this person.
    SignedIn(Person),
    /// The password was right; a second factor is needed before signing in.
    SecondStep(Person, EmailAddress),
    /// An email was (or, in privacy mode, may have been) sent: say "check your inbox".
    CheckInbox,
}

/// A submission, as parsed by the web layer.
#[derive(Debug)]
pub struct LoginSubmission<'a> {
    /// Which button.
    pub action: LoginAction,
    /// The address, if it parsed.
    pub email: Option<&'a EmailAddress>,
    /// The password field as typed (may be empty).
    pub password: &'a SecretString,
    /// The language for any email.
    pub lang: Lang,
    /// Where the request came from.
    pub origin: &'a Origin,
    /// The browser's device cookie, when it carries a valid one.
    pub device: Option<&'a KnownDevice>,
}

/// Emailed links (new account or recovery) sent to one address per hour at the most; further
/// requests get the same answer and no mail.
pub const LINK_MAILS_PER_HOUR: i64 = 3;

/// Handles one submission of `/+login`.
pub async fn submit(ctx: &Context, form: LoginSubmission<'_>) -> Result<LoginReply, LoginError> {
    let Some(typed) = form.email else {
        return Ok(LoginReply::Refused(LoginOutcome::InvalidEmail));
    };
    // A known address is used as stored from here on: its links and mails go to the stored
    // spelling, never to the one typed (`R1@Example.ORG` for `r1@example.org`).
    let stored = find_stored_email(ctx.db.pool(), typed).await?;
    let email = stored.as_ref().unwrap_or(typed);
    let person = match find_person_by_email(ctx.db.pool(), email).await? {
        // An address its owner never confirmed (one a merged placeholder brought along) is
        // nobody's here: it neither signs in nor recovers the account.
        Some(p) if p.status != PersonStatus::Placeholder && unconfirmed(ctx, email).await? => None,
        found => found,
    };
    let facts = match &person {
        None => AddressFacts::Unknown,
        Some(p) if p.kind == PersonKind::Team => AddressFacts::Team,
        Some(p) => AddressFacts::Person(p.status),
    };
    if form.action == LoginAction::Login {
        log_in(ctx, &form, email, person, facts).await
    } else {
        let outcome = decide(
            form.action,
            true,
            facts,
            PasswordCheck::Missing,
            ctx.login.hide_account_existence,
        );
        let subject = person.as_ref().map(|p| &p.id);
        request_link(ctx, &form, email, subject, outcome).await
    }
}

/// Whether an address is stored but not confirmed by its owner.
async fn unconfirmed(ctx: &Context, email: &EmailAddress) -> Result<bool, DbError> {
    let owner = find_email_owner(ctx.db.pool(), email).await?;
    Ok(owner.is_some_and(|(_, status)| status == EmailStatus::New))
}

/// The Login button: one attempt is reserved before the password is checked, so concurrent
/// guesses cannot get past the lockout.
async fn log_in(
    ctx: &Context,
    form: &LoginSubmission<'_>,
    email: &EmailAddress,
    person: Option<Person>,
    facts: AddressFacts,
) -> Result<LoginReply, LoginError> {
    let subject = person.as_ref().map(|p| p.id.clone());
    let limits = password_limits(ctx, email.key(), subject.as_ref(), form.device, form.origin);
    let reservation = match throttle::reserve(ctx, &limits).await? {
        Attempt::Locked(wait) => {
            audit::record(
                ctx.db.pool(),
                ctx.clock.now(),
                AuditCode::LoginLockedOut,
                None,
                form.origin,
                email.as_str(),
            )
            .await?;
            return Ok(LoginReply::Locked(wait));
        }
        Attempt::Reserved(reservation) => reservation,
    };
    let password = check_password(ctx, person.as_ref(), facts, form.password).await?;
    let outcome = decide(
        LoginAction::Login,
        true,
        facts,
        password,
        ctx.login.hide_account_existence,
    );
    match (outcome, person) {
        (LoginOutcome::SignIn, Some(person)) => {
            upgrade_hash_if_needed(ctx, &person, form.password).await?;
            if second_step::required(ctx, &person.id).await? {
                throttle::released(ctx, &reservation).await?;
                audit::record(
                    ctx.db.pool(),
                    ctx.clock.now(),
                    AuditCode::SecondStepStarted,
                    Some(&person.id),
                    form.origin,
                    email.as_str(),
                )
                .await?;
                return Ok(LoginReply::SecondStep(person, email.clone()));
            }
            throttle::succeeded(ctx, &reservation).await?;
            audit::record(
                ctx.db.pool(),
                ctx.clock.now(),
                AuditCode::LoginSucceeded,
                Some(&person.id),
                form.origin,
                email.as_str(),
            )
            .await?;
            Ok(LoginReply::SignedIn(person))
        }
        (refused, _) => {
            throttle::failed(ctx, &reservation).await?;
            audit::record(
                ctx.db.pool(),
                ctx.clock.now(),
                AuditCode::LoginFailed,
                subject.as_ref(),
                form.origin,
                email.as_str(),
            )
            .await?;
            let refused = if refused == LoginOutcome::SignIn {
                LoginOutcome::IncorrectPassword
            } else {
                refused
            };
            Ok(LoginReply::Refused(refused))
        }
    }
}

/// Create account or recovery: never counted as a failed login and never blocked by the login
/// lockout (a person can always recover by emailed link), but at most `LINK_MAILS_PER_HOUR`
/// mails per address each hour.
async fn request_link(
    ctx: &Context,
    form: &LoginSubmission<'_>,
    email: &EmailAddress,
    subject: Option<&PersonId>,
    outcome: LoginOutcome,
) -> Result<LoginReply, LoginError> {
    let (kind, mail, code) = match outcome {
        LoginOutcome::SendNewAccountLink => (
            TokenKind::NewAccount,
            MailKind::NewAccount,
            AuditCode::NewAccountRequested,
        ),
        LoginOutcome::NotifyNoAccount => (
            TokenKind::NewAccount,
            MailKind::NoAccount,
            AuditCode::NewAccountRequested,
        ),
        LoginOutcome::SendRecoveryLink => (
            TokenKind::PasswordRecovery,
            MailKind::PasswordRecovery,
            AuditCode::RecoveryRequested,
        ),
        LoginOutcome::NotifyAlreadyRegistered => (
            TokenKind::PasswordRecovery,
            MailKind::AlreadyRegistered,
            AuditCode::RecoveryRequested,
        ),
        refused => return Ok(LoginReply::Refused(refused)),
    };
    let sent_this_hour = throttle::count_per_window(ctx, &mail_key(email.key()), 3600).await?;
    let within_limits = !ctx.throttle.enabled || sent_this_hour <= LINK_MAILS_PER_HOUR;
    if within_limits {
        send_link(ctx, kind, mail, email, subject, form.lang).await?;
    }
    let detail = if within_limits {
        email.as_str().to_owned()
    } else {
        format!(
            "{} (hourly mail limit reached, nothing sent)",
            email.as_str()
        )
    };
    audit::record(
        ctx.db.pool(),
        ctx.clock.now(),
        code,
        subject,
        form.origin,
        &detail,
    )
    .await?;
    Ok(LoginReply::CheckInbox)
}

/// Verifies the password against the person's hash, or against a dummy hash when there is
/// none to check, so that every "incorrect password" answer costs one argon2 verification.
async fn check_password(
    ctx: &Context,
    person: Option<&Person>,
    facts: AddressFacts,
    typed: &SecretString,
) -> Result<PasswordCheck, LoginError> {
    let typed = typed.expose_secret();
    if typed.is_empty() {
        // Still spend the same time as a wrong password.
        verify(
            ctx,
            dummy_hash(ctx.hashing).await?,
            Password::for_verification(" "),
        )
        .await?;
        return Ok(PasswordCheck::Missing);
    }
    if typed.len() > MAX_PASSWORD_BYTES {
        // Refused before hashing: bounded work whatever is sent.
        return Ok(PasswordCheck::Wrong);
    }
    let own_hash = match (facts, person) {
        (AddressFacts::Person(PersonStatus::Active), Some(p)) => p.password_hash.clone(),
        _ => None,
    };
    let password = Password::for_verification(typed);
    match own_hash {
        Some(hash) => Ok(if verify(ctx, hash, password).await? {
            PasswordCheck::Right
        } else {
            PasswordCheck::Wrong
        }),
        None => {
            verify(ctx, dummy_hash(ctx.hashing).await?, password).await?;
            Ok(PasswordCheck::Wrong)
        }
    }
}

/// Re-hashes with the current parameters a password that was hashed with older ones.
async fn upgrade_hash_if_needed(
    ctx: &Context,
    person: &Person,
    typed: &SecretString,
) -> Result<(), LoginError> {
    let Some(hash) = &person.password_hash else {
        return Ok(());
    };
    if !ctx.hashing.needs_upgrade(hash) {
        return Ok(());
    }
    let new_hash = super::passwords::hash_password(
        ctx.hashing,
        Password::for_verification(typed.expose_secret()),
    )
    .await?;
    set_password(ctx.db.pool(), &person.id, &new_hash, ctx.clock.now()).await?;
    tracing::info!(person = %person.id, "password hash upgraded to the current parameters");
    Ok(())
}
