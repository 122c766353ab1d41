//! Signing in with a passkey: without a password (a discoverable credential picked by the
//! browser, user verification required: a complete, two-factor sign-in on its own), and as
//! the second step after a right password (only that person's passkeys). Failures are counted
//! by the lockout and audited.

use webauthn_rs::prelude::{
    AuthenticationResult, DiscoverableAuthentication, PasskeyAuthentication, PublicKeyCredential,
    RequestChallengeResponse,
};

use super::{PasskeyError, credential_id_text, credential_of, list, user_handle, webauthn};
use crate::db::passkeys::{StoredPasskey, find_passkey_by_credential_id, record_passkey_use};
use crate::domain::AuditCode;
use crate::domain::device::KnownDevice;
use crate::domain::passkey::proved_by_passkey;
use crate::domain::second_factor::AuthMethods;
use crate::domain::throttle::ip_key;
use crate::service::account::{self, AccountView};
use crate::service::second_step::{self, PendingSignIn};
use crate::service::throttle::{self, Attempt, Limit};
use crate::service::{Context, Origin, audit};

/// How a passkey sign-in ended.
#[derive(Debug)]
pub enum SignInReply {
    /// Signed in: the person, and how (the methods for the session).
    SignedIn(Box<AccountView>, AuthMethods),
    /// The passkey is unknown, not this person's, or its answer did not verify.
    Refused,
    /// Too many failures from this address: try again after this many seconds.
    Locked(i64),
}

/// How a passkey at the second step ended.
#[derive(Debug)]
pub enum StepReply {
    /// The step succeeded: the methods of the whole sign-in.
    Proved(AuthMethods),
    /// Not one of this person's passkeys, or its answer did not verify.
    Refused,
    /// Too many failures: try again after this many seconds.
    Locked(i64),
}

/// Starts a sign-in without a password: options that name no credential (the browser offers
/// the passkeys it holds for this site) and the state to keep until the answer comes.
pub fn begin(
    ctx: &Context,
) -> Result<(RequestChallengeResponse, DiscoverableAuthentication), PasskeyError> {
    webauthn(ctx)?
        .start_discoverable_authentication()
        .map_err(PasskeyError::Ceremony)
}

/// The lockout key of a sign-in without a password: the client's address, as for the login
/// form (no address was typed, so there is no account key to count).
fn address_limit(ctx: &Context, origin: &Origin) -> [Limit; 1] {
    [Limit {
        key: ip_key(&origin.remote_addr),
        threshold: ctx.throttle.ip_failures,
    }]
}

/// Finishes a sign-in without a password. The credential must be stored, its user handle must
/// be its owner's, the owner active, and the answer must verify with user verification.
pub async fn finish(
    ctx: &Context,
    state: DiscoverableAuthentication,
    answer: &PublicKeyCredential,
    origin: &Origin,
) -> Result<SignInReply, PasskeyError> {
    let webauthn = webauthn(ctx)?;
    let reservation = match throttle::reserve(ctx, &address_limit(ctx, origin)).await? {
        Attempt::Reserved(reservation) => reservation,
        Attempt::Locked(wait) => {
            let now = ctx.clock.now();
            let (code, detail) = (AuditCode::LoginLockedOut, "passkey");
            audit::record(ctx.db.pool(), now, code, None, origin, detail).await?;
            return Ok(SignInReply::Locked(wait));
        }
    };
    let found =
        find_passkey_by_credential_id(ctx.db.pool(), &credential_id_text(&answer.raw_id)).await?;
    let owner = match &found {
        Some(stored) => account::load(ctx, &stored.person_id).await?,
        None => None,
    };
    let verified = match (&found, &owner) {
        (Some(stored), Some(_)) => {
            let handle_is_owner = webauthn
                .identify_discoverable_authentication(answer)
                .is_ok_and(|(handle, _)| user_handle(&stored.person_id).is_ok_and(|h| h == handle));
            let passkey = credential_of(stored)?;
            match handle_is_owner {
                true => webauthn
                    .finish_discoverable_authentication_v2(answer, state, &passkey)
                    .map_err(|e| e.to_string()),
                false => Err("the user handle is not the passkey's owner".to_owned()),
            }
        }
        (Some(_), None) => Err("the passkey's owner cannot sign in".to_owned()),
        (None, _) => Err("unknown passkey".to_owned()),
    };
    let now = ctx.clock.now();
    match (verified, found, owner) {
        (Ok(result), Some(stored), Some(owner)) => {
            record_use(ctx, &stored, &result).await?;
            throttle::succeeded(ctx, &reservation).await?;
            let methods = AuthMethods::passkey(!result.backup_eligible());
            let detail = format!(
                "{} (passkey {}: {methods})",
                address_of(&owner),
                stored.name
            );
            let (code, who) = (AuditCode::LoginSucceeded, Some(&owner.person.id));
            audit::record(ctx.db.pool(), now, code, who, origin, &detail).await?;
            Ok(SignInReply::SignedIn(Box::new(owner), methods))
        }
        (verified, found, _) => {
            throttle::failed(ctx, &reservation).await?;
            let why = verified.err().unwrap_or_default();
            let who = found.as_ref().map(|s| &s.person_id);
            let detail = format!("passkey: {why}");
            audit::record(
                ctx.db.pool(),
                now,
                AuditCode::LoginFailed,
                who,
                origin,
                &detail,
            )
            .await?;
            Ok(SignInReply::Refused)
        }
    }
}

