//! Bugzilla-style auth delegation: a signed-in person confirms that an app may have an API
//! key; the key is POSTed to the app's callback and the browser sent back to it. A key made
//! for a delivery that fails is revoked, so no live key is left that its app never received.

pub mod delivery;

use std::time::Duration;

use self::delivery::{DeliveryError, deliver, resolve};
use super::account::AccountView;
use super::api_keys::{self, ApiKeyError, Notify, new_secret, notify_created};
use super::{Context, Origin, audit};
use crate::db::DbError;
use crate::db::api_keys::{
    DelegationRequest, consume_delegation_request, find_live_app_key, insert_delegation_request,
    replace_api_key_hash, set_api_key_revoked,
};
use crate::domain::api_key::{DescriptionError, KeyDescription, app_id};
use crate::domain::application::Application;
use crate::domain::callback::{CallbackError, CallbackPolicy, CallbackUrl};
use crate::domain::{AuditCode, PlainToken, TokenKind};
use crate::i18n::Lang;

/// Why a delegation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum DelegationError {
    /// The callback is not acceptable.
    #[error("callback refused: {0}")]
    Callback(#[from] CallbackError),
    /// The description is not acceptable.
    #[error("description refused: {0}")]
    Description(#[from] DescriptionError),
    /// The confirmation token is unknown, used, expired, or was issued for another person,
    /// callback or description.
    #[error("the confirmation is not valid")]
    InvalidConfirmation,
    /// The account has no address to act as.
    #[error("the account has no email address")]
    NoLogin,
    /// The app's callback did not take the key.
    #[error(transparent)]
    Delivery(DeliveryError),
    /// Making or changing the key failed.
    #[error(transparent)]
    Key(#[from] ApiKeyError),
    /// The random source failed.
    #[error("no randomness for a confirmation token")]
    Random(#[source] getrandom::Error),
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

/// A request that passed every check and may be shown for confirmation.
#[derive(Debug, Clone)]
pub struct CheckedRequest {
    /// The callback.
    pub callback: CallbackUrl,
    /// What the app calls itself.
    pub description: KeyDescription,
    /// The address the callback's host resolved to: the key goes there and nowhere else.
    pub address: std::net::IpAddr,
}

fn policy(ctx: &Context) -> CallbackPolicy {
    CallbackPolicy {
        allow_http: ctx.delegation.allow_http,
        allowed_hosts: ctx.delegation.allowed_hosts.clone(),
    }
}

/// The application behind a local `/auth.cgi?…` target, as the login page on the way names
/// it: its description and its callback's host, read without resolving that host (the
/// confirmation page checks it). `None` for any other target, on a site that does not
/// delegate, and for a request the confirmation page would refuse.
pub fn requesting_app(ctx: &Context, next: &str) -> Option<Application> {
    if !ctx.delegation.enabled {
        return None;
    }
    let query = next.strip_prefix("/auth.cgi?")?;
    let first = |wanted: &str| {
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(name, _)| name == wanted)
            .map(|(_, value)| value.into_owned())
    };
    let callback = CallbackUrl::parse(&first("callback")?, &policy(ctx)).ok()?;
    let description = KeyDescription::parse_for_delegation(&first("description")?).ok()?;
    Application::new(description.as_str(), callback.url().as_str())
}

fn timeout(ctx: &Context) -> Duration {
    Duration::from_secs(ctx.delegation.callback_timeout_secs.clamp(1, 30))
}

/// Checks a callback and description, resolving the callback's host (a name that leads into a
/// private network is refused here, before anything is shown).
pub async fn check(
    ctx: &Context,
    callback: &str,
    description: &str,
) -> Result<CheckedRequest, DelegationError> {
    let callback = CallbackUrl::parse(callback, &policy(ctx))?;
    let description = KeyDescription::parse_for_delegation(description)?;
    match resolve(&callback, timeout(ctx)).await {
        Ok(address) => Ok(CheckedRequest {
            callback,
            address,
            description,
        }),
        Err(DeliveryError::Address(e)) => Err(e.into()),
        Err(e) => Err(DelegationError::Delivery(e)),
    }
}

/// Issues the single-use confirmation token for the page, bound to the person, the callback
/// and the description.
pub async fn prepare(
    ctx: &Context,
    owner: &AccountView,
    request: &CheckedRequest,
) -> Result<PlainToken, DelegationError> {
    let token = PlainToken::generate(TokenKind::AuthDelegation).map_err(DelegationError::Random)?;
    let now = ctx.clock.now();
    let life = i64::try_from(ctx.lifetimes.delegation_confirmation.as_secs()).unwrap_or(i64::MAX);
    insert_delegation_request(
        ctx.db.pool(),
        &token.hash(),
        &DelegationRequest {
            person_id: owner.person.id.clone(),
            callback: request.callback.url().to_string(),
            description: request.description.as_str().to_owned(),
        },
        now,
        now.saturating_add(life),
    )
    .await?;
    Ok(token)
}

/// What a confirmation came with.
#[derive(Debug, Clone, Copy)]
pub struct Confirmation<'a> {
    /// The token from the page.
    pub token: &'a str,
    /// The callback the form posted.
    pub callback: &'a str,
    /// The description the form posted.
    pub description: &'a str,
}

/// Confirms a delegation: checks the token against the person, callback and description,
/// gives the app its key (reusing the app's key entry with a fresh secret, or making one),
/// delivers it, and returns where to send the browser.
pub async fn confirm(
    ctx: &Context,
    owner: &AccountView,
    confirmation: Confirmation<'_>,
    lang: Lang,
    origin: &Origin,
) -> Result<String, DelegationError> {
    let now = ctx.clock.now();
    if TokenKind::of_token(confirmation.token) != Some(TokenKind::AuthDelegation) {
        return Err(DelegationError::InvalidConfirmation);
    }
    let hash = PlainToken::from_presented(confirmation.token).hash();
    let Some(bound) = consume_delegation_request(ctx.db.pool(), &hash, now).await? else {
        return Err(DelegationError::InvalidConfirmation);
    };
    if bound.person_id != owner.person.id
        || bound.callback != confirmation.callback
        || bound.description != confirmation.description
    {
        return Err(DelegationError::InvalidConfirmation);
    }
    // Checked again: the operator's rules or the name's addresses may have changed.
    let checked = check(ctx, confirmation.callback, confirmation.description).await?;
    let login = owner
        .login_email()
        .ok_or(DelegationError::NoLogin)?
        .as_str()
        .to_owned();
    let base = checked.callback.base();
    let app = app_id(&base, &checked.description);
    let issued = issue_key(ctx, owner, &checked, app, lang, origin).await?;

    // Delivered to the address resolved by the check just above: resolved once, not again.
    let outcome = deliver(
        &checked.callback,
        checked.address,
        issued.secret.expose(),
        &login,
        timeout(ctx),
    )
    .await;
    let now = ctx.clock.now();
    match outcome {
        Ok(result) => {
            if let Some(key) = &issued.new_key {
                notify_created(ctx, owner, key, lang).await?;
            }
            audit::record(
                ctx.db.pool(),
                now,
                AuditCode::DelegationSucceeded,
                Some(&owner.person.id),
                origin,
                &format!("{} for {base} ({})", issued.prefix, checked.description),
            )
            .await?;
            Ok(checked
                .callback
                .redirect_with(&[("client_api_login", &login), ("callback_result", &result)]))
        }
        Err(failure) => {
            undo(ctx, owner, &issued).await?;
            tracing::warn!(callback = %base, error = %failure, "auth delegation failed");
            audit::record(
                ctx.db.pool(),
                now,
                AuditCode::DelegationFailed,
                Some(&owner.person.id),
                origin,
                &format!("{base}: {failure}"),
            )
            .await?;
            Err(DelegationError::Delivery(failure))
        }
    }
}

/// A key secret handed to an app, and how to take it back.
struct Issued {
    key_id: String,
    secret: PlainToken,
    prefix: String,
    /// For a reused entry, its previous hash and prefix (restored if delivery fails).
    previous: Option<(crate::domain::TokenHash, String)>,
    /// A key made for this delivery (its owner is told once it is delivered).
    new_key: Option<crate::domain::api_key::ApiKey>,
}

async fn issue_key(
    ctx: &Context,
    owner: &AccountView,
    checked: &CheckedRequest,
    app: String,
    lang: Lang,
    origin: &Origin,
) -> Result<Issued, DelegationError> {
    if let Some((key, old_hash)) = find_live_app_key(ctx.db.pool(), &owner.person.id, &app).await? {
        // Only hashes are kept, so the app gets a fresh secret for the same entry.
        let (secret, prefix) = new_secret()?;
        replace_api_key_hash(ctx.db.pool(), &key.id, &secret.hash(), &prefix).await?;
        return Ok(Issued {
            key_id: key.id,
            secret,
            prefix,
            previous: Some((old_hash, key.prefix)),
            new_key: None,
        });
    }
    let made = api_keys::create(
        ctx,
        owner,
        checked.description.clone(),
        Some(app),
        lang,
        Notify::Later,
        origin,
    )
    .await?;
    Ok(Issued {
        key_id: made.key.id.clone(),
        prefix: made.key.prefix.clone(),
        secret: made.secret,
        previous: None,
        new_key: Some(made.key),
    })
}

/// Takes back a key an app never received: a new one is revoked, a reused one gets its
/// previous secret back.
async fn undo(ctx: &Context, owner: &AccountView, issued: &Issued) -> Result<(), DbError> {
    match &issued.previous {
        Some((hash, prefix)) => {
            replace_api_key_hash(ctx.db.pool(), &issued.key_id, hash, prefix).await
        }
        None => {
            let now = ctx.clock.now();
            set_api_key_revoked(ctx.db.pool(), &owner.person.id, &issued.key_id, Some(now))
                .await
                .map(|_| ())
        }
    }
}
