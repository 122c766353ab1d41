//! Following a ValidateEmail link: the address becomes the person's, confirmed. The link is
//! consumed first, in the transaction of the change, so a replayed link fails; the unique key
//! of `email_addresses` decides who owns an address two people confirm at once; and an address
//! that belongs to a placeholder profile brings the placeholder with it (`db::merge`).

use super::emails::EmailsError;
use super::security_mail::{SecurityNotice, notify};
use super::{Context, Origin, audit};
use crate::db::DbError;
use crate::db::emails::{confirm_own_email, find_email_owner, insert_email};
use crate::db::login_tokens::{consume_login_token, consume_tokens_of, find_valid_token};
use crate::db::merge::{Merged, merge_placeholder};
use crate::db::people::find_person_by_id;
use crate::domain::{
    AuditCode, EmailAddress, EmailStatus, PersonId, PersonKind, PersonStatus, PlainToken, TokenKind,
};
use crate::i18n::Lang;
use crate::service::account::AccountView;

/// How following the link ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The address is the person's, confirmed.
    Added(EmailAddress),
    /// The link is unknown, used or expired.
    LinkInvalid,
    /// The link was sent for another account than the signed-in one (it stays usable).
    OtherAccount,
    /// The address belongs to a team.
    TeamAddress(EmailAddress),
    /// The address belongs to another registered person now.
    Taken(EmailAddress),
}

/// The address a link would add and who asked for it, if the link can still be used.
pub async fn peek(
    ctx: &Context,
    token: &str,
) -> Result<Option<(EmailAddress, Option<PersonId>)>, DbError> {
    if TokenKind::of_token(token) != Some(TokenKind::ValidateEmail) {
        return Ok(None);
    }
    let hash = PlainToken::from_presented(token).hash();
    let found = find_valid_token(
        ctx.db.pool(),
        &hash,
        TokenKind::ValidateEmail,
        ctx.clock.now(),
    )
    .await?;
    Ok(found.and_then(|t| t.email.map(|e| (e, t.requester))))
}

/// What the address's owner, read inside the transaction, means for the claim.
enum Owner {
    Nobody,
    Me(EmailStatus),
    Placeholder(PersonId),
    Team,
    Someone,
}

async fn owner_of(
    tx: &mut sqlx::AnyConnection,
    email: &EmailAddress,
    me: &PersonId,
) -> Result<Owner, DbError> {
    let Some((owner, status)) = find_email_owner(&mut *tx, email).await? else {
        return Ok(Owner::Nobody);
    };
    if &owner == me {
        return Ok(Owner::Me(status));
    }
    Ok(match find_person_by_id(&mut *tx, &owner).await? {
        Some(p) if p.kind == PersonKind::Team => Owner::Team,
        Some(p) if p.status == PersonStatus::Placeholder => Owner::Placeholder(owner),
        _ => Owner::Someone,
    })
}

