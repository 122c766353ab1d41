//! `latchkey token create DSN` on the real executable: the token on standard output, only its
//! hash stored, and the documented exit codes.

use latchkey::db::webhooks::webhook_token_hash;
use latchkey::domain::TokenHash;

use crate::helpers::{TestDb, latchkey, run_exe};

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
async fn token_create_prints_a_new_token_and_stores_only_its_hash() {
    let db = TestDb::new().await;
    latchkey(&db, &["migrate"], None).await.ok();
    let first = latchkey(&db, &["token", "create", &db.url], None).await;
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
    assert_eq!(stored_hash(&db).await, Some(TokenHash::of(&token)));

    let second = latchkey(&db, &["token", "create", &db.url], None).await;
    let replaced = second.ok().trim().to_owned();
    assert_ne!(replaced, token);
    assert_eq!(
        stored_hash(&db).await,
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
