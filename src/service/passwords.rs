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

/// A hash of a random password made with the given parameters, computed once per process (and
/// again if the parameters change): verifying against it costs what a real verification costs.
pub async fn dummy_hash(params: HashingParams) -> Result<PasswordHash, HashingError> {
    static DUMMY: std::sync::Mutex<Option<(HashingParams, PasswordHash)>> =
        std::sync::Mutex::new(None);
    if let Ok(guard) = DUMMY.lock()
        && let Some((p, hash)) = guard.as_ref()
        && *p == params
    {
        return Ok(hash.clone());
    }
    let random = crate::domain::PlainToken::generate(crate::domain::TokenKind::Session)
        .map_err(|e| PasswordError::Parameters(e.to_string()))?;
    let hash = hash_password(params, Password::for_verification(random.expose())).await?;
    if let Ok(mut guard) = DUMMY.lock() {
        *guard = Some((params, hash.clone()));
    }
    Ok(hash)
}
