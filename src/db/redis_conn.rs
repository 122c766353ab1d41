//! The connection to Redis shared by the lockout counters and the session store, when either
//! lives there (`redis.rate_limits`, `redis.sessions`).

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

/// Why Redis could not answer.
#[derive(Debug, thiserror::Error)]
#[error("redis: {0}")]
pub struct RedisError(#[from] redis::RedisError);

/// Connects to the Redis a URL names. The manager reconnects by itself after a failure, but
/// briefly: while Redis is away a request fails within about two seconds instead of waiting
/// through the client's default backoff.
pub async fn connect(url: &str) -> Result<ConnectionManager, RedisError> {
    let config = ConnectionManagerConfig::new()
        .set_number_of_retries(2)
        .set_max_delay(Duration::from_millis(500))
        .set_connection_timeout(Some(Duration::from_secs(2)))
        .set_response_timeout(Some(Duration::from_secs(2)));
    Ok(redis::Client::open(url)?
        .get_connection_manager_with_config(config)
        .await?)
}

/// Whether Redis answers a PING.
pub async fn ping(conn: &ConnectionManager) -> Result<(), RedisError> {
    let mut conn = conn.clone();
    let _: String = redis::cmd("PING").query_async(&mut conn).await?;
    Ok(())
}
