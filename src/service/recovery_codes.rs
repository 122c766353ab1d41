//! Recovery codes: a set of ten is issued when a person adds their first second factor and on
//! request (voiding the old set); each code stands in for a lost factor once, at the second
//! step. Only hashes are stored; every use is audited and emailed with how many are left.

use rand_core::{OsRng, RngCore};
use sqlx::AnyConnection;

use super::factor_notice::{FactorChange, NoticeError, notify};
use super::{Context, Origin, account, audit};
use crate::db::DbError;
use crate::db::recovery_codes::{
    count_unused_recovery_codes, replace_recovery_codes, use_recovery_code,
};
use crate::db::second_factors::has_second_factor;
use crate::domain::recovery_code::{CODES_PER_SET, RANDOM_BYTES_PER_CODE, RecoveryCode};
use crate::domain::{AuditCode, PersonId};
use crate::i18n::Lang;

/// Why recovery codes could not be used or renewed (as opposed to a refused code).
#[derive(Debug, thiserror::Error)]
pub enum RecoveryCodesError {
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// The notice could not be queued.
    #[error(transparent)]
    Notice(#[from] NoticeError),
}

/// Issues a new set of codes for `person` inside the caller's transaction, replacing the old
/// set, and returns them as they are shown (`xxxxx-xxxxx`), the only time they are seen.
pub async fn issue_codes(
    ctx: &Context,
    conn: &mut AnyConnection,
    person: &PersonId,
) -> Result<Vec<String>, DbError> {
    let codes: Vec<RecoveryCode> = (0..CODES_PER_SET)
        .map(|_| {
            let mut bytes = [0u8; RANDOM_BYTES_PER_CODE];
            // The operating system's generator, as for every id (`uuid` v4): it does not fail
            // on the systems Latchkey runs on, and would panic rather than give weak codes.
            OsRng.fill_bytes(&mut bytes);
            RecoveryCode::from_random(bytes)
        })
        .collect();
    let hashes: Vec<_> = codes.iter().map(|c| c.hash(person)).collect();
    replace_recovery_codes(conn, person, &hashes, ctx.clock.now()).await?;
    Ok(codes.iter().map(RecoveryCode::shown).collect())
}

/// How many unused codes a person has.
pub async fn left(ctx: &Context, person: &PersonId) -> Result<i64, DbError> {
    count_unused_recovery_codes(ctx.db.pool(), person).await
}

/// Uses one of the person's codes, typed however (case, spaces and dashes do not matter).
/// `Some(left)` when it was an unused code of theirs (now used, audited, and the person
/// emailed); `None` when it was not.
pub async fn use_code(
    ctx: &Context,
    person: &PersonId,
    typed: &str,
    lang: Lang,
    origin: &Origin,
) -> Result<Option<i64>, RecoveryCodesError> {
    let Some(code) = RecoveryCode::parse(typed) else {
        return Ok(None);
    };
    let view = account::load(ctx, person).await?;
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    if !use_recovery_code(&mut *tx, person, &code.hash(person), now).await? {
        return Ok(None);
    }
    let left = count_unused_recovery_codes(&mut *tx, person).await?;
    audit::record(
        &mut *tx,
        now,
        AuditCode::RecoveryCodeUsed,
        Some(person),
        origin,
        &format!("{left} left"),
    )
    .await?;
    if let Some(to) = view.as_ref().and_then(account::AccountView::login_email) {
        notify(
            ctx,
            &mut tx,
            to,
            lang,
            &FactorChange::RecoveryCodeUsed(left),
        )
        .await?;
    }
    tx.commit().await.map_err(DbError::from)?;
    Ok(Some(left))
}

/// "Make new codes": a new set replaces the old one (audited, and the person emailed); the
/// new codes are returned to be shown once. `None` for a person without a passkey or an
/// authenticator app: recovery codes only stand in for one.
pub async fn renew(
    ctx: &Context,
    owner: &account::AccountView,
    lang: Lang,
    origin: &Origin,
) -> Result<Option<Vec<String>>, RecoveryCodesError> {
    let person = &owner.person.id;
    if !has_second_factor(ctx.db.pool(), person).await? {
        return Ok(None);
    }
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    let codes = issue_codes(ctx, &mut tx, person).await?;
    audit::record(
        &mut *tx,
        ctx.clock.now(),
        AuditCode::FactorAdded,
        Some(person),
        origin,
        "recovery-codes (a new set replaces the old)",
    )
    .await?;
    if let Some(to) = owner.login_email() {
        notify(ctx, &mut tx, to, lang, &FactorChange::RecoveryCodesRenewed).await?;
    }
    tx.commit().await.map_err(DbError::from)?;
    Ok(Some(codes))
}
