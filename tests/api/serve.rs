//! `latchkey` (serve) as a newcomer runs it: from an empty directory, it creates the SQLite
//! database, prints its URL, serves pages from the binary, and stops cleanly on SIGTERM; and
//! `latchkey serve` on the test database of either backend.

use std::sync::Arc;

use latchkey::clock::SystemClock;
use latchkey::db::api_keys::insert_api_key;
use latchkey::db::{Db, PoolOptions};
use latchkey::domain::api_key::{ApiKey, KeyDescription};
use latchkey::domain::{DisplayName, EmailAddress, Password};
use latchkey::service::api_keys::new_secret;
use latchkey::service::people::create_person;
use latchkey::service::{Context, Origin};

use crate::helpers::{TestDb, test_settings};
use crate::process::start;

#[tokio::test]
async fn serve_creates_the_database_answers_healthz_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &[], &[]).await;
    assert!(dir.path().join("data/latchkey.db").exists());
    let client = reqwest::Client::new();
    let res = client
        .get(format!("{}/healthz", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let css = client
        .get(format!("{}/static/css/latchkey.css", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(
        css.status(),
        200,
        "static files come from the binary, not the working directory"
    );
    // Close our keep-alive connections first, so shutdown waits on nothing but the server.
    drop(client);
    server.terminate().await;
}

#[tokio::test]
async fn serve_runs_on_the_test_database_of_either_backend() {
    let db = TestDb::new().await;
    let server = start(
        db.dir.path(),
        &["serve"],
        &[("LATCHKEY__DATABASE__URL", db.url.as_str())],
    )
    .await;
    let res = reqwest::get(format!("{}/readyz", server.url))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    server.terminate().await;
}

#[tokio::test]
async fn a_stopping_server_writes_the_api_key_uses_it_has_noted() {
    let test_db = TestDb::new().await;
    let server = start(
        test_db.dir.path(),
        &["serve"],
        &[("LATCHKEY__DATABASE__URL", test_db.url.as_str())],
    )
    .await;
    let db = Db::connect(
        &test_db.url,
        PoolOptions {
            max_connections: 2,
            acquire_timeout: std::time::Duration::from_secs(10),
        },
    )
    .await
    .unwrap();
    let settings = test_settings(&test_db);
    let ctx = Context::new(
        &settings,
        db.clone(),
        Arc::new(SystemClock),
        server.url.clone(),
    )
    .unwrap();
    let person = create_person(
        &ctx,
        &EmailAddress::parse("ada@example.org").unwrap(),
        DisplayName::parse("Ada").unwrap(),
        Password::parse("correct horse").unwrap(),
        &Origin::cli(),
    )
    .await
    .unwrap();
    let (secret, prefix) = new_secret().unwrap();
    let key = ApiKey {
        id: uuid::Uuid::new_v4().to_string(),
        person_id: person.id,
        description: KeyDescription::parse("script").unwrap(),
        prefix,
        app_id: None,
        created_at: 0,
        last_used_at: None,
        last_used_from: None,
        revoked_at: None,
    };
    insert_api_key(db.pool(), &key, &secret.hash())
        .await
        .unwrap();

    let client = reqwest::Client::new();
    let res = client
        .get(format!("{}/rest/whoami", server.url))
        .header("X-API-Key", secret.expose())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let used = "SELECT COUNT(*) AS n FROM api_keys WHERE last_used_at IS NOT NULL";
    let count = |db: Db| async move {
        let row = sqlx::query(used).fetch_one(db.pool()).await.unwrap();
        sqlx::Row::get::<i64, _>(&row, "n")
    };
    assert_eq!(count(db.clone()).await, 0, "noted in memory only");
    drop(client);
    server.terminate().await;
    assert_eq!(count(db.clone()).await, 1, "written on the way out");
}
