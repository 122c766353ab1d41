//! Password hashing and verification on a fixed pool of one thread per core, never on the
//! async executor: at most one argon2 computation per core runs at a time, and memory stays
//! bounded by threads × the argon2 memory cost (each thread keeps one working buffer and reuses
//! it), however many logins arrive together.

use std::sync::mpsc::{Sender, channel};
use std::sync::{Mutex, OnceLock};

use crate::domain::hash_memory::HashMemory;
use crate::domain::{HashingParams, Password, PasswordError, PasswordHash};

/// Why hashing could not finish.
#[derive(Debug, thiserror::Error)]
pub enum HashingError {
    /// The password or parameters were refused.
    #[error(transparent)]
    Password(#[from] PasswordError),
    /// The hashing threads are gone (the process is shutting down).
    #[error("the password hashing threads stopped")]
    PoolStopped,
}

type Job = Box<dyn FnOnce(&mut HashMemory) + Send>;

/// The queue of the hashing threads, started on first use.
fn pool() -> Option<&'static Sender<Job>> {
    static POOL: OnceLock<Option<Sender<Job>>> = OnceLock::new();
    POOL.get_or_init(|| {
        let (sender, receiver) = channel::<Job>();
        let receiver = std::sync::Arc::new(Mutex::new(receiver));
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        for n in 0..threads {
            let receiver = receiver.clone();
            let started = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    let mut memory = HashMemory::default();
                    loop {
                        let job = match receiver.lock() {
                            Ok(queue) => queue.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(&mut memory),
                            Err(_) => return,
                        }
                    }
                });
            if started.is_err() {
                return None;
            }
        }
        Some(sender)
    })
    .as_ref()
}

/// Runs `work` on a hashing thread and waits for it without blocking the executor.
async fn on_pool<T: Send + 'static>(
    work: impl FnOnce(&mut HashMemory) -> T + Send + 'static,
) -> Result<T, HashingError> {
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move |memory| {
        // The caller may have gone away; the result is then dropped.
        drop(done.send(work(memory)));
    });
    pool()
        .ok_or(HashingError::PoolStopped)?
        .send(job)
        .map_err(|_| HashingError::PoolStopped)?;
    result.await.map_err(|_| HashingError::PoolStopped)
}

/// Hashes a password with the configured parameters, off the executor.
pub async fn hash_password(
    params: HashingParams,
    password: Password,
) -> Result<PasswordHash, HashingError> {
    Ok(on_pool(move |memory| params.hash_in(&password, memory)).await??)
}

/// Verifies a password against a stored hash, off the executor.
pub async fn verify_password(hash: PasswordHash, password: Password) -> Result<bool, HashingError> {
    Ok(on_pool(move |memory| hash.verify_in(&password, memory)).await??)
}

/// A hash of a random password made with the given parameters, computed once per process (and
/// again if the parameters change): verifying against it costs what a real verification costs.
pub async fn dummy_hash(params: HashingParams) -> Result<PasswordHash, HashingError> {
    static DUMMY: Mutex<Option<(HashingParams, PasswordHash)>> = Mutex::new(None);
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

/// Checks a typed password against a hash, counting the check (`/metrics` shows how many
/// passwords were verified, which is what a lockout must bound).
pub async fn check_password(
    ctx: &super::Context,
    hash: PasswordHash,
    password: Password,
) -> Result<bool, HashingError> {
    ctx.password_checks
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    verify_password(hash, password).await
}
