//! The local Redis the Redis tests use, a connection to look at what Latchkey stored there, and
//! the per-test key prefix that keeps one test's keys from another's.

use super::skip::skip;

/// The local Redis of a development machine.
pub const LOCAL_REDIS: &str = "redis://127.0.0.1:6379";

/// Whether the local Redis answers; says why a test skips (a failure under
/// LATCHKEY_TEST_STRICT=1).
pub async fn redis_here() -> bool {
    let answer = match redis::Client::open(LOCAL_REDIS) {
        Ok(client) => client.get_multiplexed_async_connection().await.map(drop),
        Err(e) => Err(e),
    };
    match answer {
        Ok(()) => true,
        Err(e) => {
            skip("Redis", format!("nothing answers at {LOCAL_REDIS} ({e})"));
            false
        }
    }
}

/// A connection to the local Redis, to look at what Latchkey stored there.
pub async fn redis_conn() -> redis::aio::MultiplexedConnection {
    redis::Client::open(LOCAL_REDIS)
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

/// A Redis key prefix no other test (or earlier run) uses: Redis outlives each test's
/// database, and counters or sessions left by one test must not reach another.
pub fn fresh_redis_prefix() -> String {
    format!("latchkey-test-{}:", uuid::Uuid::new_v4().simple())
}
