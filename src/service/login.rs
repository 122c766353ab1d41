//! One submission of the login form: gather the facts, let the state machine decide, carry
//! out the decision (sign in, email a link, count a failure).

use super::email_links::{LinkError, send_link};
use super::passwords::{HashingError, dummy_hash, verify_password};
use super::throttle::{self, Limit};
use super::{Context, Origin, audit};
use crate::db::DbError;
use crate::db::people::{find_person_by_email, set_password};
use crate::domain::login_form::{AddressFacts, LoginAction, LoginOutcome, PasswordCheck, decide};
use crate::domain::throttle::{account_key, ip_key};
use crate::domain::{
    AuditCode, EmailAddress, MAX_PASSWORD_BYTES, Password, Person, PersonKind, TokenKind,
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
    pub password: &'a str,
    /// The language for any email.
    pub lang: Lang,
    /// Where the request came from.
    pub origin: &'a Origin,
}

/// Handles one submission of `/+login`.
pub async fn submit(ctx: &Context, form: LoginSubmission<'_>) -> Result<LoginReply, LoginError> {
    let Some(email) = form.email else {
        return Ok(LoginReply::Refused(LoginOutcome::InvalidEmail));
    };
    let limits = [
        Limit {
            key: account_key(email.key()),
            threshold: ctx.throttle.account_failures,
        },
        Limit {
            key: ip_key(&form.origin.remote_addr),
            threshold: ctx.throttle.ip_failures,
        },
    ];
    if let Some(wait) = throttle::locked_for(ctx, &limits).await? {
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
    let person = find_person_by_email(ctx.db.pool(), email).await?;
    let facts = match &person {
        None => AddressFacts::Unknown,
        Some(p) if p.kind == PersonKind::Team => AddressFacts::Team,
        Some(p) => AddressFacts::Person(p.status),
    };
    let password = if form.action == LoginAction::Login {
        check_password(ctx, person.as_ref(), facts, form.password).await?
    } else {
        PasswordCheck::Missing
    };
    let outcome = decide(
        form.action,
        true,
        facts,
        password,
        ctx.login.hide_account_existence,
    );
    let subject = person.as_ref().map(|p| &p.id);
    match outcome {
        LoginOutcome::SignIn => {
            let Some(person) = person else {
                return Ok(LoginReply::Refused(LoginOutcome::IncorrectPassword));
            };
            upgrade_hash_if_needed(ctx, &person, form.password).await?;
            throttle::forget(ctx, &limits[0].key).await?;
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
        LoginOutcome::SendNewAccountLink | LoginOutcome::NotifyNoAccount => {
            throttle::fail(ctx, &limits).await?;
            let mail = if outcome == LoginOutcome::SendNewAccountLink {
                MailKind::NewAccount
            } else {
                MailKind::NoAccount
            };
            send_link(ctx, TokenKind::NewAccount, mail, email, subject, form.lang).await?;
            audit::record(
                ctx.db.pool(),
                ctx.clock.now(),
                AuditCode::NewAccountRequested,
                subject,
                form.origin,
                email.as_str(),
            )
            .await?;
            Ok(LoginReply::CheckInbox)
        }
        LoginOutcome::SendRecoveryLink | LoginOutcome::NotifyAlreadyRegistered => {
            throttle::fail(ctx, &limits).await?;
            let mail = if outcome == LoginOutcome::SendRecoveryLink {
                MailKind::PasswordRecovery
            } else {
                MailKind::AlreadyRegistered
            };
            send_link(
                ctx,
                TokenKind::PasswordRecovery,
                mail,
                email,
                subject,
                form.lang,
            )
            .await?;
            audit::record(
                ctx.db.pool(),
                ctx.clock.now(),
                AuditCode::RecoveryRequested,
                subject,
                form.origin,
                email.as_str(),
            )
            .await?;
            Ok(LoginReply::CheckInbox)
        }
        refused => {
            if form.action == LoginAction::Login {
                throttle::fail(ctx, &limits).await?;
                audit::record(
                    ctx.db.pool(),
                    ctx.clock.now(),
                    AuditCode::LoginFailed,
                    subject,
                    form.origin,
                    email.as_str(),
                )
                .await?;
            }
            Ok(LoginReply::Refused(refused))
        }
    }
}

/// Verifies the password against the person's hash, or against a dummy hash when there is
/// none to check, so that every "incorrect password" answer costs one argon2 verification.
async fn check_password(
    ctx: &Context,
    person: Option<&Person>,
    facts: AddressFacts,
    typed: &str,
) -> Result<PasswordCheck, LoginError> {
    if typed.is_empty() {
        // Still spend the same time as a wrong password.
        verify_password(
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
        (AddressFacts::Person(crate::domain::PersonStatus::Active), Some(p)) => {
            p.password_hash.clone()
        }
        _ => None,
    };
    let password = Password::for_verification(typed);
    match own_hash {
        Some(hash) => Ok(if verify_password(hash, password).await? {
            PasswordCheck::Right
        } else {
            PasswordCheck::Wrong
        }),
        None => {
            verify_password(dummy_hash(ctx.hashing).await?, password).await?;
            Ok(PasswordCheck::Wrong)
        }
    }
}

/// Re-hashes with the current parameters a password that was hashed with older ones.
async fn upgrade_hash_if_needed(
    ctx: &Context,
    person: &Person,
    typed: &str,
) -> Result<(), LoginError> {
    let Some(hash) = &person.password_hash else {
        return Ok(());
    };
    if !ctx.hashing.needs_upgrade(hash) {
        return Ok(());
    }
    let new_hash =
        super::passwords::hash_password(ctx.hashing, Password::for_verification(typed)).await?;
    set_password(ctx.db.pool(), &person.id, &new_hash, ctx.clock.now()).await?;
    tracing::info!(person = %person.id, "password hash upgraded to the current parameters");
    Ok(())
}
