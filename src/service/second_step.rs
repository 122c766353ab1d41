//! The second step of a sign-in: after a right password, a person with a passkey or an
//! authenticator app is not signed in until one of them (or a recovery code) succeeds. The
//! pending sign-in lives in the session; failures here count toward the same lockout as wrong
//! passwords and are audited.

use serde::{Deserialize, Serialize};

use super::throttle::{self, Attempt, Limit, Reservation, password_limits};
use super::{Context, Origin, audit};
use crate::db::DbError;
use crate::db::second_factors::has_second_factor;
use crate::domain::device::KnownDevice;
use crate::domain::second_factor::AuthMethods;
use crate::domain::{AuditCode, PersonId};

/// How long a pending second step stays open after the password was right.
pub const SECOND_STEP_SECS: i64 = 10 * 60;

/// Why the pending sign-in waits: a sign-in with a password, or a signed-in person asked to
/// prove more (a relying party's `acr_values`, or a client that requires two factors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Purpose {
    /// The person is not signed in yet.
    SignIn,
    /// The person is signed in and steps up.
    StepUp,
}

/// A sign-in waiting for its second step, as kept in the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSignIn {
    person: String,
    /// The address the first step named (its throttle key and the audit detail).
    email: String,
    /// The stored key of that address (`EmailAddress::key`).
    email_key: String,
    /// What the first step proved (stored form of `AuthMethods`).
    methods: String,
    started_at: i64,
    next: Option<String>,
    purpose: Purpose,
}

impl PendingSignIn {
    /// A second step for `person`, begun at `now` after `methods` succeeded.
    pub fn new(
        person: &PersonId,
        email: &crate::domain::EmailAddress,
        methods: &AuthMethods,
        now: i64,
        next: Option<&str>,
        purpose: Purpose,
    ) -> Self {
        Self {
            person: person.as_str().to_owned(),
            email: email.as_str().to_owned(),
            email_key: email.key().to_owned(),
            methods: methods.to_string(),
            started_at: now,
            next: next.map(str::to_owned),
            purpose,
        }
    }

    /// The person who is signing in.
    pub fn person_id(&self) -> PersonId {
        PersonId::from_stored(self.person.clone())
    }

    /// The address the first step named.
    pub fn email(&self) -> &str {
        &self.email
    }

    /// What the first step proved.
    pub fn methods(&self) -> AuthMethods {
        AuthMethods::parse(&self.methods)
    }

    /// Where to go once signed in (a local path, checked when it was stored).
    pub fn next(&self) -> Option<&str> {
        self.next.as_deref()
    }

    /// Why the step is asked for.
    pub fn purpose(&self) -> Purpose {
        self.purpose
    }

    /// Whether it is still open at `now`.
    pub fn is_open(&self, now: i64) -> bool {
        now >= self.started_at && now - self.started_at <= SECOND_STEP_SECS
    }

    /// The lockout keys a second-step attempt counts under: the same as a password attempt.
    pub fn limits(
        &self,
        ctx: &Context,
        device: Option<&KnownDevice>,
        origin: &Origin,
    ) -> [Limit; 2] {
        password_limits(
            ctx,
            &self.email_key,
            Some(&self.person_id()),
            device,
            origin,
        )
    }
}

/// Whether a person must pass a second step after their password.
pub async fn required(ctx: &Context, person: &PersonId) -> Result<bool, DbError> {
    has_second_factor(ctx.db.pool(), person).await
}

/// Reserves one second-step attempt (before a code or passkey is checked), as a password
/// attempt is reserved: however many arrive at once, no more than the threshold go ahead.
pub async fn reserve(
    ctx: &Context,
    pending: &PendingSignIn,
    device: Option<&KnownDevice>,
    origin: &Origin,
) -> Result<Attempt, DbError> {
    let attempt = throttle::reserve(ctx, &pending.limits(ctx, device, origin)).await?;
    if let Attempt::Locked(_) = attempt {
        audit::record(
            ctx.db.pool(),
            ctx.clock.now(),
            AuditCode::LoginLockedOut,
            Some(&pending.person_id()),
            origin,
            &format!("{} (second step)", pending.email()),
        )
        .await?;
    }
    Ok(attempt)
}

/// A second-step attempt failed (`what`: which kind of factor): counted and audited.
pub async fn failed(
    ctx: &Context,
    pending: &PendingSignIn,
    reservation: &Reservation,
    origin: &Origin,
    what: &str,
) -> Result<(), DbError> {
    throttle::failed(ctx, reservation).await?;
    audit::record(
        ctx.db.pool(),
        ctx.clock.now(),
        AuditCode::SecondStepFailed,
        Some(&pending.person_id()),
        origin,
        &format!("{} ({what})", pending.email()),
    )
    .await
}

/// A second step succeeded with `proved`: the lockout forgets the failures, the sign-in is
/// audited, and the methods of the whole sign-in are returned for the session.
pub async fn succeeded(
    ctx: &Context,
    pending: &PendingSignIn,
    reservation: &Reservation,
    origin: &Origin,
    proved: &AuthMethods,
) -> Result<AuthMethods, DbError> {
    throttle::succeeded(ctx, reservation).await?;
    let methods = pending.methods().with(proved.methods().iter().copied());
    audit::record(
        ctx.db.pool(),
        ctx.clock.now(),
        AuditCode::LoginSucceeded,
        Some(&pending.person_id()),
        origin,
        &format!("{} ({methods})", pending.email()),
    )
    .await?;
    Ok(methods)
}

/// Which factors the second-step page offers a person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// At least one passkey.
    pub passkey: bool,
    /// An authenticator app.
    pub authenticator_app: bool,
    /// At least one unused recovery code.
    pub recovery_codes: bool,
}

/// The factors a person can use at the second step.
pub async fn options(ctx: &Context, person: &PersonId) -> Result<Options, DbError> {
    use crate::domain::second_factor::FactorKind;
    let factors = crate::db::second_factors::factors_of(ctx.db.pool(), person).await?;
    let has = |kind| factors.iter().any(|f| f.kind == kind);
    Ok(Options {
        passkey: has(FactorKind::Passkey),
        authenticator_app: has(FactorKind::AuthenticatorApp),
        recovery_codes: has(FactorKind::RecoveryCodes),
    })
}
