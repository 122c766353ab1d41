//! A signed-in person's email addresses: asking to add one (a ValidateEmail link is emailed to
//! it), choosing the preferred one, and removing one. Following the link is `email_claim`.
//!
//! An address being added is no row of `email_addresses` until its link is followed: it waits
//! in the link, so an unconfirmed address never signs in and never keeps its real owner from
//! registering it. The seed's rules apply as on the login form: a team's address is refused,
//! another registered person's too (said only when the login form would say it), and a
//! placeholder's address may be claimed.

use super::link_mail::{LinkError, send_link};
use super::login::LINK_MAILS_PER_HOUR;
use super::security_mail::{NoticeError, SecurityNotice, notify};
use super::{Context, Origin, audit, throttle};
use crate::db::DbError;
use crate::db::emails::{
    delete_email, demote_preferred, find_email_owner, list_emails, lock_owner, prefer_email,
    prefer_oldest_if_none,
};
use crate::db::login_tokens::pending_emails_of;
use crate::db::people::find_person_by_id;
use crate::domain::throttle::mail_key;
use crate::domain::{AuditCode, EmailAddress, EmailStatus, PersonKind, PersonStatus, TokenKind};
use crate::i18n::Lang;
use crate::mail::MailKind;
use crate::service::account::AccountView;

/// Why a change of addresses could not be made (as opposed to being refused).
#[derive(Debug, thiserror::Error)]
pub enum EmailsError {
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// The link could not be sent.
    #[error(transparent)]
    Link(#[from] LinkError),
    /// A security notice could not be queued.
    #[error(transparent)]
    Notice(#[from] NoticeError),
}

impl From<sqlx::Error> for EmailsError {
    fn from(e: sqlx::Error) -> Self {
        Self::Database(e.into())
    }
}

/// How asking to add an address ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Addition {
    /// A link to confirm it is on its way (or, in privacy mode or past the hourly mail limit,
    /// the same answer without one).
    LinkSent(EmailAddress),
    /// It is already one of the person's confirmed addresses.
    AlreadyYours(EmailAddress),
    /// It belongs to a team.
    TeamAddress(EmailAddress),
    /// It belongs to another registered person.
    Taken(EmailAddress),
}

/// The addresses the person asked to add whose links can still be followed.
pub async fn pending(ctx: &Context, view: &AccountView) -> Result<Vec<EmailAddress>, DbError> {
    let pending = pending_emails_of(
        ctx.db.pool(),
        &view.person.id,
        TokenKind::ValidateEmail,
        ctx.clock.now(),
    )
    .await?;
    Ok(pending
        .into_iter()
        .filter(|p| {
            view.emails
                .iter()
                .all(|e| e.address.key() != p.key() || e.status == EmailStatus::New)
        })
        .collect())
}

/// Asks to add `email` to the account of `view`: emails it a link that confirms it.
pub async fn add(
    ctx: &Context,
    view: &AccountView,
    email: &EmailAddress,
    lang: Lang,
    origin: &Origin,
) -> Result<Addition, EmailsError> {
    let me = &view.person.id;
    let send = match find_email_owner(ctx.db.pool(), email).await? {
        None => true,
        Some((owner, status)) if &owner == me => {
            if status != EmailStatus::New {
                return Ok(Addition::AlreadyYours(email.clone()));
            }
            // An unconfirmed address of a merged placeholder: its link confirms it.
            true
        }
        Some((owner, _)) => match find_person_by_id(ctx.db.pool(), &owner).await? {
            Some(p) if p.kind == PersonKind::Team => {
                return Ok(Addition::TeamAddress(email.clone()));
            }
            Some(p) if p.status == PersonStatus::Placeholder => true,
            // Gone meanwhile: the link's owner is decided when it is followed.
            None => true,
            Some(_) if ctx.login.hide_account_existence => false,
            Some(_) => return Ok(Addition::Taken(email.clone())),
        },
    };
    let sent_this_hour = throttle::count_per_window(ctx, &mail_key(email.key()), 3600).await?;
    let within_limits = !ctx.throttle.enabled || sent_this_hour <= LINK_MAILS_PER_HOUR;
    let sent = send && within_limits;
    if sent {
        let (kind, mail) = (TokenKind::ValidateEmail, MailKind::VerifyAddress);
        send_link(ctx, kind, mail, email, Some(me), lang).await?;
    }
    let detail = match (send, within_limits) {
        (true, true) => email.as_str().to_owned(),
        (false, _) => format!("{} (another account's, nothing sent)", email.as_str()),
        (true, false) => format!(
            "{} (hourly mail limit reached, nothing sent)",
            email.as_str()
        ),
    };
    let now = ctx.clock.now();
    audit::record(
        ctx.db.pool(),
        now,
        AuditCode::EmailAddRequested,
        Some(me),
        origin,
        &detail,
    )
    .await?;
    Ok(Addition::LinkSent(email.clone()))
}

/// How choosing the preferred address ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preference {
    /// It is the preferred address now.
    Preferred(EmailAddress),
    /// It is not one of the person's addresses.
    NotYours(EmailAddress),
    /// It is theirs but not confirmed.
    Unconfirmed(EmailAddress),
}

