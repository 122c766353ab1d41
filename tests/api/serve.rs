//! `latchkey` (serve) as a newcomer runs it: from an empty directory, it creates the SQLite
//! database, prints its URL, serves pages from the binary, and stops cleanly on SIGTERM; and
//! `latchkey serve` on the test database of either backend.

use crate::helpers::TestDb;
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
