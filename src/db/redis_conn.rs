//! The connection to Redis shared by the lockout counters and the session store, when either
//! lives there (`redis.rate_limits`, `redis.sessions`), and the prefix every key written there
//! starts with (`redis.key_prefix`).

use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

/// Why Redis could not answer.
#[derive(Debug, thiserror::Error)]
#[error("redis: {0}")]
pub struct RedisError(#[from] redis::RedisError);

/// A connection to Redis and the prefix of every key Latchkey keeps there, so that several
/// installations (or test runs) can share one Redis without seeing each other's keys.
#[derive(Clone)]
pub struct RedisConn {
    conn: ConnectionManager,
    prefix: Arc<str>,
}

impl std::fmt::Debug for RedisConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisConn")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl RedisConn {
    /// Connects to the Redis a URL names; every key will start with `prefix`. The manager
    /// reconnects by itself after a failure, but briefly: while Redis is away a request fails
    /// within about two seconds instead of waiting through the client's default backoff.
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, RedisError> {
        let config = ConnectionManagerConfig::new()
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500))
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)));
        let conn = redis::Client::open(url)?
            .get_connection_manager_with_config(config)
            .await?;
        Ok(Self {
            conn,
            prefix: Arc::from(prefix),
        })
    }

    /// The full name of a key: the configured prefix, then `name`.
    pub(super) fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// A handle for one command (the manager multiplexes them over one connection).
    pub(super) fn handle(&self) -> ConnectionManager {
        self.conn.clone()
    }

    /// Whether Redis answers a PING.
    pub async fn ping(&self) -> Result<(), RedisError> {
        let mut conn = self.handle();
        let _: String = redis::cmd("PING").query_async(&mut conn).await?;
        Ok(())
    }
}