/// Makes one of the person's confirmed addresses the preferred one: mail goes there, and
/// relying parties get it as the `email` claim.
pub async fn prefer(
    ctx: &Context,
    view: &AccountView,
    email: &EmailAddress,
    origin: &Origin,
) -> Result<Preference, EmailsError> {
    let me = &view.person.id;
    let Some(stored) = view.emails.iter().find(|e| e.address.key() == email.key()) else {
        return Ok(Preference::NotYours(email.clone()));
    };
    let address = stored.address.clone();
    match stored.status {
        EmailStatus::New => return Ok(Preference::Unconfirmed(address)),
        EmailStatus::Preferred => return Ok(Preference::Preferred(address)),
        EmailStatus::Validated => {}
    }
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await?;
    lock_owner(&mut *tx, me, now).await?;
    demote_preferred(&mut *tx, me, &address).await?;
    if !prefer_email(&mut *tx, me, &address).await? {
        // Removed meanwhile (or preferred by a concurrent request): nothing changes here.
        tx.rollback().await?;
        return Ok(match find_email_owner(ctx.db.pool(), &address).await? {
            Some((owner, EmailStatus::Preferred)) if &owner == me => Preference::Preferred(address),
            _ => Preference::NotYours(address),
        });
    }
    audit::record(
        &mut *tx,
        now,
        AuditCode::EmailPreferred,
        Some(me),
        origin,
        address.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(Preference::Preferred(address))
}

/// How removing an address ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removal {
    /// Removed.
    Removed(EmailAddress),
    /// It is not one of the person's addresses.
    NotYours(EmailAddress),
    /// It is their last confirmed address: it stays.
    LastConfirmed(EmailAddress),
}

/// Removes one of the person's addresses, never the last confirmed one (the caller has checked
/// that the password was entered recently). When it was the preferred one, the oldest other
/// confirmed address becomes preferred. The removed address and the preferred one are told.
pub async fn remove(
    ctx: &Context,
    view: &AccountView,
    email: &EmailAddress,
    lang: Lang,
    origin: &Origin,
) -> Result<Removal, EmailsError> {
    let me = &view.person.id;
    let Some(stored) = view.emails.iter().find(|e| e.address.key() == email.key()) else {
        return Ok(Removal::NotYours(email.clone()));
    };
    let address = stored.address.clone();
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await?;
    lock_owner(&mut *tx, me, now).await?;
    if !delete_email(&mut *tx, me, &address).await? {
        let still_mine = find_email_owner(&mut *tx, &address)
            .await?
            .is_some_and(|(owner, _)| &owner == me);
        tx.rollback().await?;
        return Ok(if still_mine {
            Removal::LastConfirmed(address)
        } else {
            Removal::NotYours(address)
        });
    }
    prefer_oldest_if_none(&mut *tx, me).await?;
    let left = list_emails(&mut *tx, me).await?;
    let preferred = left
        .iter()
        .find(|e| e.status == EmailStatus::Preferred)
        .map(|e| e.address.clone());
    if let Some(account) = &preferred {
        let notice = SecurityNotice::AddressRemoved {
            address: &address,
            account,
        };
        if stored.status != EmailStatus::New {
            notify(ctx, &mut tx, &address, lang, notice).await?;
        }
        notify(ctx, &mut tx, account, lang, notice).await?;
    }
    audit::record(
        &mut *tx,
        now,
        AuditCode::EmailRemoved,
        Some(me),
        origin,
        address.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(Removal::Removed(address))
}
