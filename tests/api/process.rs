//! A real `latchkey` server process on a free loopback port, its standard error kept in a file
//! so that tests can read what it logged.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

use crate::helpers::latchkey_exe;

/// A `latchkey` process serving on a free port, and the URL it printed.
pub struct Server {
    child: tokio::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    log: PathBuf,
}

/// Starts `latchkey ARGS` in `dir` with the given environment on top of loopback port 0.
pub async fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
    latchkey::tls::install_default_provider();
    let log = dir.join(format!("server-{}.log", uuid::Uuid::new_v4().simple()));
    let stderr = std::fs::File::create(&log).unwrap();
    let mut cmd = tokio::process::Command::new(latchkey_exe());
    cmd.args(args)
        .current_dir(dir)
        .env("LATCHKEY__SERVER__PUBLIC_ADDR", "127.0.0.1:0")
        .env("LATCHKEY__SERVER__PRIVATE_ADDR", "127.0.0.1:0")
        .env_remove("LATCHKEY__DATABASE__URL")
        .env_remove("RUST_LOG")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(stderr))
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
    Server { child, url, log }
}

impl Server {
    /// Kills the process at once (SIGKILL), as a crash would.
    pub async fn kill(mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }

    /// Sends SIGTERM, asserts a clean exit within 20 s, and returns everything it logged.
    pub async fn terminate(mut self) -> String {
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
        std::fs::read_to_string(&self.log).unwrap()
    }
}
