//! Passkeys (WebAuthn, through `webauthn-rs`): the relying party built once from the public URL,
//! and a person's passkeys — registering one (a discoverable credential, so it can sign in
//! without an address), listing, renaming and removing them. Signing in with one, with or
//! without a password first, is in `sign_in`.
//!
//! The WebAuthn user handle of a person is their person id, a random UUID that never changes
//! and says nothing about them; a passkey's owner is checked against it at every sign-in.

pub mod sign_in;

use std::sync::Arc;

use sqlx::AnyConnection;
use webauthn_rs::prelude::{
    Passkey, PasskeyRegistration, RegisterPublicKeyCredential, Uuid, WebauthnError,
};
use webauthn_rs::{Webauthn, WebauthnBuilder};

use super::account::AccountView;
use super::factor_notice::{FactorChange, NoticeError, notify};
use super::recovery_codes::issue_codes;
use super::{Context, Origin, audit};
use crate::db::DbError;
use crate::db::passkeys::{
    StoredPasskey, insert_passkey, list_passkeys, remove_passkey, rename_passkey,
};
use crate::db::recovery_codes::delete_recovery_codes;
use crate::db::second_factors::has_second_factor;
use crate::domain::passkey::{PasskeyName, RelyingParty, RelyingPartyError};
use crate::domain::second_factor::FactorKind;
use crate::domain::{AuditCode, PersonId};
use crate::i18n::Lang;

/// The name browsers show for the relying party.
const RP_NAME: &str = "Latchkey";

