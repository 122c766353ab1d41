//! Authenticator apps (TOTP): enrolment (a random secret the caller keeps in the session until
//! a current code confirms it), the code at the second step (each step's code accepted once,
//! even by two requests at once), and removal. The secret is stored sealed with the site's
//! factor key; each change is audited and emailed.

use sqlx::AnyConnection;

use super::factor_notice::{FactorChange, NoticeError, notify};
use super::recovery_codes::issue_codes;
use super::{Context, Origin, account::AccountView, audit};
use crate::db::DbError;
use crate::db::authenticator_apps::{
    delete_authenticator_app, find_authenticator_app, insert_authenticator_app, use_step,
};
use crate::db::recovery_codes::delete_recovery_codes;
use crate::db::second_factors::has_second_factor;
use crate::db::secrets::get_or_create_secret;
use crate::domain::factor_seal::{
    FactorKey, KEY_BYTES, NONCE_BYTES, SealError, TotpSecret, open, seal,
};
use crate::domain::second_factor::FactorKind;
use crate::domain::{AuditCode, PersonId, totp};
use crate::i18n::Lang;

/// The name of the site secret that seals second-factor secrets.
pub const FACTOR_KEY_NAME: &str = "factor_key";
/// The name an app gets when the person gives none.
pub const DEFAULT_NAME: &str = "Authenticator app";
/// The longest name, in characters.
pub const MAX_NAME_CHARS: usize = 60;

