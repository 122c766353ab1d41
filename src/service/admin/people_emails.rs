//! An administrator changing a person's addresses, by the account page's rules: an added
//! address is confirmed at once (the administrator vouches for it), a team's or another
//! registered person's address is refused, a placeholder's brings the placeholder with it,
//! and the last confirmed address never goes.

use super::Actor;
use super::people::{AdminPeopleError, individual};
use crate::db::DbError;
use crate::db::emails::list_emails;
use crate::domain::{AuditCode, EmailAddress, Person};
use crate::i18n::Lang;
use crate::service::account::AccountView;
use crate::service::email_claim::{Attached, attach_confirmed};
use crate::service::emails::{self, Preference, Removal};
use crate::service::{Context, audit};

/// Whether adding changed anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// The address is the person's now, confirmed.
    Added,
    /// It already was one of their confirmed addresses.
    AlreadyTheirs,
}

async fn view_of(ctx: &Context, email: &EmailAddress) -> Result<AccountView, AdminPeopleError> {
    let person: Person = individual(ctx, email).await?;
    let emails = list_emails(ctx.db.pool(), &person.id).await?;
    Ok(AccountView { person, emails })
}

/// Adds `address`, confirmed, to the person who has `email`.
pub async fn add_address(
    ctx: &Context,
    actor: &Actor,
    email: &EmailAddress,
    address: &EmailAddress,
) -> Result<Added, AdminPeopleError> {
    let person = individual(ctx, email).await?;
    let me = &person.id;
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    let merged = match attach_confirmed(&mut tx, me, address, now).await? {
        Attached::Added(merged) => merged,
        Attached::AlreadyTheirs => return Ok(Added::AlreadyTheirs),
        Attached::Team => {
            let team = crate::db::people::find_person_by_email(&mut *tx, address)
                .await?
                .and_then(|t| t.team_name)
                .map_or_else(String::new, |t| t.to_string());
            return Err(AdminPeopleError::TeamAddress {
                email: address.to_string(),
                team,
            });
        }
        Attached::Taken => return Err(AdminPeopleError::Taken(address.to_string())),
    };
    let origin = actor.origin();
    let detail = format!("{address} (confirmed by {})", actor.label());
    audit::record(
        &mut *tx,
        now,
        AuditCode::EmailAdded,
        Some(me),
        origin,
        &detail,
    )
    .await?;
    if let Some((placeholder, moved)) = merged {
        let detail = format!(
            "placeholder {placeholder} of {address}: {} addresses, {} team memberships, by {}",
            moved.addresses,
            moved.memberships,
            actor.label()
        );
        let code = AuditCode::PlaceholderMerged;
        audit::record(&mut *tx, now, code, Some(me), origin, &detail).await?;
    }
    tx.commit().await.map_err(DbError::from)?;
    Ok(Added::Added)
}

/// Removes one of the person's addresses, never their last confirmed one.
pub async fn remove_address(
    ctx: &Context,
    actor: &Actor,
    email: &EmailAddress,
    address: &EmailAddress,
    lang: Lang,
) -> Result<(), AdminPeopleError> {
    let view = view_of(ctx, email).await?;
    match emails::remove(ctx, &view, address, lang, actor.origin()).await? {
        Removal::Removed(_) => Ok(()),
        Removal::NotYours(a) => Err(AdminPeopleError::NotTheirs(a.to_string())),
        Removal::LastConfirmed(a) => Err(AdminPeopleError::LastAddress(a.to_string())),
    }
}

/// Makes one of the person's confirmed addresses the preferred one.
pub async fn prefer_address(
    ctx: &Context,
    actor: &Actor,
    email: &EmailAddress,
    address: &EmailAddress,
) -> Result<(), AdminPeopleError> {
    let view = view_of(ctx, email).await?;
    match emails::prefer(ctx, &view, address, actor.origin()).await? {
        Preference::Preferred(_) => Ok(()),
        Preference::NotYours(a) => Err(AdminPeopleError::NotTheirs(a.to_string())),
        Preference::Unconfirmed(a) => Err(AdminPeopleError::Unconfirmed(a.to_string())),
    }
}