/// Starts a passkey at the second step: only the passkeys of the person signing in are allowed.
pub async fn begin_second_step(
    ctx: &Context,
    pending: &PendingSignIn,
) -> Result<(RequestChallengeResponse, PasskeyAuthentication), PasskeyError> {
    let webauthn = webauthn(ctx)?;
    let stored = list(ctx, &pending.person_id()).await?;
    let mut passkeys = Vec::with_capacity(stored.len());
    for s in &stored {
        passkeys.push(credential_of(s)?);
    }
    if passkeys.is_empty() {
        return Err(PasskeyError::UnknownPasskey);
    }
    webauthn
        .start_passkey_authentication(&passkeys)
        .map_err(PasskeyError::Ceremony)
}

/// Finishes a passkey at the second step: counted like a password attempt, and on success the
/// sign-in's methods gain the key (`hwk` or `swk`) and `user` when the authenticator verified
/// its user.
pub async fn finish_second_step(
    ctx: &Context,
    pending: &PendingSignIn,
    state: &PasskeyAuthentication,
    answer: &PublicKeyCredential,
    device: Option<&KnownDevice>,
    origin: &Origin,
) -> Result<StepReply, PasskeyError> {
    let webauthn = webauthn(ctx)?;
    let reservation = match second_step::reserve(ctx, pending, device, origin).await? {
        Attempt::Reserved(reservation) => reservation,
        Attempt::Locked(wait) => return Ok(StepReply::Locked(wait)),
    };
    let found = find_passkey_by_credential_id(ctx.db.pool(), &credential_id_text(&answer.raw_id))
        .await?
        .filter(|stored| stored.person_id == pending.person_id());
    let verified = found
        .as_ref()
        .and_then(|_| webauthn.finish_passkey_authentication(answer, state).ok());
    match (found, verified) {
        (Some(stored), Some(result)) => {
            record_use(ctx, &stored, &result).await?;
            let proved = proved_by_passkey(result.backup_eligible(), result.user_verified());
            let methods =
                second_step::succeeded(ctx, pending, &reservation, origin, &proved).await?;
            Ok(StepReply::Proved(methods))
        }
        _ => {
            second_step::failed(ctx, pending, &reservation, origin, "passkey").await?;
            Ok(StepReply::Refused)
        }
    }
}

/// Stores what a successful use changed (counter, backup state) and when it was used.
async fn record_use(
    ctx: &Context,
    stored: &StoredPasskey,
    result: &AuthenticationResult,
) -> Result<(), PasskeyError> {
    let mut passkey = credential_of(stored)?;
    passkey.update_credential(result);
    let credential = serde_json::to_string(&passkey).map_err(PasskeyError::Corrupt)?;
    record_passkey_use(ctx.db.pool(), &stored.id, &credential, ctx.clock.now()).await?;
    Ok(())
}

/// The address an audit row names for a person.
fn address_of(view: &AccountView) -> String {
    view.login_email()
        .map_or_else(|| view.person.id.to_string(), |e| e.as_str().to_owned())
}