/// Why an authenticator app could not be enrolled, checked or removed (as opposed to a wrong
/// code).
#[derive(Debug, thiserror::Error)]
pub enum AuthenticatorError {
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// No random bytes for a secret, a nonce or a key.
    #[error("no randomness: {0}")]
    Random(#[source] getrandom::Error),
    /// The factor key or a sealed secret is unusable.
    #[error(transparent)]
    Seal(#[from] SealError),
    /// The notice could not be queued.
    #[error(transparent)]
    Notice(#[from] NoticeError),
}

/// What confirming an enrolment gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Confirmation {
    /// The app is enrolled; with the first second factor come recovery codes, to show once.
    Enrolled {
        /// The new recovery codes, when this was the person's first second factor.
        recovery_codes: Option<Vec<String>>,
    },
    /// The code is not the app's current one (or one step either side).
    WrongCode,
    /// The name is too long or has control characters.
    BadName,
    /// The person has an app already.
    AlreadyEnrolled,
}

/// A person's app as the security page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppSummary {
    /// Its name.
    pub name: String,
    /// When it was added.
    pub created_at: i64,
    /// When a code of it was last accepted at a sign-in.
    pub last_used_at: Option<i64>,
}

/// What an authenticator app needs to be set up: the `otpauth://` URI its QR code carries, and
/// the secret as text for typing in.
#[derive(Debug)]
pub struct Enrolment {
    /// The URI to scan.
    pub uri: String,
    /// The secret in base32, in groups of four.
    pub grouped_secret: String,
}

/// The site's factor key: read from the site secrets (made by the first node that needs it,
/// shared by all), then kept for the life of the context.
async fn factor_key(ctx: &Context) -> Result<&FactorKey, AuthenticatorError> {
    ctx.factor_key
        .get_or_try_init(|| async {
            let mut candidate = [0u8; KEY_BYTES];
            getrandom::fill(&mut candidate).map_err(AuthenticatorError::Random)?;
            let stored = get_or_create_secret(
                ctx.db.pool(),
                FACTOR_KEY_NAME,
                &FactorKey::from_bytes(candidate).to_stored(),
                ctx.clock.now(),
            )
            .await?;
            Ok(FactorKey::from_stored(&stored)?)
        })
        .await
}

/// A new random secret to enrol (the caller keeps it until `confirm`).
pub fn begin() -> Result<TotpSecret, AuthenticatorError> {
    let mut bytes = vec![0u8; totp::SECRET_BYTES];
    getrandom::fill(&mut bytes).map_err(AuthenticatorError::Random)?;
    Ok(TotpSecret::from_bytes(bytes))
}

/// The URI and text for setting up `secret` in an app, named for this site and the owner.
pub fn enrolment(ctx: &Context, owner: &AccountView, secret: &TotpSecret) -> Enrolment {
    let issuer = url::Url::parse(&ctx.public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "Latchkey".to_owned());
    let account = owner.login_email().map_or_else(
        || owner.person.display_name.as_str().to_owned(),
        |e| e.as_str().to_owned(),
    );
    Enrolment {
        uri: totp::otpauth_uri(&issuer, &account, secret.expose()),
        grouped_secret: secret.grouped(),
    }
}

/// The name a person typed, or the default for nothing; `None` when it cannot be a name.
fn app_name(typed: &str) -> Option<String> {
    let name = typed.trim();
    if name.is_empty() {
        return Some(DEFAULT_NAME.to_owned());
    }
    (name.chars().count() <= MAX_NAME_CHARS && !name.chars().any(char::is_control))
        .then(|| name.to_owned())
}

/// Confirms an enrolment with a current code of `secret`: stores the app (sealed; the
/// confirming code counts as used), and with the person's first second factor issues recovery
/// codes. Audited and emailed.
pub async fn confirm(
    ctx: &Context,
    owner: &AccountView,
    secret: &TotpSecret,
    typed_code: &str,
    typed_name: &str,
    lang: Lang,
    origin: &Origin,
) -> Result<Confirmation, AuthenticatorError> {
    let Some(name) = app_name(typed_name) else {
        return Ok(Confirmation::BadName);
    };
    let now = ctx.clock.now();
    let Some(step) = totp::accepted_step(secret.expose(), typed_code, now, None) else {
        return Ok(Confirmation::WrongCode);
    };
    let person = &owner.person.id;
    let sealed = seal(factor_key(ctx).await?, nonce()?, person, secret)?;
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    let first = !has_second_factor(&mut *tx, person).await?;
    if !insert_authenticator_app(&mut *tx, person, &name, &sealed, step, now).await? {
        return Ok(Confirmation::AlreadyEnrolled);
    }
    let recovery_codes = if first {
        Some(issue_codes(ctx, &mut tx, person).await?)
    } else {
        None
    };
    audit::record(
        &mut *tx,
        now,
        AuditCode::FactorAdded,
        Some(person),
        origin,
        &format!("{} {name}", FactorKind::AuthenticatorApp.as_str()),
    )
    .await?;
    let change = FactorChange::Added(FactorKind::AuthenticatorApp, name);
    notify_owner(ctx, &mut tx, owner, lang, &change).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(Confirmation::Enrolled { recovery_codes })
}

/// Checks a code at the second step: right when it is the app's code of the current step or
/// one step either side, and no code of that step or a later one was accepted before. Two
/// requests with one code: one conditional update decides, so only one is right.
pub async fn verify(
    ctx: &Context,
    person: &PersonId,
    typed: &str,
) -> Result<bool, AuthenticatorError> {
    let Some(app) = find_authenticator_app(ctx.db.pool(), person).await? else {
        return Ok(false);
    };
    let secret = open(factor_key(ctx).await?, person, &app.sealed_secret)?;
    let now = ctx.clock.now();
    let Some(step) = totp::accepted_step(secret.expose(), typed, now, app.last_step) else {
        return Ok(false);
    };
    Ok(use_step(ctx.db.pool(), person, step, now).await?)
}

/// The person's app, if any.
pub async fn app_of(ctx: &Context, person: &PersonId) -> Result<Option<AppSummary>, DbError> {
    Ok(find_authenticator_app(ctx.db.pool(), person)
        .await?
        .map(|app| AppSummary {
            name: app.name,
            created_at: app.created_at,
            last_used_at: app.last_used_at,
        }))
}

/// Removes the owner's app (the caller checked that they re-authenticated); with it go the
/// recovery codes when no passkey is left for them to stand in for. Audited and emailed;
/// `false` when there was no app.
pub async fn remove(
    ctx: &Context,
    owner: &AccountView,
    lang: Lang,
    origin: &Origin,
) -> Result<bool, AuthenticatorError> {
    let person = &owner.person.id;
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    let Some(name) = delete_authenticator_app(&mut *tx, person).await? else {
        return Ok(false);
    };
    if !has_second_factor(&mut *tx, person).await? {
        delete_recovery_codes(&mut *tx, person).await?;
    }
    audit::record(
        &mut *tx,
        ctx.clock.now(),
        AuditCode::FactorRemoved,
        Some(person),
        origin,
        &format!("{} {name}", FactorKind::AuthenticatorApp.as_str()),
    )
    .await?;
    let change = FactorChange::Removed(FactorKind::AuthenticatorApp, name);
    notify_owner(ctx, &mut tx, owner, lang, &change).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(true)
}

/// Queues the notice of `change` to the owner's sign-in address.
async fn notify_owner(
    ctx: &Context,
    conn: &mut AnyConnection,
    owner: &AccountView,
    lang: Lang,
    change: &FactorChange,
) -> Result<(), NoticeError> {
    match owner.login_email() {
        Some(to) => notify(ctx, conn, to, lang, change).await,
        None => Ok(()),
    }
}

/// A random nonce for one seal.
fn nonce() -> Result<[u8; NONCE_BYTES], AuthenticatorError> {
    let mut nonce = [0u8; NONCE_BYTES];
    getrandom::fill(&mut nonce).map_err(AuthenticatorError::Random)?;
    Ok(nonce)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_name_is_the_default_and_odd_names_are_refused() {
        assert_eq!(app_name("  ").as_deref(), Some(DEFAULT_NAME));
        assert_eq!(app_name(" Phone ").as_deref(), Some("Phone"));
        assert_eq!(
            app_name(&"x".repeat(MAX_NAME_CHARS)).map(|n| n.len()),
            Some(60)
        );
        assert_eq!(app_name(&"x".repeat(MAX_NAME_CHARS + 1)), None);
        assert_eq!(app_name("a\u{7}b"), None);
    }
}
