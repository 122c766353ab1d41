//! The real `latchkey` executable, run against a test database with cheap hashing, and what it
//! printed and returned.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use tokio::io::AsyncWriteExt;

use super::test_db::TestDb;

/// What a run of the executable printed and returned.
#[derive(Debug)]
pub struct CliOutput {
    /// The exit code (-1 if killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl CliOutput {
    /// Asserts success and returns standard output.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "expected success: {self:#?}");
        &self.stdout
    }

    /// Asserts a given failure code and returns standard error.
    #[track_caller]
    pub fn fails_with(&self, code: i32) -> &str {
        assert_eq!(self.code, code, "expected exit code {code}: {self:#?}");
        assert!(!self.stderr.trim().is_empty(), "a failure explains itself");
        assert_eq!(
            self.stderr.trim().lines().count(),
            1,
            "one-line error: {}",
            self.stderr
        );
        &self.stderr
    }
}

/// The built `latchkey` executable.
pub fn latchkey_exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_latchkey"))
}

/// Runs the executable in the test's directory (so no stray `latchkey.toml` is read) with the
/// test database and cheap hashing, and no other `LATCHKEY__` variables.
pub async fn latchkey(db: &TestDb, args: &[&str], stdin: Option<&str>) -> CliOutput {
    run_exe(
        db.dir.path(),
        args,
        &[("LATCHKEY__DATABASE__URL", db.url.as_str())],
        stdin,
    )
    .await
}

/// Runs the executable in `dir` with exactly the given `LATCHKEY__` variables.
pub async fn run_exe(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: Option<&str>,
) -> CliOutput {
    let mut cmd = tokio::process::Command::new(latchkey_exe());
    cmd.args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("LATCHKEY__PASSWORD__MEMORY_KIB", "64")
        .env("LATCHKEY__PASSWORD__ITERATIONS", "1")
        .env_remove("RUST_LOG")
        .env_remove("LATCHKEY_CONFIG");
    for (key, _) in std::env::vars() {
        if key.starts_with("LATCHKEY__") {
            cmd.env_remove(key);
        }
    }
    for (key, value) in env {
        cmd.env(key, value);
    }
    let mut child = cmd.spawn().expect("latchkey starts");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).await.expect("write stdin");
    }
    drop(input);
    let out = tokio::time::timeout(std::time::Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("latchkey finished within a minute")
        .expect("latchkey ran");
    CliOutput {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