/// Why a passkey use case did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    /// Passkeys are off: the public URL's host is not a domain name.
    #[error("passkeys are off: the public URL's host is not a domain name")]
    Unavailable,
    /// The person has no passkey with this id.
    #[error("no such passkey")]
    UnknownPasskey,
    /// The credential is stored already (for this person or another).
    #[error("this passkey is registered already")]
    AlreadyRegistered,
    /// The browser's answer did not verify (challenge, origin, signature, flags, counter).
    #[error("the passkey ceremony failed: {0}")]
    Ceremony(#[source] WebauthnError),
    /// A person id is not a UUID, so it cannot be a user handle.
    #[error("person {0} has an id that is not a UUID")]
    BadUserHandle(String),
    /// A stored credential could not be read or written.
    #[error("a stored passkey cannot be read: {0}")]
    Corrupt(#[source] serde_json::Error),
    /// The security notice could not be queued.
    #[error(transparent)]
    Notice(#[from] NoticeError),
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<sqlx::Error> for PasskeyError {
    fn from(e: sqlx::Error) -> Self {
        Self::Database(DbError::from(e))
    }
}

/// The relying party of `public_url`, built once at start-up: its id is the URL's host and the
/// only origin it accepts is the URL's origin, exactly (no other port, no subdomain). An error
/// when passkeys cannot work there (an IP address, which WebAuthn refuses as an id).
pub fn relying_party(public_url: &str) -> Result<Arc<Webauthn>, RelyingPartyError> {
    let rp = RelyingParty::of(public_url)?;
    WebauthnBuilder::new(&rp.id, &rp.origin)
        .and_then(|b| b.rp_name(RP_NAME).build())
        .map(Arc::new)
        .map_err(|_| RelyingPartyError::NoHost)
}

/// The relying party, or `Unavailable`.
pub(crate) fn webauthn(ctx: &Context) -> Result<&Webauthn, PasskeyError> {
    ctx.passkeys.as_deref().ok_or(PasskeyError::Unavailable)
}

/// Whether passkeys can be offered on this site.
pub fn available(ctx: &Context) -> bool {
    ctx.passkeys.is_some()
}

/// The WebAuthn user handle of a person: their id, a UUID.
pub(crate) fn user_handle(person: &PersonId) -> Result<Uuid, PasskeyError> {
    Uuid::parse_str(person.as_str()).map_err(|_| PasskeyError::BadUserHandle(person.to_string()))
}

/// Reads a stored credential.
pub(crate) fn credential_of(stored: &StoredPasskey) -> Result<Passkey, PasskeyError> {
    serde_json::from_str(&stored.credential).map_err(PasskeyError::Corrupt)
}

/// The credential id as stored: base64url without padding.
pub(crate) fn credential_id_text(id: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id)
}

/// A person's passkeys, oldest first.
pub async fn list(ctx: &Context, person: &PersonId) -> Result<Vec<StoredPasskey>, DbError> {
    list_passkeys(ctx.db.pool(), person).await
}

/// Starts adding a passkey for `me`: the options for `navigator.credentials.create()` (as
/// JSON) and the state to keep in the session until the answer comes. The passkeys `me`
/// already has are excluded, so one authenticator is not registered twice. The options ask
/// for a discoverable credential (resident key required), so that it can sign in without an
/// address; user verification is required, as the library's passkey ceremony does.
pub async fn begin_registration(
    ctx: &Context,
    me: &AccountView,
) -> Result<(serde_json::Value, PasskeyRegistration), PasskeyError> {
    let webauthn = webauthn(ctx)?;
    let person = &me.person;
    let existing = list(ctx, &person.id).await?;
    let mut exclude = Vec::with_capacity(existing.len());
    for stored in &existing {
        exclude.push(credential_of(stored)?.cred_id().clone());
    }
    let name = me
        .login_email()
        .map_or_else(|| person.display_name.as_str(), |e| e.as_str());
    let (options, state) = webauthn
        .start_passkey_registration(
            user_handle(&person.id)?,
            name,
            person.display_name.as_str(),
            Some(exclude),
        )
        .map_err(PasskeyError::Ceremony)?;
    let mut options = serde_json::to_value(&options).map_err(PasskeyError::Corrupt)?;
    if let Some(selection) = options
        .pointer_mut("/publicKey/authenticatorSelection")
        .and_then(serde_json::Value::as_object_mut)
    {
        selection.insert("residentKey".to_owned(), "required".into());
        selection.insert("requireResidentKey".to_owned(), true.into());
    }
    Ok((options, state))
}

/// Finishes adding a passkey: verifies the browser's answer against the state `begin` kept,
/// stores the passkey under `name`, audits it and tells the person by email. After a person's
/// first second factor, recovery codes are issued and returned.
pub async fn finish_registration(
    ctx: &Context,
    me: &AccountView,
    name: &PasskeyName,
    state: &PasskeyRegistration,
    answer: &RegisterPublicKeyCredential,
    lang: Lang,
    origin: &Origin,
) -> Result<Option<Vec<String>>, PasskeyError> {
    let passkey = webauthn(ctx)?
        .finish_passkey_registration(answer, state)
        .map_err(PasskeyError::Ceremony)?;
    let now = ctx.clock.now();
    let stored = StoredPasskey {
        id: Uuid::new_v4().to_string(),
        person_id: me.person.id.clone(),
        name: name.clone(),
        credential_id: credential_id_text(passkey.cred_id()),
        credential: serde_json::to_string(&passkey).map_err(PasskeyError::Corrupt)?,
        created_at: now,
        last_used_at: None,
    };
    let mut tx = ctx.db.pool().begin().await?;
    let first = !has_second_factor(&mut *tx, &me.person.id).await?;
    match insert_passkey(&mut *tx, &stored).await {
        Err(e) if e.is_unique_violation() => return Err(PasskeyError::AlreadyRegistered),
        other => other?,
    }
    audit::record(
        &mut *tx,
        now,
        AuditCode::FactorAdded,
        Some(&me.person.id),
        origin,
        &format!("passkey {name}"),
    )
    .await?;
    tell(
        ctx,
        &mut tx,
        me,
        lang,
        FactorChange::Added(FactorKind::Passkey, name.to_string()),
    )
    .await?;
    // A person's first second factor comes with a set of recovery codes, so that losing it
    // does not lock them out; they are returned to be shown once.
    let recovery_codes = if first {
        Some(issue_codes(ctx, &mut tx, &me.person.id).await?)
    } else {
        None
    };
    tx.commit().await?;
    Ok(recovery_codes)
}

/// Renames one of `me`'s passkeys.
pub async fn rename(
    ctx: &Context,
    me: &AccountView,
    id: &str,
    name: &PasskeyName,
) -> Result<(), PasskeyError> {
    if rename_passkey(ctx.db.pool(), &me.person.id, id, name).await? {
        Ok(())
    } else {
        Err(PasskeyError::UnknownPasskey)
    }
}

/// Removes one of `me`'s passkeys; audited, and the person is told by email.
pub async fn remove(
    ctx: &Context,
    me: &AccountView,
    id: &str,
    lang: Lang,
    origin: &Origin,
) -> Result<(), PasskeyError> {
    let mut tx = ctx.db.pool().begin().await?;
    let name = remove_passkey(&mut *tx, &me.person.id, id)
        .await?
        .ok_or(PasskeyError::UnknownPasskey)?;
    // Recovery codes stand in for a lost factor: with the last factor gone, they go too.
    if !has_second_factor(&mut *tx, &me.person.id).await? {
        delete_recovery_codes(&mut *tx, &me.person.id).await?;
    }
    audit::record(
        &mut *tx,
        ctx.clock.now(),
        AuditCode::FactorRemoved,
        Some(&me.person.id),
        origin,
        &format!("passkey {name}"),
    )
    .await?;
    tell(
        ctx,
        &mut tx,
        me,
        lang,
        FactorChange::Removed(FactorKind::Passkey, name.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Queues the security notice of `change` to `me`'s address, if they have one.
async fn tell(
    ctx: &Context,
    conn: &mut AnyConnection,
    me: &AccountView,
    lang: Lang,
    change: FactorChange,
) -> Result<(), PasskeyError> {
    if let Some(to) = me.login_email() {
        notify(ctx, conn, to, lang, &change).await?;
    }
    Ok(())
}
