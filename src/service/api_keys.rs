//! API keys: made (shown once, stored hashed, the owner told by email), listed, revoked and
//! restored by their owner, and checked on API requests with throttling per address.

use super::account::{self, AccountView};
use super::throttle::{Limit, fail, locked_for};
use super::{Context, Origin, audit};
use crate::db::DbError;
use crate::db::api_keys::{
    find_api_key_by_hash, insert_api_key, list_api_keys, set_api_key_revoked,
};
use crate::db::outbox::enqueue;
use crate::domain::api_key::{ApiKey, KeyDescription, visible_prefix};
use crate::domain::{AuditCode, PlainToken, TokenKind};
use crate::i18n::Lang;
use crate::mail::{MailKind, render_with};
use crate::templates::RenderError;

/// Why a key could not be made or changed.
#[derive(Debug, thiserror::Error)]
pub enum ApiKeyError {
    /// The person has no key with this id.
    #[error("no such API key")]
    UnknownKey,
    /// The person has no address to tell about the new key.
    #[error("the account has no email address")]
    NoAddress,
    /// The random source failed.
    #[error("no randomness for a new key")]
    Random(#[source] getrandom::Error),
    /// The notification could not be rendered.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

/// A key just made: the stored entry and the secret, to be shown or sent once.
#[derive(Debug)]
pub struct NewKey {
    /// The stored entry.
    pub key: ApiKey,
    /// The key itself.
    pub secret: PlainToken,
}

/// A fresh secret and its visible prefix.
pub fn new_secret() -> Result<(PlainToken, String), ApiKeyError> {
    let secret = PlainToken::generate(TokenKind::ApiKey).map_err(ApiKeyError::Random)?;
    let prefix = visible_prefix(secret.expose());
    Ok((secret, prefix))
}

/// Whether `create` tells the owner by email at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notify {
    /// In the same transaction as the key.
    Now,
    /// Not yet: the caller calls `notify_created` once the key is really handed out.
    Later,
}

fn created_mail(
    ctx: &Context,
    owner: &AccountView,
    key: &ApiKey,
    lang: Lang,
) -> Result<crate::db::outbox::OutgoingMail, ApiKeyError> {
    let email = owner.login_email().ok_or(ApiKeyError::NoAddress)?;
    Ok(render_with(
        &ctx.templates,
        MailKind::ApiKeyCreated,
        lang,
        email.as_str(),
        &format!("{}/+account/api-keys", ctx.public_url),
        &ctx.public_url,
        &[("description", key.description.as_str())],
    )?)
}

/// Makes a key for the account and records it; with `Notify::Now` the owner is emailed that
/// it exists (never the key). `app_id` marks a key made by auth delegation.
pub async fn create(
    ctx: &Context,
    owner: &AccountView,
    description: KeyDescription,
    app_id: Option<String>,
    lang: Lang,
    notify: Notify,
    origin: &Origin,
) -> Result<NewKey, ApiKeyError> {
    let (secret, prefix) = new_secret()?;
    let now = ctx.clock.now();
    let key = ApiKey {
        id: uuid::Uuid::new_v4().to_string(),
        person_id: owner.person.id.clone(),
        description,
        prefix,
        app_id,
        created_at: now,
        last_used_at: None,
        last_used_from: None,
        revoked_at: None,
    };
    let mail = match notify {
        Notify::Now => Some(created_mail(ctx, owner, &key, lang)?),
        Notify::Later => None,
    };
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    insert_api_key(&mut *tx, &key, &secret.hash()).await?;
    if let Some(mail) = &mail {
        enqueue(&mut *tx, mail, now).await?;
    }
    audit::record(
        &mut *tx,
        now,
        AuditCode::ApiKeyCreated,
        Some(&key.person_id),
        origin,
        &format!("{} {}", key.prefix, key.description),
    )
    .await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(NewKey { key, secret })
}

/// Emails the owner that a key was created (for keys made with `Notify::Later`).
pub async fn notify_created(
    ctx: &Context,
    owner: &AccountView,
    key: &ApiKey,
    lang: Lang,
) -> Result<(), ApiKeyError> {
    let mail = created_mail(ctx, owner, key, lang)?;
    enqueue(ctx.db.pool(), &mail, ctx.clock.now()).await?;
    Ok(())
}

/// The person's keys, newest first, with uses up to now.
pub async fn list(ctx: &Context, owner: &AccountView) -> Result<Vec<ApiKey>, DbError> {
    if let Err(e) = ctx.key_usage.flush(&ctx.db).await {
        tracing::warn!(error = %e, "recording API-key use failed");
    }
    list_api_keys(ctx.db.pool(), &owner.person.id).await
}

/// Revokes (`revoke`) or restores one of the person's keys.
pub async fn set_revoked(
    ctx: &Context,
    owner: &AccountView,
    id: &str,
    revoke: bool,
    origin: &Origin,
) -> Result<(), ApiKeyError> {
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    let at = revoke.then_some(now);
    if !set_api_key_revoked(&mut *tx, &owner.person.id, id, at).await? {
        return Err(ApiKeyError::UnknownKey);
    }
    let code = if revoke {
        AuditCode::ApiKeyRevoked
    } else {
        AuditCode::ApiKeyRestored
    };
    audit::record(&mut *tx, now, code, Some(&owner.person.id), origin, id).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(())
}

/// Why an API request was not authenticated.
#[derive(Debug, thiserror::Error)]
pub enum KeyAuthError {
    /// Unknown or revoked key, or an owner who is not active.
    #[error("the API key is not valid")]
    Invalid,
    /// Too many bad keys from this address.
    #[error("too many bad API keys from this address; retry in {retry_after} s")]
    Throttled {
        /// Seconds until keys are accepted again.
        retry_after: i64,
    },
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

/// The owner of a live key, if the owner is active. The use is noted in memory (written in
/// batches); failures count against the address and are audited without the key.
pub async fn authenticate(
    ctx: &Context,
    presented: &str,
    origin: &Origin,
) -> Result<(ApiKey, AccountView), KeyAuthError> {
    let limits = [Limit {
        key: format!("apikey:{}", origin.remote_addr),
        threshold: ctx.throttle.api_key_failures,
    }];
    if let Some(retry_after) = locked_for(ctx, &limits).await? {
        return Err(KeyAuthError::Throttled { retry_after });
    }
    let found = if TokenKind::of_token(presented) == Some(TokenKind::ApiKey) {
        let hash = PlainToken::from_presented(presented).hash();
        match find_api_key_by_hash(ctx.db.pool(), &hash).await? {
            Some(key) if key.is_live() => account::load(ctx, &key.person_id)
                .await?
                .map(|owner| (key, owner)),
            _ => None,
        }
    } else {
        None
    };
    match found {
        Some((key, owner)) => {
            ctx.key_usage
                .note(&key.id, ctx.clock.now(), &origin.remote_addr);
            Ok((key, owner))
        }
        None => {
            tracing::info!(remote_addr = %origin.remote_addr, "API key refused");
            audit::record_counted(
                ctx.db.pool(),
                ctx.clock.now(),
                AuditCode::ApiKeyRefused,
                "invalid",
                origin,
                "unknown or revoked API key, or an owner who is not active",
            )
            .await?;
            fail(ctx, &limits).await?;
            Err(KeyAuthError::Invalid)
        }
    }
}