/// Inserts the address as the person's, confirmed, inside a savepoint: a unique violation
/// (someone else's meanwhile) leaves the transaction usable on PostgreSQL. Returns whether it
/// was inserted.
async fn insert_confirmed(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    me: &PersonId,
    email: &EmailAddress,
    now: i64,
) -> Result<bool, DbError> {
    let mut savepoint = sqlx::Acquire::begin(&mut **tx).await?;
    match insert_email(&mut *savepoint, me, email, EmailStatus::Validated, now).await {
        Ok(()) => {
            savepoint.commit().await?;
            Ok(true)
        }
        Err(e) if e.is_unique_violation() => {
            savepoint.rollback().await?;
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// What attaching a confirmed address to a person did.
pub(crate) enum Attached {
    /// The address is theirs and confirmed now; a placeholder that had it was merged in.
    Added(Option<(PersonId, Merged)>),
    /// It already was one of their confirmed addresses: nothing changed.
    AlreadyTheirs,
    /// It belongs to a team: nothing changed.
    Team,
    /// It belongs to another registered person: nothing changed.
    Taken,
}

/// Makes `email` a confirmed address of `me` inside the caller's transaction, by the seed's
/// rules: a team's or another registered person's address is refused, a placeholder's brings
/// the placeholder with it. Used by emailed links and by administrators.
pub(crate) async fn attach_confirmed(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    me: &PersonId,
    email: &EmailAddress,
    now: i64,
) -> Result<Attached, DbError> {
    Ok(match owner_of(tx, email, me).await? {
        Owner::Me(EmailStatus::New) => {
            if confirm_own_email(&mut **tx, me, email).await? {
                Attached::Added(None)
            } else {
                Attached::AlreadyTheirs
            }
        }
        Owner::Me(_) => Attached::AlreadyTheirs,
        Owner::Team => Attached::Team,
        Owner::Someone => Attached::Taken,
        Owner::Placeholder(placeholder) => {
            match merge_placeholder(tx, &placeholder, me, now).await? {
                Some(moved) => {
                    confirm_own_email(&mut **tx, me, email).await?;
                    Attached::Added(Some((placeholder, moved)))
                }
                // Registered or merged by someone else meanwhile.
                None => Attached::Taken,
            }
        }
        Owner::Nobody => {
            if insert_confirmed(tx, me, email, now).await? {
                Attached::Added(None)
            } else {
                Attached::Taken
            }
        }
    })
}

/// Follows a ValidateEmail link as the signed-in person of `view`.
pub async fn claim(
    ctx: &Context,
    view: &AccountView,
    token: &str,
    lang: Lang,
    origin: &Origin,
) -> Result<Claim, EmailsError> {
    let me = &view.person.id;
    match peek(ctx, token).await? {
        None => return Ok(Claim::LinkInvalid),
        Some((_, requester)) if requester.as_ref() != Some(me) => return Ok(Claim::OtherAccount),
        Some(_) => {}
    }
    let now = ctx.clock.now();
    let hash = PlainToken::from_presented(token).hash();
    let mut tx = ctx.db.pool().begin().await?;
    // The first statement writes, so on SQLite this transaction holds the write lock from here
    // on and reads what concurrent claims committed.
    let consumed = consume_login_token(&mut *tx, &hash, TokenKind::ValidateEmail, now).await?;
    let Some(email) = consumed.and_then(|t| t.email) else {
        return Ok(Claim::LinkInvalid);
    };
    let (added, merged) = match attach_confirmed(&mut tx, me, &email, now).await? {
        Attached::Added(merged) => (true, merged),
        Attached::AlreadyTheirs => (false, None),
        Attached::Team => return refuse(tx, Claim::TeamAddress(email)).await,
        Attached::Taken => return refuse(tx, Claim::Taken(email)).await,
    };
    // The person's other links for the address are spent: it is theirs now.
    consume_tokens_of(&mut *tx, me, &email, TokenKind::ValidateEmail, now).await?;
    if added {
        if let Some(account) = view.login_email() {
            let notice = SecurityNotice::AddressAdded {
                address: &email,
                account,
            };
            notify(ctx, &mut tx, account, lang, notice).await?;
            notify(ctx, &mut tx, &email, lang, notice).await?;
        }
        audit::record(
            &mut *tx,
            now,
            AuditCode::EmailAdded,
            Some(me),
            origin,
            email.as_str(),
        )
        .await?;
    }
    if let Some((placeholder, moved)) = merged {
        let detail = format!(
            "placeholder {placeholder} of {email}: {} addresses, {} team memberships",
            moved.addresses, moved.memberships
        );
        audit::record(
            &mut *tx,
            now,
            AuditCode::PlaceholderMerged,
            Some(me),
            origin,
            &detail,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Claim::Added(email))
}

/// Keeps the link used and answers `claim`'s refusal.
async fn refuse(
    tx: sqlx::Transaction<'_, sqlx::Any>,
    refusal: Claim,
) -> Result<Claim, EmailsError> {
    tx.commit().await?;
    Ok(refusal)
}
