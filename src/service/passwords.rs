//! Password hashing and verification on the blocking thread pool, never on the async executor.

use crate::domain::{HashingParams, Password, PasswordError, PasswordHash};

/// Why hashing could not finish.
#[derive(Debug, thiserror::Error)]
pub enum HashingError {
    /// The password or parameters were refused.
    #[error(transparent)]
    Password(#[from] PasswordError),
    /// The blocking task died.
    #[error("password hashing task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Hashes a password with the configured parameters, off the executor.
pub async fn hash_password(
    params: HashingParams,
    password: Password,
) -> Result<PasswordHash, HashingError> {
    Ok(tokio::task::spawn_blocking(move || params.hash(&password)).await??)
}

/// Verifies a password against a stored hash, off the executor.
pub async fn verify_password(hash: PasswordHash, password: Password) -> Result<bool, HashingError> {
    Ok(tokio::task::spawn_blocking(move || hash.verify(&password)).await??)
}
