//! `latchkey` (serve) as a newcomer runs it: from an empty directory, it creates the SQLite
//! database, prints its URL, serves pages from the binary, and stops cleanly on SIGTERM; and
//! `latchkey serve` on the test database of either backend.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

use crate::helpers::{TestDb, latchkey_exe};

/// A `latchkey` process serving on a free port, and the URL it printed.
struct Server {
    child: tokio::process::Child,
    url: String,
}

async fn start(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Server {
    let mut cmd = tokio::process::Command::new(latchkey_exe());
    cmd.args(args)
        .current_dir(dir)
        .env("LATCHKEY__SERVER__PUBLIC_ADDR", "127.0.0.1:0")
        .env("LATCHKEY__SERVER__PRIVATE_ADDR", "127.0.0.1:0")
        .env_remove("LATCHKEY__DATABASE__URL")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("the server starts within 30 s")
        .unwrap()
        .expect("a line on standard output");
    let url = first
        .strip_prefix("Latchkey is listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .to_owned();
    Server { child, url }
}

impl Server {
    /// Sends SIGTERM and asserts a clean exit within 20 s.
    async fn terminate(mut self) {
        let pid = self.child.id().unwrap().to_string();
        let kill = tokio::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .await
            .unwrap();
        assert!(kill.success());
        let status = tokio::time::timeout(Duration::from_secs(20), self.child.wait())
            .await
            .expect("the server stops within 20 s of SIGTERM")
            .unwrap();
        assert!(status.success(), "graceful shutdown exits 0: {status:?}");
    }
}

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
