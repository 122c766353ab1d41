//! `latchkey token create DSN` on the real executable: the token on standard output, only its
//! hash stored, and the documented exit codes.

use latchkey::db::webhooks::webhook_token_hash;
use latchkey::domain::TokenHash;

use crate::helpers::{TestDb, latchkey, run_exe};
use crate::private_postgres::{PASSWORD, PrivatePostgres};
use crate::process::start;

async fn stored_hash(db: &TestDb) -> Option<TokenHash> {
    let pool = latchkey::db::Db::connect(
        &db.url,
        latchkey::db::PoolOptions {
            max_connections: 1,
            acquire_timeout: std::time::Duration::from_secs(5),
        },
    )
    .await
    .unwrap();
    let hash = webhook_token_hash(pool.pool()).await.unwrap();
    pool.close().await;
    hash
}

#[tokio::test]
async fn token_create_prints_a_new_token_and_stores_only_its_hash_on_sqlite() {
    creates_and_replaces_the_token(&TestDb::sqlite().await).await;
}

#[tokio::test]
async fn token_create_prints_a_new_token_and_stores_only_its_hash_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        creates_and_replaces_the_token(&db).await;
    }
}

async fn creates_and_replaces_the_token(db: &TestDb) {
    latchkey(db, &["migrate"], None).await.ok();
    let first = latchkey(db, &["token", "create", &db.url], None).await;
    let token = first.ok().trim().to_owned();
    assert!(
        token.starts_with("lk_hook_") && token.len() >= 8 + 43,
        "{token}"
    );
    assert!(
        first.stderr.contains("Update the scripts"),
        "{}",
        first.stderr
    );
    assert_eq!(stored_hash(db).await, Some(TokenHash::of(&token)));

    let second = latchkey(db, &["token", "create", &db.url], None).await;
    let replaced = second.ok().trim().to_owned();
    assert_ne!(replaced, token);
    assert_eq!(
        stored_hash(db).await,
        Some(TokenHash::of(&replaced)),
        "the old token is replaced"
    );
}

#[tokio::test]
async fn a_dsn_that_cannot_make_a_pool_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    for dsn in ["posgres://x", "nonsense", "sqlite://"] {
        let out = run_exe(dir.path(), &["token", "create", dsn], &[], None).await;
        assert_eq!(out.code, 1, "{dsn}: {out:?}");
        assert_eq!(out.stderr.trim().lines().count(), 1);
        assert!(out.stdout.is_empty());
    }
}

#[tokio::test]
async fn a_refused_connection_or_a_missing_sqlite_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = format!("sqlite://{}/nope.db", dir.path().display());
    for dsn in [
        "postgres://postgres:secret@127.0.0.1:1/latchkey",
        missing.as_str(),
    ] {
        let out = run_exe(dir.path(), &["token", "create", dsn], &[], None).await;
        assert_eq!(out.code, 2, "{dsn}: {out:?}");
        assert!(!out.stderr.contains("secret"), "no password in the message");
    }
    assert!(!dir.path().join("nope.db").exists(), "nothing was created");
}

#[tokio::test]
async fn a_wrong_password_on_local_postgresql_exits_2() {
    let Some(cluster) = PrivatePostgres::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let wrong = cluster.dsn("wrong-password");
    let out = run_exe(dir.path(), &["token", "create", &wrong], &[], None).await;
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("password"), "{}", out.stderr);
    assert!(
        !out.stderr.contains("wrong-password"),
        "no password in the message"
    );
    assert!(out.stdout.is_empty());
    // The right password gets further: connected, but the database has no schema.
    let right = run_exe(
        dir.path(),
        &["token", "create", &cluster.dsn(PASSWORD)],
        &[],
        None,
    )
    .await;
    assert_eq!(right.code, 3, "{right:?}");
}

#[tokio::test]
async fn a_new_token_works_on_a_hook_the_old_one_no_longer_and_no_token_is_logged() {
    let db = TestDb::new().await;
    latchkey(&db, &["migrate"], None).await.ok();
    let old = latchkey(&db, &["token", "create", &db.url], None)
        .await
        .ok()
        .trim()
        .to_owned();
    let server = start(
        db.dir.path(),
        &["serve"],
        &[
            ("LATCHKEY__DATABASE__URL", db.url.as_str()),
            ("LATCHKEY__LOG__LEVEL", "debug"),
        ],
    )
    .await;
    let client = reqwest::Client::new();
    let hook = |token: &str, email: &str| {
        client
            .post(format!("{}/hooks/placeholder", server.url))
            .form(&[("token", token), ("email", email)])
            .send()
    };
    assert_eq!(hook(&old, "one@example.org").await.unwrap().status(), 201);

    let new = latchkey(&db, &["token", "create", &db.url], None)
        .await
        .ok()
        .trim()
        .to_owned();
    assert_eq!(hook(&old, "two@example.org").await.unwrap().status(), 403);
    assert_eq!(hook(&new, "two@example.org").await.unwrap().status(), 201);
    let mut off_by_one = new.clone();
    off_by_one.pop();
    off_by_one.push('x');
    assert_eq!(
        hook(&off_by_one, "three@example.org")
            .await
            .unwrap()
            .status(),
        403
    );
    let header = client
        .post(format!("{}/hooks/bugtracker-token", server.url))
        .header("X-Webhook-Token", &old)
        .send()
        .await
        .unwrap();
    assert_eq!(header.status(), 403);
    drop(client);

    let log = server.terminate().await;
    assert!(
        log.contains("web-hook call refused: token mismatch"),
        "mismatches are logged: {log}"
    );
    for secret in [&old, &new, &off_by_one] {
        let random_part = secret.trim_start_matches("lk_hook_");
        assert!(
            !log.contains(random_part),
            "the log holds a presented token"
        );
    }
}

#[tokio::test]
async fn a_database_without_the_schema_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("empty.db");
    std::fs::write(&file, b"").unwrap();
    let dsn = format!("sqlite://{}", file.display());
    let out = run_exe(dir.path(), &["token", "create", &dsn], &[], None).await;
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("latchkey migrate"));
}

#[tokio::test]
async fn token_create_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for flag in ["-h", "--help"] {
        let out = run_exe(dir.path(), &["token", "create", flag], &[], None).await;
        assert!(out.ok().contains("Usage:"));
    }
}
