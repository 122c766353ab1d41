//! Lockout counters in Redis (`redis.rate_limits = true`): counted there, not in the database,
//! and shared by every node that uses the same Redis.

use latchkey::config::Settings;
use redis::AsyncCommands;
use secrecy::SecretString;

use crate::helpers::{LOCAL_REDIS, TestApp, redis_conn, redis_here, spawn_app_with};

fn with_redis(s: &mut Settings) {
    s.redis.url = Some(SecretString::from(LOCAL_REDIS.to_owned()));
    s.redis.rate_limits = true;
    s.throttle.account_failures = 3;
    // Only the per-account counter matters here.
    s.throttle.ip_failures = 1_000_000;
}

async fn wrong_password(app: &TestApp, email: &str) -> u16 {
    app.post_login(email, "wrong horse", "login").await.status
}

async fn redis_failures(app: &TestApp, key: &str) -> Option<i64> {
    redis_conn()
        .await
        .hget(app.redis_key(&format!("throttle:{key}")), "failures")
        .await
        .unwrap()
}

#[tokio::test]
async fn lockout_counters_live_in_redis_when_configured() {
    if !redis_here().await {
        return;
    }
    let app = spawn_app_with(with_redis).await;
    let email = format!("r{}@example.org", uuid::Uuid::new_v4().simple());
    app.active_person(&email, "correct horse").await;
    for _ in 0..3 {
        assert_eq!(wrong_password(&app, &email).await, 200);
    }
    assert_eq!(
        app.post_login(&email, "correct horse", "login")
            .await
            .status,
        429,
        "locked out"
    );
    assert_eq!(
        redis_failures(&app, &format!("account:{email}")).await,
        Some(3)
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM throttle").await,
        0,
        "nothing in the database"
    );
}

#[tokio::test]
async fn nodes_sharing_redis_count_one_lockout() {
    if !redis_here().await {
        return;
    }
    let one = spawn_app_with(with_redis).await;
    let prefix = one.redis_prefix.clone();
    let two = spawn_app_with(|s| {
        with_redis(s);
        s.redis.key_prefix = prefix;
    })
    .await;
    let email = format!("r{}@example.org", uuid::Uuid::new_v4().simple());
    one.active_person(&email, "correct horse").await;
    two.active_person(&email, "correct horse").await;
    assert_eq!(wrong_password(&one, &email).await, 200);
    assert_eq!(wrong_password(&two, &email).await, 200);
    assert_eq!(wrong_password(&one, &email).await, 200);
    assert_eq!(
        two.post_login(&email, "correct horse", "login")
            .await
            .status,
        429,
        "failures on the other node count here"
    );
    assert_eq!(
        redis_failures(&two, &format!("account:{email}")).await,
        Some(3),
        "one counter, under the prefix both nodes share"
    );
}
