//! Administering a person's second factors from the command line: listing them for
//! `person show`, and removing all of them for a person who has lost theirs.

use super::factor_notice::{FactorChange, NoticeError, notify};
use super::{Context, Origin, audit};
use crate::db::DbError;
use crate::db::emails::list_emails;
use crate::db::people::find_person_by_email;
use crate::db::second_factors::{factors_of, remove_all_factors};
use crate::domain::second_factor::FactorSummary;
use crate::domain::{AuditCode, EmailAddress, Person, PersonId};
use crate::i18n::Lang;

/// Why the factors of a person could not be administered.
#[derive(Debug, thiserror::Error)]
pub enum FactorAdminError {
    /// No profile has this address.
    #[error("no person has the address {0}")]
    UnknownAddress(String),
    /// The address belongs to a team, which has no factors.
    #[error("the address {email} belongs to the team {team}, not to a person")]
    TeamAddress {
        /// The address asked for.
        email: String,
        /// The team's handle.
        team: String,
    },
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// The person's notice could not be queued.
    #[error(transparent)]
    Notice(#[from] NoticeError),
}

/// What `reset_second_factor` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResetOutcome {
    /// Every factor was removed (this many passkeys, apps and recovery codes), the reset
    /// audited and the person emailed.
    Removed {
        /// The person.
        person: Person,
        /// How many rows went (each recovery code counts once).
        rows: u64,
    },
    /// The person had no factor: nothing changed, nothing was sent.
    NothingToRemove(Person),
}

/// Every second factor of a person, for listings.
pub async fn factors(ctx: &Context, person: &PersonId) -> Result<Vec<FactorSummary>, DbError> {
    factors_of(ctx.db.pool(), person).await
}

/// Removes every second factor (passkeys, authenticator app, recovery codes) of the person
/// with `email`, audits `FactorsReset` naming `actor` (who ran the command), and emails the
/// person at their preferred address, all in one transaction. Their sessions are left alone:
/// a reset helps someone who lost a factor, it does not say the account was taken.
pub async fn reset_second_factor(
    ctx: &Context,
    email: &EmailAddress,
    origin: &Origin,
    actor: &str,
    lang: Lang,
) -> Result<ResetOutcome, FactorAdminError> {
    let pool = ctx.db.pool();
    let person = find_person_by_email(pool, email)
        .await?
        .ok_or_else(|| FactorAdminError::UnknownAddress(email.to_string()))?;
    if let Some(team) = &person.team_name {
        return Err(FactorAdminError::TeamAddress {
            email: email.to_string(),
            team: team.to_string(),
        });
    }
    let to = list_emails(pool, &person.id)
        .await?
        .into_iter()
        .next()
        .map_or_else(|| email.clone(), |e| e.address);
    let mut tx = pool.begin().await.map_err(DbError::from)?;
    let rows = remove_all_factors(&mut tx, &person.id).await?;
    if rows == 0 {
        return Ok(ResetOutcome::NothingToRemove(person));
    }
    audit::record(
        &mut *tx,
        ctx.clock.now(),
        AuditCode::FactorsReset,
        Some(&person.id),
        origin,
        &format!("{email}: every second factor removed by {actor}"),
    )
    .await?;
    notify(ctx, &mut tx, &to, lang, &FactorChange::AllRemoved).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(ResetOutcome::Removed { person, rows })
}
