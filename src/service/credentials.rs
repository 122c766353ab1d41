//! Ending what a person's old credentials gave when those credentials may be in someone else's
//! hands: a password recovery, a password change, a suspension or a deactivation revoke every
//! OIDC grant (access and refresh tokens, unused codes) and, except for a password change that
//! leaves them, every API key; the person is emailed what was revoked.

use sqlx::AnyConnection;

use super::Context;
use crate::db::DbError;
use crate::db::api_keys::revoke_all_api_keys;
use crate::db::authorization_codes::void_codes_of_person;
use crate::db::clients::find_client;
use crate::db::oauth_grants::revoke_all_of_person;
use crate::db::outbox::enqueue;
use crate::domain::{EmailAddress, PersonId};
use crate::i18n::Lang;
use crate::mail::{MailKind, render_with};

/// Why the credentials changed, for the mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialChange {
    /// A new password set by emailed link.
    Recovery,
    /// A new password set on the account page.
    PasswordChange,
    /// Suspended by an administrator.
    Suspension,
    /// Deactivated by the person or an administrator.
    Deactivation,
}

impl CredentialChange {
    fn reason_key(self) -> &'static str {
        match self {
            Self::Recovery => "mail-revoked-reason-recovery",
            Self::PasswordChange => "mail-revoked-reason-password-change",
            Self::Suspension => "mail-revoked-reason-suspension",
            Self::Deactivation => "mail-revoked-reason-deactivation",
        }
    }
}

/// What was revoked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Revoked {
    /// The applications whose tokens ended, by name, each once.
    pub apps: Vec<String>,
    /// The API keys revoked, by description.
    pub api_keys: Vec<String>,
}

impl Revoked {
    /// Whether nothing was revoked.
    pub fn is_empty(&self) -> bool {
        self.apps.is_empty() && self.api_keys.is_empty()
    }
}

/// Revokes, inside the caller's transaction, every OIDC grant of the person and, with
/// `api_keys`, every API key; queues a mail to `to` listing what went (none when nothing did).
pub async fn revoke_everything(
    ctx: &Context,
    tx: &mut AnyConnection,
    person: &PersonId,
    change: CredentialChange,
    api_keys: bool,
    (to, lang): (&EmailAddress, Lang),
) -> Result<Revoked, CredentialsError> {
    let now = ctx.clock.now();
    void_codes_of_person(&mut *tx, person, now).await?;
    let mut client_ids = revoke_all_of_person(&mut *tx, person, now).await?;
    client_ids.sort();
    client_ids.dedup();
    let mut revoked = Revoked::default();
    for id in client_ids {
        let name = find_client(&mut *tx, &id).await?.map_or(id, |c| c.name);
        revoked.apps.push(name);
    }
    if api_keys {
        revoked.api_keys = revoke_all_api_keys(&mut *tx, person, now).await?;
    }
    if !revoked.is_empty() {
        let reason = lang.text(change.reason_key());
        let apps = revoked.apps.join(", ");
        let keys = revoked.api_keys.join(", ");
        let mail = render_with(
            &ctx.templates,
            MailKind::CredentialsRevoked,
            lang,
            to.as_str(),
            &format!("{}/+login", ctx.public_url),
            &ctx.public_url,
            &[
                ("reason", reason.as_str()),
                ("apps", apps.as_str()),
                ("apps_count", &revoked.apps.len().to_string()),
                ("keys", keys.as_str()),
                ("keys_count", &revoked.api_keys.len().to_string()),
            ],
        )?;
        enqueue(&mut *tx, &mail, now).await?;
    }
    Ok(revoked)
}

/// Why revoking could not finish.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// The mail could not be rendered.
    #[error(transparent)]
    Render(#[from] crate::templates::RenderError),
}
