//! The connection to Redis shared by the lockout counters and the session store, when either
//! lives there (`redis.rate_limits`, `redis.sessions`).

use redis::aio::ConnectionManager;

/// Why Redis could not answer.
#[derive(Debug, thiserror::Error)]
#[error("redis: {0}")]
pub struct RedisError(#[from] redis::RedisError);

/// Connects to the Redis a URL names; the manager reconnects by itself after a failure.
pub async fn connect(url: &str) -> Result<ConnectionManager, RedisError> {
    Ok(redis::Client::open(url)?.get_connection_manager().await?)
}
